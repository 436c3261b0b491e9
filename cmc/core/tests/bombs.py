"""Hostile files for the tests of every import and upload: small on disk, huge when read.

Each is built from a real workbook or document written by openpyxl or python-docx, with one part
replaced through zipfile, so that everything but the hostile part is what a reader expects."""

import io
import zipfile
from collections.abc import Iterable

import openpyxl

CHUNK = 1024 * 1024
SHEET_START = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_END = b"</sheetData></worksheet>"
SST_START = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
SHARED_STRINGS_REL = (
    b'<Relationship Id="rIdStrings" Target="sharedStrings.xml" Type="http://schemas.openxmlformats'
    b'.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>'
)


def workbook(*rows: list[str]) -> bytes:
    """A plain workbook holding `rows` on its first sheet (text cells)."""
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_part(archive: bytes, name: str, content: bytes | Iterable[bytes]) -> bytes:
    """`archive` with its part `name` replaced (or added)."""
    return with_parts(archive, {name: content})


def with_parts(archive: bytes, parts: dict[str, bytes | Iterable[bytes]]) -> bytes:
    """`archive` with `parts` replaced (or added), each written a chunk at a time so that a
    part of hundreds of megabytes never sits in memory."""
    source = zipfile.ZipFile(io.BytesIO(archive))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename not in parts:
                target.writestr(info.filename, source.read(info.filename))
        for name, content in parts.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            with target.open(info, "w") as part:
                for chunk in [content] if isinstance(content, bytes) else content:
                    part.write(chunk)
    return out.getvalue()


def repeated(piece: bytes, total: int, *, start: bytes = b"", end: bytes = b"") -> Iterable[bytes]:
    """`start`, then `piece` repeated to about `total` bytes, then `end`, in chunks."""
    yield start
    block = piece * max(1, CHUNK // len(piece))
    for _ in range(max(1, total // len(block))):
        yield block
    yield end


def shared_strings_bomb(unpacked: int) -> bytes:
    """A workbook whose first cell is a shared string, its shared strings unpacking to about
    `unpacked` bytes (the tester's was 413 KB on disk and 400 MB unpacked)."""
    return with_shared_strings(
        repeated(b"<si><t>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</t></si>", unpacked)
    )


def with_shared_strings(items: Iterable[bytes]) -> bytes:
    """A workbook of one cell, the first of the shared strings `items` (`<si>` elements)."""
    book = workbook(["x"])
    rels = zipfile.ZipFile(io.BytesIO(book)).read("xl/_rels/workbook.xml.rels")
    return with_parts(book, {
        "xl/_rels/workbook.xml.rels": rels.replace(b"</Relationships>", SHARED_STRINGS_REL),
        "xl/worksheets/sheet1.xml": SHEET_START + b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>' + SHEET_END,
        "xl/sharedStrings.xml": (chunk for part in ([SST_START], items, [b"</sst>"]) for chunk in part),
    })  # fmt: skip


def many_rows_bomb(rows: int) -> bytes:
    """A workbook of `rows` tiny rows (the tester's: three million in 687 KB)."""
    return with_part(
        workbook(["x"]),
        "xl/worksheets/sheet1.xml",
        repeated(b"<row><c><v>1</v></c></row>", rows * 26, start=SHEET_START, end=SHEET_END),
    )


def sheet_of(*rows: bytes) -> bytes:
    """A workbook whose first sheet is exactly `rows` (XML `<row>` elements)."""
    return with_part(
        workbook(["x"]), "xl/worksheets/sheet1.xml", SHEET_START + b"".join(rows) + SHEET_END
    )


def text_row(number: int, *cells: tuple[str, str]) -> bytes:
    """A sheet row of inline text cells, given as (reference, text) pairs."""
    inner = "".join(f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>' for ref, text in cells)
    return f'<row r="{number}">{inner}</row>'.encode()


def many_parts_bomb(parts: int) -> bytes:
    """An archive of `parts` empty parts: its directory alone would fill memory."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for n in range(parts):
            archive.writestr(f"p{n}", b"")
    return out.getvalue()


def times_packed(archive: bytes, name: str) -> int:
    """How many times its packed size the part `name` of `archive` unpacks to."""
    info = zipfile.ZipFile(io.BytesIO(archive)).getinfo(name)
    return info.file_size // info.compress_size
