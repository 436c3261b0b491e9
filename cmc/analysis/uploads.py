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
from .answers import ABOUT, FORM, TEXT, Answer, about_of_label, declared, known
from .models import WorksheetEntry
from .worksheets import (
    ABOUT_HEADING,
    CONTENT_TYPES,
    IDENTIFIER,
    ITEM,
    KINDS,
    NOTE,
    REF,
    WorksheetKind,
    rows_of,
)

# How to get a file past the limits on its size and rows: every door shows it.
HINT = (
    "a worksheet downloaded from this site and filled in is far smaller; keep a file you trust "
    "with cmc worksheet SLUG --upload FILE --as USER --trusted"
)


@dataclass
class Sheet:
    """What a worksheet file holds once opened: its kind and model (when it says), what it
    says it is about (field name: (value, where)), its input column headings and what the
    row under them declares they take (None: the sheet has no such row, at `note_at`), and
    its rows as (row number, ref, identifier, values)."""

    kind: str
    framework_identifier: str
    about: dict[str, tuple[str, str]]
    headings: list[str]
    declared: list[str] | None
    note_at: str
    rows: list[tuple[int, str, str, list[str]]]


@dataclass
class Read:
    """A filled-in worksheet, every value checked: its kind, its columns (headings and the
    codes of their kinds of answer), what it is about, and its entries (not yet saved)."""

    kind: str
    headings: list[str]
    types: list[str]
    about: dict[str, str]
    entries: list[WorksheetEntry]


def _cell(value) -> str:
    return "" if value is None else str(value).replace("\x00", "").strip()


def _damaged(guard: Guard, what: str, error) -> InvalidInput:
    return InvalidInput(
        [Problem(guard.label, "file", f"is not a readable {what} ({error}); is it truncated?")]
    )


def _read_xlsx(data: bytes, guard: Guard) -> Sheet:
    guard.archive(io.BytesIO(data))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        props = ooxml.properties(archive)
        sheet = ooxml.first_sheet(archive, guard)
        values = [[_cell(v) for v in row] for row in guard.rows(sheet.rows)]
    except ooxml.DAMAGED as error:
        raise _damaged(guard, "XLSX workbook", error) from None
    about = {}
    for number, row in enumerate(values[: _header_at(values, guard.label)], start=1):
        field = about_of_label(row[0]) if row else None
        if field is not None:
            about[field.name] = (row[1] if len(row) > 1 else "", f"{guard.label}, row {number}")
    return _sheet(values, guard.label, props.subject, props.identifier, about)


def _read_docx(data: bytes, guard: Guard) -> Sheet:
    guard.archive(io.BytesIO(data))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        props = ooxml.properties(archive)
        values = [[_cell(v) for v in row] for row in guard.rows(wordfile.rows(archive, REF))]
        where = f"{guard.label}, table '{ABOUT_HEADING}'"
        block = [
            [_cell(v) for v in row]
            for row in guard.rows(wordfile.rows(archive, ABOUT_HEADING), where=where)
        ]
    except ooxml.DAMAGED as error:
        raise _damaged(guard, "Word document", error) from None
    if not values:
        raise InvalidInput(
            [Problem(guard.label, "file", f"has no table whose first heading is '{REF}'; "
                     "fill in a worksheet downloaded from this site")]
        )  # fmt: skip
    about = {}
    for number, row in enumerate(block[1:], start=2):
        field = about_of_label(row[0]) if row else None
        if field is not None:
            about[field.name] = (row[1] if len(row) > 1 else "", f"{where}, row {number}")
    return _sheet(values, guard.label, props.subject, props.identifier, about)


def _header_at(values: list[list[str]], name: str) -> int:
    header_at = next((i for i, row in enumerate(values) if row and row[0] == REF), None)
    if header_at is None:
        raise InvalidInput(
            [Problem(name, "file", f"has no header row starting with '{REF}'; "
                     "fill in a worksheet downloaded from this site")]
        )  # fmt: skip
    return header_at


def _sheet(values: list[list[str]], name: str, kind: str, identifier: str, about) -> Sheet:
    header_at = _header_at(values, name)
    header = values[header_at]
    if len(header) < 2 or header[1] != ITEM:
        raise InvalidInput(
            [Problem(f"{name}, row {header_at + 1}", "B", f"should be headed '{ITEM}'")]
        )
    inputs = header[2:]
    has_identifier = bool(inputs) and inputs[-1] == IDENTIFIER
    if has_identifier:
        inputs = inputs[:-1]
    width = len(header)
    first, declared = header_at + 1, None
    note = values[first] if first < len(values) else []
    if len(note) > 1 and note[1] == NOTE:
        note = note + [""] * (width - len(note))
        declared, first = note[2 : 2 + len(inputs)], first + 1
    rows = []
    for i, row in enumerate(values[first:], start=first + 1):
        row = row + [""] * (width - len(row))
        ident = row[width - 1] if has_identifier else ""
        rows.append((i, row[0], ident, row[2 : 2 + len(inputs)]))
    return Sheet(kind, identifier, about, inputs, declared, f"{name}, row {header_at + 2}", rows)


def _answers(sheet: Sheet, kind: WorksheetKind, problems: list[Problem]) -> list[Answer]:
    """The kind of answer of each input column: as the sheet declares it, or, for a sheet
    without the row that declares them, as the worksheet kind has it at that place."""
    if sheet.declared is None:
        return [column.answer for column in kind.typed(sheet.headings)]
    answers = []
    for n, (heading, text) in enumerate(zip(sheet.headings, sheet.declared, strict=True), 3):
        answer = declared(text)
        if answer is None:
            problems.append(Problem(sheet.note_at, heading or column_letter(n),
                                    f"'{text[:60]}' is not a kind of answer this site knows; "
                                    f"write one of {known()}"))  # fmt: skip
        answers.append(answer or TEXT)
    return answers


def _about(sheet: Sheet, kind: WorksheetKind, given: dict, label: str, problems) -> dict:
    """What the worksheet is about: what the upload gives, or else what the sheet says."""
    about = {}
    for name, field in ABOUT.items():
        value = str(given.get(name) or "").strip()
        where = FORM
        if not value:
            value, where = sheet.about.get(name, ("", label))
        value, message = field.check(value)
        if message:
            problems.append(Problem(where, name if where == FORM else field.label, message))
        about[name] = value
    for name in kind.required:
        if not about[name]:
            field = ABOUT[name]
            problems.append(Problem(label, field.label,
                                    f"is empty; say which {field.label.lower()} the worksheet is "
                                    f"about: write it beside '{field.label}' in the sheet, or give "
                                    "it when uploading"))  # fmt: skip
    return about


def read(
    *,
    framework: Framework,
    kind: str,
    name: str,
    data: bytes,
    limits: Limits | None = None,
    about: dict | None = None,
) -> Read:
    """Validate a filled-in worksheet against the model and its columns' kinds of answer, or
    raise InvalidInput naming the file, row and column of every problem. `about` (what the
    upload form says the sheet is about) fills or overrides what the sheet says. The file is
    read under `limits` (the settings' by default; see cmc.core.files)."""
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
        raise InvalidInput([Problem(label, "kind", f"'{kind}' is not one of {', '.join(KINDS)}")])
    if sheet.kind and sheet.kind in KINDS and sheet.kind != kind:
        problems.append(
            Problem(label, "kind", f"is a {KINDS[sheet.kind].title.lower()} worksheet, "
                    f"not {KINDS[kind].title.lower()}")
        )  # fmt: skip
    if sheet.framework_identifier and sheet.framework_identifier != str(framework.identifier):
        problems.append(
            Problem(label, "file", f"is a worksheet of another model, not {framework.name}")
        )
    worksheet = KINDS[kind]
    answers = _answers(sheet, worksheet, problems)
    facts = _about(sheet, worksheet, about or {}, label, problems)
    before = len(problems)
    entries = _entries(framework, sheet, answers, label, problems)
    if not entries and len(problems) == before:
        problems.append(Problem(label, "file", "has nothing filled in"))
    if problems:
        raise InvalidInput(problems)
    return Read(kind, sheet.headings, [a.code for a in answers], facts, entries)


def _entries(framework, sheet: Sheet, answers: list[Answer], label: str, problems) -> list:
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
        filled = [
            (h, a, v) for h, a, v in zip(sheet.headings, answers, values, strict=False) if v and h
        ]
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
        for heading, answer, value in filled:
            kept, message = answer.check(value)
            if message:
                problems.append(Problem(f"{label}, row {number}", heading, message))
                continue
            entries.append(WorksheetEntry(item_kind=item.kind, item_identifier=item.identifier,
                                          ref=item.ref, label=item.text[:1000], column=heading[:200], value=kept))  # fmt: skip
    return entries
