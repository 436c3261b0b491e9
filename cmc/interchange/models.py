"""Files waiting to be imported: an upload is checked and kept until its owner confirms how its
levels map to tiers, competencies and key behaviors (the upload page's preview)."""

import uuid

from django.conf import settings
from django.db import models


class PendingImport(models.Model):
    identifier = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    format = models.CharField(max_length=10)
    filename = models.CharField(max_length=255)
    # Kept in the database, not on one machine's disk: the confirming request may reach
    # another app server.
    data = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename
