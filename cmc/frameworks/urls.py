from django.urls import path

from . import views, views_build, views_versions

app_name = "frameworks"
urlpatterns = [
    path("", views.framework_index, name="index"),
    # "build" is a reserved slug (see trees.RESERVED_SLUGS), so it never hides a framework.
    path("build/", views_build.build_start, name="build_start"),
    path("<slug:slug>/", views.framework_detail, name="detail"),
    path("<slug:slug>/tiers/<int:number>/", views.tier_detail, name="tier"),
    path("<slug:slug>/competencies/<str:code>/", views.competency_detail, name="competency"),
    path("<slug:slug>/download.<str:fmt>", views.framework_download, name="download"),
    path("<slug:slug>/build/", views_build.build_resume, name="build"),
    path("<slug:slug>/build/tiers/<int:number>/", views_build.build_tier, name="build_tier"),
    path(
        "<slug:slug>/build/tiers/<int:number>/change",
        views_build.build_tier_action,
        name="build_tier_action",
    ),
    path(
        "<slug:slug>/build/competencies/<str:code>/change",
        views_build.build_competency_action,
        name="build_competency",
    ),
    path("<slug:slug>/versions/", views_versions.versions, name="versions"),
    path("<slug:slug>/versions/publish", views_versions.publish, name="publish"),
    path(
        "<slug:slug>/versions/<int:number>/download.<str:fmt>",
        views.version_download,
        name="version_download",
    ),
    path("<slug:slug>/status", views_versions.change_status, name="status"),
    path("<slug:slug>/sharing", views_versions.share, name="share"),
    path("<slug:slug>/diff/", views_versions.diff, name="diff"),
    path("<slug:slug>/worksheets/", views_versions.worksheets_page, name="worksheets"),
    path(
        "<slug:slug>/worksheets/<str:kind>.<str:fmt>",
        views_versions.worksheet_download,
        name="worksheet",
    ),
]
