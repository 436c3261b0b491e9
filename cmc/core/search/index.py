"""Writing the index: an app replaces or removes the entries of one scope through these two
functions; the engine's own index (FTS5 table or tsvector column) follows the table."""

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from django.db import connections, router, transaction

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


@dataclass(frozen=True, slots=True)
class Rows:
    """Entries of one kind that the database makes from an app's own rows, without a value of
    them passing through Python: `sql` is a SELECT giving, in this order, each entry's facet,
    object_id, title, body, context and url (text where the entry has text: `||` joins text
    on both databases), with `params` for its placeholders (%s)."""

    kind: str
    sql: str
    params: Sequence = ()


def index(
    *, collection: str, scope_id: int, entries: Iterable[Entry] = (), rows: Sequence[Rows] = ()
) -> int:
    """Replace the entries of one scope of a registered collection with `entries`, then those
    each of `rows` selects; returns how many were written. `entries` may be a generator: it is
    read and written a batch at a time, so that the index of a model of 100,000 key behaviors
    never sits in memory whole (`rows` never are: one INSERT … SELECT each). Every kind is
    checked before its batch is written (those of `rows` before anything is): an entry of a
    kind the collection did not register refuses the whole index (before anything is written
    when it comes in the first batch, else by taking back the transaction the entries were
    being written in)."""
    kinds = registry.get(collection).kinds
    _check_kinds({r.kind for r in rows}, collection, kinds)
    batches = _batches(entries, collection, scope_id, kinds)
    first = [next(batches, [])]
    # No savepoint: inside the caller's transaction this adds no statement of its own.
    with transaction.atomic(savepoint=False):
        remove(collection=collection, scope_id=scope_id)
        writer = bulk.Insert(SearchEntry, _COLUMNS)
        # The first batch is let go once written, as each after it is.
        written = sum(writer.write(batch) for batch in _once(first, batches))
        return written + sum(_insert_rows(r, collection, scope_id) for r in rows)


_COLUMNS = ("collection", "scope_id", "kind", "facet", "object_id", "title", "body", "context",
            "url")  # fmt: skip


def _insert_rows(rows: Rows, collection: str, scope_id: int) -> int:
    connection = connections[router.db_for_write(SearchEntry)]
    table, quote = SearchEntry._meta.db_table, connection.ops.quote_name
    columns = ", ".join(quote(SearchEntry._meta.get_field(name).column) for name in _COLUMNS)
    statement = (f"INSERT INTO {quote(table)} ({columns}) "
                 f"SELECT %s, %s, %s, made.* FROM ({rows.sql}) made")  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(statement, [collection, scope_id, rows.kind, *rows.params])
        return cursor.rowcount


def _check_kinds(found: set[str], collection: str, kinds: Mapping[str, str]) -> None:
    unknown = sorted(found - kinds.keys())
    if unknown:
        raise ValueError(
            f"search: {', '.join(repr(k) for k in unknown)} is not a kind of the collection "
            f"'{collection}' (its kinds: {', '.join(kinds)}); "
            "register the kind first"
        )


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
        _check_kinds({entry.kind for entry in batch}, collection, kinds)
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
