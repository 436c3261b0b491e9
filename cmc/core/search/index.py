"""Writing the index: an app replaces or removes the entries of one scope through these two
functions; the engine's own index (FTS5 table or tsvector column) follows the table."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from cmc.core import bulk
from cmc.core.models import SearchEntry

from . import registry

# The fields of an entry's row, in the order `index` gives them.
COLUMNS = ("collection", "scope_id", "kind", "facet", "object_id", "title", "body", "context",
           "url")  # fmt: skip


@dataclass(slots=True)
class Entry:
    """One searchable item of a scope: its kind (one the collection registered), the object it
    stands for, the words to match (title weighs more than body), and where it leads."""

    kind: str
    object_id: int
    title: str
    url: str
    body: str = ""
    context: str = ""
    facet: int | None = None


def index(*, collection: str, scope_id: int, entries: Iterable[Entry]) -> int:
    """Replace the entries of one scope of a registered collection with `entries`; returns how
    many were written. Every kind is checked before anything is written."""
    kinds = registry.get(collection).kinds
    rows = [
        (collection, scope_id, entry.kind, entry.facet, entry.object_id, entry.title,
         entry.body, entry.context, entry.url)
        for entry in entries
    ]  # fmt: skip
    unknown = sorted({row[2] for row in rows} - set(kinds))
    if unknown:
        raise ValueError(
            f"search: {', '.join(repr(k) for k in unknown)} is not a kind of the collection "
            f"'{collection}' (its kinds: {', '.join(kinds)}); register the kind first"
        )
    # No savepoint: inside the caller's transaction this adds no statement of its own.
    with transaction.atomic(savepoint=False):
        remove(collection=collection, scope_id=scope_id)
        bulk.Insert(SearchEntry, COLUMNS).write(rows)
    return len(rows)


def remove(*, collection: str, scope_id: int) -> int:
    """Remove every entry of one scope (the scope was deleted); returns how many there were."""
    removed, _ = SearchEntry.objects.filter(collection=collection, scope_id=scope_id).delete()
    return removed
