"""A framework's history: published versions, status changes, the sources it was built
from, the items it left out and the readings of a blend still to choose."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from .frameworks import Competency, Framework, Status, Tier


class FrameworkVersion(models.Model):
    """A published version: an immutable snapshot of the whole tree (the JSON document)."""

    identifier = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    note = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    snapshot = models.JSONField()

    class Meta:
        ordering = ["framework", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="version_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="version_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.framework} v{self.number}"


class StatusChange(models.Model):
    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=10, choices=Status.choices)
    to_status = models.CharField(max_length=10, choices=Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["framework", "-changed_at"]

    def __str__(self) -> str:
        return f"{self.framework}: {self.from_status} → {self.to_status}"


class FrameworkSource(models.Model):
    """A framework a derived framework was built from (one row per source, in blend order)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="sources")
    source = models.ForeignKey(
        Framework, null=True, on_delete=models.SET_NULL, related_name="derivations"
    )
    source_version = models.ForeignKey(
        FrameworkVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_name = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField()
    taken_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["framework", "position"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "position"], name="source_unique_position")
        ]

    def __str__(self) -> str:
        return f"{self.framework} from {self.source_name}"


class LeftOut(models.Model):
    """A source item the derived framework does not keep: recorded so that lineage and diffs
    say so, and so that it can be put back."""

    class ItemKind(models.TextChoices):
        COMPETENCY = "competency", "Competency"
        BEHAVIOR = "behavior", "Key behavior"

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="left_out")
    kind = models.CharField(max_length=12, choices=ItemKind.choices)
    # A left-out behavior belongs to a competency the framework keeps; a left-out competency
    # carries its tier number, definition and behaviors in `content`.
    competency = models.ForeignKey(
        Competency, null=True, blank=True, on_delete=models.CASCADE, related_name="left_out"
    )
    tier_number = models.PositiveSmallIntegerField(null=True, blank=True)
    label = models.TextField()
    content = models.JSONField(default=dict, blank=True)
    source_identifier = models.UUIDField(null=True, blank=True)
    source_framework = models.ForeignKey(
        Framework, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_version = models.ForeignKey(
        FrameworkVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    left_out_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["framework", "kind", "id"]

    def __str__(self) -> str:
        return f"left out of {self.framework}: {self.label[:60]}"


class BlendChoice(models.Model):
    """Where blended sources disagree about a merged competency (its name or definition) or
    about a tier's name: the readings, until one is chosen."""

    competency = models.ForeignKey(
        Competency, null=True, blank=True, on_delete=models.CASCADE, related_name="blend_choices"
    )
    tier = models.ForeignKey(
        Tier, null=True, blank=True, on_delete=models.CASCADE, related_name="blend_choices"
    )
    field = models.CharField(max_length=20)
    options = models.JSONField()
    chosen = models.TextField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["competency", "field"], name="blend_choice_unique"),
            models.UniqueConstraint(fields=["tier", "field"], name="blend_choice_tier_unique"),
            models.CheckConstraint(
                condition=Q(competency__isnull=False, tier__isnull=True)
                | Q(competency__isnull=True, tier__isnull=False),
                name="blend_choice_of_one_item",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.competency or self.tier}: {self.field}"


class LikelyDuplicate(models.Model):
    """Two competencies of a blend, from different sources, whose names are alike without
    being the same ("Customer Focus", "Marketing & Customer Focus"): offered to the user to
    merge or to keep apart. A merge keeps what it took from the second in `absorbed`, so that
    it can be undone."""

    class Decision(models.TextChoices):
        OPEN = "open", "Not decided"
        MERGED = "merged", "Merged"
        APART = "apart", "Kept apart"

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="likely_duplicates"
    )
    tier = models.ForeignKey(Tier, on_delete=models.CASCADE, related_name="likely_duplicates")
    # The competency kept by a merge, and the one merged into it (gone after the merge: its
    # name is kept to say what was merged).
    first = models.ForeignKey(
        Competency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    second = models.ForeignKey(
        Competency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    first_name = models.CharField(max_length=300)
    second_name = models.CharField(max_length=300)
    score = models.FloatField()
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.OPEN)
    absorbed = models.JSONField(default=dict, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["tier", "-score", "id"]

    def __str__(self) -> str:
        return f"{self.first_name} ~ {self.second_name} ({self.score:.2f})"
