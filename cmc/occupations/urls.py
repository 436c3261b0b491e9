from django.urls import path

from . import views

app_name = "occupations"
urlpatterns = [
    path("", views.index, name="index"),
    path("<str:code>/", views.occupation, name="occupation"),
]
