from django.urls import path

from . import views

app_name = "frameworks"
urlpatterns = [
    path("", views.framework_index, name="index"),
    path("<slug:slug>/", views.framework_detail, name="detail"),
    path("<slug:slug>/tiers/<int:number>/", views.tier_detail, name="tier"),
    path("<slug:slug>/competencies/<str:code>/", views.competency_detail, name="competency"),
    path("<slug:slug>/download.<str:fmt>", views.framework_download, name="download"),
]
