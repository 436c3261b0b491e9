from django.urls import path

from . import views

app_name = "esco"
urlpatterns = [
    path("", views.esco_index, name="index"),
    path("concepts/<str:key>/", views.esco_concept, name="concept"),
]
