from django.urls import path

from .views import credentials, endorsement, pathways

app_name = "credentials"
urlpatterns = [
    path("credentials/", credentials.credential_index, name="index"),
    path("credentials/new", credentials.credential_new, name="new"),
    path("credentials/<slug:slug>/", credentials.credential_detail, name="credential"),
    path("credentials/<slug:slug>/edit", credentials.credential_edit, name="edit"),
    path("credentials/<slug:slug>/delete", credentials.credential_delete, name="delete"),
    path(
        "credentials/<slug:slug>/alignments/",
        credentials.credential_alignments,
        name="alignments",
    ),
    path(
        "credentials/<slug:slug>/alignments/remove",
        credentials.credential_unalign,
        name="unalign",
    ),
    path(
        "credentials/<slug:slug>/alignments.<str:fmt>.json",
        credentials.credential_download,
        name="download",
    ),
    path("endorsements/", endorsement.endorsement_index, name="endorsements"),
    path("endorsements/bodies/<slug:slug>/", endorsement.body_page, name="body"),
    path("endorsements/reviews/<str:identifier>/", endorsement.review_page, name="review"),
    path("endorsements/reviews/<str:identifier>/score", endorsement.review_score, name="score"),
    path("endorsements/reviews/<str:identifier>/decide", endorsement.review_decide, name="decide"),
    path("pathways/", pathways.pathway_index, name="pathways"),
    path("pathways/new", pathways.pathway_new, name="pathway_new"),
    path("pathways/<slug:slug>/", pathways.pathway_detail, name="pathway"),
    path("pathways/<slug:slug>/edit", pathways.pathway_edit, name="pathway_edit"),
    path("pathways/<slug:slug>/steps", pathways.pathway_steps, name="steps"),
    path("pathways/<slug:slug>/steps/<int:step>", pathways.pathway_step_action, name="step"),
    path("pathways/<slug:slug>/coverage/", pathways.pathway_coverage, name="coverage"),
    path(
        "pathways/<slug:slug>/coverage.<str:fmt>",
        pathways.pathway_coverage_picture,
        name="coverage_picture",
    ),
]
