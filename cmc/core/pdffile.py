"""A PDF written to a file as its objects come, copied from other PDFs opened with pikepdf:
what joins the parts of a long document (core.typesetting) in memory that one part bounds.

qpdf (pikepdf) holds every object of a document it writes, some 1.5 KB each, and a tagged
document has several per paragraph: a model of 30,000 key behaviors has 140,000 of them, over
200 MiB. Here a part's objects are read from its own file, renumbered and written out, and
what is kept of them is a number and a place in the file each.

The objects other than streams go into compressed object streams, and the cross-reference
table is a stream too (PDF 1.5), as qpdf writes them."""

import re
import struct
import zlib
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from typing import BinaryIO

import pikepdf

# Objects other than streams in one object stream.
PER_OBJECT_STREAM = 200
_HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
# An indirect reference in qpdf's syntax ("12 0 R"), or a literal string, which may hold what
# reads like one: qpdf escapes the parentheses and backslashes within a string.
_REFERENCE = re.compile(rb"\((?:[^\\)]|\\.)*\)|(\d+) (\d+) R")
_BARE_REFERENCE = re.compile(rb"(\d+) (\d+) R")  # where there is no literal string


class Output:
    """The PDF being written to `out`: objects are numbered (`reserve`) when first named and
    written (`add`, `add_stream`) in any order after; `finish` writes the cross-reference."""

    def __init__(self, out: BinaryIO):
        self.out = out
        self.position = 0
        # By object number: 1 written at `places`, 2 the `indexes`th of object stream `places`.
        self.kinds = bytearray(1)
        self.places = array("q", [0])
        self.indexes = array("l", [0])
        self.pending: list[tuple[int, bytes]] = []
        self._write(_HEADER)

    def _write(self, data: bytes) -> None:
        self.out.write(data)
        self.position += len(data)

    def reserve(self) -> int:
        """A new object's number."""
        self.kinds.append(0)
        self.places.append(0)
        self.indexes.append(0)
        return len(self.kinds) - 1

    def add(self, number: int, body: bytes) -> None:
        """Object `number`, not a stream, as PDF syntax."""
        self.pending.append((number, body))
        if len(self.pending) >= PER_OBJECT_STREAM:
            self._flush()

    def add_stream(self, number: int, dictionary: bytes, data: bytes) -> None:
        """Stream `number`: `dictionary` (PDF syntax, without /Length) and its encoded data."""
        self.kinds[number], self.places[number] = 1, self.position
        head = b"%d 0 obj\n%s /Length %d >>\nstream\n" % (number, dictionary[:-2], len(data))
        self._write(head + data + b"\nendstream\nendobj\n")

    def _flush(self) -> None:
        if not self.pending:
            return
        number, offsets, bodies, at = self.reserve(), [], [], 0
        for index, (member, body) in enumerate(self.pending):
            self.kinds[member], self.places[member], self.indexes[member] = 2, number, index
            offsets.append(b"%d %d" % (member, at))
            bodies.append(body)
            at += len(body) + 1
        head = b" ".join(offsets) + b"\n"
        data = zlib.compress(head + b"\n".join(bodies))
        self.pending = []
        described = b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode >>"
        self.add_stream(number, described % (len(offsets), len(head)), data)

    def finish(self, *, root: int, trailer: bytes = b"") -> None:
        """The cross-reference stream and the trailer (`root` the catalog's number, `trailer`
        more of its entries: /Info, /ID), once every object is written."""
        self._flush()
        number = self.reserve()
        self.kinds[number], self.places[number] = 1, self.position
        missing = [n for n in range(1, number) if not self.kinds[n]]
        if missing:
            raise ValueError(f"objects {missing[:5]} named but not written")
        rows = [struct.pack(">BIH", 0, 0, 65535)]
        rows += map(struct.Struct(">BIH").pack, self.kinds[1:], self.places[1:], self.indexes[1:])
        data = zlib.compress(b"".join(rows))
        described = b"<< /Type /XRef /Size %d /W [ 1 4 2 ] /Root %d 0 R %s /Filter /FlateDecode >>"
        at = self.position
        self.add_stream(number, described % (number + 1, root, trailer), data)
        self._write(b"startxref\n%d\n%%%%EOF\n" % at)


class Copy:
    """The objects of `pdf` copied into `output` as they are named: each gets its number the
    first time `value` or `body` meets a reference to it, and is written by `drain`. `numbers`
    names objects already numbered (written some other way, or standing for another)."""

    def __init__(self, output: Output, pdf, numbers: dict[tuple[int, int], int]):
        self.output, self.pdf = output, pdf
        self.numbers = dict(numbers)
        self.queue: list[tuple[int, int]] = []

    def number(self, objgen: tuple[int, int]) -> int:
        """The object's number in the output; a new one queues the object for `drain`."""
        number = self.numbers.get(objgen)
        if number is None:
            number = self.numbers[objgen] = self.output.reserve()
            self.queue.append(objgen)
        return number

    def _renumbered(self, match) -> bytes:
        number, generation = match.groups()
        if number is None:
            return match.group(0)
        objgen = (int(number), int(generation))
        found = self.numbers.get(objgen)  # most are named before: the page, the parent
        return b"%d 0 R" % (self.number(objgen) if found is None else found)

    def _renumber(self, syntax: bytes) -> bytes:
        pattern = _REFERENCE if b"(" in syntax else _BARE_REFERENCE
        return pattern.sub(self._renumbered, syntax)

    def value(self, obj) -> bytes:
        """`obj` in PDF syntax as the output names it: a reference if it is indirect."""
        if not isinstance(obj, pikepdf.Object):  # pikepdf gives numbers as Python's
            return _scalar(obj)
        return self._renumber(obj.unparse())

    def body(self, obj) -> bytes:
        """The contents of `obj` (a dictionary, an array...) in the output's syntax."""
        return self._renumber(obj.unparse(resolved=True))

    def entries(self, dictionary, leave=()) -> bytes:
        """A dictionary's entries, but those keyed in `leave`, as the output names them."""
        return b" ".join(
            pikepdf.Name(key).unparse() + b" " + self.value(value)
            for key, value in dictionary.items()
            if key not in leave
        )

    def drain(self) -> None:
        """Write every object queued, and those they name in turn."""
        while self.queue:
            objgen = self.queue.pop()
            obj = self.pdf.get_object(objgen)
            number = self.numbers[objgen]
            if isinstance(obj, pikepdf.Stream):
                described = b"<< " + self.entries(obj.stream_dict, leave=("/Length",)) + b" >>"
                self.output.add_stream(number, described, obj.read_raw_bytes())
            else:
                self.output.add(number, self.body(obj))


def _scalar(value) -> bytes:
    if value is None:
        return b"null"
    if isinstance(value, bool):
        return b"true" if value else b"false"
    if isinstance(value, int):
        return b"%d" % value
    return format(value, "f").encode()  # a Decimal, never in exponent form


def string(text: str) -> bytes:
    """`text` as a PDF string (PDFDocEncoding where it can, else UTF-16)."""
    return pikepdf.String(text).unparse()


def _real(value: float) -> bytes:
    return (b"%.6f" % value).rstrip(b"0").rstrip(b".") or b"0"


@dataclass
class Bookmark:
    """A bookmark: its `title`, its heading's `level` (1 the highest), and where it goes: the
    `page`'s index and the point at `left`, `top` on it."""

    title: str
    level: int
    page: int
    left: float
    top: float


@dataclass
class _Item:
    number: int
    mark: Bookmark
    children: list["_Item"]


def outline(output: Output, bookmarks: list[Bookmark], pages: Sequence[int]) -> int | None:
    """The document's outline written to `output`: the bookmarks nested by level, each under
    the last one of a lower level before it, all open; `pages` are the pages' numbers in the
    output. The outline's number, or None without bookmarks."""
    if not bookmarks:
        return None
    root, top = output.reserve(), []
    above: list[tuple[int, list, int]] = [(0, top, root)]
    for mark in bookmarks:
        while above[-1][0] >= mark.level:
            above.pop()
        item = _Item(output.reserve(), mark, [])
        above[-1][1].append(item)
        above.append((mark.level, item.children, item.number))
    count = _items(output, top, root, pages)
    described = b"<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count %d >>"
    output.add(root, described % (top[0].number, top[-1].number, count))
    return root


def _items(output: Output, items: list[_Item], parent: int, pages: Sequence[int]) -> int:
    """Write `items` under `parent`; how many they are with those under them."""
    count = 0
    for at, item in enumerate(items):
        mark = item.mark
        place = (pages[mark.page], _real(mark.left), _real(mark.top))
        entries = [
            b"/Title " + string(mark.title),
            b"/Parent %d 0 R" % parent,
            b"/Dest [ %d 0 R /XYZ %s %s 0 ]" % place,
        ]
        if at:
            entries.append(b"/Prev %d 0 R" % items[at - 1].number)
        if at + 1 < len(items):
            entries.append(b"/Next %d 0 R" % items[at + 1].number)
        if item.children:
            under = _items(output, item.children, item.number, pages)
            first, last = item.children[0].number, item.children[-1].number
            entries.append(b"/First %d 0 R /Last %d 0 R /Count %d" % (first, last, under))
            count += under
        output.add(item.number, b"<< %s >>" % b" ".join(entries))
        count += 1
    return count
