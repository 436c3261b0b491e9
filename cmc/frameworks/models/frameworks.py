"""Frameworks (competency models), their tiers, competencies and key behaviors."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from cmc.core.actors import is_system


class Visibility(models.TextChoices):
    PRIVATE = "private", "Private"
    ORGANIZATION = "organization", "Shared with an organization"
    PUBLIC = "public", "Public"


class Kind(models.TextChoices):
    BUILDING_BLOCKS = "building_blocks", "Building Blocks"
    INDUSTRY = "industry", "Industry"
    SECTOR = "sector", "Sector"
    OCCUPATION = "occupation", "Occupation"
    ORGANIZATION = "organization", "Organization"


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"
    ARCHIVED = "archived", "Archived"


# Which status may follow which: a draft is approved, an approved model is archived or reopened
# as a draft, an archived one can only be reopened.
TRANSITIONS = {
    Status.DRAFT: {Status.APPROVED},
    Status.APPROVED: {Status.ARCHIVED, Status.DRAFT},
    Status.ARCHIVED: {Status.DRAFT},
}


class Origin(models.TextChoices):
    """How an item of a derived framework came to be (its lineage)."""

    COPIED = "copied", "Copied"
    EDITED = "edited", "Edited"
    ADDED = "added", "Added"


class TierGroup(models.TextChoices):
    FOUNDATIONAL = "foundational", "Foundational"
    INDUSTRY_RELATED = "industry_related", "Industry-related"
    OCCUPATION_RELATED = "occupation_related", "Occupation-related"


class SharedQuerySet(models.QuerySet):
    """Rows shared the way frameworks are (an owner, an organization and a visibility): the
    other apps' shareable things (lattices, credentials, pathways) use it too."""

    def visible_to(self, user):
        """Public rows, the user's own, and those shared with an organization they belong
        to; every row for the system."""
        if is_system(user):
            return self.all()
        if user is None or not user.is_authenticated:
            return self.filter(visibility=Visibility.PUBLIC)
        from cmc.accounts.models import Membership

        member_of = Membership.objects.filter(user=user).values("organization")
        return self.filter(
            Q(visibility=Visibility.PUBLIC)
            | Q(owner=user)
            | Q(visibility=Visibility.ORGANIZATION, organization__in=member_of)
        )

    def editable_by(self, user):
        """Rows the user may change: their own, and their organizations' as owner or editor;
        every row for the system."""
        if is_system(user):
            return self.all()
        if user is None or not user.is_authenticated:
            return self.none()
        from cmc.accounts.models import Membership

        editor_of = Membership.objects.editing(user).values("organization")
        return self.filter(
            Q(owner=user) | Q(visibility=Visibility.ORGANIZATION, organization__in=editor_of)
        )


class FrameworkQuerySet(SharedQuerySet):
    """Frameworks: public, the user's own, those shared with an organization they belong to."""


class Framework(models.Model):
    identifier = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ORGANIZATION)
    industry = models.CharField(max_length=200, blank=True)
    naics = models.CharField("NAICS code", max_length=6, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    description = models.TextField(blank=True)
    source_citation = models.TextField(blank=True)
    source_url = models.URLField(max_length=500, blank=True)
    source_section = models.CharField(max_length=300, blank=True)
    version_label = models.CharField(max_length=50, blank=True)
    language = models.CharField(max_length=35, default="en")
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="derived"
    )
    content_included = models.BooleanField(default=True)
    content_note = models.TextField(blank=True)
    variants = models.JSONField(default=list, blank=True)
    # Fields an exchange format carries that this model has no column for (a CASE item's
    # unknown fields, keyed by format): kept so that exporting gives them back.
    extensions = models.JSONField(default=dict, blank=True)
    is_reference = models.BooleanField(default=False)
    # Where the "Build a model" flow was left (a tier number), so that it resumes there.
    build_step = models.PositiveSmallIntegerField(null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="frameworks",
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="frameworks",
    )
    visibility = models.CharField(
        max_length=12, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FrameworkQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(visibility="organization") | Q(organization__isnull=False),
                name="framework_org_visibility_needs_org",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="framework_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("frameworks:detail", kwargs={"slug": self.slug})

    def version_name(self, number: int | None) -> str:
        """What version `number` of this framework is called wherever it is named: reference
        content by its source document's version (the guide's "2015"), whichever of the site's
        copies is meant; every other model by its number. "" where there is none to give."""
        if self.is_reference:
            return self.version_label
        return "" if number is None else str(number)


class TierQuerySet(models.QuerySet):
    def visible_to(self, user) -> "TierQuerySet":
        return self.filter(framework__in=Framework.objects.visible_to(user))


class Tier(models.Model):
    identifier = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="tiers")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    group = models.CharField(max_length=20, choices=TierGroup.choices)
    position = models.PositiveSmallIntegerField()
    note = models.TextField(blank=True)
    revision = models.PositiveIntegerField(default=1)
    # Fields an exchange format carries that this model has no column for (a CASE item's
    # unknown fields, keyed by format): kept so that exporting gives them back.
    extensions = models.JSONField(default=dict, blank=True)

    objects = TierQuerySet.as_manager()

    class Meta:
        ordering = ["framework", "position"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="tier_unique_number"),
            models.UniqueConstraint(fields=["framework", "position"], name="tier_unique_position"),
            models.CheckConstraint(condition=Q(number__gte=1), name="tier_number_positive"),
            models.CheckConstraint(condition=~Q(name=""), name="tier_name_not_empty"),
        ]

    def __str__(self) -> str:
        return f"Tier {self.number}: {self.name}"

    def get_absolute_url(self) -> str:
        return reverse(
            "frameworks:tier", kwargs={"slug": self.framework.slug, "number": self.number}
        )


class Lineage(models.Model):
    """Where an item of a derived model came from, and the revision edits are checked against."""

    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.ADDED)
    source_identifier = models.UUIDField(null=True, blank=True)
    # Indexed only where set (see _source_indexes): most items name no source.
    source_framework = models.ForeignKey(
        Framework, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        db_index=False,
    )  # fmt: skip
    source_version = models.ForeignKey(
        "FrameworkVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        db_index=False,
    )  # fmt: skip
    # In a blend, the same item in the other sources (their identifiers), merged into this one.
    merged_from = models.JSONField(default=list, blank=True)
    # Optimistic locking: an edit names the revision it started from.
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True


def _source_indexes(table: str) -> list[models.Index]:
    """The indexes that find an item by its source, over the items that name one (a lookup by
    a source implies it is set, so both databases use them), not over every row written."""
    return [
        models.Index(
            fields=[name], condition=Q(**{f"{name}__isnull": False}), name=f"{table}_{name[7:]}_idx"
        )  # fmt: skip
        for name in ("source_framework", "source_version")
    ]


class CompetencyQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CompetencyQuerySet":
        return self.filter(framework__in=Framework.objects.visible_to(user))


class Competency(Lineage):
    identifier = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The framework is kept beside the tier so that codes can be unique within a framework.
    # Both keys are indexed by the unique constraints they lead (framework and code, tier and
    # position): an index of their own would only be written beside them.
    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="competencies", db_index=False
    )
    tier = models.ForeignKey(
        Tier, on_delete=models.CASCADE, related_name="competencies", db_index=False
    )
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=300)
    definition = models.TextField(blank=True)
    position = models.PositiveIntegerField()
    # Fields an exchange format carries that this model has no column for (a CASE item's
    # unknown fields, keyed by format): kept so that exporting gives them back.
    extensions = models.JSONField(default=dict, blank=True)

    objects = CompetencyQuerySet.as_manager()

    class Meta:
        ordering = ["tier__position", "position"]
        verbose_name_plural = "competencies"
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="competency_unique_code"),
            models.UniqueConstraint(fields=["tier", "position"], name="competency_unique_position"),
            models.CheckConstraint(condition=~Q(name=""), name="competency_name_not_empty"),
            models.CheckConstraint(condition=~Q(code=""), name="competency_code_not_empty"),
        ]
        indexes = _source_indexes("competency")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse(
            "frameworks:competency", kwargs={"slug": self.framework.slug, "code": self.code}
        )


class KeyBehaviorQuerySet(models.QuerySet):
    def visible_to(self, user) -> "KeyBehaviorQuerySet":
        return self.filter(competency__framework__in=Framework.objects.visible_to(user))


class KeyBehavior(Lineage):
    identifier = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Indexed by the unique constraint it leads (competency and position).
    competency = models.ForeignKey(
        Competency, on_delete=models.CASCADE, related_name="behaviors", db_index=False
    )
    title = models.CharField(max_length=300, blank=True)
    text = models.TextField()
    position = models.PositiveIntegerField()
    # Fields an exchange format carries that this model has no column for (a CASE item's
    # unknown fields, keyed by format): kept so that exporting gives them back.
    extensions = models.JSONField(default=dict, blank=True)

    objects = KeyBehaviorQuerySet.as_manager()

    class Meta:
        ordering = ["competency", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["competency", "position"], name="behavior_unique_position"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="behavior_text_not_empty"),
        ]
        indexes = _source_indexes("behavior")

    def __str__(self) -> str:
        return self.title or self.text[:60]
