"""Review rounds (the guide's step 3, feedback from subject matter experts) and their
refinement (step 4): reviewers invited by a personal link, their proposals item by item, and
the editor's resolution of each."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class ItemKind(models.TextChoices):
    TIER = "tier", "Tier"
    COMPETENCY = "competency", "Competency"
    BEHAVIOR = "behavior", "Key behavior"


class Action(models.TextChoices):
    KEEP = "keep", "Keep"
    EDIT = "edit", "Edit"
    REMOVE = "remove", "Remove"
    ADD = "add", "Add"


class ReviewRound(models.Model):
    """A round of review of one published version, open until its editor closes it (final)."""

    identifier = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    framework = models.ForeignKey(
        "frameworks.Framework", on_delete=models.CASCADE, related_name="review_rounds"
    )
    version = models.ForeignKey(
        "frameworks.FrameworkVersion", on_delete=models.PROTECT, related_name="review_rounds"
    )
    title = models.CharField(max_length=200)
    message = models.TextField(blank=True)
    deadline = models.DateField()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    close_note = models.TextField(blank=True)

    class Meta:
        ordering = ["framework", "-opened_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="round_title_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.framework})"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Reviewer(models.Model):
    """An invited reviewer. The personal link's secret is never stored, only its hash."""

    identifier = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="reviewers")
    email = models.EmailField()
    name = models.CharField(max_length=200, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "email"], name="reviewer_unique_email"),
        ]

    def __str__(self) -> str:
        return f"{self.email} in {self.round}"


class Proposal(models.Model):
    """One reviewer's mark on one item of the version: keep, edit (with the proposed text),
    remove, or add a new item under it (a competency under a tier, a key behavior under a
    competency). One mark per reviewer and item; any number of additions."""

    identifier = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="proposals")
    reviewer = models.ForeignKey(Reviewer, on_delete=models.CASCADE, related_name="proposals")
    item_kind = models.CharField(max_length=12, choices=ItemKind.choices)
    item_identifier = models.UUIDField()
    action = models.CharField(max_length=8, choices=Action.choices)
    # Proposed text: a competency's name and definition, or a behavior's title and text.
    title = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)
    comment = models.TextField(blank=True)
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["round", "id"]
        indexes = [models.Index(fields=["round", "item_identifier"], name="proposal_item_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["reviewer", "item_identifier"],
                condition=~Q(action="add"),
                name="proposal_one_mark_per_item",
            ),
            models.CheckConstraint(
                condition=Q(action__in=["keep", "remove"]) | ~Q(text="") | ~Q(title=""),
                name="proposal_edit_or_add_has_text",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.item_kind} {self.item_identifier}"


class Resolution(models.Model):
    """The editor's decision on proposals about one item: accepted (applied to the draft),
    rejected (with a reason) or merged (several into one text, applied)."""

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"
        MERGED = "merged", "Merged"

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="resolutions")
    item_kind = models.CharField(max_length=12, choices=ItemKind.choices)
    item_identifier = models.UUIDField()
    decision = models.CharField(max_length=10, choices=Decision.choices)
    action = models.CharField(max_length=8, choices=Action.choices)
    proposals = models.ManyToManyField(Proposal, related_name="resolutions")
    title = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)
    reason = models.TextField(blank=True)
    # The item of the draft the change was applied to (a new one for an addition).
    applied_identifier = models.UUIDField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "resolved_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(decision="rejected") | ~Q(reason=""),
                name="resolution_rejection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision} {self.action} on {self.item_identifier}"
