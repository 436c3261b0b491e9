"""Long PDFs set by Typst in parts and joined as one: tagged, with bookmarks and page numbers,
in memory bounded by a part rather than by the document.

Typst lays out a model of 30,000 key behaviors in a few seconds, but keeps every page of it in
memory while it does (over a gigabyte). So a long document is compiled part by part, each part
alone and kept in a file of its own (`typeset_to`), and the parts are joined into a file, a part
at a time: each part's objects are copied, renumbered, as they are read (core.pdffile), so that
neither the parts nor the joined document are ever held whole. What is joined:

- the pages, one after the other;
- the tags: every part's structure elements go under one document element (the first part's),
  and the keys that tie a page's marked content and its annotations to them (the parent tree)
  are renumbered after the parts before;
- the named destinations (a label in the source), which every part's links may name: Typst
  links only to labels of the part it compiles, so a link across parts is written as a link to
  `#name` and turned into a link to the destination `name` here;
- the bookmarks, one per heading, nested by the headings' levels as the tags name them (a part
  that starts inside a section has no heading above its first ones);
- the page numbers ("Page 3 of 120"), which only the whole knows: the pages' footers are set by
  Typst as a document of their own, and each page draws its footer over its content as a form
  (the footer is marked as an artifact, as Typst marks it).
"""

import tempfile
import threading
import zlib
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import BinaryIO

HEADINGS = {f"/H{n}": n for n in range(1, 7)}
# Typst keeps what it laid out for reuse until ten compilations have not used it (comemo's
# eviction, run after each compilation): a part's pages would stay in memory while the next
# ten parts are set. Compiling an empty document that many times after each part lets it go.
_AGE_OUT = 10
_lock = threading.Lock()
_compiler = None


def compile_pdf(source: bytes, inputs: dict[str, str]) -> bytes:
    """`source` (Typst markup) compiled to a tagged PDF with `inputs` as `sys.inputs`; what it
    laid out is let go before this returns."""
    import typst

    global _compiler
    with _lock:
        if _compiler is None:
            _compiler = typst.Compiler()  # finds the system's fonts once
        try:
            return _compiler.compile(input=source, format="pdf", sys_inputs=inputs)
        finally:
            for _ in range(_AGE_OUT):
                _compiler.compile(input=b"", format="pdf", sys_inputs={})
            _give_back()


@cache
def _trim():
    """glibc's malloc_trim, where the C library has one."""
    import ctypes

    return getattr(ctypes.CDLL(None), "malloc_trim", None)


def _give_back() -> None:
    """The memory Typst let go given back to the system: glibc keeps what each of Typst's
    threads frees in an arena of that thread, so a process that has set a few parts would
    hold more than the peak of one (some 60 MiB more after 18 parts)."""
    trim = _trim()
    if trim is not None:
        trim(0)


@dataclass(frozen=True)
class Footer:
    """The page numbers laid over a joined document's pages: `words` with {page} and {pages},
    in `font` at `size` points, centred `rise` centimetres above the bottom of a page of
    `paper`; the first `skip` pages (a cover) have none."""

    words: str = "Page {page} of {pages}"
    font: str = "DejaVu Sans"
    size: float = 9
    colour: str = "#4b5563"
    paper: str = "us-letter"
    rise: float = 1.2
    skip: int = 1

    def source(self, pages: int) -> bytes:
        """A Typst document of the numbered pages' footers alone (`words` is markup)."""
        number = f"#(here().page() + {self.skip})"
        words = self.words.replace("{page}", number).replace("{pages}", str(pages))
        return (
            f'#set page(paper: "{self.paper}", margin: (bottom: {self.rise}cm), '
            f'footer-descent: 0pt, footer: context align(center, text(font: "{self.font}", '
            f'size: {self.size}pt, fill: rgb("{self.colour}"))[{words}]))\n'
            f"#for n in range({pages - self.skip}) {{ if n > 0 {{ pagebreak() }}; box() }}\n"
        ).encode()


def typeset(source: bytes, parts: Iterable[dict[str, str]], *, footer: Footer) -> bytes:
    """`source` compiled once for each part's inputs, the parts joined in order (see the
    module's docstring) and their pages numbered with `footer`."""
    with tempfile.TemporaryFile() as out:
        typeset_to(out, source, parts, footer=footer)
        out.seek(0)
        return out.read()


def typeset_to(
    out: BinaryIO, source: bytes, parts: Iterable[dict[str, str]], *, footer: Footer
) -> None:
    """`typeset`, written to `out`: each part is kept in a file of its own until it is joined,
    and the joined document is written as it is joined."""
    import pikepdf

    with tempfile.TemporaryDirectory(prefix="cmc-typeset-") as folder:
        files, pages, names = [], 0, set()
        for inputs in parts:
            files.append(Path(folder) / f"part-{len(files)}.pdf")
            files[-1].write_bytes(compile_pdf(source, inputs))
            with pikepdf.open(files[-1]) as part:
                pages += len(part.pages)
                names.update(name for name, _ in _named(part))
        if not files:
            raise ValueError("a document needs at least one part")
        joined = _Joined(out, pages, names)
        joined.number_pages(footer, Path(folder) / "footer.pdf")
        for path in files:
            with pikepdf.open(path) as part:
                joined.append(part)
            path.unlink()
        joined.finish()


def _shift(item, key: str, by: int) -> None:
    if key in item:
        item[key] = int(item[key]) + by


def _named(pdf) -> Iterable[tuple[str, object]]:
    names = pdf.Root.get("/Names", {}).get("/Dests", {}).get("/Names", ())
    for at in range(0, len(names), 2):
        yield str(names[at]), names[at + 1]


def _bookmarks(pdf, offset: int) -> list:
    """The part's bookmarks in reading order, each at the level its heading is tagged with and
    on its page in the joined document."""
    pages = {page.objgen: n for n, page in enumerate(pdf.pages)}
    marks = []
    with pdf.open_outline() as outline:
        stack = list(reversed(outline.root))
        while stack:
            item = stack.pop()
            destination = item.destination
            where = [float(destination[n]) for n in (2, 3)]  # [page /XYZ left top zoom]
            marks.append((item.title, pages[destination[0].objgen], *where))
            stack.extend(reversed(item.children))
    [document] = pdf.Root.StructTreeRoot.K
    levels = [HEADINGS[str(kid.S)] for kid in document.K if str(kid.get("/S")) in HEADINGS]
    if len(levels) != len(marks):
        raise ValueError(f"{len(marks)} bookmarks for {len(levels)} tagged headings")
    from .pdffile import Bookmark

    return [
        Bookmark(title, level, offset + page, left, top)
        for (title, page, left, top), level in zip(marks, levels, strict=True)
    ]


# The catalog, the page tree, the tags' root and their document element of the joined
# document: what each part's own stand for.
_CATALOG, _PAGES, _TREE, _DOCUMENT = 1, 2, 3, 4
# A numbered page's content is its own, in a saved graphics state, then its footer's.
_PUSH = b"q\n"
_FOOTER_NAME = b"/CmcPageNumber"
_DRAW = b"\nQ\nq\n1 0 0 1 0 0 cm\n" + _FOOTER_NAME + b" Do\nQ\n"


class _Joined:
    """The joined document, written to `out` a part at a time (see the module's docstring):
    `pages` in all, of which the links may name the destinations `names`."""

    def __init__(self, out: BinaryIO, pages: int, names: set[str]):
        from . import pdffile

        self.output = pdffile.Output(out)
        for _ in range(_DOCUMENT):
            self.output.reserve()
        self.total, self.names = pages, names
        self.pages = array("l")  # each page's number in the output
        self.footers: dict[int, int] = {}  # a numbered page's index: its footer's number
        self.kids = bytearray()  # the document element's
        self.parent_tree = bytearray()  # its /Nums
        self.next_key = 0
        self.destinations: list[tuple[str, bytes]] = []
        self.bookmarks: list = []  # pdffile.Bookmark, the joined document's
        self.first: dict[str, bytes] = {}  # what the first part says of the whole
        self.push, self.draw = self.output.reserve(), self.output.reserve()
        self.output.add_stream(self.push, b"<< >>", _PUSH)
        self.output.add_stream(self.draw, b"<< >>", _DRAW)

    def number_pages(self, footer: Footer, path: Path) -> None:
        """The footers, set by Typst as a document of their own, each written as a form
        that its page draws over its content."""
        import pikepdf

        from . import pdffile

        if self.total <= footer.skip:
            return
        path.write_bytes(compile_pdf(footer.source(self.total), {}))
        with pikepdf.open(path) as numbers:
            copy = pdffile.Copy(self.output, numbers, {})
            for index, page in enumerate(numbers.pages, start=footer.skip):
                contents = page.obj.Contents
                if isinstance(contents, pikepdf.Stream):
                    data = contents.read_raw_bytes()
                    encoded = copy.entries(contents.stream_dict, leave=("/Length",))
                else:
                    data = zlib.compress(b"\n".join(part.read_bytes() for part in contents))
                    encoded = b"/Filter /FlateDecode"
                self.footers[index] = form = self.output.reserve()
                described = b"<< /Type /XObject /Subtype /Form /BBox %s /Resources %s %s >>"
                resources = copy.value(page.obj.get("/Resources", pikepdf.Dictionary()))
                self.output.add_stream(
                    form, described % (copy.value(page.mediabox), resources, encoded), data
                )
            copy.drain()
        path.unlink()

    def append(self, part) -> None:
        """The part's pages, tags, destinations and bookmarks, after those joined before."""
        from . import pdffile

        offset, tree = len(self.pages), part.Root.StructTreeRoot
        [document] = tree.K  # Typst tags one document element
        stands = {
            part.Root.objgen: _CATALOG,
            part.Root.Pages.objgen: _PAGES,
            tree.objgen: _TREE,
            document.objgen: _DOCUMENT,
        }
        numbers = {objgen: number for objgen, number in stands.items() if objgen != (0, 0)}
        for page in part.pages:
            numbers[page.objgen] = self.output.reserve()
        copy = pdffile.Copy(self.output, part, numbers)
        if not offset:
            self._first(part, copy)
        for index, page in enumerate(part.pages):
            self._page(copy, page.obj, offset + index)
        for kid in document.K:
            self.kids += copy.value(kid) + b" "
        nums = tree.ParentTree.Nums
        for at in range(0, len(nums), 2):
            key = int(nums[at]) + self.next_key
            self.parent_tree += b"%d %s " % (key, copy.value(nums[at + 1]))
        self.next_key += int(tree.ParentTreeNextKey)
        self.destinations.extend((name, copy.value(place)) for name, place in _named(part))
        self.bookmarks.extend(_bookmarks(part, offset))
        copy.drain()

    def _first(self, part, copy) -> None:
        """What the first part says of the whole: its catalog's other entries, its tags'
        roles, its metadata (with the whole's number of pages), its document information."""
        with part.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as metadata:
            metadata["{http://ns.adobe.com/xap/1.0/t/pg/}NPages"] = str(self.total)
        joined = ("/Type", "/Pages", "/StructTreeRoot", "/Outlines", "/Names")
        tree = part.Root.StructTreeRoot
        self.first = {
            "catalog": copy.entries(part.Root, leave=joined),
            "tree": copy.entries(tree, leave=("/Type", "/K", "/ParentTree", "/ParentTreeNextKey")),
            "document": copy.entries(tree.K[0], leave=("/K", "/P")),
            "trailer": copy.entries(part.trailer, leave=("/Root", "/Size", "/Prev")),
        }

    def _page(self, copy, page, index: int) -> None:
        number = copy.numbers[page.objgen]
        self.pages.append(number)
        for annotation in page.get("/Annots", ()):
            _shift(annotation, "/StructParent", self.next_key)
            _link_to_destination(annotation, self.names)
        mine = [b"/Parent %d 0 R" % _PAGES]
        if "/StructParents" in page:
            mine.append(b"/StructParents %d" % (int(page.StructParents) + self.next_key))
        leave = {"/Parent", "/StructParents"}
        footer = self.footers.get(index)
        if footer is not None:
            import pikepdf

            leave |= {"/Contents", "/Resources"}
            contents = page.Contents  # a stream, or an array of them
            if isinstance(contents, pikepdf.Array):
                contents = b" ".join(copy.value(stream) for stream in contents)
            else:
                contents = copy.value(contents)
            mine.append(b"/Contents [ %d 0 R %s %d 0 R ]" % (self.push, contents, self.draw))
            resources = page.get("/Resources", pikepdf.Dictionary())
            forms = copy.entries(resources.get("/XObject", {}))
            forms += b" %s %d 0 R" % (_FOOTER_NAME, footer)
            others = copy.entries(resources, leave=("/XObject",))
            mine.append(b"/Resources << %s /XObject << %s >> >>" % (others, forms))
        self.output.add(number, b"<< %s %s >>" % (copy.entries(page, leave), b" ".join(mine)))

    def finish(self) -> None:
        """The page tree, the tags' root, the destinations and bookmarks, the catalog."""
        from . import pdffile

        first, output = self.first, self.output
        kids = b" ".join(b"%d 0 R" % number for number in self.pages)
        output.add(_PAGES, b"<< /Type /Pages /Count %d /Kids [ %s ] >>" % (len(self.pages), kids))
        output.add(
            _DOCUMENT, b"<< %s /P %d 0 R /K [ %s ] >>" % (first["document"], _TREE, self.kids)
        )
        output.add(
            _TREE,
            b"<< /Type /StructTreeRoot %s /K [ %d 0 R ] /ParentTree << /Nums [ %s ] >> "
            b"/ParentTreeNextKey %d >>"
            % (first["tree"], _DOCUMENT, self.parent_tree, self.next_key),
        )
        names = sorted(self.destinations, key=lambda pair: pair[0].encode())
        named = b" ".join(pdffile.string(name) + b" " + place for name, place in names)
        catalog = b"<< /Type /Catalog %s /Pages %d 0 R /StructTreeRoot %d 0 R " % (
            first["catalog"],
            _PAGES,
            _TREE,
        )
        catalog += b"/Names << /Dests << /Names [ %s ] >> >>" % named
        outline = pdffile.outline(output, self.bookmarks, self.pages)
        if outline is not None:
            catalog += b" /Outlines %d 0 R" % outline
        output.add(_CATALOG, catalog + b" >>")
        output.finish(root=_CATALOG, trailer=first["trailer"])


def _link_to_destination(annotation, names: set[str]) -> None:
    """A link written as a link to `#name` goes to the named destination `name`."""
    import pikepdf

    action = annotation.get("/A")
    target = str(action.get("/URI", "")) if action is not None else ""
    if target.startswith("#") and target[1:] in names:
        del annotation["/A"]
        annotation.Dest = pikepdf.String(target[1:])
