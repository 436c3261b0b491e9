"""The search index table shared by both database engines (see cmc.core.search)."""

from django.db import models


class SearchEntry(models.Model):
    """One searchable item. The engine's own index (FTS5 table or tsvector column) follows this
    table through triggers or a generated column created by the migration, so it never drifts."""

    class Kind(models.TextChoices):
        FRAMEWORK = "framework", "Framework"
        COMPETENCY = "competency", "Competency"
        BEHAVIOR = "behavior", "Key behavior"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    framework = models.ForeignKey(
        "frameworks.Framework", on_delete=models.CASCADE, related_name="search_entries"
    )
    tier_number = models.PositiveSmallIntegerField(null=True, blank=True)
    object_id = models.BigIntegerField()
    title = models.TextField()
    body = models.TextField(blank=True)
    context = models.CharField(max_length=500, blank=True)
    url = models.CharField(max_length=500)

    class Meta:
        indexes = [
            models.Index(fields=["framework", "tier_number"], name="core_search_fw_tier_idx")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.title}"
