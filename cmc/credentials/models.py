"""Credentials, their endorsement by industry bodies, and stackable pathways.

A credential's links to a framework's tiers and competencies are alignments (the one generic
link of the frameworks app, scheme "credential", code = the credential's identifier); nothing
here keeps a link table of its own for that."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from cmc.frameworks.models import SharedQuerySet, Visibility


class CredentialKind(models.TextChoices):
    CERTIFICATION = "certification", "Certification"
    LICENSE = "license", "License"
    CERTIFICATE = "certificate", "Certificate"
    DEGREE = "degree", "Degree"
    DIGITAL_BADGE = "digital_badge", "Digital badge"
    APPRENTICESHIP_CERTIFICATE = "apprenticeship_certificate", "Apprenticeship certificate"


class Shared(models.Model):
    """Who owns a credential or pathway and who may see it; where shipped content came from."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    visibility = models.CharField(
        max_length=12, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    is_reference = models.BooleanField(default=False)
    # Shipped content names the seed document, its section and the passage it comes from.
    source_seed = models.CharField(max_length=200, blank=True)
    source_section = models.CharField(max_length=300, blank=True)
    source_quote = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SharedQuerySet.as_manager()

    class Meta:
        abstract = True


class Credential(Shared):
    identifier = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=300)
    kind = models.CharField(max_length=30, choices=CredentialKind.choices)
    issuer = models.CharField(max_length=300, blank=True)
    accreditation_body = models.CharField(max_length=300, blank=True)
    accreditation_standard = models.CharField(max_length=200, blank=True)
    # None: the source does not say.
    national_portability = models.BooleanField(null=True, blank=True)
    third_party_validation = models.BooleanField(null=True, blank=True)
    assessment_type = models.CharField(max_length=200, blank=True)
    renewal = models.CharField(max_length=300, blank=True)
    typical_hours = models.PositiveIntegerField(null=True, blank=True)
    typical_cost = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    url = models.URLField(max_length=1000, blank=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="credential_name_not_empty"),
            models.CheckConstraint(
                condition=~Q(visibility="organization") | Q(organization__isnull=False),
                name="credential_org_visibility_needs_org",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("credentials:credential", kwargs={"slug": self.slug})


class Criterion(models.Model):
    """One criterion an endorsing body (an organization) judges credentials by."""

    identifier = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    body = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="endorsement_criteria"
    )
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    source_seed = models.CharField(max_length=200, blank=True)
    source_section = models.CharField(max_length=300, blank=True)
    source_quote = models.TextField(blank=True)

    class Meta:
        ordering = ["body", "position"]
        constraints = [
            models.UniqueConstraint(fields=["body", "name"], name="criterion_unique_name"),
            models.CheckConstraint(condition=~Q(name=""), name="criterion_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name


class Decision(models.TextChoices):
    ENDORSED = "endorsed", "Endorsed"
    NOT_ENDORSED = "not_endorsed", "Not endorsed"
    NEEDS_INFORMATION = "needs_information", "Needs information"


class Review(models.Model):
    """A body's review of one credential against one framework: scores, then a decision."""

    identifier = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    body = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="endorsement_reviews"
    )
    credential = models.ForeignKey(Credential, on_delete=models.CASCADE, related_name="reviews")
    framework = models.ForeignKey(
        "frameworks.Framework", on_delete=models.CASCADE, related_name="endorsement_reviews"
    )
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    # Why, in a few sentences: what the public reads beside an endorsed credential.
    summary = models.TextField(blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    source_seed = models.CharField(max_length=200, blank=True)
    source_section = models.CharField(max_length=300, blank=True)
    source_quote = models.TextField(blank=True)

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "credential", "framework"], name="review_unique_subject"
            )
        ]

    def __str__(self) -> str:
        return f"{self.body} on {self.credential} against {self.framework}"

    def get_absolute_url(self) -> str:
        return reverse("credentials:review", kwargs={"identifier": self.identifier})


class Rating(models.TextChoices):
    MET = "met", "Met"
    PARTLY_MET = "partly_met", "Partly met"
    NOT_MET = "not_met", "Not met"


class Score(models.Model):
    """A reviewer's judgement of one criterion in a review, with the evidence."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    rating = models.CharField(max_length=12, choices=Rating.choices)
    evidence = models.TextField()
    scored_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["criterion__position", "reviewer__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "criterion", "reviewer"], name="score_unique_reviewer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.rating}"


class ReviewEvent(models.Model):
    """One step of a review's history: opened, scored, decided, reopened; who and when."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20)
    text = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who, when no person did it ("the reference content").
    method = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} at {self.at:%Y-%m-%d %H:%M}"


class Pathway(Shared):
    """An ordered stack of credentials mapped onto a framework's tiers."""

    identifier = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    framework = models.ForeignKey(
        "frameworks.Framework", on_delete=models.CASCADE, related_name="pathways"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="pathway_name_not_empty"),
            models.CheckConstraint(
                condition=~Q(visibility="organization") | Q(organization__isnull=False),
                name="pathway_org_visibility_needs_org",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("credentials:pathway", kwargs={"slug": self.slug})


class Step(models.Model):
    """One step of a pathway: a credential (or, where the source names none, a stage only),
    the tiers it stands on, and the education and career steps beside it."""

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    stage = models.CharField(max_length=200, blank=True)
    credential = models.ForeignKey(
        Credential, null=True, blank=True, on_delete=models.PROTECT, related_name="steps"
    )
    tier_from = models.PositiveSmallIntegerField(null=True, blank=True)
    tier_to = models.PositiveSmallIntegerField(null=True, blank=True)
    education = models.CharField(max_length=300, blank=True)
    career = models.CharField(max_length=300, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["pathway", "position"]
        constraints = [
            models.UniqueConstraint(fields=["pathway", "position"], name="step_unique_position"),
            models.CheckConstraint(
                condition=Q(tier_from__isnull=True)
                | Q(tier_to__isnull=True)
                | Q(tier_from__lte=models.F("tier_to")),
                name="step_tiers_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.stage or self.credential}"
