"""Validation surveys (step 5 of developing a model): employers and workers rate each key
behavior of a published version through a personal link."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q

# The questions about the respondent the editor may ask, each with its choices.
GROUP_KINDS = {"segment": "Industry segment", "region": "Region", "role": "Role"}


def hash_link_token(raw: str) -> str:
    """What is kept of a personal link's token: its SHA-256, never the token itself."""
    return hashlib.sha256(raw.encode()).hexdigest()


class Survey(models.Model):
    """A validation survey of one published version, with the editor's thresholds below which
    a key behavior is flagged for removal, and the respondent groups asked about."""

    framework = models.ForeignKey(
        "frameworks.Framework", on_delete=models.CASCADE, related_name="surveys"
    )
    version = models.ForeignKey(
        "frameworks.FrameworkVersion", on_delete=models.PROTECT, related_name="surveys"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    deadline = models.DateTimeField()
    min_mean_importance = models.FloatField(default=3.0)
    min_share_important = models.FloatField(default=0.5)
    # {"segment": [choices], "region": [...], "role": [...]}: only the kinds asked about.
    groups = models.JSONField(default=dict)
    # The role choices whose respondents count as employers ("validated with N employers").
    employer_roles = models.JSONField(default=list)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_mean_importance__gte=1, min_mean_importance__lte=5),
                name="survey_mean_threshold_range",
            ),
            models.CheckConstraint(
                condition=Q(min_share_important__gte=0, min_share_important__lte=1),
                name="survey_share_threshold_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Validation survey {self.pk} of {self.framework} v{self.version.number}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def asked(self) -> dict[str, list[str]]:
        """The groups asked about, in the order of GROUP_KINDS (PostgreSQL's jsonb does not
        keep the order of an object's keys)."""
        return {kind: self.groups[kind] for kind in GROUP_KINDS if kind in self.groups}


class SurveyInvitation(models.Model):
    """One invitee's personal link: only the hash of its token is kept. It answers once (one
    response) until the deadline or the survey's close. The editor may give the invitee a new
    link (the old one then opens nothing; the response stays the invitee's)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the invitee was last sent a new link in place of the one before, and how often.
    renewed_at = models.DateTimeField(null=True, blank=True)
    renewals = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["survey", "id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "email"], name="survey_invitation_unique")
        ]

    def __str__(self) -> str:
        return f"Invitation to survey {self.survey_id}"


class SurveyResponse(models.Model):
    """The one response of an invitation: the respondent's optional group answers; saved again
    until it is submitted or the survey closes. No name is asked."""

    invitation = models.OneToOneField(
        SurveyInvitation, on_delete=models.CASCADE, related_name="response"
    )
    group = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Response {self.pk} to survey {self.invitation.survey_id}"


class SurveyRating(models.Model):
    """One respondent's rating of one key behavior (by identifier, as the version froze it)."""

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="ratings")
    behavior = models.UUIDField()
    importance = models.PositiveSmallIntegerField(null=True, blank=True)
    frequency = models.PositiveSmallIntegerField(null=True, blank=True)
    needed_at_entry = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["response", "id"]
        constraints = [
            models.UniqueConstraint(fields=["response", "behavior"], name="survey_rating_unique"),
            models.CheckConstraint(
                condition=Q(importance__isnull=True) | Q(importance__gte=1, importance__lte=5),
                name="survey_rating_importance_range",
            ),
            models.CheckConstraint(
                condition=Q(frequency__isnull=True) | Q(frequency__gte=1, frequency__lte=5),
                name="survey_rating_frequency_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.behavior}: {self.importance}"
