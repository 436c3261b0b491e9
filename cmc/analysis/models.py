"""Filled-in workshop worksheets and their entries, kept with the model they are about."""

import uuid

from django.conf import settings
from django.db import models


class WorksheetUpload(models.Model):
    """A filled-in worksheet brought back from a workshop: which one, from whom, what it is
    about (a credential, an employer, a course and its hours, who answered), its columns and
    the kind of answer each takes (`column_types`: codes of `answers.ANSWERS`, one per
    column; empty for an upload kept before columns declared them)."""

    class Kind(models.TextChoices):
        CREDENTIAL = "credential", "Credential competency identification"
        CURRICULUM = "curriculum", "Curriculum analysis"
        EMPLOYER = "employer", "Employer analysis"
        GAP = "gap", "Gap analysis"

    identifier = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    framework = models.ForeignKey(
        "frameworks.Framework", on_delete=models.CASCADE, related_name="worksheet_uploads"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    filename = models.CharField(max_length=255)
    columns = models.JSONField(default=list)
    column_types = models.JSONField(default=list, blank=True)
    credential = models.CharField(max_length=200, blank=True)
    employer = models.CharField(max_length=200, blank=True)
    course = models.CharField(max_length=200, blank=True)
    course_hours = models.FloatField(null=True, blank=True)
    respondent = models.CharField(max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="worksheet_uploads"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    entry_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.framework} ({self.filename})"

    @property
    def subject(self) -> str:
        """What the worksheet is about, in a few words: the credential, course or employer it
        names (as its kind asks first), else its file's name."""
        first = {"credential": self.credential, "curriculum": self.course,
                 "employer": self.employer}.get(self.kind, "")  # fmt: skip
        return first or self.credential or self.course or self.employer or self.filename


class WorksheetEntry(models.Model):
    """One filled-in cell: an item of the model (by identifier, kept if the item goes), the
    column's heading as the worksheet had it, and what was written."""

    upload = models.ForeignKey(WorksheetUpload, on_delete=models.CASCADE, related_name="entries")
    item_kind = models.CharField(max_length=12)  # competency or behavior
    item_identifier = models.UUIDField()
    ref = models.CharField(max_length=40)
    label = models.TextField()
    column = models.CharField(max_length=200)
    value = models.TextField()

    class Meta:
        ordering = ["upload", "id"]
        indexes = [models.Index(fields=["item_identifier"], name="worksheet_entry_item_idx")]

    def __str__(self) -> str:
        return f"{self.ref} {self.column}: {self.value[:40]}"
