"""Writing many rows at once without a model instance per row: one prepared INSERT run for
every row (`executemany`), each value made ready by its field as Django would make it.

`Model.objects.bulk_create` builds an instance per row and compiles its SQL per batch, which is
most of the time of a large import; the write paths of whole models (a framework of 30,000 key
behaviors, a search index of as many entries, an O*NET release) hand plain rows here instead:
`insert(model, dicts)` for rows keyed by the fields' attribute names (`competency_id`, not
`competency`), or `Insert(model, names).write(tuples)` for rows giving those fields in order.
A field a row leaves out takes what Django would give it (its default, called for each row when
callable; `auto_now`/`auto_now_add` fields the time of the call). No value is checked here (the
database's constraints still hold) and no signal is sent, as with `bulk_create`."""

import gc
from collections.abc import Iterable
from contextlib import contextmanager
from itertools import islice

from django.db import connections, models, router
from django.utils import timezone

BATCH = 2000


class Insert:
    """One prepared INSERT into `model`'s table for rows that give the fields `names` (attribute
    names), in that order; the model's other fields are filled."""

    def __init__(self, model: type[models.Model], names: Iterable[str]):
        self.connection = connections[router.db_for_write(model)]
        meta, quote = model._meta, self.connection.ops.quote_name
        given = [meta.get_field(name) for name in names]
        now = timezone.now()
        fills = [
            (field, _filler(field, now))
            for field in meta.concrete_fields
            if field not in given and not isinstance(field, models.AutoField)
        ]
        # What a field left out gets is prepared once when it is the same for every row (a
        # time, a constant, an empty JSON list), else for each row (a new identifier).
        self.varying = [(f, fill) for f, fill in fills if not isinstance(fill, _Constant)]
        constant = [(f, fill) for f, fill in fills if isinstance(fill, _Constant)]
        self.constant = tuple(self._prepared(f, fill()) for f, fill in constant)
        fields = given + [f for f, _ in self.varying] + [f for f, _ in constant]
        self.width = len(given)
        self.convert = [
            (i, field) for i, field in enumerate(given) if not _as_given(field, self.connection)
        ]
        self.empty: dict[tuple[int, type], object] = {}
        columns = ", ".join(quote(field.column) for field in fields)
        marks = ", ".join(["%s"] * len(fields))
        self.sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks})"

    def write(self, rows: Iterable[tuple], *, batch: int = BATCH) -> int:
        """Insert `rows`, `batch` rows per statement; returns how many."""
        count, rows = 0, iter(rows)
        with self.connection.cursor() as cursor:
            while chunk := list(islice(rows, batch)):
                cursor.executemany(self.sql, [self._prepare(row) for row in chunk])
                count += len(chunk)
        return count

    def _prepared(self, field: models.Field, value):
        if _as_given(field, self.connection):
            return value
        return field.get_db_prep_save(value, connection=self.connection)

    def _prepare(self, row: tuple) -> tuple:
        if self.convert:
            row = list(row)
            for i, field in self.convert:
                value = row[i]
                if not value and type(value) in _EMPTY:  # {} or []: the same text every time
                    key = (i, type(value))
                    if key not in self.empty:
                        self.empty[key] = field.get_db_prep_save(value, connection=self.connection)
                    row[i] = self.empty[key]
                else:
                    row[i] = field.get_db_prep_save(value, connection=self.connection)
            row = tuple(row)
        if self.varying:
            row += tuple(self._prepared(field, fill()) for field, fill in self.varying)
        return row + self.constant


_EMPTY = (dict, list)


def insert(model: type[models.Model], rows: Iterable[dict], *, batch: int = BATCH) -> int:
    """Insert rows given as dictionaries (by attribute name; a field left out is filled);
    returns how many."""
    fields = [f for f in model._meta.concrete_fields if not isinstance(f, models.AutoField)]
    now = timezone.now()
    plan = [(f.attname, _filler(f, now)) for f in fields]
    writer = Insert(model, [name for name, _ in plan])
    return writer.write(
        (tuple(row[name] if name in row else fill() for name, fill in plan) for row in rows),
        batch=batch,
    )


# Values that go to the database as Python gives them (text and whole numbers, keys to other
# rows): the field's own preparation would only cast them to what they are. Any other value
# (a UUID, a JSON document, a time, a decimal) is prepared by its field.
_AS_GIVEN = (models.CharField, models.TextField, models.IntegerField, models.AutoField)


def _as_given(field: models.Field, connection) -> bool:
    target = field.target_field if isinstance(field, models.ForeignKey) else field
    if isinstance(target, models.FloatField | models.BooleanField):
        return True  # both drivers take Python's float and bool
    return isinstance(target, _AS_GIVEN)


class _Constant:
    def __init__(self, value):
        self.value = value

    def __call__(self):
        return self.value


def _filler(field: models.Field, now):
    """What a row that leaves `field` out gets: what Django would give it (its default, called
    for each row when callable; else "" for text, None for the rest)."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return _Constant(now)
    if field.has_default() and field.default in _EMPTY:
        return _Constant(field.default())  # a new empty list or dict: the same in the database
    if field.has_default() and callable(field.default):
        return field.get_default
    return _Constant(field.get_default())


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
