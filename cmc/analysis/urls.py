from django.urls import path

from . import views

app_name = "analysis"
urlpatterns = [
    path("<slug:slug>/worksheets/", views.worksheets_page, name="worksheets"),
    path("<slug:slug>/worksheets/results/", views.results_page, name="results"),
    path("<slug:slug>/worksheets/results/gap.xlsx", views.gap_report, name="gap_report"),
    path("<slug:slug>/worksheets/uploads/<uuid:identifier>/", views.upload_page, name="upload"),
    path("<slug:slug>/worksheets/<str:kind>.<str:fmt>", views.worksheet_download, name="worksheet"),
]
