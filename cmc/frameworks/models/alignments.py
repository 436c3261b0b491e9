"""Alignments: the one link from an outside statement to a framework's item.

An outside statement is anything another system or app names (an O*NET element, an ESCO skill, a
credential, a resource, a course outcome, a job task): its scheme, its code in that scheme, its
text and a URL. The link points at a framework and, when it is that precise, at one tier,
competency or key behavior of it, with a strength and who or what made it. Every app that links
to competencies uses this model; none grows a link table of its own for the same idea.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from .frameworks import Competency, Framework, KeyBehavior, Tier


class Strength(models.TextChoices):
    """How closely the statement matches the item (CASE's exactMatchOf / isRelatedTo and
    CTDL-ASN's exact, major and minor alignments)."""

    EXACT = "exact", "Exact match"
    MAJOR = "major", "Major alignment"
    MINOR = "minor", "Minor alignment"
    RELATED = "related", "Related"


class Scheme(models.TextChoices):
    """The schemes the product itself names; other apps and imports may use their own."""

    ONET = "onet", "O*NET"
    ESCO = "esco", "ESCO"
    CASE = "case", "CASE item"
    CREDENTIAL = "credential", "Credential"
    RESOURCE = "resource", "Resource"
    COURSE = "course", "Course outcome"
    TASK = "task", "Job task"


class Alignment(models.Model):
    identifier = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The framework is always set (visibility follows it); the tier, competency or key behavior
    # only when the statement is aligned to that item.
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="alignments")
    tier = models.ForeignKey(
        Tier, null=True, blank=True, on_delete=models.CASCADE, related_name="alignments"
    )
    competency = models.ForeignKey(
        Competency, null=True, blank=True, on_delete=models.CASCADE, related_name="alignments"
    )
    behavior = models.ForeignKey(
        KeyBehavior, null=True, blank=True, on_delete=models.CASCADE, related_name="alignments"
    )
    scheme = models.CharField(max_length=40)
    code = models.CharField(max_length=500)
    text = models.TextField(blank=True)
    url = models.URLField(max_length=1000, blank=True)
    strength = models.CharField(max_length=10, choices=Strength.choices, default=Strength.MAJOR)
    # A machine's confidence where a machine made it (0 to 1); empty when a person did.
    score = models.FloatField(null=True, blank=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What made it when no person did, or how ("import of O*NET 30.0", "similarity").
    method = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # One link per statement and item is kept by the service (aligning again updates it):
        # a unique constraint over nullable targets means different things on the two databases.
        ordering = ["framework", "scheme", "code"]
        indexes = [models.Index(fields=["scheme", "code"], name="alignment_statement")]
        constraints = [
            models.CheckConstraint(condition=~Q(scheme=""), name="alignment_scheme_not_empty"),
            models.CheckConstraint(condition=~Q(code=""), name="alignment_code_not_empty"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=1),
                name="alignment_score_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme}:{self.code} → {self.target_label}"

    @property
    def target_label(self) -> str:
        if self.behavior_id:
            return (
                f"key behavior of {self.competency.code}" if self.competency_id else "key behavior"
            )
        if self.competency_id:
            return f"{self.competency.code} {self.competency.name}"
        if self.tier_id:
            return f"Tier {self.tier.number}"
        return self.framework.name
