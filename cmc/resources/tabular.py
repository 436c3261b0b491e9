"""Resources in a table: reading a CSV or XLSX file of resources (one a row, under the upload
guards of `cmc.core.files`) and writing the template a person fills in. Every problem names the
file, the row and the column; nothing is written here."""

import csv
import io
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

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
# A file uploaded on the import page is written within the request: at most this many rows
# (the header and 1,000 resources). Larger files go through `cmc import-resources`, which shows
# its progress.
WEB_IMPORT_ROWS = 1001
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def web_limits() -> Limits:
    """The upload page's limits: the project's, with at most WEB_IMPORT_ROWS rows."""
    limits = Limits.from_settings()
    return replace(limits, rows=min(limits.rows or WEB_IMPORT_ROWS, WEB_IMPORT_ROWS))


def read_resources(handle: BinaryIO, name: str, *, size: int, limits: Limits | None = None):
    """The resources of a .csv or .xlsx file as (where, ResourceInput) pairs, every row read;
    InvalidInput naming each bad row and column (nothing is kept of a file with problems)."""
    guard = Guard(name, limits, hint=HINT)
    guard.size(size)
    suffix = Path(name).suffix.lower()
    if suffix == ".csv":
        rows = _csv_rows(handle, name)
    elif suffix == ".xlsx":
        rows = _xlsx_rows(handle, name, guard)
    else:
        raise InvalidInput([Problem(name, "file", "is not a .csv or .xlsx file")], IMPORT_DETAIL)
    return _records(guard.rows(rows), name)


def _csv_rows(handle: BinaryIO, name: str):
    try:
        text = handle.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(
            [Problem(name, "file", "is not UTF-8 text; save it as CSV UTF-8")], IMPORT_DETAIL
        ) from None
    return csv.reader(io.StringIO(text, newline=""))


def _xlsx_rows(handle: BinaryIO, name: str, guard: Guard):
    import zipfile

    from openpyxl import load_workbook

    guard.archive(handle)
    try:
        book = load_workbook(handle, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise InvalidInput(
            [Problem(name, "file", "is not an XLSX workbook")], IMPORT_DETAIL
        ) from None
    return book.worksheets[0].iter_rows(values_only=True)


def _records(rows, name: str) -> list[tuple[str, ResourceInput]]:
    header = next(rows, None)
    if header is None:
        raise InvalidInput(
            [Problem(name, "file", "is empty; start from the template")], IMPORT_DETAIL
        )
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
    found, problems = [], []
    for number, row in enumerate(rows, start=2):
        values = {c: row[i] for i, c in enumerate(columns) if c and i < len(row)}
        if not any(str(v or "").strip() for v in values.values()):
            continue  # a blank line between blocks of rows
        where = f"{name}, row {number}"
        found.append((where, _record(values, where, problems)))
    if problems:
        raise InvalidInput(problems, IMPORT_DETAIL)
    return found


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
