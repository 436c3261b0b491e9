"""Writing many rows at once without a model instance per row: INSERT statements of many rows
each, each value made ready by its field as Django would make it.

`Model.objects.bulk_create` builds an instance per row and compiles its SQL per batch, which is
most of the time of a large import; the write paths of whole models (a framework of 30,000 key
behaviors, a search index of as many entries, an O*NET release) hand plain rows here instead:
`insert(model, dicts)` for rows keyed by the fields' attribute names (`competency_id`, not
`competency`), or `Insert(model, names).write(tuples)` for rows giving those fields in order.
A statement carries as many rows as the database takes parameters for, not one row run many
times: a table that triggers write beside (SQLite's full-text index) does its work once per
statement, which is most of the time of a row written alone.

A field a row leaves out takes what Django would give it (its default, called for each row when
callable, except an empty `dict` or `list`, which is written the same every time;
`auto_now`/`auto_now_add` fields the time of the call). A value filled the same for every row
is written in the statement itself where it is plain (NULL, a whole number, a short text), so
that each row carries only what it gives, and a statement takes more rows. No value is checked
here (the database's constraints still hold) and no signal is sent, as with `bulk_create`. A JSON
document given as the same object for row after row (a mark every row carries) is made ready
once: a row that needs another gives another object, never the same one changed."""

import gc
import uuid
from collections.abc import Iterable
from contextlib import contextmanager
from decimal import Decimal
from itertools import chain, islice

from django.db import connections, models, router
from django.utils import timezone

BATCH = 2000


class Insert:
    """One prepared INSERT into `model`'s table for rows that give the fields `names` (attribute
    names), in that order; the model's other fields are filled. The values of the fields named
    `as_given` go to the driver as the rows give them: the caller has made them what both
    databases' drivers take and store as the field would store its value (a decimal checked to
    be within its field's digits, as a float)."""

    def __init__(
        self, model: type[models.Model], names: Iterable[str], *, as_given: Iterable[str] = ()
    ):
        self.connection = connections[router.db_for_write(model)]
        meta, quote = model._meta, self.connection.ops.quote_name
        given = [meta.get_field(name) for name in names]
        checked = {meta.get_field(name) for name in as_given}
        rest = [
            f
            for f in meta.concrete_fields
            if f not in given and not isinstance(f, models.AutoField)
        ]
        fields = given + rest
        self.width = len(given)
        now = timezone.now()
        self.fillers = [_filler(field, now) for field in rest]
        self.varying = any(not isinstance(f, _Constant) for f in self.fillers)
        # What the rows give is made ready row by row; the filled values once, when constant.
        ready = fields if self.varying else given
        self.convert = [
            (i, _converter(field, self.connection))
            for i, field in enumerate(ready)
            if not _as_given(field, self.connection) and field not in checked
        ]
        # Constant filled values go in the statement itself where they are plain (a number, a
        # short text, NULL): each row then carries only what it gives, which is what a row
        # costs the driver; the others are parameters repeated on every row.
        self.constant, written = (), ["%s"] * len(fields)
        if not self.varying:
            values = [
                f() if _as_given(field, self.connection) else _converter(field, self.connection)(f())
                for field, f in zip(rest, self.fillers, strict=True)
            ]  # fmt: skip
            literals = [_literal(value) for value in values]
            written[self.width :] = [literal or "%s" for literal in literals]
            self.constant = tuple(v for v, literal in zip(values, literals, strict=True)
                                  if literal is None)  # fmt: skip
        columns = ", ".join(quote(field.column) for field in fields)
        self.sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES "
        self.marks = "(" + ", ".join(written) + ")"
        # As many rows as the database takes parameters for in one statement.
        # (PostgreSQL names no limit in Django; its protocol takes 65,535 parameters.)
        limit = self.connection.features.max_query_params or 65535
        self.rows_per_statement = max(1, limit // max(1, written.count("%s")))

    def write(self, rows: Iterable[tuple], *, batch: int = BATCH) -> int:
        """Insert `rows`, at most `batch` rows per statement (fewer where the database takes
        fewer parameters); returns how many. Where a statement carries fewer rows than
        `batch`, full chunks go to the driver in runs of about `batch` rows, each run with its
        statement made ready once (`executemany`; a run is held whole, as the driver's wrapper
        would hold it anyway); a last, shorter chunk has a statement of its own."""
        rows, size = iter(rows), min(batch, self.rows_per_statement)
        per_run, count, statement = max(1, batch // size), 0, self._statement(size)
        with self.connection.cursor() as cursor:
            while True:
                run, short = [], None
                while len(run) < per_run:
                    chunk = list(islice(rows, size))
                    if len(chunk) < size:
                        short = chunk
                        break
                    run.append(self._values(chunk))
                if len(run) > 1:
                    cursor.executemany(statement, run)
                elif run:
                    cursor.execute(statement, run[0])
                count += size * len(run)
                if short is not None:
                    if short:
                        cursor.execute(self._statement(len(short)), self._values(short))
                        count += len(short)
                    return count

    def _statement(self, rows: int) -> str:
        return self.sql + ", ".join([self.marks] * rows)

    def _values(self, chunk: list[tuple]) -> list:
        if self.varying or self.constant:
            if any(len(row) != self.width for row in chunk):
                self._wrong_width()
            values: list = []
            for row in chunk:
                values += self._prepare(row)
                values += self.constant
            return values
        # Each row gives all it carries: the rows laid end to end, then each column that is
        # made ready made so a column at a time, at C speed but for the making itself.
        values, width = list(chain.from_iterable(chunk)), self.width
        if len(values) != width * len(chunk):
            self._wrong_width()
        for i, convert in self.convert:
            values[i::width] = map(convert, values[i::width])
        return values

    def _wrong_width(self):
        raise ValueError(f"bulk: each row must give {self.width} values, as the writer was told")

    def _prepare(self, row: tuple) -> tuple | list:
        """The row's values made ready (and, where they vary, the filled ones after them)."""
        if self.varying:
            row = row + tuple(f() for f in self.fillers)
        if self.convert:
            row = list(row)
            for i, convert in self.convert:
                row[i] = convert(row[i])
        return row


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


def delete(model: type[models.Model], pks: list, *, batch: int = BATCH) -> int:
    """Remove the rows of `model` with these ids (as `delete()` removes them, what refers to
    them too), `batch` ids per statement; returns how many ids were given."""
    for start in range(0, len(pks), batch):
        model.objects.filter(pk__in=pks[start : start + batch]).delete()
    return len(pks)


# Values that go to the database as Python gives them (text and whole numbers, keys to other
# rows): the field's own preparation would only cast them to what they are. Any other value
# (a UUID, a JSON document, a time, a decimal) is prepared by its field.
_AS_GIVEN = (models.CharField, models.TextField, models.IntegerField, models.AutoField)


def _as_given(field: models.Field, connection) -> bool:
    target = field.target_field if isinstance(field, models.ForeignKey) else field
    if isinstance(target, models.FloatField | models.BooleanField):
        return True  # both drivers take Python's float and bool
    return isinstance(target, _AS_GIVEN)


def _converter(field: models.Field, connection):
    """How a value of `field` is made ready for the database: as the field makes it, with the
    common values of a large write (a UUID, an empty JSON document, a document of plain data)
    made so directly, without the field's checks for other kinds of value."""
    prepare = field.get_db_prep_save
    if isinstance(field, models.UUIDField):
        native = connection.features.has_native_uuid_field

        def uuid_value(value):
            if type(value) is uuid.UUID:
                return value if native else value.hex
            return prepare(value, connection=connection)

        return uuid_value
    if isinstance(field, models.DecimalField):
        # Both drivers take a decimal as it is (the field would only copy it).

        def decimal_value(value):
            if value is None or (type(value) is Decimal and value.is_finite()):
                return value
            return prepare(value, connection=connection)

        return decimal_value
    if isinstance(field, models.JSONField):
        adapt, encoder = connection.ops.adapt_json_value, field.encoder
        empty = {dict: adapt({}, encoder), list: adapt([], encoder)}
        last = [None, None]  # one document given for row after row, and what it was made

        def json_value(value):
            if type(value) is dict or type(value) is list:
                if not value:
                    return empty[type(value)]
                if value is last[0]:  # the same object again (as a marker shared by rows)
                    return last[1]
                last[:] = value, adapt(value, encoder)
                return last[1]
            return prepare(value, connection=connection)

        return json_value
    return lambda value: prepare(value, connection=connection)


def _literal(value) -> str | None:
    """A constant as SQL both databases read alike (NULL, a whole number, a short plain text),
    or None where it must go as a parameter."""
    if value is None:
        return "NULL"
    if isinstance(value, int) and not isinstance(value, bool):  # an IntegerChoices too
        return str(int(value))
    if isinstance(value, str):  # a TextChoices too: its text
        text = "" + value
        if len(text) <= 200 and text.isprintable() and "%" not in text and "\\" not in text:
            return "'" + text.replace("'", "''") + "'"  # no placeholder, no escape
    return None


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
    if field.default in (dict, list):
        return _Constant(field.get_default())  # a fresh empty one each time, written the same
    if field.has_default() and callable(field.default):
        return field.get_default
    return _Constant(field.get_default())


@contextmanager
def collecting_later():
    """Hold Python's cycle collector while a whole model is read or written: every row made
    would otherwise set off passes over all the objects alive (a parsed file of thousands of
    items), a quarter of the time of a large import.

    What the work made is then handed to the collector's oldest generation as it is, not
    walked: the first object made after the hold would otherwise set off a pass over every
    one of them (the parsed file and the model, which the caller still holds: thousands of
    objects, 5-10 ms, for nothing). Whatever of it becomes garbage is freed as its last
    reference goes (the work makes no cycles), and a cycle would be found by the next full
    collection, which comes as it always does."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if not gc.get_freeze_count():  # (objects frozen by another, say before a fork, stay)
                gc.freeze()  # every generation moved aside, the young one's count back to nought
                gc.unfreeze()  # and back, into the oldest
            gc.enable()
