"""Office Open XML packages (XLSX workbooks, DOCX documents) read as streams.

openpyxl and python-docx spend a lot on each piece of what they read: when it opens a workbook,
openpyxl parses the head of every sheet (the whole sheet, when it declares no size), then each
cell through the standard library's event parser, seconds for a workbook of a few megabytes made
to be slow; python-docx builds the whole document and lays out every cell of a table row before
it gives any. The readers here parse only the parts they need, with lxml, one row at a time, and
drop each once read, so that under the limits of cmc.core.files a file costs time and memory in
proportion to its size. Values come as openpyxl's read-only, data-only reader gives them."""

import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from posixpath import basename, dirname, join, normpath

from lxml import etree

from .files import Guard

# openpyxl's helpers are imported where a workbook is read, not with this module: openpyxl
# loads numpy and its writers with it (35 MiB), which a process that reads no workbook never
# needs.

S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
DC = "{http://purl.org/dc/elements/1.1/}"
LAST_ROW = 1_048_576
# Relationships, properties and the list of a workbook's sheets take a few kilobytes.
SMALL_PART = 4 * 1024 * 1024
# What a damaged package raises while it is read: a bad archive or compressed data, a part cut
# short, or bad XML (lxml's syntax errors are SyntaxErrors).
DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, SyntaxError, KeyError, OSError, ValueError)


class NotPackage(ValueError):
    """The archive lacks a part the kind of file it should be has."""


def parse(archive: zipfile.ZipFile, name: str):
    """A part read whole: only the small ones (relationships, properties, the workbook)."""
    size = archive.getinfo(name).file_size
    if size > SMALL_PART:
        raise ValueError(f"its part {name} is {size:,} bytes, where a few thousand are usual")
    with archive.open(name) as source:
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        return etree.parse(source, parser).getroot()


def stream(archive: zipfile.ZipFile, name: str, *tags: str, drop: bool = True) -> Iterator:
    """The elements of a part with one of `tags`, each as it ends (clear each one once read),
    and, unless `drop` is false, its earlier siblings dropped then."""
    with archive.open(name) as source:
        for _, element in etree.iterparse(
            source, tag=tags, resolve_entities=False, no_network=True
        ):
            yield element
            if drop:
                drop_before(element)


def drop_before(element) -> None:
    """Drop the siblings before `element`: a stream keeps no more than it reads."""
    while element.getprevious() is not None:
        del element.getparent()[0]


def related(archive: zipfile.ZipFile, part: str, kind: str) -> dict[str, str]:
    """The parts `part` (the package itself for "") relates to by a relationship whose type
    ends with `kind`, by relationship id."""
    rels = join(dirname(part), "_rels", basename(part) + ".rels") if part else "_rels/.rels"
    if rels not in archive.NameToInfo:
        return {}
    found = {}
    for rel in parse(archive, rels).iter(RELATIONSHIP):
        if rel.get("Type", "").endswith(kind):
            target = rel.get("Target", "")
            path = target if target.startswith("/") else join("/", dirname(part), target)
            found[rel.get("Id", "")] = normpath(path).lstrip("/")
    return found


def _first(archive: zipfile.ZipFile, part: str, kind: str) -> str | None:
    found = [p for p in related(archive, part, kind).values() if p in archive.NameToInfo]
    return found[0] if found else None


def main_part(archive: zipfile.ZipFile, what: str) -> str:
    """The package's main part (a workbook, a document); NotPackage when it has none."""
    part = _first(archive, "", "/officeDocument")
    if part is None:
        raise NotPackage(f"it has no {what}")
    return part


@dataclass
class Properties:
    subject: str
    identifier: str


def properties(archive: zipfile.ZipFile) -> Properties:
    """The subject and identifier of a package's core properties (empty when it has none)."""
    part = _first(archive, "", "/metadata/core-properties")
    if part is None:
        return Properties("", "")
    root = parse(archive, part)
    return Properties(
        (root.findtext(f"{DC}subject") or "").strip(),
        (root.findtext(f"{DC}identifier") or "").strip(),
    )


@dataclass
class Sheet:
    title: str
    rows: Iterator[list]


def first_sheet(archive: zipfile.ZipFile, guard: Guard) -> Sheet:
    """The first worksheet of a workbook, read under `guard`'s limits: its name, and its rows
    as lists of values from column A (None for an empty cell; a row missing from the file comes
    as an empty list). Of the cells past the columns allowed, a row keeps only the first that
    holds something, so that the guard can name it and a row of a million cells never sits in
    memory; and no more texts are read than the rows and columns allowed can show."""
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

    book = main_part(archive, "workbook")
    root = parse(archive, book)
    sheets = related(archive, book, "/worksheet")
    found = [s for s in root.iter(f"{S}sheet") if sheets.get(s.get(REL_ID)) in archive.NameToInfo]
    if not found:
        raise NotPackage("it has no worksheet")
    flags = root.find(f"{S}workbookPr")
    mac = flags is not None and flags.get("date1904") in ("1", "true")
    values = _Values(
        strings=_shared_strings(archive, _first(archive, book, "/sharedStrings"), guard),
        styles=_number_styles(archive, _first(archive, book, "/styles"), guard),
        epoch=CALENDAR_MAC_1904 if mac else CALENDAR_WINDOWS_1900,
    )
    part = sheets[found[0].get(REL_ID)]
    return Sheet(found[0].get("name", ""), _rows(archive, part, values, guard.limits.columns))


def _text(element) -> str:
    """The text of a shared or inline string: its plain text and its runs', no phonetics."""
    parts = []
    for child in element:
        if child.tag == f"{S}t":
            parts.append(child.text or "")
        elif child.tag == f"{S}r":
            parts.append(child.findtext(f"{S}t") or "")
    return "".join(parts)


def _shared_strings(archive: zipfile.ZipFile, part: str | None, guard: Guard) -> list[str]:
    rows, columns = guard.limits.rows, guard.limits.columns
    most = rows * columns if rows is not None and columns is not None else None
    strings = []
    for item in stream(archive, part, f"{S}si") if part else ():
        if most is not None and len(strings) == most:
            guard.refuse(guard.label, f"part {part}",
                         f"holds more than {most:,} texts, more than {rows:,} rows of {columns} "
                         f"columns can show; {guard.hint}")  # fmt: skip
        strings.append(_text(item))
        item.clear()
    return strings


def _number_styles(archive, part: str | None, guard: Guard) -> tuple[set[int], set[int]]:
    """The cell styles that show a number as a date, and those that show it as a duration."""
    from openpyxl.styles.numbers import builtin_format_code, is_date_format, is_timedelta_format

    most = guard.limits.formats
    custom: dict[int, str] = {}
    formats: list[str] = []
    for element in stream(archive, part, f"{S}numFmt", f"{S}xf") if part else ():
        if most is not None and len(custom) + len(formats) == most:
            guard.refuse(guard.label, f"part {part}",
                         f"holds more than {most:,} cell formats, more than a spreadsheet "
                         "program makes; it is not read")  # fmt: skip
        number = int(element.get("numFmtId") or 0)
        if element.tag == f"{S}numFmt":
            custom[number] = element.get("formatCode", "")
        elif element.getparent().tag == f"{S}cellXfs":
            formats.append(custom.get(number) or builtin_format_code(number) or "General")
        element.clear()
    dates = {i for i, code in enumerate(formats) if is_date_format(code)}
    return dates, {i for i in dates if is_timedelta_format(formats[i])}


@dataclass
class _Values:
    strings: list[str]
    styles: tuple[set[int], set[int]]
    epoch: object

    def of(self, cell):
        """A cell's value as openpyxl's data-only reader gives it."""
        kind = cell.get("t")
        if kind == "inlineStr":
            inline = cell.find(f"{S}is")
            return None if inline is None else _text(inline)
        raw = next((child.text for child in cell if child.tag == f"{S}v"), None)
        if not raw:
            return None
        if kind is None or kind == "n":
            return self._number(raw, cell.get("s"))
        if kind == "s":
            if not raw.isdigit() or int(raw) >= len(self.strings):
                raise ValueError(
                    f"cell {cell.get('r')} names shared string {raw}, which is missing"
                )
            return self.strings[int(raw)]
        if kind == "b":
            return bool(int(raw))
        if kind == "d":
            from openpyxl.utils.datetime import from_ISO8601

            return from_ISO8601(raw)
        return raw  # text a formula gave ("str"), or an error such as #N/A ("e")

    def _number(self, raw: str, style: str | None):
        number = float(raw) if "." in raw or "e" in raw or "E" in raw else int(raw)
        dates, durations = self.styles
        if not style or int(style) not in dates:
            return number
        from openpyxl.utils.datetime import from_excel

        try:
            return from_excel(number, self.epoch, timedelta=int(style) in durations)
        except (OverflowError, ValueError):
            return "#VALUE!"


def _rows(
    archive: zipfile.ZipFile, part: str, values: _Values, width: int | None
) -> Iterator[list]:
    from openpyxl.utils.cell import column_index_from_string

    number, column, cells, past = 0, 0, [], None
    for element in stream(archive, part, f"{S}c", f"{S}row"):
        if element.tag == f"{S}c":
            ref = element.get("r")
            column = column_index_from_string(ref.rstrip("0123456789")) if ref else column + 1
            if width is None or column <= width:
                cells.append((column, values.of(element)))
            elif past is None:  # past the width, only the first cell that holds something
                value = values.of(element)
                past = (column, value) if value is not None and value != "" else None
            element.clear()
            continue
        at = int(element.get("r") or number + 1)
        if at > LAST_ROW:
            raise ValueError(f"row {at} is past the last row a sheet can have ({LAST_ROW:,})")
        while number + 1 < at:  # rows the file leaves out are empty
            number += 1
            yield []
        number = max(number + 1, at)
        if past:
            cells.append(past)
        row = [None] * max((c for c, _ in cells), default=0)
        for c, value in cells:
            row[c - 1] = value
        yield row
        element.clear()
        column, cells, past = 0, [], None
