from django.urls import path

from . import views

app_name = "resources"
urlpatterns = [
    path("", views.index, name="index"),
    path("submit/", views.submit, name="submit"),
    path("mine/", views.mine, name="mine"),
    path("moderation/", views.moderation, name="moderation"),
    path("import/", views.import_page, name="import"),
    path("import/<uuid:identifier>/", views.import_status, name="import_status"),
    path("template.<str:fmt>", views.template, name="template"),
    path("models-in-action/", views.models_in_action, name="models_in_action"),
    path("<uuid:identifier>/", views.detail, name="detail"),
    path("<uuid:identifier>/edit/", views.edit, name="edit"),
    path("<uuid:identifier>/moderate/", views.moderate, name="moderate"),
]
