"""Filled-in worksheets read back: every row checked against the model, every problem named by
file, row and column, before anything is kept (see services.upload)."""

import io
import zipfile
from dataclasses import dataclass

from cmc.core import ooxml
from cmc.core.actors import SYSTEM
from cmc.core.errors import InvalidInput, Problem
from cmc.core.files import Guard, Limits, column_letter
from cmc.frameworks.models import Framework
from cmc.frameworks.selectors import framework_tree

from . import wordfile
from .models import WorksheetEntry
from .worksheets import CONTENT_TYPES, IDENTIFIER, ITEM, KINDS, REF, rows_of

# How to get a file past the limits on its size and rows: every door shows it.
HINT = (
    "a worksheet downloaded from this site and filled in is far smaller; keep a file you trust "
    "with cmc worksheet SLUG --upload FILE --as USER --trusted"
)


@dataclass
class Sheet:
    """What a worksheet file holds once opened: its kind and model (when it says), its input
    column headings, and its rows as (row number, ref, identifier, values)."""

    kind: str
    framework_identifier: str
    headings: list[str]
    rows: list[tuple[int, str, str, list[str]]]


def _cell(value) -> str:
    return "" if value is None else str(value).replace("\x00", "").strip()


def _read_xlsx(data: bytes, guard: Guard) -> Sheet:
    guard.archive(io.BytesIO(data))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        props = ooxml.properties(archive)
        sheet = ooxml.first_sheet(archive, guard)
        values = [[_cell(v) for v in row] for row in guard.rows(sheet.rows)]
    except ooxml.DAMAGED as error:
        raise InvalidInput(
            [Problem(guard.label, "file",
                     f"is not a readable XLSX workbook ({error}); is it truncated?")]
        ) from None  # fmt: skip
    return _sheet(values, guard.label, props.subject, props.identifier, offset=1)


def _read_docx(data: bytes, guard: Guard) -> Sheet:
    guard.archive(io.BytesIO(data))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        props = ooxml.properties(archive)
        values = [[_cell(v) for v in row] for row in guard.rows(wordfile.rows(archive, REF))]
    except ooxml.DAMAGED as error:
        raise InvalidInput(
            [Problem(guard.label, "file",
                     f"is not a readable Word document ({error}); is it truncated?")]
        ) from None  # fmt: skip
    if not values:
        raise InvalidInput(
            [Problem(guard.label, "file", f"has no table whose first heading is '{REF}'; "
                     "fill in a worksheet downloaded from this site")]
        )  # fmt: skip
    return _sheet(values, guard.label, props.subject, props.identifier, offset=1)


def _sheet(values: list[list[str]], name: str, kind: str, identifier: str, offset: int) -> Sheet:
    header_at = next((i for i, row in enumerate(values) if row and row[0] == REF), None)
    if header_at is None:
        raise InvalidInput(
            [Problem(name, "file", f"has no header row starting with '{REF}'; "
                     "fill in a worksheet downloaded from this site")]
        )  # fmt: skip
    header = values[header_at]
    if len(header) < 2 or header[1] != ITEM:
        raise InvalidInput(
            [Problem(f"{name}, row {header_at + offset}", "B", f"should be headed '{ITEM}'")]
        )
    inputs = header[2:]
    has_identifier = bool(inputs) and inputs[-1] == IDENTIFIER
    if has_identifier:
        inputs = inputs[:-1]
    rows = []
    for i, row in enumerate(values[header_at + 1 :], start=header_at + 1 + offset):
        row = row + [""] * (len(header) - len(row))
        ident = row[len(header) - 1] if has_identifier else ""
        rows.append((i, row[0], ident, row[2 : 2 + len(inputs)]))
    return Sheet(kind, identifier, inputs, rows)


def read(*, framework: Framework, kind: str, name: str, data: bytes, limits: Limits | None = None):
    """Validate a filled-in worksheet against the model; returns (kind, headings, entries)
    or raises InvalidInput naming the file, row and column of every problem. The file is read
    under `limits` (the settings' by default; see cmc.core.files)."""
    label = name or "worksheet"
    suffix = label.rsplit(".", 1)[-1].lower() if "." in label else ""
    if suffix not in CONTENT_TYPES:
        raise InvalidInput([Problem(label, "file", "has an unknown ending; use .xlsx or .docx")])
    if not data:
        raise InvalidInput([Problem(label, "file", "is empty")])
    guard = Guard(label, limits, hint=HINT)
    guard.size(len(data))
    sheet = _read_xlsx(data, guard) if suffix == "xlsx" else _read_docx(data, guard)
    problems: list[Problem] = []
    kind = kind or sheet.kind
    if kind not in KINDS:
        problems.append(Problem(label, "kind", f"'{kind}' is not one of {', '.join(KINDS)}"))
    elif sheet.kind and sheet.kind in KINDS and sheet.kind != kind:
        problems.append(
            Problem(label, "kind", f"is a {KINDS[sheet.kind].title.lower()} worksheet, "
                    f"not {KINDS[kind].title.lower()}")
        )  # fmt: skip
    if sheet.framework_identifier and sheet.framework_identifier != str(framework.identifier):
        problems.append(
            Problem(label, "file", f"is a worksheet of another model, not {framework.name}")
        )
    tree = framework_tree(user=SYSTEM, slug=framework.slug)
    items = {row.ref: row for row in rows_of(tree) if row.ref}
    by_identifier = {row.identifier: row for row in items.values()}
    for n, heading in enumerate(sheet.headings, start=3):
        if not heading and any(len(r[3]) > n - 3 and r[3][n - 3] for r in sheet.rows):
            problems.append(
                Problem(f"{label}, row header", column_letter(n), "has entries but no heading")
            )
    entries = []
    for number, ref, identifier, values in sheet.rows:
        filled = [(h, v) for h, v in zip(sheet.headings, values, strict=False) if v]
        if not ref:
            if filled:
                problems.append(Problem(f"{label}, row {number}", "Ref", "has entries but no reference; "
                                        "write entries on a competency or key behavior row"))  # fmt: skip
            continue
        item = by_identifier.get(identifier) or items.get(ref)
        if item is None:
            problems.append(Problem(f"{label}, row {number}", "Ref",
                                    f"'{ref}' is not a competency or key behavior of {framework.name}"))  # fmt: skip
            continue
        for heading, value in filled:
            if len(value) > 5000:
                problems.append(
                    Problem(f"{label}, row {number}", heading, "is longer than 5000 characters")
                )
                continue
            entries.append(WorksheetEntry(item_kind=item.kind, item_identifier=item.identifier,
                                          ref=item.ref, label=item.text[:1000], column=heading[:200], value=value))  # fmt: skip
    if not problems and not entries:
        problems.append(Problem(label, "file", "has nothing filled in"))
    if problems:
        raise InvalidInput(problems)
    return kind, sheet.headings, entries
