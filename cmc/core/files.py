"""Files people send us and files we make.

A file sent to an import or an upload is read under limits, so that a small hostile file (a
workbook whose parts unpack to hundreds of megabytes, millions of empty rows, one endless line)
is refused at once instead of pinning a worker: the archive's directory is inspected before
anything is unpacked, and rows, columns and cells are checked while they stream, before a
reader keeps them. Every refusal is a located Problem raised as InvalidInput, so each door
reports it as it reports any bad file. A file someone trusts is read with `Limits.trusted()`.

Every cell of every workbook we write goes through `write_text` (or `text_row`, for a sheet
written row by row): as text, never a formula."""

import struct
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, NoReturn

from django.conf import settings
from django.template.defaultfilters import filesizeformat

from .errors import InvalidInput, Problem
from .text import xml_text

# An XLSX or DOCX has a few dozen parts; an archive of thousands is made to exhaust the zip
# reader itself.
MAX_PARTS = 1000
# An entry of an archive's directory: 46 bytes and the part's name (a few dozen characters).
MAX_ENTRY_BYTES = 1024
# A spreadsheet program makes at most 64,000 cell formats; a style sheet of more is made to be
# slow to read.
MAX_FORMATS = 64_000
# A part this small is harmless however well it compresses (a style sheet of repeated rules).
RATIO_FLOOR = 1024 * 1024
# The end-of-directory record: signature, disk numbers, entry counts, directory size and
# offset, comment length; it lies within the last 22 + 65,535 bytes (its comment at most).
_END = struct.Struct("<4s4H2LH")
_END_SIGNATURE = b"PK\x05\x06"


@dataclass(frozen=True)
class Limits:
    """How much of a file is read before it is refused; None is no limit."""

    bytes: int | None
    unpacked_bytes: int | None
    ratio: int | None
    rows: int | None
    columns: int | None
    cell_chars: int | None
    parts: int | None = MAX_PARTS
    formats: int | None = MAX_FORMATS

    @classmethod
    def from_settings(cls) -> "Limits":
        return cls(
            bytes=settings.CMC_MAX_IMPORT_BYTES,
            unpacked_bytes=settings.CMC_MAX_IMPORT_UNPACKED_BYTES,
            ratio=settings.CMC_MAX_IMPORT_RATIO,
            rows=settings.CMC_MAX_IMPORT_ROWS,
            columns=settings.CMC_MAX_IMPORT_COLUMNS,
            cell_chars=settings.CMC_MAX_IMPORT_CELL_CHARS,
        )

    @classmethod
    def trusted(cls) -> "Limits":
        """No limits: for a file the person running the command line vouches for."""
        return cls(None, None, None, None, None, None, None, None)

    @property
    def row_chars(self) -> int | None:
        """The longest a row of text may be: every column full, with its quotes and comma."""
        if self.columns is None or self.cell_chars is None:
            return None
        return self.columns * (self.cell_chars + 3)


def size_text(count: int, limit: int) -> tuple[str, str]:
    """A size and a limit in words, in bytes when rounding would make them look the same."""
    shown, most = (filesizeformat(n).replace("\xa0", " ") for n in (count, limit))
    if shown == most:  # "2.0 KB, larger than the 2.0 KB limit" would say nothing
        return f"{count:,} bytes", f"{limit:,} bytes"
    return shown, most


def column_letter(number: int) -> str:
    """The spreadsheet name of a 1-based column: 1 is A, 27 is AA."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class Guard:
    """The limits for one file, named `label` in problems; `hint` says how to get a file past
    the limits on size and rows (splitting it, or trusting it on the command line)."""

    def __init__(self, label: str, limits: Limits | None = None, *, hint: str):
        self.label = label
        self.limits = limits or Limits.from_settings()
        self.hint = hint

    def refuse(self, where: str, field: str, message: str) -> NoReturn:
        raise InvalidInput([Problem(where, field, message)])

    def size(self, count: int) -> None:
        """Refuse a file of `count` bytes over the limit, before any of it is read."""
        limit = self.limits.bytes
        if limit is not None and count > limit:
            shown, most = size_text(count, limit)
            self.refuse(
                self.label, "file", f"is {shown}, larger than the {most} limit; {self.hint}"
            )

    def archive(self, source: Path | BinaryIO) -> None:
        """Refuse an XLSX or DOCX whose parts would unpack past the limits, from the sizes its
        directory declares (the zip reader never unpacks a part past its declared size: the
        check of its CRC fails first). A file that is no archive passes: its reader says so."""
        if isinstance(source, Path):
            with source.open("rb") as handle:
                members = self._members(handle)
        else:
            members = self._members(source)
            source.seek(0)
        for info in members:
            self._ratio(info)
        total = sum(info.file_size for info in members)
        limit = self.limits.unpacked_bytes
        if limit is not None and total > limit:
            shown, most = size_text(total, limit)
            self.refuse(self.label, "file", f"unpacks to {shown}, more than the {most} limit; {self.hint}")  # fmt: skip

    def _members(self, handle: BinaryIO) -> list[zipfile.ZipInfo]:
        """The parts an archive's directory lists, once its end record says the directory is
        no larger than a workbook's or a document's (the zip reader holds every entry of the
        directory in memory, and counts them by its size, whatever the record says)."""
        directory = _directory(handle)
        if directory is None:
            return []
        parts, size, most = *directory, self.limits.parts
        if most is not None and (parts > most or size > most * MAX_ENTRY_BYTES):
            found = (
                f"of {parts:,} parts, more than the {most:,}"
                if parts > most
                else f"whose directory takes {size:,} bytes, more than the {most:,} parts"
            )
            self.refuse(self.label, "file", f"is an archive {found} a workbook or document may "
                        f"have; {self.hint}")  # fmt: skip
        try:
            handle.seek(0)
            return zipfile.ZipFile(handle).infolist()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            return []

    def _ratio(self, info: zipfile.ZipInfo) -> None:
        ratio = self.limits.ratio
        if ratio is None or info.file_size <= RATIO_FLOOR:
            return
        times = info.file_size // max(info.compress_size, 1)
        if times > ratio:
            self.refuse(
                self.label, f"part {info.filename}",
                f"unpacks to {times:,} times its packed size, more than the {ratio:,} times a "
                f"real workbook or document does; it looks made to exhaust memory, so it is not read",
            )  # fmt: skip

    def rows(self, rows: Iterable[Sequence], *, where: str | None = None) -> Iterator[list]:
        """`rows` (sequences of cell values, None or "" for an empty cell), numbered from 1, each
        checked before it is passed on: no row past the limit, no value past the last column
        allowed, no cell too long. Empty cells at the end of a row are dropped (a spreadsheet
        pads a row to its last formatted cell), so a row passed on is never wider than the
        limit, however wide it came."""
        where = where or self.label
        limits = self.limits
        for number, row in enumerate(rows, start=1):
            if limits.rows is not None and number > limits.rows:
                at = f"{where}, row {number}"
                self.refuse(at, "file", f"is past the limit of {limits.rows:,} rows; {self.hint}")
            if limits.columns is not None and len(row) > limits.columns:
                row = self._within_columns(row, f"{where}, row {number}")
            width = len(row)
            while width and (row[width - 1] is None or row[width - 1] == ""):
                width -= 1
            row = list(row[:width])
            if limits.cell_chars is not None and width and not _all_within(row, limits.cell_chars):
                for index, value in enumerate(row):
                    if isinstance(value, str):
                        self.cell(value, where=f"{where}, row {number}", column=index + 1)
            yield row

    def _within_columns(self, row: Sequence, at: str) -> Sequence:
        limit = self.limits.columns
        if limit is None or len(row) <= limit:
            return row
        tail = row[limit:]
        if tail.count(None) + tail.count("") < len(tail):  # counted at C speed: rows may be wide
            past = next(i for i, v in enumerate(tail, start=limit + 1) if v is not None and v != "")
            self.refuse(at, f"column {column_letter(past)}",
                        f"is past the limit of {limit} columns; move what it holds into the "
                        f"first {limit} columns or delete it")  # fmt: skip
        return row[:limit]

    def cell(self, text: str, *, where: str, column: int | None = None, field: str = "") -> None:
        """Refuse a cell (or any one text) longer than the limit."""
        limit = self.limits.cell_chars
        if limit is not None and len(text) > limit:
            self.refuse(where, field or f"column {column_letter(column or 1)}",
                        f"is {len(text):,} characters long, more than the {limit:,} a cell "
                        "may hold; shorten it")  # fmt: skip


def _all_within(row: list, chars: int) -> bool:
    """Whether every cell of a row of texts is at most `chars` long, counted at C speed (a
    file of 100,000 rows has a million cells); a row holding other values says no, and is
    looked at cell by cell."""
    try:
        return max(map(len, row)) <= chars
    except TypeError:  # a number, a date or an empty cell of a workbook
        return False


def _directory(handle: BinaryIO) -> tuple[int, int] | None:
    """How many parts an archive's end record declares, and the size of its directory (None:
    no archive), read before the zip reader loads the directory itself."""
    end = handle.seek(0, 2)
    handle.seek(max(0, end - _END.size - 65535))
    tail = handle.read()
    at = tail.rfind(_END_SIGNATURE)
    if at < 0 or len(tail) - at < _END.size:
        return None
    fields = _END.unpack_from(tail, at)
    return fields[4], fields[5]


def write_text(sheet, row: int, column: int, value: str | None):
    """Write `value` into a cell of a workbook we make, always as text: a spreadsheet must
    never run text that starts with "=" (or anything else) as a formula, whoever wrote it.
    The one rule for every XLSX this project writes; returns the cell for styling."""
    cell = sheet.cell(row=row, column=column)
    if value:
        cell.value = xml_text(value)
        cell.data_type = "s"
    return cell


def text_row(sheet, values: Iterable[str | None]) -> list:
    """A row to append to a write-only sheet, every value as text as `write_text` writes it: a
    value a spreadsheet would read otherwise (a formula, an error code) gets a cell of its own
    marked as text; the rest stay plain strings, which openpyxl writes as text."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES

    row = []
    for value in values:
        text = xml_text(value) if value else None
        if text and (text[0] == "=" or text in ERROR_CODES):
            cell = WriteOnlyCell(sheet, text)
            cell.data_type = "s"
            row.append(cell)
        else:
            row.append(text)
    return row
