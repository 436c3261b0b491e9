from django.urls import path

from .views import (
    process,
    reviewing,
    rounds,
    schedule,
    suggestions,
    survey_invitations,
    surveys,
)

app_name = "review"
urlpatterns = [
    # The development process of one model (its editors and approvers).
    path("frameworks/<slug:slug>/process/", process.process_page, name="process"),
    path(
        "frameworks/<slug:slug>/process/background/", process.background_add, name="background_add"
    ),
    path(
        "frameworks/<slug:slug>/process/background/<uuid:identifier>/remove",
        process.background_remove,
        name="background_remove",
    ),
    path(
        "frameworks/<slug:slug>/process/background/<uuid:identifier>/download",
        process.background_download,
        name="background_download",
    ),
    path("frameworks/<slug:slug>/process/approvers", process.approvers_change, name="approvers"),
    path("frameworks/<slug:slug>/process/approve", process.approve, name="approve"),
    path("frameworks/<slug:slug>/process/publish", process.publish, name="publish"),
    path("frameworks/<slug:slug>/rounds/", rounds.rounds_page, name="rounds"),
    path("frameworks/<slug:slug>/review-schedule/", schedule.schedule_page, name="schedule"),
    path("frameworks/<slug:slug>/suggestions/", suggestions.triage_page, name="triage"),
    path("frameworks/<slug:slug>/suggest/<uuid:item>/", suggestions.suggest_page, name="suggest"),
    # Rounds (their editors).
    path("review/rounds/<int:pk>/", rounds.round_page, name="round"),
    path("review/rounds/<int:pk>/close", rounds.round_close, name="round_close"),
    path("review/rounds/<int:pk>/refine/", rounds.refine_page, name="refine"),
    path("review/rounds/<int:pk>/report.<str:fmt>", rounds.round_report, name="round_report"),
    # A reviewer's personal link.
    path("review/r/<str:token>/", reviewing.review_start, name="review_start"),
    path("review/r/<str:token>/tiers/<int:number>/", reviewing.review_tier, name="review_tier"),
    path("review/r/<str:token>/save", reviewing.review_save, name="review_save"),
    path("review/r/<str:token>/finish", reviewing.review_finish, name="review_finish"),
    # Maintenance.
    path("review/due/", schedule.dashboard, name="dashboard"),
    path("review/suggestions/", suggestions.my_suggestions, name="my_suggestions"),
    path(
        "review/suggestions/<uuid:identifier>/", suggestions.suggestion_mine, name="suggestion_mine"
    ),
    path(
        "review/suggestions/<uuid:identifier>/decide",
        suggestions.suggestion_decide,
        name="suggestion_decide",
    ),
    path("review/follow/<str:token>/", suggestions.suggestion_follow, name="suggestion_follow"),
    # Validation surveys.
    path("frameworks/<slug:slug>/surveys/", surveys.surveys_page, name="surveys"),
    path("surveys/<int:survey_id>/", surveys.survey_results_page, name="survey_results"),
    path(
        "surveys/<int:survey_id>/results.<str:fmt>",
        surveys.survey_download,
        name="survey_download",
    ),
    path("surveys/<int:survey_id>/close", surveys.survey_close, name="survey_close"),
    path(
        "surveys/<int:survey_id>/invitations",
        survey_invitations.survey_invite,
        name="survey_invite",
    ),
    path(
        "surveys/<int:survey_id>/invitations/<int:invitation_id>/resend",
        survey_invitations.survey_resend,
        name="survey_resend",
    ),
    path("surveys/respond/<str:token>/", surveys.survey_respond, name="survey_respond"),
]
