"""Documents people read: the model as a PDF or a Word document, and its pyramid as SVG or PNG.

Each takes what the document shows (facts.Readable: the tree and its cover's facts) and returns
bytes. The exchange formats (JSON, CSV, XLSX) are the interchange app's.

Every one of them reads the model as the Clearinghouse's own documents do: a cover, the pyramid,
then tier by tier from tier 1 up. The pyramid is bounded in size whatever the model's (see
core.pictures.model_pyramid), and scaled to fit the page with its caption."""

import io

from django.conf import settings
from django.template.loader import render_to_string

from cmc.core.bulk import collecting_later
from cmc.core.pictures import ModelPyramid, model_pyramid
from cmc.core.text import xml_text

from ..selectors.trees import pyramid_rows
from .facts import Readable

READABLE = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "svg": "image/svg+xml",
    "png": "image/png",
}
PYRAMID_URL = "https://cmc.invalid/pyramid.png"
# The largest the pyramid is drawn on a page, (width, height): what a Letter page holds inside
# its margins with the figure's heading and caption (centimetres in the PDF, inches in Word).
PDF_FIGURE_CM, DOCX_FIGURE_IN = (17.5, 19.5), (6.5, 7.8)
FIGURE_CAPTION = "The model's pyramid: tier 1 at the base, one block per competency."
CROWDED = (
    " A tier with more competencies than the picture holds shows its first ones and how many"
    " more it has; every competency is listed below."
)
# Past this many key behaviors, a PDF sets each one as one plain run of text: a bold title
# inside the line is a box of its own to lay out, a third of the time of a model of thousands.
PLAIN_PAST = 2000


def picture(document: Readable, *, caption: bool, links: bool = False, site: str = ""):
    """The model's pyramid; with `caption`, the model's name, source and version drawn above it
    (for a picture read on its own)."""
    tree = document.tree
    lines = (tree.name, document.source_line, document.facts.version) if caption else ()
    return model_pyramid(tree.name, pyramid_rows(tree, site=site), links=links, caption=lines)


def pyramid_svg_document(document: Readable) -> str:
    """The model's pyramid as a standalone SVG file whose blocks link to the site."""
    drawn = picture(document, caption=True, links=True, site=settings.CMC_SITE_URL)
    return str(drawn.svg).replace("<svg ", '<svg xmlns:xlink="http://www.w3.org/1999/xlink" ', 1)


def pyramid_png(document: Readable, width: int = 2000) -> bytes:
    return picture(document, caption=True).png(width)


def _fitted(drawn: ModelPyramid, box: tuple[float, float]) -> tuple[float, float]:
    """The picture's size scaled to fit `box` (width, height), keeping its proportions."""
    scale = min(box[0] / drawn.width, box[1] / drawn.height)
    return round(drawn.width * scale, 2), round(drawn.height * scale, 2)


def _caption(drawn: ModelPyramid) -> str:
    return FIGURE_CAPTION + (CROWDED if drawn.left_out else "")


def _page_references_kept() -> None:
    """pydyf (0.13) lists every page's reference anew each time WeasyPrint tags an element, so
    writing a tagged PDF of n pages costs n²: most of the time a model of a thousand pages
    takes. Keep the list until a page is added; the references are the same."""
    import pydyf

    # Only for the release whose page list this reads (the pinned one): another keeps its own.
    if getattr(pydyf.PDF, "page_references_kept", False) or pydyf.__version__ != "0.13.0":
        return

    def page_references(pdf) -> tuple[bytes, ...]:
        kids = pdf.pages["Kids"]
        kept = pdf.__dict__.get("_kept_page_references")
        if kept is None or kept[0] != len(kids):
            kept = (len(kids), tuple(f"{n} 0 R".encode("ascii") for n in kids[::3]))
            pdf.__dict__["_kept_page_references"] = kept
        return kept[1]

    pydyf.PDF.page_references = property(page_references)
    pydyf.PDF.page_references_kept = True


def pdf(document: Readable) -> bytes:
    """Cover, pyramid, then tier by tier the competencies, definitions and key behaviors;
    tagged (headings, lists, the pyramid's alternative text) for screen readers. A crowded
    tier's "more" block in the pyramid links to the tier's pages."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    _page_references_kept()
    # The pyramid is drawn to a picture first (WeasyPrint lays out SVG text several times
    # slower than CairoSVG draws it) and handed over by name; nothing else is ever fetched.
    tree = document.tree
    drawn = picture(document, caption=False) if tree.tiers else None
    png = drawn.png(1400) if drawn else b""

    class OnlyThePyramid(URLFetcher):
        def fetch(self, url, headers=None):
            if url == PYRAMID_URL and png:
                return URLFetcherResponse(url, png, {"Content-Type": "image/png"})
            raise ValueError(f"{url} is not fetched when printing")

    context = {
        "framework": tree,
        "document": document,
        "tiers": document.tiers(),
        "figure": _figure(drawn) if drawn else None,
        "plain": tree.behavior_count() > PLAIN_PAST,
    }
    html = render_to_string("frameworks/print.html", context)
    # WeasyPrint makes millions of objects for a model of thousands of key behaviors; the
    # cycle collector's passes over them all would take a third of the time.
    with collecting_later():
        made = HTML(string=html, base_url=PYRAMID_URL, url_fetcher=OnlyThePyramid())
        return made.write_pdf(pdf_tags=True)


def _figure(drawn: ModelPyramid) -> dict:
    """The pyramid as the PDF shows it: its size on the page, its alternative text and
    caption, and a link laid over each "more" block to its tier (where the picture is, in
    percent of it)."""
    width, height = _fitted(drawn, PDF_FIGURE_CM)

    def share(value: float, whole: float) -> float:
        return round(value * 100 / whole, 3)

    links = [
        {
            "number": more.number,
            "more": more.more,
            "left": share(more.x, drawn.width),
            "top": share(more.y, drawn.height),
            "width": share(more.width, drawn.width),
            "height": share(more.height, drawn.height),
        }
        for more in drawn.more
    ]
    return {
        "width": width,
        "height": height,
        "alt": drawn.description,
        "caption": _caption(drawn) + (" Each “more” block links to its tier." if links else ""),
        "links": links,
    }


class _Body:
    """Paragraphs added at the end of a Word document as XML, each in constant time:
    python-docx's own add_paragraph looks for the section's properties past every paragraph
    before it, and its runs take their text a character at a time and their bold by a search,
    which makes a model of 30,000 key behaviors take minutes (then ten times the plain XML)."""

    def __init__(self, document):
        self.document = document
        self.end = document.element.body.sectPr
        self.styles: dict[str, str] = {}

    def add(self, *runs, style: str = ""):
        """A paragraph of `runs` in `style`; a run is its text, or (text, "bold" or "italic")."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from lxml.etree import SubElement

        element = OxmlElement("w:p")
        if style:
            if style not in self.styles:
                self.styles[style] = self.document.styles[style].style_id
            properties = SubElement(element, qn("w:pPr"))
            SubElement(properties, qn("w:pStyle")).set(qn("w:val"), self.styles[style])
        for run in runs:
            text, look = (run, "") if isinstance(run, str) else run
            made = SubElement(element, qn("w:r"))
            if look:
                SubElement(SubElement(made, qn("w:rPr")), qn("w:b" if look == "bold" else "w:i"))
            text = xml_text(text)
            if any(mark in text for mark in "\t\r\n"):
                made.text = text  # tabs and line breaks as Word's own elements
            elif text:
                words = SubElement(made, qn("w:t"))
                words.text = text
                if len(text.strip()) < len(text):
                    words.set(qn("xml:space"), "preserve")
        self.end.addprevious(element)
        return element


def docx(readable: Readable) -> bytes:
    """The same content as the PDF, with real Word headings (Title, Heading 1 to 3)."""
    from docx import Document
    from docx.shared import Inches, Pt
    from docx.text.paragraph import Paragraph

    framework = readable.tree
    document = Document()
    document.core_properties.title = xml_text(framework.name)
    document.core_properties.subject = "Competency model"
    document.styles["Normal"].font.size = Pt(11)
    body = _Body(document)
    body.add(framework.name, style="Title")
    if readable.subtitle:
        body.add(readable.subtitle, style="Subtitle")
    if framework.description:
        body.add(framework.description)
    for label, value in readable.cover():
        body.add((f"{label}: ", "bold"), value)
    if framework.tiers:
        drawn = picture(readable, caption=False)
        width, height = _fitted(drawn, DOCX_FIGURE_IN)
        figure = Paragraph(body.add(), document)
        figure.paragraph_format.keep_with_next = True  # the caption goes where the figure goes
        figure.add_run().add_picture(
            io.BytesIO(drawn.png(1600)), width=Inches(width), height=Inches(height)
        )
        body.add(_caption(drawn), style="Caption")
    for tier, note in readable.tiers():
        body.add(f"Tier {tier.number}: {tier.name}", style="Heading 1")
        body.add((tier.group_label, "italic"))
        if note:
            body.add(note)
        if not tier.competencies:
            body.add("No competencies are listed for this tier.")
        for competency in tier.competencies:
            body.add(f"{competency.code} {competency.name}".strip(), style="Heading 2")
            if competency.definition:
                body.add(competency.definition)
            if competency.behaviors:
                body.add("Key behaviors", style="Heading 3")
            for behavior in competency.behaviors:
                title = [(f"{behavior.title}: ", "bold")] if behavior.title else []
                body.add(*title, behavior.text, style="List Bullet")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def render(document: Readable, fmt: str) -> bytes:
    """The document in `fmt` (one of READABLE); ValueError otherwise."""
    if fmt == "pdf":
        return pdf(document)
    if fmt == "docx":
        return docx(document)
    if fmt == "svg":
        return pyramid_svg_document(document).encode()
    if fmt == "png":
        return pyramid_png(document)
    raise ValueError(f"unknown format '{fmt}'; use one of {', '.join(READABLE)}")


def filename(framework, fmt: str, version=None) -> str:
    suffix = f"-v{version.number}" if version is not None else ""
    suffix += "-pyramid" if fmt in ("svg", "png") else ""
    return f"{framework.slug}{suffix}.{fmt}"
