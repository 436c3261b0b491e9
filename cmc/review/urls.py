from django.urls import path

from .views import surveys

app_name = "review"
urlpatterns: list = [
    path("frameworks/<slug:slug>/surveys/", surveys.surveys_page, name="surveys"),
    path("surveys/<int:survey_id>/", surveys.survey_results_page, name="survey_results"),
    path(
        "surveys/<int:survey_id>/results.<str:fmt>",
        surveys.survey_download,
        name="survey_download",
    ),
    path("surveys/<int:survey_id>/close", surveys.survey_close, name="survey_close"),
    path("surveys/respond/<str:token>/", surveys.survey_respond, name="survey_respond"),
]
