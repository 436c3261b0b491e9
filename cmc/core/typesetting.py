"""Long PDFs set by Typst in parts and joined as one: tagged, with bookmarks and page numbers,
in memory bounded by a part rather than by the document.

Typst lays out a model of 30,000 key behaviors in a few seconds, but keeps every page of it in
memory while it does (over a gigabyte). So a long document is compiled part by part, each part
alone (`typeset`), and the parts are joined with pikepdf (qpdf), which copies their objects
without reading them into Python:

- the pages, one after the other;
- the tags: every part's structure elements go under the first part's document element, and
  the keys that tie a page's marked content and its annotations to them (the parent tree) are
  renumbered after the parts before;
- the named destinations (a label in the source), which every part's links may name: Typst
  links only to labels of the part it compiles, so a link across parts is written as a link to
  `#name` and turned into a link to the destination `name` here;
- the bookmarks, one per heading, nested by the headings' levels as the tags name them (a part
  that starts inside a section has no heading above its first ones);
- the page numbers ("Page 3 of 120"), which only the whole knows: the pages' footers are set by
  Typst as a document of their own and laid over the joined pages, marked as artifacts.
"""

import io
import threading
from collections.abc import Iterable
from dataclasses import dataclass

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
    import pikepdf

    joined = None
    for inputs in parts:
        made = pikepdf.open(io.BytesIO(compile_pdf(source, inputs)))
        if joined is None:
            joined = _Joined(made)
        else:
            joined.append(made)
            made.close()  # what the joined document needs of it is copied
    if joined is None:
        raise ValueError("a document needs at least one part")
    return joined.finish(footer)


class _Joined:
    """The document the parts are joined into: the first part, grown by each next one."""

    def __init__(self, first):
        self.pdf = first
        tree = first.Root.StructTreeRoot
        [self.document] = tree.K  # Typst tags one document element
        self.parent_tree = tree.ParentTree.Nums
        self.next_key = int(tree.ParentTreeNextKey)
        self.destinations = list(_named(first))
        self.bookmarks = _bookmarks(first, 0)

    def append(self, part) -> None:
        pdf, offset = self.pdf, len(self.pdf.pages)
        pdf.pages.extend(part.pages)
        for page in pdf.pages[offset:]:
            _shift(page.obj, "/StructParents", self.next_key)
            for annotation in page.obj.get("/Annots", ()):
                _shift(annotation, "/StructParent", self.next_key)
        tree = part.Root.StructTreeRoot
        [document] = tree.K
        # Copied after the pages, the elements point at the pages already joined (qpdf keeps
        # one copy of each object of a part).
        for kid in pdf.copy_foreign(part.make_indirect(document.K)):
            kid.P = self.document
            self.document.K.append(kid)
        numbers = pdf.copy_foreign(part.make_indirect(tree.ParentTree.Nums))
        for at in range(0, len(numbers), 2):
            self.parent_tree.append(int(numbers[at]) + self.next_key)
            self.parent_tree.append(numbers[at + 1])
        self.next_key += int(tree.ParentTreeNextKey)
        self.destinations.extend(
            (name, pdf.copy_foreign(part.make_indirect(destination)))
            for name, destination in _named(part)
        )
        self.bookmarks.extend(_bookmarks(part, offset))

    def finish(self, footer: Footer) -> bytes:
        import pikepdf

        pdf = self.pdf
        pdf.Root.StructTreeRoot.ParentTreeNextKey = self.next_key
        names = sorted(self.destinations, key=lambda pair: pair[0].encode())
        pdf.Root.Names = pikepdf.Dictionary(
            Dests=pikepdf.Dictionary(Names=pikepdf.Array([x for pair in names for x in pair]))
        )
        _link_to_destinations(pdf, {name for name, _ in names})
        _outline(pdf, self.bookmarks)
        _number_pages(pdf, footer)
        # The first part's metadata names its own number of pages.
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as metadata:
            metadata["{http://ns.adobe.com/xap/1.0/t/pg/}NPages"] = str(len(pdf.pages))
        out = io.BytesIO()
        pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return out.getvalue()


def _shift(item, key: str, by: int) -> None:
    if key in item:
        item[key] = int(item[key]) + by


def _named(pdf) -> Iterable[tuple[str, object]]:
    names = pdf.Root.get("/Names", {}).get("/Dests", {}).get("/Names", ())
    for at in range(0, len(names), 2):
        yield str(names[at]), names[at + 1]


@dataclass
class _Bookmark:
    title: str
    level: int
    page: int
    left: float
    top: float


def _bookmarks(pdf, offset: int) -> list[_Bookmark]:
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
    return [
        _Bookmark(title, level, offset + page, left, top)
        for (title, page, left, top), level in zip(marks, levels, strict=True)
    ]


def _link_to_destinations(pdf, names: set[str]) -> None:
    """A link written as a link to `#name` goes to the named destination `name`."""
    import pikepdf

    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", ()):
            action = annotation.get("/A")
            target = str(action.get("/URI", "")) if action is not None else ""
            if target.startswith("#") and target[1:] in names:
                del annotation["/A"]
                annotation.Dest = pikepdf.String(target[1:])


def _outline(pdf, bookmarks: list[_Bookmark]) -> None:
    """The bookmarks nested by level: each under the last one of a lower level before it."""
    from pikepdf import OutlineItem, PageLocation

    with pdf.open_outline() as outline:
        outline.root.clear()
        above: list[tuple[int, list]] = [(0, outline.root)]
        for mark in bookmarks:
            item = OutlineItem(
                mark.title, mark.page, PageLocation.XYZ, left=mark.left, top=mark.top
            )
            while above[-1][0] >= mark.level:
                above.pop()
            above[-1][1].append(item)
            above.append((mark.level, item.children))


def _number_pages(pdf, footer: Footer) -> None:
    """Each page past `footer.skip` gets its number, set by Typst and laid over the page."""
    import pikepdf

    pages = len(pdf.pages)
    if pages <= footer.skip:
        return
    numbers = pikepdf.open(io.BytesIO(compile_pdf(footer.source(pages), {})))
    for page, number in zip(pdf.pages[footer.skip :], numbers.pages, strict=True):
        page.add_overlay(number)
