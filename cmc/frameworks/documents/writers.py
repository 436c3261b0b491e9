"""Documents people read: the model as a PDF or a Word document, and its pyramid as SVG or PNG.

Each takes what the document shows (facts.Readable: the tree and its cover's facts) and returns
bytes. The exchange formats (JSON, CSV, XLSX) are the interchange app's."""

import io

from django.conf import settings
from django.template.loader import render_to_string

from cmc.core.pictures import model_pyramid_svg
from cmc.core.text import xml_text

from ..selectors.trees import pyramid_rows
from ..trees import FrameworkTree
from .facts import Readable

READABLE = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "svg": "image/svg+xml",
    "png": "image/png",
}
PYRAMID_URL = "https://cmc.invalid/pyramid.png"


def pyramid_svg_document(tree: FrameworkTree) -> str:
    """The model's pyramid as a standalone SVG file whose blocks link to the site."""
    rows = pyramid_rows(tree, site=settings.CMC_SITE_URL)
    svg = str(model_pyramid_svg(tree.name, rows))
    return svg.replace("<svg ", '<svg xmlns:xlink="http://www.w3.org/1999/xlink" ', 1)


def pyramid_png(tree: FrameworkTree, width: int = 2000) -> bytes:
    import cairosvg

    svg = str(model_pyramid_svg(tree.name, pyramid_rows(tree), links=False))
    return cairosvg.svg2png(bytestring=svg.encode(), output_width=width, background_color="white")


def pdf(document: Readable) -> bytes:
    """Cover, pyramid, then tier by tier the competencies, definitions and key behaviors;
    tagged (headings, lists, the pyramid's alternative text) for screen readers."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    # The pyramid is drawn to a picture first (WeasyPrint lays out SVG text several times
    # slower than CairoSVG draws it) and handed over by name; nothing else is ever fetched.
    tree = document.tree
    picture = pyramid_png(tree, width=1400) if tree.tiers else b""

    class OnlyThePyramid(URLFetcher):
        def fetch(self, url, headers=None):
            if url == PYRAMID_URL and picture:
                return URLFetcherResponse(url, picture, {"Content-Type": "image/png"})
            raise ValueError(f"{url} is not fetched when printing")

    html = render_to_string(
        "frameworks/print.html",
        {
            "framework": tree,
            "facts": document.facts,
            "counts": {
                "tiers": len(tree.tiers),
                "competencies": tree.competency_count(),
                "behaviors": tree.behavior_count(),
            },
            "has_pyramid": bool(picture),
        },
    )
    return HTML(string=html, base_url=PYRAMID_URL, url_fetcher=OnlyThePyramid()).write_pdf(
        pdf_tags=True
    )


def docx(readable: Readable) -> bytes:
    """The same content as the PDF, with real Word headings (Title, Heading 1 to 3)."""
    from docx import Document
    from docx.shared import Inches, Pt

    framework, facts = readable.tree, readable.facts
    document = Document()
    document.core_properties.title = xml_text(framework.name)
    document.core_properties.subject = "Competency model"
    document.styles["Normal"].font.size = Pt(11)
    document.add_heading(xml_text(framework.name), level=0)
    if framework.description:
        document.add_paragraph(xml_text(framework.description))
    for label, value in (
        ("Kind", framework.kind_label + (f", {framework.industry}" if framework.industry else "")),
        ("Status", framework.status_label),
        ("Version", facts.version),
        ("Source", facts.source),
        *((("Built from", "; ".join(facts.sources)),) if facts.sources else ()),
        ("Last changed", facts.last_changed),
    ):  # fmt: skip
        line = document.add_paragraph()
        line.add_run(f"{label}: ").bold = True
        line.add_run(xml_text(value))
    if framework.tiers:
        document.add_picture(io.BytesIO(pyramid_png(framework, width=1600)), width=Inches(6.5))
        caption = document.add_paragraph(
            "The model's pyramid: tier 1 at the base, one block per competency."
        )
        caption.style = document.styles["Caption"]
    for tier in reversed(framework.tiers):
        document.add_heading(xml_text(f"Tier {tier.number}: {tier.name}"), level=1)
        document.add_paragraph(tier.group_label).italic = True
        if tier.note:
            document.add_paragraph(xml_text(tier.note))
        if not tier.competencies:
            document.add_paragraph("No competencies are listed for this tier.")
        for competency in tier.competencies:
            document.add_heading(xml_text(f"{competency.code} {competency.name}").strip(), level=2)
            if competency.definition:
                document.add_paragraph(xml_text(competency.definition))
            if competency.behaviors:
                document.add_heading("Key behaviors", level=3)
            for behavior in competency.behaviors:
                item = document.add_paragraph(style="List Bullet")
                if behavior.title:
                    item.add_run(xml_text(f"{behavior.title}: ")).bold = True
                item.add_run(xml_text(behavior.text))
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
        return pyramid_svg_document(document.tree).encode()
    if fmt == "png":
        return pyramid_png(document.tree)
    raise ValueError(f"unknown format '{fmt}'; use one of {', '.join(READABLE)}")


def filename(framework, fmt: str, version=None) -> str:
    suffix = f"-v{version.number}" if version is not None else ""
    suffix += "-pyramid" if fmt in ("svg", "png") else ""
    return f"{framework.slug}{suffix}.{fmt}"
