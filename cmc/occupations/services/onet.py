"""Importing an O*NET database release from its directory of files, text or Excel layout.

Every table is found (as `NAME.txt` or `NAME.xlsx`) and its header checked before anything
is read; then one transaction streams each table into its rows, checking every value. Any
problem (a bad code, a code Occupation Data does not list, a truncated line) rolls the whole
import back, so nothing is written. Re-importing updates rows in place."""

from pathlib import Path

from django.db import transaction

from cmc.core import bulk
from cmc.core.errors import InvalidInput, Problem

from ..files import Table, count_lines, open_table
from ..models import (
    AlternateTitle,
    Domain,
    EducationCategory,
    EducationRating,
    Element,
    ElementRating,
    JobZone,
    Occupation,
    RelatedOccupation,
    Scale,
    Task,
    domain_of,
)
from . import indexing
from .importing import Checker, ImportReport, checksum, record, unchanged
from .progress import Quiet
from .syncing import TableSync

CODE = "O*NET-SOC Code"
RATING_COLUMNS = (CODE, "Element ID", "Scale ID", "Data Value", "Recommend Suppress")
TABLES: dict[str, tuple[str, ...]] = {
    "Content Model Reference": ("Element ID", "Element Name", "Description"),
    "Scales Reference": ("Scale ID", "Scale Name", "Minimum", "Maximum"),
    "Job Zone Reference": ("Job Zone", "Name", "Experience", "Education", "Job Training"),
    "Education, Training, and Experience Categories": (
        "Element ID", "Element Name", "Scale ID", "Category", "Category Description",
    ),
    "Occupation Data": (CODE, "Title", "Description"),
    "Job Zones": (CODE, "Job Zone"),
    "Task Statements": (CODE, "Task ID", "Task", "Task Type", "Incumbents Responding"),
    "Skills": RATING_COLUMNS,
    "Knowledge": RATING_COLUMNS,
    "Alternate Titles": (CODE, "Alternate Title", "Short Title", "Source(s)"),
    "Related Occupations": (CODE, "Related O*NET-SOC Code", "Related Title", "Relatedness Tier", "Index"),
    "Education, Training, and Experience": (CODE, "Element ID", "Scale ID", "Category", "Data Value"),
    # Only in a full release; each is imported when present.
    "Abilities": RATING_COLUMNS,
    "Work Activities": RATING_COLUMNS,
    "Task Ratings": (CODE, "Task ID", "Scale ID", "Data Value"),
}  # fmt: skip
OPTIONAL = ("Abilities", "Work Activities", "Task Ratings")
RATING_TABLES = {
    "Skills": Domain.SKILL,
    "Knowledge": Domain.KNOWLEDGE,
    "Abilities": Domain.ABILITY,
    "Work Activities": Domain.WORK_ACTIVITY,
}


def locate(directory: Path) -> dict[str, Path]:
    """Each table's file in a release directory (text preferred: it reads faster); every table
    of a release that is missing is named at once."""
    if not directory.is_dir():
        raise InvalidInput([Problem(str(directory), "directory", "is not a directory")])
    found, missing = {}, []
    for name in TABLES:
        for suffix in (".txt", ".xlsx"):
            if (directory / f"{name}{suffix}").is_file():
                found[name] = directory / f"{name}{suffix}"
                break
        else:
            if name not in OPTIONAL:
                missing.append(name)
    if missing:
        raise InvalidInput(
            [
                Problem(str(directory), name, f"neither '{name}.txt' nor '{name}.xlsx' is here")
                for name in missing
            ]
        )
    return found


def release_of(directory: Path) -> str:
    """The release the bundled `Read Me.txt` names ("O*NET 29.3 Database, May 2025 Release")."""
    readme = directory / "Read Me.txt"
    if not readme.is_file():
        return "O*NET Database (release not named)"
    lines = [line.strip() for line in readme.read_text(errors="replace").splitlines()]
    named = [line for line in lines[:3] if line and not set(line) <= {"-"}]
    return ", ".join(named[:2]) or "O*NET Database (release not named)"


def import_onet(*, directory: Path, progress=None, dry_run: bool = False, force: bool = True):
    """Import an O*NET release directory; returns what changed per table. Unless `force`,
    files unchanged since the last import (same checksum) are skipped."""
    directory = Path(directory)
    paths = locate(directory)
    tables = {
        name: open_table(path, required=TABLES[name], what=f"O*NET's {name} table")
        for name, path in paths.items()
    }
    release = release_of(directory)
    digest = checksum(list(paths.values()))
    report = ImportReport(dataset="onet", release=release, dry_run=dry_run)
    if not force and unchanged("onet", digest):
        report.skipped = True
        return report
    with bulk.collecting_later():
        _Import(tables, report, progress or Quiet()).run(dry_run=dry_run, digest=digest)
    return report


class _DryRun(Exception):
    pass


class _Import:
    def __init__(self, tables: dict[str, Table], report: ImportReport, progress):
        self.tables, self.report, self.progress = tables, report, progress
        self.check = Checker()
        self.occupations: set[str] = set()
        self.elements: set[str] = set()

    def run(self, *, dry_run: bool, digest: str) -> None:
        try:
            with transaction.atomic():
                self._reference_tables()
                self._occupations()
                self._tasks()
                for name, domain in RATING_TABLES.items():
                    self._ratings(name, domain)
                self._alternate_titles()
                self._related()
                self._education()
                self.check.refuse_if_any()
                record("onet", self.report.release, digest)
                indexing.index_occupations()
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass

    def rows(self, name: str):
        """The rows of one table, with the progress bar following them."""
        table = self.tables[name]
        total = table.rows_hint
        if total is None and table.path.suffix != ".xlsx":
            total = count_lines(table.path) - 1
        self.progress.start(name, total)
        file_name, advance = table.name, self.progress.advance
        for line, row in table.rows():
            yield f"{file_name}, line {line}", row
            advance()
        self.progress.done()

    def sync(self, name: str, sync: TableSync, feed) -> None:
        if name not in self.tables:
            self.report.notes.append(f"{name}: not in this release; what was loaded before is kept")
            return
        # One list of problems: a sync writes nothing once any row anywhere was refused.
        sync.problems = self.check.problems
        for where, row in self.rows(name):
            item = feed(where, row)
            if item is not None:
                sync.add(where, *item)
        self.report.tables[sync.label] = sync.finish()

    def _reference_tables(self) -> None:
        def element(where, row):
            element_id = row["Element ID"]
            self.elements.add(element_id)
            return (element_id,), (row["Element Name"], row["Description"], domain_of(element_id))

        def scale(where, row):
            low = self.check.number(where, row, "Minimum")
            high = self.check.number(where, row, "Maximum")
            return (row["Scale ID"],), (row["Scale Name"], low, high)

        def zone(where, row):
            number = self.check.integer(where, row, "Job Zone")
            fields = ("Name", "Experience", "Education", "Job Training", "Examples", "SVP Range")
            return (number,), tuple(row.get(f, "") for f in fields)

        def category(where, row):
            number = self.check.integer(where, row, "Category")
            fields = (row["Element ID"], row["Element Name"], row["Category Description"])
            return (row["Scale ID"], number), fields

        self.sync("Content Model Reference", TableSync(Element, ("element_id",), ("name", "description", "domain"), "content model elements"), element)  # fmt: skip
        self.sync("Scales Reference", TableSync(Scale, ("scale_id",), ("name", "minimum", "maximum"), "scales"), scale)  # fmt: skip
        self.sync("Job Zone Reference", TableSync(JobZone, ("zone",), ("name", "experience", "education", "training", "examples", "svp_range"), "job zones"), zone)  # fmt: skip
        self.sync("Education, Training, and Experience Categories", TableSync(EducationCategory, ("scale_id", "category"), ("element_id", "element_name", "description"), "education categories"), category)  # fmt: skip

    def _occupations(self) -> None:
        zones: dict[str, int | None] = {}
        for where, row in self.rows("Job Zones"):
            code = self.check.code(where, row, CODE)
            zones[code] = self.check.integer(where, row, "Job Zone")

        def occupation(where, row):
            code = self.check.code(where, row, CODE)
            if code is None:
                return None
            self.occupations.add(code)
            return (code,), (code[:7], row["Title"], row["Description"], zones.get(code))

        sync = TableSync(Occupation, ("code",), ("soc_code", "title", "description", "job_zone"), "occupations")  # fmt: skip
        self.sync("Occupation Data", sync, occupation)
        for code in sorted(set(zones) - self.occupations - {None}):
            self.check.add("Job Zones", CODE, f"'{code}' is not in Occupation Data")

    def known(self, where: str, row: dict, column: str = CODE) -> str | None:
        """The row's occupation code, if well formed and listed in Occupation Data."""
        if row[column] in self.occupations:  # checked when Occupation Data was read
            return row[column]
        code = self.check.code(where, row, column)
        if code is not None and code not in self.occupations:
            self.check.add(where, column, f"'{code}' is not in Occupation Data")
            return None
        return code

    def _tasks(self) -> None:
        rated = "Task Ratings" in self.tables
        importance: dict[int, float | None] = {}
        if rated:
            for where, row in self.rows("Task Ratings"):
                if row["Scale ID"] == "IM":
                    task = self.check.integer(where, row, "Task ID")
                    importance[task] = self.check.number(where, row, "Data Value")

        def task(where, row):
            code = self.known(where, row)
            number = self.check.integer(where, row, "Task ID")
            count = self.check.number(where, row, "Incumbents Responding", blank=True)
            if row["Task Type"] not in ("Core", "Supplemental", ""):
                self.check.add(
                    where, "Task Type", f"'{row['Task Type']}' is not Core or Supplemental"
                )
            values = (code, row["Task"], row["Task Type"], count)
            return (number,), values + ((importance.get(number),) if rated else ())

        fields = ("occupation_id", "text", "task_type", "incumbents_responding")
        fields += ("importance",) if rated else ()
        self.sync("Task Statements", TableSync(Task, ("task_id",), fields, "tasks"), task)

    def _ratings(self, name: str, domain: str) -> None:
        sync = TableSync(
            ElementRating,
            ("occupation_id", "element_id"),
            ("domain", "importance", "level", "not_relevant", "suppress"),
            name.lower(),
            scope={"domain": domain},
        )
        if name not in self.tables:
            self.report.notes.append(f"{name}: not in this release; what was loaded before is kept")
            return
        sync.problems = self.check.problems
        pending: dict[tuple, list] = {}
        current = None
        for where, row in self.rows(name):
            code = self.known(where, row)
            element = row["Element ID"]
            if element not in self.elements:
                self.check.add(
                    where, "Element ID", f"'{element}' is not in the Content Model Reference"
                )
            if code != current:
                _flush(sync, pending, domain)
                current = code
            # IM and LV come on two rows of one occupation and element: one rating holds both.
            entry = pending.setdefault((code, element), [where, None, None, False, False])
            value = self.check.number(where, row, "Data Value")
            if row["Scale ID"] == "IM":
                entry[1] = value
            elif row["Scale ID"] == "LV":
                entry[2] = value
                entry[3] = row.get("Not Relevant") == "Y"
            entry[4] = entry[4] or row["Recommend Suppress"] == "Y"
        _flush(sync, pending, domain)
        self.report.tables[sync.label] = sync.finish()

    def _alternate_titles(self) -> None:
        def title(where, row):
            code = self.known(where, row)
            return (code, row["Alternate Title"], row["Short Title"]), (row["Source(s)"],)

        sync = TableSync(AlternateTitle, ("occupation_id", "title", "short_title"), ("sources",), "alternate titles")  # fmt: skip
        self.sync("Alternate Titles", sync, title)

    def _related(self) -> None:
        def related(where, row):
            code = self.known(where, row)
            other = self.check.code(where, row, "Related O*NET-SOC Code")
            rank = self.check.integer(where, row, "Index")
            return (code, other), (row["Related Title"], row["Relatedness Tier"], rank)

        sync = TableSync(RelatedOccupation, ("occupation_id", "related_code"), ("related_title", "tier", "rank"), "related occupations")  # fmt: skip
        self.sync("Related Occupations", sync, related)

    def _education(self) -> None:
        def rating(where, row):
            code = self.known(where, row)
            category = self.check.integer(where, row, "Category", blank=True)
            if category is None:
                return None  # a scale's summary row (no category): not a distribution
            percent = self.check.number(where, row, "Data Value")
            return (code, row["Scale ID"], category), (row["Element ID"], percent)

        sync = TableSync(EducationRating, ("occupation_id", "scale_id", "category"), ("element_id", "percent"), "education ratings")  # fmt: skip
        self.sync("Education, Training, and Experience", sync, rating)


def _flush(sync: TableSync, pending: dict, domain: str) -> None:
    for (code, element), (where, importance, level, not_relevant, suppress) in pending.items():
        if code is not None:
            sync.add(where, (code, element), (domain, importance, level, not_relevant, suppress))
    pending.clear()
