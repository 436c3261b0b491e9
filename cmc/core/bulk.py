"""Writing many rows at once without a model instance per row: one prepared INSERT run for
every row (`executemany`), each value made ready by its field as Django would make it.

`Model.objects.bulk_create` builds an instance per row and compiles its SQL per batch, which is
most of the time of a large import; the write paths of whole models (a framework of 30,000 key
behaviors, a search index of as many entries) hand plain rows to `insert` instead. Rows are
dictionaries keyed by the fields' attribute names (`competency_id`, not `competency`); a field
a row leaves out takes its default (called for each row when it is callable), and
`auto_now`/`auto_now_add` fields take the time of the call; no value is checked here (the
database's constraints still hold). No signal is sent, as with
`bulk_create`."""

import gc
from collections.abc import Iterable
from contextlib import contextmanager
from itertools import islice

from django.db import connections, models, router
from django.utils import timezone

BATCH = 2000


def insert(model: type[models.Model], rows: Iterable[dict], *, batch: int = BATCH) -> int:
    """Insert `rows` into `model`'s table, `batch` rows per statement; returns how many."""
    using = router.db_for_write(model)
    connection = connections[using]
    fields = [f for f in model._meta.concrete_fields if not isinstance(f, models.AutoField)]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    now = timezone.now()
    plan = [(f.attname, _preparer(f, connection), _filler(f, now)) for f in fields]
    count = 0
    rows = iter(rows)
    with connection.cursor() as cursor:
        while chunk := list(islice(rows, batch)):
            params = [
                tuple(
                    prepare(row[name] if name in row else filler())
                    for name, prepare, filler in plan
                )
                for row in chunk
            ]
            cursor.executemany(sql, params)
            count += len(chunk)
    return count


# Fields whose values go to the database as Python gives them (text and whole numbers): the
# field's own preparation would only cast them to what they are. Any other value (a UUID, a
# JSON document, a time, a flag) is prepared by its field.
_AS_GIVEN = (models.CharField, models.TextField, models.IntegerField)


def _preparer(field: models.Field, connection):
    target = field.target_field if isinstance(field, models.ForeignKey) else field
    if isinstance(target, _AS_GIVEN) and not isinstance(target, models.AutoField):
        return _as_given
    if isinstance(target, models.AutoField):  # a key to another row: a whole number
        return _as_given
    return lambda value: field.get_db_prep_save(value, connection=connection)


def _as_given(value):
    return value


def _filler(field: models.Field, now):
    """What a row that leaves `field` out gets: what Django would give it (its default, called
    for each row when callable; else "" for text, None for the rest)."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return lambda: now
    if field.has_default() and callable(field.default):
        return field.get_default
    value = field.get_default()
    return lambda: value


@contextmanager
def collecting_later():
    """Hold Python's cycle collector while a whole model is written: every row made would
    otherwise set off passes over all the objects alive (a parsed file of thousands of items),
    a quarter of the time of a large import. What the work leaves is collected once at the end."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
