"""The project's tabular format (CSV and XLSX): one row per key behavior.

Columns, in any order, matched without regard to case: framework, tier number, tier name,
competency code, competency name, definition, behavior title, behavior text. Optional: tier group,
framework slug, framework identifier, tier identifier, competency identifier, behavior identifier.
The format carries no other framework fields and no tier notes: an import keeps those it finds.
A row with no competency code declares a tier with no competencies; a row with a competency and
no behavior text declares a competency with no behaviors. This module reads it; writing it is
in `tabular_writing`.

Read with a spool (frameworks.services.spooling), the key behaviors are put aside there as
they are read, and the trees are only the frameworks' skeletons: a file of any length is read
in the memory of its tiers and competencies."""

import math
import uuid
import zipfile
from collections.abc import Iterable
from pathlib import Path

from cmc.core import ooxml
from cmc.core.csvrows import NotCsv, csv_rows
from cmc.core.errors import Problem
from cmc.core.files import Guard
from cmc.frameworks.services.spooling import BehaviorSpool
from cmc.frameworks.trees import (
    LIMITS,
    BehaviorNode,
    CompetencyNode,
    FrameworkTree,
    TierNode,
)

REQUIRED = [
    "framework",
    "tier number",
    "tier name",
    "competency code",
    "competency name",
    "definition",
    "behavior title",
    "behavior text",
]
OPTIONAL = [
    "tier group",
    "framework slug",
    "framework identifier",
    "tier identifier",
    "competency identifier",
    "behavior identifier",
]
COLUMNS = [*REQUIRED, *OPTIONAL]
MAX_ERRORS = 200
# The format carries no extensions: its competencies and key behaviors all share one empty
# dictionary, which nothing writes to (a file of 100,000 rows would otherwise hold as many).
_NO_EXTENSIONS: dict = {}


def read_csv(path: Path, guard: Guard, on_progress=None, spool: BehaviorSpool | None = None):
    try:
        with path.open("r", encoding="utf-8-sig", newline="") as handle:
            rows = (
                [unguard_formula(v) if v[:1] == "'" else v for v in row]
                for row in guard.rows(csv_rows(handle, guard))
            )
            return _read_rows(rows, guard.label, on_progress, spool)
    except NotCsv as error:
        return [], [Problem(guard.label, "file", str(error))]


def read_xlsx(path: Path, guard: Guard, on_progress=None, spool: BehaviorSpool | None = None):
    guard.archive(path)
    label = guard.label
    try:
        archive = zipfile.ZipFile(path)
    except ooxml.DAMAGED as error:
        return [], [_unreadable(label, error)]
    with archive:
        try:
            sheet = ooxml.first_sheet(archive, guard)
        except ooxml.DAMAGED as error:
            return [], [_unreadable(label, error)]
        where = f"{label} (sheet '{sheet.title}')"
        rows = (
            ["" if v is None else str(v) for v in row]
            for row in guard.rows(sheet.rows, where=where)
        )
        try:
            return _read_rows(rows, where, on_progress, spool)
        except ooxml.DAMAGED as error:
            return [], [
                Problem(
                    label,
                    "file",
                    f"could not be read to the end (it may be damaged: {error}); "
                    "open it in a spreadsheet program and save it again",
                )
            ]


def _unreadable(label: str, error: Exception) -> Problem:
    return Problem(
        label,
        "file",
        f"is not a readable XLSX workbook (it may be truncated or damaged: {error}); "
        "open it in a spreadsheet program and save it again",
    )


def _read_rows(rows: Iterable[list[str]], label: str, on_progress, spool: BehaviorSpool | None):
    iterator = iter(rows)
    header = next(iterator, None)
    if header is None:
        return [], [Problem(label, "file", "has no header row")]
    columns, problems = _columns(header, label)
    if problems:
        return [], problems
    builder = _Builder(label, spool)
    width = max(columns.values()) + 1
    for number, row in enumerate(iterator, start=2):
        if on_progress:
            on_progress(number)
        if len(row) < width:
            row = row + [""] * (width - len(row))
        # A NUL character means nothing in a cell and PostgreSQL cannot store it.
        values = {name: row[i].replace("\x00", "").strip() for name, i in columns.items()}
        if not any(values.values()):
            continue
        builder.add(number, values)
        if len(builder.problems) >= MAX_ERRORS:
            builder.problems.append(Problem(label, "file", "too many problems; stopped reading"))
            break
    return builder.trees(), builder.problems


def _columns(header: list[str], label: str) -> tuple[dict[str, int], list[Problem]]:
    found = {str(name).strip().lower().lstrip("\ufeff"): i for i, name in enumerate(header) if name}
    missing = [name for name in REQUIRED if name not in found]
    if missing:
        return {}, [
            Problem(
                f"{label}, row 1",
                "header",
                f"missing column(s) {', '.join(repr(m) for m in missing)}; "
                f"the header must name {', '.join(REQUIRED)}",
            )
        ]
    return {name: found[name] for name in COLUMNS if name in found}, []


class _Builder:
    """Turns rows into trees, keeping where each item was first seen for error messages; with
    a spool, the key behaviors go there (each competency known by its origin, the row it was
    first read at) and the trees are skeletons."""

    def __init__(self, label: str, spool: BehaviorSpool | None = None):
        self.label = label
        self.spool = spool
        self.problems: list[Problem] = []
        self.frameworks: dict[str, FrameworkTree] = {}
        # Each framework's number in the file, in the order they are read (the spool's).
        self.numbers: dict[str, int] = {}
        self.tiers: dict[tuple[str, int], TierNode] = {}
        self.competencies: dict[tuple[str, str], CompetencyNode] = {}
        # The tier number each competency was first given in (a dictionary, not a list scan).
        self.homes: dict[tuple[str, str], int] = {}
        # Behavior titles are short labels that recur: each kept once (while the file is read).
        self.titles: dict[str, str] = {}

    def trees(self) -> list[FrameworkTree]:
        return list(self.frameworks.values())

    def at(self, node) -> str:
        """Where an item was first seen (its origin is the row's number: see trees.where_read)."""
        return f"{self.label}, row {node.origin}"

    def problem(self, row: int, field: str, message: str) -> None:
        self.problems.append(Problem(f"{self.label}, row {row}", field, message))

    def add(self, row: int, v: dict[str, str]) -> None:
        if not v["framework"]:
            return self.problem(row, "framework", "is empty; name the framework on every row")
        framework = self._framework(row, v)
        tier = self._tier(row, v, framework)
        if tier is None:
            return None
        if not v["competency code"]:
            for name in ("competency name", "definition", "behavior title", "behavior text"):
                if v[name]:
                    self.problem(
                        row,
                        "competency code",
                        f"is empty but {name} is filled; give the competency a code",
                    )
                    return None
            return None
        competency = self._competency(row, v, framework, tier)
        if competency is not None:
            self._behavior(row, v, framework, competency)
        return None

    def _framework(self, row, v) -> FrameworkTree:
        name = v["framework"]
        if name not in self.frameworks:
            self.frameworks[name] = FrameworkTree(
                name=name,
                slug=v.get("framework slug", ""),
                identifier=self._uuid(row, v, "framework identifier"),
                complete=False,
                rows_of=self.label,
            )
            self.numbers[name] = len(self.numbers)
        return self.frameworks[name]

    def _uuid(self, row, v, field) -> uuid.UUID | None:
        raw = v.get(field, "")
        if not raw:
            return None
        try:
            return uuid.UUID(raw)
        except ValueError:
            self.problem(row, field, f"'{raw}' is not a UUID; leave it empty for a new item")
            return None

    def _tier(self, row, v, framework: FrameworkTree) -> TierNode | None:
        try:
            value = float(v["tier number"])  # a spreadsheet may give 1 as "1.0"
        except ValueError:
            value = math.nan
        if not value.is_integer():  # "one", "1.5", "inf" and "nan" are not tier numbers
            self.problem(
                row, "tier number", f"'{v['tier number']}' is not a whole number; use 1 to 99"
            )
            return None
        number = int(value)
        key = (framework.name, number)
        tier = self.tiers.get(key)
        if tier is None:
            tier = TierNode(
                number=number,
                name=v["tier name"],
                group=v.get("tier group", ""),
                identifier=self._uuid(row, v, "tier identifier"),
                origin=row,
            )
            self.tiers[key] = tier
            framework.tiers.append(tier)
        elif v["tier name"] and v["tier name"] != tier.name:
            self.problem(
                row,
                "tier name",
                f"'{v['tier name']}' differs from '{tier.name}' given for tier {number} at {self.at(tier)}",
            )
        return tier

    def _competency(self, row, v, framework, tier) -> CompetencyNode | None:
        key = (framework.name, v["competency code"])
        competency = self.competencies.get(key)
        if competency is None:
            competency = CompetencyNode(
                code=v["competency code"],
                name=v["competency name"],
                definition=v["definition"],
                identifier=self._uuid(row, v, "competency identifier"),
                origin=row,
                extensions=_NO_EXTENSIONS,
            )
            self.competencies[key] = competency
            self.homes[key] = tier.number
            tier.competencies.append(competency)
            return competency
        if self.homes[key] != tier.number:
            self.problem(
                row,
                "competency code",
                f"'{competency.code}' is already used in another tier (at {self.at(competency)}); codes are unique within a framework",
            )
            return None
        for name, current in (
            ("competency name", competency.name),
            ("definition", competency.definition),
        ):
            if v[name] and v[name] != current:
                self.problem(
                    row,
                    name,
                    f"differs from the text given for competency {competency.code} at {self.at(competency)}; repeat it exactly or leave it empty",
                )
        return competency

    def _behavior(self, row, v, framework, competency: CompetencyNode) -> None:
        if not v["behavior text"]:
            if v["behavior title"]:
                self.problem(
                    row,
                    "behavior text",
                    "is empty but behavior title is filled; write the behavior",
                )
            return
        title = v["behavior title"]
        if self.spool is not None:
            identifier = self._uuid(row, v, "behavior identifier")
            if len(title) > LIMITS["behavior title"]:  # as trees.validate says it
                self.problem(row, "behavior title", "is longer than 300 characters")
            number = self.numbers[framework.name]
            self.spool.add(number, competency.origin, title, v["behavior text"], identifier, row)
            return
        competency.behaviors.append(
            BehaviorNode(
                text=v["behavior text"],
                title=self.titles.setdefault(title, title),
                identifier=self._uuid(row, v, "behavior identifier"),
                origin=row,
                extensions=_NO_EXTENSIONS,
            )
        )


# A spreadsheet opening a CSV runs a cell that starts with one of these as a formula. Such a
# cell is written with an apostrophe before it (as spreadsheets themselves mark text), and
# the apostrophe is taken off again on import, so that text goes round unchanged.
FORMULA_STARTS = ("=", "+", "-", "@", "'")


def guard_formula(value: str) -> str:
    """A CSV cell of `value`: an apostrophe before a text a spreadsheet would run."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def unguard_formula(value: str) -> str:
    """The text of a CSV cell written by guard_formula."""
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_STARTS) else value
