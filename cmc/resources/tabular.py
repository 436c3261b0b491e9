"""Resources in a table: reading a CSV or XLSX file of resources (one a row, as a stream under
the upload guards of `cmc.core.files`) and writing the template a person fills in. Every
problem names the file, the row and the column; nothing is written here."""

import csv
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, NoReturn

from cmc.core import ooxml
from cmc.core.csvrows import NotCsv, csv_rows
from cmc.core.errors import InvalidInput, Problem
from cmc.core.files import Guard, Limits, text_row

from .cleaning import AlignmentRef, ResourceInput, parse_alignment, split_list

COLUMNS = [
    ("kind", "One of: apprenticeship, assessment, curriculum, skill-standard, training-program, case-study, guide, tool (or its label)"),
    ("title", "Required"),
    ("organization", "Who offers it"),
    ("url", "Its web address, http:// or https://"),
    ("description", "What it is, in plain text"),
    ("industries", "Clearinghouse industries, separated by semicolons (Energy; Advanced Manufacturing)"),
    ("states", "U.S. state codes, separated by semicolons (WA; OR)"),
    ("audience", "Who it is for"),
    ("format", "Online course, PDF, workshop..."),
    ("cost", "Free, $250..."),
    ("date", "YYYY-MM-DD"),
    ("uses", "For case studies: uses of a model, separated by semicolons (curriculum; certification)"),
    ("alignments", "framework-slug, framework-slug:tier or framework-slug:tier:competency-code, separated by semicolons"),
]  # fmt: skip
NAMES = [name for name, _ in COLUMNS]
LISTS = ("industries", "states", "uses")
IMPORT_DETAIL = "The file is not valid; nothing was written."
HINT = "split it into smaller files, or import it with cmc import-resources --trusted"
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_ZIP = b"PK\x03\x04"


class ResourceFile:
    """A .csv or .xlsx file of resources, one a row, read as a stream under the upload
    limits (`cmc.core.files`): `rows()` goes through it from the start each time it is
    called (an import checks every row, then reads the file again to write them), keeping
    one row at a time. `handle` is a binary file open for reading that can seek."""

    def __init__(self, handle: BinaryIO, name: str, *, size: int, limits: Limits | None = None):
        self.handle, self.name = handle, name
        self.guard = Guard(name, limits, hint=HINT)
        self.guard.size(size)
        self.kind = Path(name).suffix.lower().lstrip(".")
        if self.kind not in CONTENT_TYPES:
            _refuse(name, "is not a .csv or .xlsx file")
        handle.seek(0)
        zipped = handle.read(len(_ZIP)) == _ZIP
        if self.kind == "csv" and zipped:
            _refuse(name, "is a workbook (XLSX), not CSV text; name it .xlsx, or save it as CSV UTF-8")  # fmt: skip
        if self.kind == "xlsx" and not zipped:
            _refuse(name, "is not an XLSX workbook")

    def check(self) -> None:
        """Read the header and the first row only: a file that is not one of resources is
        refused at once (InvalidInput naming its columns)."""
        rows = self.rows()
        next(rows, None)
        rows.close()

    def rows(self) -> Iterator[tuple[str, ResourceInput, list[Problem]]]:
        """Each resource of the file with where it is ("file.csv, row 3") and the problems of
        reading its cells; InvalidInput at once for a file that cannot be read as resources
        (a bad header, a row past the limits, text that is not UTF-8)."""
        self.handle.seek(0)
        if self.kind == "csv":
            yield from self._csv()
        else:
            yield from self._xlsx()

    def _csv(self):
        text = io.TextIOWrapper(self.handle, encoding="utf-8-sig", newline="")
        try:
            yield from _records(self.guard.rows(csv_rows(text, self.guard)), self.name)
        except NotCsv as error:
            _refuse(self.name, str(error))
        finally:
            text.detach()  # the handle stays open for the next pass

    def _xlsx(self):
        self.guard.archive(self.handle)
        try:
            with zipfile.ZipFile(self.handle) as archive:
                sheet = ooxml.first_sheet(archive, self.guard)
                yield from _records(self.guard.rows(sheet.rows), self.name)
        except ooxml.DAMAGED as error:
            _refuse(self.name, f"is not a readable XLSX workbook ({error}); open it in a "
                               "spreadsheet program and save it again")  # fmt: skip


def read_resources(handle: BinaryIO, name: str, *, size: int, limits: Limits | None = None):
    """Every resource of a .csv or .xlsx file as (where, ResourceInput) pairs; InvalidInput
    naming each bad row and column (nothing is kept of a file with problems)."""
    found, problems = [], []
    for where, data, trouble in ResourceFile(handle, name, size=size, limits=limits).rows():
        found.append((where, data))
        problems += trouble
    if problems:
        raise InvalidInput(problems, IMPORT_DETAIL)
    return found


def _refuse(name: str, message: str) -> NoReturn:
    raise InvalidInput([Problem(name, "file", message)], IMPORT_DETAIL)


def _records(rows, name: str) -> Iterator[tuple[str, ResourceInput, list[Problem]]]:
    header = next(rows, None)
    if header is None:
        _refuse(name, "is empty; start from the template")
    columns = [str(cell or "").strip().lower() for cell in header]
    missing = [c for c in ("kind", "title") if c not in columns]
    unknown = [c for c in columns if c and c not in NAMES]
    problems = [
        Problem(f"{name}, row 1", c, "is a required column; start from the template")
        for c in missing
    ]
    problems += [Problem(f"{name}, row 1", c, f"is not a column (columns: {', '.join(NAMES)})") for c in unknown]  # fmt: skip
    if problems:
        raise InvalidInput(problems, IMPORT_DETAIL)
    for number, row in enumerate(rows, start=2):
        values = {c: row[i] for i, c in enumerate(columns) if c and i < len(row)}
        if not any(str(v or "").strip() for v in values.values()):
            continue  # a blank line between blocks of rows
        where, found = f"{name}, row {number}", []
        yield where, _record(values, where, found), found


def _record(values: dict, where: str, problems: list) -> ResourceInput:
    def text(column: str) -> str:
        value = values.get(column)
        return "" if value is None else str(value).strip()

    refs: list[AlignmentRef] = []
    for part in split_list(text("alignments")):
        ref = parse_alignment(part)
        if ref is None or not ref.framework:
            problems.append(Problem(where, "alignments", f"'{part[:100]}' is not framework-slug, framework-slug:tier or framework-slug:tier:competency-code"))  # fmt: skip
        else:
            refs.append(ref)
    return ResourceInput(
        **{c: text(c) for c in NAMES if c not in (*LISTS, "alignments", "date")},
        **{c: split_list(text(c)) for c in LISTS},
        date=values.get("date") if not isinstance(values.get("date"), str) else text("date"),
        alignments=refs,
    )


def template(fmt: str) -> bytes:
    """The template to fill in: the columns, and one example row."""
    example = ["curriculum", "Example: Energy industry fundamentals", "Example college",
               "https://example.org/energy", "A course for new utility workers.", "Energy", "WA; OR",
               "Jobseekers", "Classroom", "Free", "2024-01-15", "", "energy-cewd:4"]  # fmt: skip
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(NAMES)
        writer.writerow(example)
        return out.getvalue().encode("utf-8")
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Resources")
    sheet.append(text_row(sheet, NAMES))
    sheet.append(text_row(sheet, example))
    notes = book.create_sheet("Columns")
    for row in COLUMNS:
        notes.append(text_row(notes, row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
