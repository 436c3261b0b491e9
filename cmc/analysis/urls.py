from django.urls import path

from . import views

app_name = "analysis"
urlpatterns = [
    path("<slug:slug>/worksheets/", views.worksheets_page, name="worksheets"),
    path("<slug:slug>/worksheets/<str:kind>.<str:fmt>", views.worksheet_download, name="worksheet"),
]
