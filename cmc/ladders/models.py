"""Career ladders and lattices: positions, the moves between them and what each move takes.

A lattice is seen and changed by the same people as a framework (private, shared with an
organization, public; see `LatticeQuerySet`). A ladder is a lattice whose positions share one
track."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from cmc.frameworks.models import SharedQuerySet, Visibility


class LatticeQuerySet(SharedQuerySet):
    """Lattices: public, the user's own, and those shared with an organization they belong to
    (visible_to); their owner's and their organization's owners' and editors' (editable_by)."""


class Lattice(models.Model):
    identifier = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    # Where the positions' competencies come from; optional.
    framework = models.ForeignKey(
        "frameworks.Framework",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lattices",
    )
    sources = models.TextField(blank=True)
    is_reference = models.BooleanField(default=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lattices",
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lattices",
    )
    visibility = models.CharField(
        max_length=12, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LatticeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(visibility="organization") | Q(organization__isnull=False),
                name="lattice_org_visibility_needs_org",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="lattice_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("ladders:detail", kwargs={"slug": self.slug})


class Position(models.Model):
    """A job in the lattice: an O*NET-SOC occupation (`occupation_code`) or a local job title,
    at a level (1 = entry) in a track, with what it requires."""

    lattice = models.ForeignKey(Lattice, on_delete=models.CASCADE, related_name="positions")
    key = models.SlugField(max_length=60)
    title = models.CharField(max_length=200)
    occupation_code = models.CharField(max_length=10, blank=True)
    level = models.PositiveSmallIntegerField()
    track = models.CharField(max_length=100)
    education = models.TextField(blank=True)
    experience = models.TextField(blank=True)
    credentials = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["lattice", "level", "track", "title"]
        constraints = [
            models.UniqueConstraint(fields=["lattice", "key"], name="position_unique_key"),
            models.CheckConstraint(condition=Q(level__gte=1), name="position_level_positive"),
            models.CheckConstraint(condition=~Q(title=""), name="position_title_not_empty"),
            models.CheckConstraint(condition=~Q(track=""), name="position_track_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (level {self.level}, {self.track})"


class PositionCompetency(models.Model):
    """A competency of the lattice's framework that a position requires, by the competency's
    identifier (stable across versions and re-imports). A position is part of the lattice, not
    an outside statement aligned to a model, so it is not an alignment."""

    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="competencies")
    competency_identifier = models.UUIDField()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["position", "competency_identifier"], name="position_competency_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.position}: {self.competency_identifier}"


class Transition(models.Model):
    class Kind(models.TextChoices):
        PROMOTION = "promotion", "Promotion"
        LATERAL = "lateral", "Lateral move"

    lattice = models.ForeignKey(Lattice, on_delete=models.CASCADE, related_name="transitions")
    source = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="moves_out")
    target = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="moves_in")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PROMOTION)

    class Meta:
        ordering = ["lattice", "source", "target"]
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="transition_unique_move"),
            models.CheckConstraint(
                condition=~Q(source=models.F("target")), name="transition_not_to_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source.title} → {self.target.title} ({self.kind})"


class Experience(models.Model):
    """A developmental experience a move takes: education, training, a credential or work
    experience, and its typical time in months (taken one after another: a move's time is
    their sum)."""

    class Kind(models.TextChoices):
        EDUCATION = "education", "Education"
        TRAINING = "training", "Training"
        CREDENTIAL = "credential", "Credential"
        WORK = "work_experience", "Work experience"

    transition = models.ForeignKey(Transition, on_delete=models.CASCADE, related_name="experiences")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.TextField()
    months = models.PositiveSmallIntegerField(null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["transition", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="experience_text_not_empty")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text}"
