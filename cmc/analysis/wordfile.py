"""A filled-in Word worksheet read as a stream: its subject and identifier, and the rows of its
first table headed `Ref`, one at a time.

python-docx would build the whole document in memory and lay out every cell of a row before it
gives any (a crafted table of a few hundred thousand cells takes it half a minute), so the
document part is read with lxml's event parser instead, keeping one row at a time."""

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from posixpath import join, normpath

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DC = "{http://purl.org/dc/elements/1.1/}"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
DOCUMENT = "/officeDocument"
CORE = "/metadata/core-properties"
# What a run's children mean as text, as Word shows it.
RUN_TEXT = {f"{W}tab": "\t", f"{W}ptab": "\t", f"{W}br": "\n", f"{W}cr": "\n"}


class NotWord(Exception):
    """The file is not a Word document that can be read."""


@dataclass
class Properties:
    subject: str
    identifier: str


def _parse(source):
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.parse(source, parser).getroot()


def _part(archive: zipfile.ZipFile, kind: str) -> str | None:
    """The part the package's relationship of type ending `kind` points at."""
    try:
        root = _parse(archive.open("_rels/.rels"))
    except KeyError:
        raise NotWord("it has no package relationships") from None
    for rel in root.iter(RELS):
        if rel.get("Type", "").endswith(kind):
            return normpath(join("/", rel.get("Target", ""))).lstrip("/")
    return None


def properties(archive: zipfile.ZipFile) -> Properties:
    """The worksheet's kind (subject) and model (identifier), as the site wrote them."""
    part = _part(archive, CORE)
    if part is None or part not in archive.namelist():
        return Properties("", "")
    root = _parse(archive.open(part))
    return Properties(
        (root.findtext(f"{DC}subject") or "").strip(),
        (root.findtext(f"{DC}identifier") or "").strip(),
    )


def rows(archive: zipfile.ZipFile, first: str) -> Iterator[list[str]]:
    """The rows (cell texts) of the first top-level table whose first cell reads `first`; none
    when there is no such table. Paragraphs and rows are dropped once read."""
    part = _part(archive, DOCUMENT)
    if part is None:
        raise NotWord("it has no main document")
    depth, reading, first_row = 0, False, False
    events = etree.iterparse(
        archive.open(part), events=("start", "end"), tag=(f"{W}tbl", f"{W}tr", f"{W}p"),
        resolve_entities=False, no_network=True,
    )  # fmt: skip
    for event, element in events:
        if element.tag == f"{W}tbl":
            depth += 1 if event == "start" else -1
            if event == "start" and depth == 1:
                first_row = True
            if event == "end" and depth == 0:
                if reading:
                    return
                element.clear()
        elif event == "end" and element.tag == f"{W}tr" and depth == 1:
            cells = [_cell_text(tc) for tc in element.iterfind(f"{W}tc")]
            if first_row:
                reading, first_row = bool(cells) and cells[0].strip() == first, False
            if reading:
                yield cells
            element.clear()
        elif event == "end" and element.tag == f"{W}p" and depth == 0:
            element.clear()


def _cell_text(tc) -> str:
    """A cell's text as Word shows it: its paragraphs on lines of their own."""
    return "\n".join(_paragraph_text(p) for p in tc.iterfind(f"{W}p"))


def _paragraph_text(p) -> str:
    parts = []
    for node in p.iter(f"{W}t", *RUN_TEXT):
        parts.append((node.text or "") if node.tag == f"{W}t" else RUN_TEXT[node.tag])
    return "".join(parts)
