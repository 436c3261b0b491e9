"""What the three importers (O*NET, SOC, OEWS) share: the report of what changed, reading
values with their place named, the checksum of the files read, and the data set's record."""

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone

from cmc.core.errors import InvalidInput, Problem
from cmc.frameworks.services import Counts

from ..models import Dataset

ONET_CODE = re.compile(r"^\d\d-\d{4}\.\d\d$")
SOC_CODE = re.compile(r"^\d\d-\d{4}$")
MAX_PROBLEMS = 50


@dataclass
class ImportReport:
    """What an import changed, table by table."""

    dataset: str
    release: str
    tables: dict[str, Counts] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False
    skipped: bool = False

    @property
    def changed(self) -> bool:
        return any(c.created or c.updated or c.deleted for c in self.tables.values())

    def lines(self) -> list[str]:
        if self.skipped:
            return [f"{self.release}: the files are unchanged since the last import; skipped"]
        verb = "would change" if self.dry_run else ("changed" if self.changed else "unchanged")
        lines = [f"{self.release}: {verb}"]
        width = max((len(name) for name in self.tables), default=0)
        lines += [f"  {name.ljust(width)}  {counts}" for name, counts in self.tables.items()]
        return lines + [f"  {note}" for note in self.notes]


class Checker:
    """Collects the problems of an import's rows; too many means the file is of another kind,
    and the import stops there rather than list thousands."""

    def __init__(self):
        self.problems: list[Problem] = []

    def add(self, where: str, column: str, message: str) -> None:
        self.problems.append(Problem(where, column, message))
        if len(self.problems) >= MAX_PROBLEMS:
            self.problems.append(
                Problem(
                    where, "file", f"stopped after {MAX_PROBLEMS} problems; is it the right file?"
                )
            )
            raise InvalidInput(self.problems)

    def code(self, where: str, row: dict, column: str, pattern=ONET_CODE) -> str | None:
        value = row[column]
        if not pattern.match(value):
            example = "29-1141.00" if pattern is ONET_CODE else "29-1141"
            self.add(where, column, f"'{value}' is not a code like {example}")
            return None
        return value

    def number(self, where: str, row: dict, column: str, *, blank=False) -> float | None:
        value = row[column]
        if value == "" and blank:
            return None
        try:
            return float(value)
        except ValueError:
            self.add(where, column, f"'{value}' is not a number")
            return None

    def integer(self, where: str, row: dict, column: str, *, blank=False) -> int | None:
        number = self.number(where, row, column, blank=blank)
        if number is None:
            return None
        if not number.is_integer():
            self.add(where, column, f"'{row[column]}' is not a whole number")
            return None
        return int(number)

    def refuse_if_any(self) -> None:
        if self.problems:
            raise InvalidInput(self.problems)


def checksum(paths: list[Path]) -> str:
    """The SHA-256 of the files' names and contents, in name order: the same files give the
    same checksum, so an unchanged set can be skipped."""
    digest = hashlib.sha256()
    for path in sorted(paths, key=lambda p: p.name):
        digest.update(path.name.encode())
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def unchanged(name: str, digest: str) -> bool:
    """Whether the data set was last imported from files with this checksum."""
    return Dataset.objects.filter(name=name, checksum=digest).exists()


def record(name: str, release: str, digest: str) -> None:
    """Note the data set's release and checksum: one UPDATE, or the row made the first time
    (not `update_or_create`, which reads the row first and then saves all of it)."""
    values = {"release": release, "checksum": digest, "imported_at": timezone.now()}
    if not Dataset.objects.filter(name=name).update(**values):
        Dataset.objects.create(name=name, **values)
