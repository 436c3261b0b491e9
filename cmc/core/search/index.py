"""Writing the index: an app replaces or removes the entries of one scope through these two
functions; the engine's own index (FTS5 table or tsvector column) follows the table."""

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from django.db import transaction

from cmc.core import bulk
from cmc.core.models import SearchEntry

from . import registry


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
    many were written. `entries` may be a generator: it is read and written a batch at a time,
    so that the index of a model of 100,000 key behaviors never sits in memory whole. Every
    kind is checked before its batch is written: an entry of a kind the collection did not
    register refuses the whole index (before anything is written when it comes in the first
    batch, else by taking back the transaction the entries were being written in)."""
    kinds = registry.get(collection).kinds
    batches = _batches(entries, collection, scope_id, kinds)
    first = [next(batches, [])]
    # No savepoint: inside the caller's transaction this adds no statement of its own.
    with transaction.atomic(savepoint=False):
        remove(collection=collection, scope_id=scope_id)
        writer = bulk.Insert(SearchEntry, _COLUMNS)
        # The first batch is let go once written, as each after it is.
        return sum(writer.write(batch) for batch in _once(first, batches))


_COLUMNS = ("collection", "scope_id", "kind", "facet", "object_id", "title", "body", "context",
            "url")  # fmt: skip


def _once(first: list[list[tuple]], rest: Iterator[list[tuple]]) -> Iterator[list[tuple]]:
    """The batch held in `first` (emptied, so that nothing else holds it), then the rest."""
    yield first.pop()
    yield from rest


def _batches(
    entries: Iterable[Entry], collection: str, scope_id: int, kinds: Mapping[str, str]
) -> Iterator[list[tuple]]:
    """The entries as rows of the table, a batch at a time, each batch checked whole."""
    iterator = iter(entries)
    while batch := _next_batch(iterator):
        unknown = sorted({entry.kind for entry in batch} - kinds.keys())
        if unknown:
            raise ValueError(
                f"search: {', '.join(repr(k) for k in unknown)} is not a kind of the collection "
                f"'{collection}' (its kinds: {', '.join(kinds)}); "
                "register the kind first"
            )
        yield [
            (collection, scope_id, e.kind, e.facet, e.object_id, e.title, e.body, e.context, e.url)
            for e in batch
        ]


# A batch ends at this much text too: entries of long bodies (an occupation with all its
# alternate titles) are written a few hundred at a time, so the memory held does not grow with
# the length of what is indexed.
BATCH_TEXT = 500_000


def _next_batch(iterator: Iterator[Entry]) -> list[Entry]:
    batch, text = [], 0
    for entry in iterator:
        batch.append(entry)
        text += len(entry.body) + len(entry.title)
        if len(batch) >= bulk.BATCH or text >= BATCH_TEXT:
            break
    return batch


def remove(*, collection: str, scope_id: int) -> int:
    """Remove every entry of one scope (the scope was deleted); returns how many there were."""
    removed, _ = SearchEntry.objects.filter(collection=collection, scope_id=scope_id).delete()
    return removed
