"""The rows of a filled-in Word worksheet's table, read as a stream.

python-docx would build the whole document in memory and lay out every cell of a row before it
gives any (a crafted table of a few hundred thousand cells takes it half a minute), so the
document part is read with lxml's event parser instead (see cmc.core.ooxml), one row at a time."""

import zipfile
from collections.abc import Iterator

from cmc.core import ooxml

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# What a run's children mean as text, as Word shows it.
RUN_TEXT = {f"{W}tab": "\t", f"{W}ptab": "\t", f"{W}br": "\n", f"{W}cr": "\n"}


def rows(archive: zipfile.ZipFile, first: str) -> Iterator[list[str]]:
    """The rows (cell texts) of the first table of the document's body whose first cell reads
    `first`; none when there is no such table. Tables inside cells are not its rows."""
    part = ooxml.main_part(archive, "main document")
    table = looked_at = None  # the table being read; the last one whose first row was read
    for element in ooxml.stream(archive, part, f"{W}tr", f"{W}p", drop=False):
        parent = element.getparent()
        if element.tag == f"{W}p":
            if parent.tag == f"{W}body":  # between tables: the one being read has ended
                if table is not None:
                    return
                element.clear()
                ooxml.drop_before(element)
            continue
        if next(parent.iterancestors(f"{W}tc"), None) is not None:
            continue  # a row of a table inside a cell: part of that cell
        if table is not None and parent is not table:
            return
        cells = [_cell_text(tc) for tc in element.iterfind(f"{W}tc")]
        if table is None and parent is not looked_at:
            looked_at = parent
            if cells and cells[0].strip() == first:
                table = parent
        if table is not None:
            yield cells
        element.clear()
        ooxml.drop_before(element)


def _cell_text(tc) -> str:
    """A cell's text as Word shows it: its paragraphs on lines of their own."""
    return "\n".join(_paragraph_text(p) for p in tc.iterfind(f"{W}p"))


def _paragraph_text(p) -> str:
    parts = []
    for node in p.iter(f"{W}t", *RUN_TEXT):
        parts.append((node.text or "") if node.tag == f"{W}t" else RUN_TEXT[node.tag])
    return "".join(parts)
