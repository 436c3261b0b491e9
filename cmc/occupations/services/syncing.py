"""Bringing one table to match a file's rows in place: new rows created, changed rows updated,
rows the file no longer has removed, in batches. Rows keep their ids (and so every link to
them) across re-imports of a newer release."""

import json
from dataclasses import dataclass, field

from django.db import IntegrityError, models, router, transaction
from django.db.models import Q
from django.db.models.sql.constants import MULTI

from cmc.core import bulk
from cmc.core.errors import Problem
from cmc.frameworks.services import Counts

BATCH = 2000


@dataclass
class TableSync:
    """Sync `model` by its `key` fields; `values` are the fields a row of the file sets.
    Feed rows with `add(where, key, values)`, then `finish()`; problems found on the way
    (a key twice) are collected in `problems` and the caller refuses the whole import."""

    model: type[models.Model]
    key: tuple[str, ...]
    values: tuple[str, ...]
    label: str
    counts: Counts = field(default_factory=Counts)
    problems: list[Problem] = field(default_factory=list)
    keep_unseen: bool = False
    # Only these rows are the table's (one domain of the ratings): others are left alone.
    scope: dict = field(default_factory=dict)
    # A file that repeats a row (the crosswalk does): the first one counts, the rest are skipped.
    skip_repeats: bool = False
    repeats: int = 0
    # Fields whose values the rows give as both databases take them (see bulk.Insert).
    as_given: tuple[str, ...] = ()

    def __post_init__(self):
        self._existing: dict[tuple, tuple] = {}
        rows = self.model.objects.filter(**self.scope).values_list("pk", *self.key, *self.values)
        width, meta = len(self.key), self.model._meta
        documents = [
            i for i, name in enumerate(self.values)
            if isinstance(meta.get_field(name), models.JSONField)
        ]  # fmt: skip
        # The stored values as the database gives them, without each field's converter (a
        # decimal, a truth value made Python's value by value were half the time of an
        # unchanged re-import); `_differ` compares numbers as numbers. Documents are read,
        # each text once (most are the same few: only compared, the one read is shared).
        compiler = rows.query.get_compiler(using=router.db_for_read(self.model))
        existing, read, start = self._existing, {}, 1 + width
        for chunk in compiler.execute_sql(MULTI, chunked_fetch=True, chunk_size=BATCH):
            for row in chunk:
                values = row[start:]
                if documents:
                    values = list(values)
                    for i in documents:
                        if isinstance(text := values[i], str):
                            if text not in read:
                                read[text] = json.loads(text)
                            values[i] = read[text]
                    values = tuple(values)
                existing[tuple(row[1:start])] = (row[0], values)
        # A key read twice is found by the table's unique constraint when the second one is
        # written (a row found is taken out of `_existing`, so that its twin is new), not by a
        # set of every key read: memory stays that of one batch, however long the file.
        # Only a table that skips repeats keeps the hashes of the keys it has read.
        self._seen: set[int] = set()
        self._create: list[tuple] = []
        self._where: list[str] = []
        self._update: list[models.Model] = []
        self._insert = bulk.Insert(self.model, self.key + self.values, as_given=self.as_given)

    def add(self, where: str, key: tuple, values: tuple) -> None:
        if self.skip_repeats:
            fingerprint = hash(key)
            if fingerprint in self._seen:
                self.repeats += 1
                return
            self._seen.add(fingerprint)
        found = self._existing.pop(key, None)
        if found is None:
            self._create.append(key + values)
            self._where.append(where)
            self.counts.created += 1
        elif _differ(found[1], values):
            self._update.append(
                self.model(pk=found[0], **dict(zip(self.values, values, strict=True)))
            )
            self.counts.updated += 1
        else:
            self.counts.unchanged += 1
        if len(self._create) + len(self._update) >= BATCH:
            self.flush()

    def flush(self) -> None:
        """Write what is pending (nothing when problems were found: it will be refused)."""
        if self._create and not self.problems:
            try:
                with transaction.atomic():
                    self._insert.write(self._create)
            except IntegrityError as error:
                self.problems.extend(self._twice() or [
                    Problem(self._where[0], "row", f"the {self.label} from here could not be written ({error})")
                ])  # fmt: skip
        if self._update and not self.problems:
            self.model.objects.bulk_update(self._update, list(self.values), batch_size=500)
        self._create, self._where, self._update = [], [], []

    def _twice(self) -> list[Problem]:
        """The pending new rows whose key was read before: earlier in the pending rows, or
        already in the table (read earlier in the file, or found there and matched)."""
        width, problems, pending = len(self.key), [], set()
        keys = [row[:width] for row in self._create]
        stored: set[tuple] = set()
        for start in range(0, len(keys), 200):
            match = Q()
            for key in keys[start : start + 200]:
                match |= Q(**dict(zip(self.key, key, strict=True)))
            stored.update(self.model.objects.filter(match).values_list(*self.key))
        for where, key in zip(self._where, keys, strict=True):
            if key in pending or key in stored:
                problems.append(
                    Problem(where, self.key[-1], f"{', '.join(map(str, key))} appears twice")
                )
            pending.add(key)
        return problems

    def finish(self) -> Counts:
        """Write the rest and remove the rows the file no longer has."""
        self.flush()
        if not self.keep_unseen and not self.problems:
            gone = [pk for pk, _ in self._existing.values()]
            self.counts.deleted = bulk.delete(self.model, gone, batch=BATCH)
        return self.counts


def _differ(old: tuple, new: tuple) -> bool:
    """Whether a stored row (as the database gives it) and a file's differ: numbers are
    compared as numbers (a stored float against the file's decimal, within a rounding)."""
    if old == new:
        return False
    for a, b in zip(old, new, strict=True):
        if a == b:
            continue
        if a is None or b is None or not (isinstance(a, float) or isinstance(b, float)):
            return True
        if abs(float(a) - float(b)) > 1e-9:
            return True
    return False
