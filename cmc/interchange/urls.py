from django.urls import path

from . import views

app_name = "interchange"
urlpatterns = [
    path("<slug:slug>/download.<str:fmt>", views.framework_download, name="download"),
    path(
        "<slug:slug>/versions/<int:number>/download.<str:fmt>",
        views.version_download,
        name="version_download",
    ),
    path("<slug:slug>/downloads/<uuid:identifier>/", views.prepared_download, name="prepared"),
    path(
        "<slug:slug>/downloads/<uuid:identifier>/file",
        views.prepared_file,
        name="prepared_file",
    ),
]
