"""Files waiting to be imported: an upload is checked and kept until its owner confirms how its
levels map to tiers, competencies and key behaviors (the upload page's preview); the import
then runs as a background task, and the row says how it went."""

import uuid

from django.conf import settings
from django.db import models


class PendingImport(models.Model):
    class State(models.TextChoices):
        WAITING = "waiting", "Waiting for the mapping"
        QUEUED = "queued", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Not imported"

    identifier = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    format = models.CharField(max_length=10)
    filename = models.CharField(max_length=255)
    # Kept in the database, not on one machine's disk: the confirming request and the task
    # may run on other machines.
    data = models.BinaryField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.WAITING)
    chosen = models.JSONField(default=dict, blank=True)  # the role chosen for each level
    public = models.BooleanField(default=False)
    problems = models.JSONField(default=list, blank=True)  # [[where, field, message]]
    framework_slug = models.CharField(max_length=120, blank=True)
    summary = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename
