"""The search index table shared by both database engines and every registered collection
(see cmc.core.search)."""

from django.db import models


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
