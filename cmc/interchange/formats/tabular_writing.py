"""Writing the project's tabular format (see `tabular`): the rows of a framework read as a
stream, written as CSV a chunk at a time, or as XLSX row by row."""

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import BinaryIO

from cmc.core.files import text_row
from cmc.frameworks.trees import FrameworkTree, TreeStream, stream_of

from .tabular import COLUMNS, guard_formula


def rows_of(tree: FrameworkTree) -> Iterator[list[str]]:
    """The rows of the tabular format for one framework, header first."""
    return stream_rows(stream_of(tree))


def stream_rows(stream: TreeStream, cell: Callable[[str], str] = str) -> Iterator[list[str]]:
    """The rows of the tabular format for a framework read as a stream, header first. Each
    text passes through `cell` once for its item (CSV's guard against formulas), not once for
    each row it is repeated on; identifiers need no guard."""
    yield COLUMNS
    tree = stream.head
    head = [cell(tree.name)]
    tail_fw = [cell(tree.slug), str(tree.identifier or "")]
    for tier, competencies in stream.tiers:
        tier_cells = [cell(str(tier.number)), cell(tier.name)]
        group = cell(tier.group)
        tail_tier = [*tail_fw, str(tier.identifier or "")]
        empty = True
        for c in competencies:
            empty = False
            lead = [*head, *tier_cells, cell(c.code), cell(c.name), cell(c.definition)]
            cid = str(c.identifier or "")
            if not c.behaviors:
                yield [*lead, "", "", group, *tail_tier, cid, ""]
            for b in c.behaviors:
                yield [
                    *lead, cell(b.title), cell(b.text), group, *tail_tier, cid,
                    str(b.identifier or ""),
                ]  # fmt: skip
        if empty:
            yield [*head, *tier_cells, "", "", "", "", "", group, *tail_tier, "", ""]


def count_rows(tree: FrameworkTree) -> int:
    """How many rows `rows_of` gives after its header: for a progress bar."""
    return rows_in(stream_of(tree).shape())


def rows_in(shape: list[list[int]]) -> int:
    """How many rows (after the header) a tree of this shape (see TreeStream.shape) takes."""
    return sum(max(1, sum(max(1, n) for n in tier)) for tier in shape)


def _progress(rows: Iterable[list[str]], on_row) -> Iterator[list[str]]:
    for number, row in enumerate(rows):
        if number % 1000 == 0:
            on_row(number)
        yield row


# Rows formatted and encoded at once: the csv module writes to text, and a file takes bytes.
CHUNK = 1000


def dump_csv(stream: TreeStream, handle: BinaryIO, on_row=None) -> None:
    """Write the framework as CSV to `handle`, a chunk of rows at a time (UTF-8 with its
    mark, as spreadsheet programs expect)."""
    text = io.StringIO()
    text.write("\ufeff")
    writer = csv.writer(text, lineterminator="\r\n")
    rows = stream_rows(stream, guard_formula)
    if on_row is not None:
        rows = _progress(rows, on_row)
    while chunk := list(islice(rows, CHUNK)):
        writer.writerows(chunk)
        handle.write(text.getvalue().encode())
        text.seek(0)
        text.truncate()


def write_csv(tree: FrameworkTree) -> bytes:
    buffer = io.BytesIO()
    dump_csv(stream_of(tree), buffer)
    return buffer.getvalue()


def dump_xlsx(stream: TreeStream, handle: BinaryIO, on_row=None) -> None:
    """Write the framework as an XLSX workbook to `handle`, row by row (openpyxl's write-only
    mode), every cell as text (see cmc.core.files.text_row)."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Framework")
    sheet.freeze_panes = "A2"
    for column, width in {"A": 30, "C": 30, "E": 36, "F": 60, "G": 28, "H": 80}.items():
        sheet.column_dimensions[column].width = width
    rows = stream_rows(stream)
    if on_row is not None:
        rows = _progress(rows, on_row)
    header = text_row(sheet, next(rows))
    bold = Font(bold=True)
    for index, value in enumerate(header):
        header[index] = cell = WriteOnlyCell(sheet, value) if isinstance(value, str) else value
        cell.font = bold
    sheet.append(header)
    for row in rows:
        sheet.append(text_row(sheet, row))
    book.save(handle)
