from django.urls import path

from . import views

app_name = "ladders"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/paths/", views.paths, name="paths"),
    path("<slug:slug>/download.<str:fmt>", views.download, name="download"),
    path("<slug:slug>/build/", views.build, name="build"),
    path("<slug:slug>/delete/", views.delete, name="delete"),
    path("<slug:slug>/build/positions/", views.position_add, name="position_add"),
    path("<slug:slug>/build/positions/<slug:key>/", views.position_edit, name="position_edit"),
    path(
        "<slug:slug>/build/positions/<slug:key>/remove/",
        views.position_remove,
        name="position_remove",
    ),  # fmt: skip
    path("<slug:slug>/build/moves/", views.move_add, name="move_add"),
    path("<slug:slug>/build/moves/<int:pk>/", views.move_edit, name="move_edit"),
    path("<slug:slug>/build/moves/<int:pk>/remove/", views.move_remove, name="move_remove"),
]
