from django.urls import path

from .views import aligning, browse, build, versions

app_name = "frameworks"
urlpatterns = [
    path("", browse.framework_index, name="index"),
    # "build" is a reserved slug (see trees.RESERVED_SLUGS), so it never hides a framework.
    path("build/", build.build_start, name="build_start"),
    path("<slug:slug>/", browse.framework_detail, name="detail"),
    path("<slug:slug>/tiers/<int:number>/", browse.tier_detail, name="tier"),
    path("<slug:slug>/competencies/<str:code>/", browse.competency_detail, name="competency"),
    path(
        "<slug:slug>/competencies/<str:code>/align",
        aligning.align_statement,
        name="align",
    ),
    path(
        "<slug:slug>/alignments/<uuid:identifier>/remove",
        aligning.remove_alignment,
        name="remove_alignment",
    ),
    path(
        "<slug:slug>/alignments.<str:fmt>",
        aligning.alignments_download,
        name="alignments_download",
    ),
    path("<slug:slug>/build/", build.build_resume, name="build"),
    path("<slug:slug>/build/tiers/<int:number>/", build.build_tier, name="build_tier"),
    path(
        "<slug:slug>/build/tiers/<int:number>/change",
        build.build_tier_action,
        name="build_tier_action",
    ),
    path(
        "<slug:slug>/build/competencies/<str:code>/change",
        build.build_competency_action,
        name="build_competency",
    ),
    path("<slug:slug>/versions/", versions.versions, name="versions"),
    path("<slug:slug>/versions/publish", versions.publish, name="publish"),
    path("<slug:slug>/status", versions.change_status, name="status"),
    path("<slug:slug>/sharing", versions.share, name="share"),
    path("<slug:slug>/diff/", versions.diff, name="diff"),
]
