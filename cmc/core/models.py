"""The search index table shared by both database engines and every registered collection
(see cmc.core.search), and the base of every upload imported in the background."""

import uuid

from django.conf import settings
from django.db import models

from .errors import Problem


class SearchEntry(models.Model):
    """One searchable item of a collection, within one scope (the object whose visibility
    decides who finds it: a framework for its competencies). The kind is one the collection
    registered (checked when entries are written, cmc.core.search.index). The engine's own
    index (FTS5 table or tsvector column) follows this table through triggers or a generated
    column created by the migrations, so it never drifts."""

    collection = models.CharField(max_length=40)
    scope_id = models.BigIntegerField()
    kind = models.CharField(max_length=40)
    facet = models.PositiveSmallIntegerField(null=True, blank=True)
    object_id = models.BigIntegerField()
    title = models.TextField()
    body = models.TextField(blank=True)
    context = models.CharField(max_length=500, blank=True)
    url = models.CharField(max_length=500)

    class Meta:
        indexes = [
            models.Index(fields=["collection", "scope_id", "facet"], name="core_search_scope_idx")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.title}"


class TaskProgress(models.Model):
    """How far a background task on a row has got: the stage it is at ("Checking the rows")
    and the rows done, of `total` when known; the progress page and the API read them (see
    cmc.core.uploads.RowProgress, which writes them)."""

    stage = models.CharField(max_length=120, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def percent(self) -> int | None:
        """How far the task has got, from 0 to 100, when the rows to do are known."""
        if not self.total:
            return None
        return min(100, self.done * 100 // self.total)

    @property
    def progress_text(self) -> str:
        """The stage and the rows done, in words: "Checking the rows: 3,200 of 10,000"."""
        if not self.stage:
            return ""
        if self.total:
            return f"{self.stage}: {self.done:,} of {self.total:,}"
        return f"{self.stage}: {self.done:,} so far" if self.done else self.stage


class HeldUpload(TaskProgress):
    """A file someone uploaded to import, kept until its import has run in the background,
    and then how it went: the stage the task is at and how many rows it has done (the
    progress page and the API read them), the problems that stopped it, or a summary of what
    it wrote. Each app that imports files in the background keeps its own rows of it
    (interchange's PendingImport, resources' ResourceImport); `cmc.core.uploads` holds the
    rest of what they share."""

    class State(models.TextChoices):
        WAITING = "waiting", "Waiting for confirmation"
        QUEUED = "queued", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Not imported"

    identifier = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255)
    # Kept in the database, not on one machine's disk: the request that takes the file and
    # the task that imports it may run on other machines.
    data = models.BinaryField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.WAITING)
    problems = models.JSONField(default=list, blank=True)  # [[where, field, message]]
    summary = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename

    def problem_list(self) -> list[Problem]:
        return [Problem(*problem) for problem in self.problems]
