from django.urls import path

from . import views

app_name = "occupations"
urlpatterns = [
    path("", views.index, name="index"),
    path("commonality/", views.commonality, name="commonality"),
    path("commonality.xlsx", views.commonality_download, name="commonality_xlsx"),
    path("frameworks/<slug:slug>/", views.framework_occupations, name="framework"),
    path("<str:code>/", views.occupation, name="occupation"),
]
