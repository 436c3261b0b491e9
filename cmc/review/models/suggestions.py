"""Suggestions from a model's users (the guide's "mechanism or process that allows users of the
model to provide feedback and suggestions"): made on any competency or key behavior of a
public page, triaged by the model's editors, followed by the suggester."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from .rounds import Action, ItemKind


class Suggestion(models.Model):
    class State(models.TextChoices):
        HELD = "held", "Held for moderation"
        OPEN = "open", "Waiting for the editors"
        ACCEPTED = "accepted", "Accepted into the next draft"
        DECLINED = "declined", "Declined"
        REMOVED = "removed", "Removed by a moderator"

    identifier = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    framework = models.ForeignKey(
        "frameworks.Framework", on_delete=models.CASCADE, related_name="suggestions"
    )
    item_kind = models.CharField(max_length=12, choices=ItemKind.choices)
    item_identifier = models.UUIDField()
    # What the item said when the suggestion was made: the item may change or go.
    item_label = models.TextField()
    action = models.CharField(
        max_length=8, choices=[(a.value, a.label) for a in Action if a != Action.KEEP]
    )
    title = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)
    comment = models.TextField(blank=True)
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    # An anonymous suggester follows it by a personal link; only its hash is kept.
    token_hash = models.CharField(max_length=64, blank=True)
    address = models.GenericIPAddressField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=State.choices)
    reason = models.TextField(blank=True)
    applied_identifier = models.UUIDField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["framework", "-created_at", "-id"]
        indexes = [models.Index(fields=["address", "created_at"], name="suggestion_address_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="declined") | ~Q(reason=""),
                name="suggestion_decline_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.item_kind} of {self.framework}"


class SuggestionReply(models.Model):
    """A reply on a suggestion, by an editor of the model or by the suggester."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="replies")
    text = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_editor = models.BooleanField(default=True)
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["suggestion", "written_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]
