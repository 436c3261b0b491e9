"""Documents people read: the model as a PDF or a Word document, and its pyramid as SVG or PNG.

Each takes what the document shows (facts.Readable: the tree and its cover's facts) and returns
bytes. The exchange formats (JSON, CSV, XLSX) are the interchange app's.

Every one of them reads the model as the Clearinghouse's own documents do: a cover, the pyramid,
then tier by tier from tier 1 up. The pyramid is bounded in size whatever the model's (see
core.pictures.model_pyramid), and scaled to fit the page with its caption."""

import io

from django.conf import settings

from cmc.core.text import xml_text

from . import typeset
from .facts import Readable
from .figures import figure_caption, fitted, picture

READABLE = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "svg": "image/svg+xml",
    "png": "image/png",
}
# The largest the pyramid is drawn on a Word page, (width, height) in inches: what a Letter
# page holds inside its margins with the figure's heading and caption.
DOCX_FIGURE_IN = (6.5, 7.8)


def pyramid_svg_document(document: Readable) -> str:
    """The model's pyramid as a standalone SVG file whose blocks link to the site."""
    drawn = picture(document, caption=True, links=True, site=settings.CMC_SITE_URL)
    return str(drawn.svg).replace("<svg ", '<svg xmlns:xlink="http://www.w3.org/1999/xlink" ', 1)


def pyramid_png(document: Readable, width: int = 2000) -> bytes:
    return picture(document, caption=True).png(width)


def pdf(document: Readable) -> bytes:
    """Cover, pyramid, then tier by tier the competencies, definitions and key behaviors;
    tagged for screen readers, with a bookmark per heading (see typeset)."""
    return typeset.pdf(document)


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
        width, height = fitted(drawn, DOCX_FIGURE_IN)
        figure = Paragraph(body.add(), document)
        figure.paragraph_format.keep_with_next = True  # the caption goes where the figure goes
        figure.add_run().add_picture(
            io.BytesIO(drawn.png(1600)), width=Inches(width), height=Inches(height)
        )
        body.add(figure_caption(drawn), style="Caption")
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
