"""Reading published tables as their publishers lay them out, streamed, by header names.

O*NET publishes every table both as tab-separated text (`Skills.txt`) and as Excel
(`Skills.xlsx`, one sheet, header in row 1); BLS and NCES publish CSV; the SOC definitions and
the crosswalk are Excel workbooks with title lines above the header. `open_table` gives one
shape for all of them: the header, then rows as dicts keyed by header name with their line
(or sheet row) number, read one at a time so that memory does not grow with the file.
Every value is a string ("" for an empty cell): Excel's floats and ints are written back the
way the text files write them.
"""

import csv
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from operator import itemgetter
from pathlib import Path

from cmc.core.errors import InvalidInput, Problem


@dataclass
class Table:
    """One table of a file: where it is, its header, and how to read its rows."""

    path: Path
    header: list[str]
    header_line: int
    rows_hint: int | None  # how many data rows there may be (for a progress bar), if known
    _open: object

    @property
    def name(self) -> str:
        return self.path.name

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        """(line number, {column: value}) for each data row; a short row is refused as a sign
        of a truncated file."""
        header = self.header
        return self._shaped(lambda values: dict(zip(header, values, strict=False)))

    def columns(self, names: tuple[str, ...]) -> Iterator[tuple[int, tuple[str, ...]]]:
        """(line number, the values of the columns `names` in that order) for each data row,
        read as `rows()` reads them but without a dictionary per row; a column the header
        lacks reads as ""."""
        place = {name: i for i, name in enumerate(self.header)}  # the last of a name, as rows()
        present = [name for name in names if name in place]
        pick = _picker([place[name] for name in present])
        if len(present) == len(names):
            return self._shaped(pick)
        # The columns the file has, then "" in the place of each it lacks.
        order = _picker([present.index(n) if n in present else len(present) for n in names])
        return self._shaped(lambda values: order((*pick(values), "")))

    def _shaped(self, shape) -> Iterator[tuple[int, object]]:
        width = len(self.header)
        for line, values in self._open():
            if not any(values):
                continue
            if len(values) < width:
                raise InvalidInput(
                    [
                        Problem(
                            f"{self.name}, line {line}",
                            "row",
                            f"has {len(values)} fields where the header has {width}; "
                            "the file looks truncated or is not tab-separated as published",
                        )
                    ]
                )
            yield line, shape(values)


def _picker(places: list[int]):
    """A function giving the values at `places` of a sequence, as a tuple."""
    if len(places) > 1:
        return itemgetter(*places)
    return lambda values: tuple(values[i] for i in places)


def cell(value) -> str:
    """An Excel cell's value as the text files write it."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.0f}" if value.is_integer() else repr(value)
    return str(value).strip()


def _refuse(path: Path, message: str, line: int | str = 1) -> InvalidInput:
    return InvalidInput([Problem(f"{path.name}, line {line}", "file", message)])


def _text_table(path: Path, delimiter: str, header_row: int) -> Table:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            head = handle.read(4096)
    except UnicodeDecodeError:
        raise _refuse(path, "is not a text file in UTF-8; give the file as published") from None
    if "\x00" in head:
        raise _refuse(path, "is not a text file (it holds binary data); give the file as published")
    quoting = csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL

    def read():
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = enumerate(csv.reader(handle, delimiter=delimiter, quoting=quoting), 1)
            for _ in islice(rows, header_row):
                pass
            if delimiter == "\t":  # O*NET's text files carry no padding
                yield from rows
            else:  # CSV files from others may
                for number, values in rows:
                    yield number, list(map(str.strip, values))

    header = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for number, values in enumerate(
            csv.reader(handle, delimiter=delimiter, quoting=quoting), 1
        ):
            if number == header_row:
                header = [v.strip() for v in values]
                break
    return Table(path, header, header_row, None, read)


def _excel_table(path: Path, header_row: int | None, sheet: str | None, first: str) -> Table:
    from openpyxl import load_workbook  # not with the module: every process would load it

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise _refuse(
            path, "is not an Excel workbook, or is damaged or truncated; give the file as published"
        ) from None
    if sheet is not None and sheet not in book.sheetnames:
        raise _refuse(path, f"has no sheet '{sheet}' (it has: {', '.join(book.sheetnames)})")
    sheet_ = book[sheet] if sheet else book.worksheets[0]
    header, start = [], 1
    for number, values in enumerate(sheet_.iter_rows(values_only=True), 1):
        texts = [cell(v) for v in values]
        if (header_row is None and texts and texts[0] == first) or number == header_row:
            header, start = texts, number
            break
        if number > 20:
            break
    while header and not header[-1]:
        header.pop()

    def read():
        try:
            for number, values in enumerate(sheet_.iter_rows(min_row=start + 1, values_only=True)):
                yield start + 1 + number, [cell(v) for v in values]
        except (zipfile.BadZipFile, EOFError, OSError) as error:
            raise _refuse(path, f"is damaged or truncated ({error})", "?") from None
        finally:
            book.close()

    rows = sheet_.max_row - start if sheet_.max_row else None
    return Table(path, header, start, rows, read)


def open_table(
    path: Path,
    *,
    required: tuple[str, ...],
    what: str,
    header_row: int | None = 1,
    sheet: str | None = None,
) -> Table:
    """The table in a .txt (tab-separated), .csv or .xlsx file, its header checked for the
    `required` columns; `what` names the table in the message when the file is of another kind.
    For Excel files whose header is not in row 1, `header_row=None` finds the row that starts
    with the first required column."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        table = _excel_table(path, header_row, sheet, required[0] if required else "")
    elif suffix in (".txt", ".tsv"):
        table = _text_table(path, "\t", header_row or 1)
    elif suffix == ".csv":
        table = _text_table(path, ",", header_row or 1)
    else:
        raise _refuse(
            path, f"is a {suffix or 'nameless'} file; {what} is read from .txt, .csv or .xlsx"
        )
    missing = [name for name in required if name not in table.header]
    if missing:
        raise _refuse(
            path,
            f"is not {what}: its header lacks the column(s) {', '.join(missing)}",
            table.header_line,
        )
    return table


def count_lines(path: Path) -> int:
    """How many lines a text file has (cheap: counts newlines in blocks), for progress bars."""
    with path.open("rb") as handle:
        return sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))
