"""Pages that import other systems' frameworks (CASE, CTDL-ASN), mounted at /imports/."""

from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.import_start, name="start"),
    path("<str:identifier>/", views.import_preview, name="preview"),
]
