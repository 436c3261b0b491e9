"""Documents people read: the model as a PDF or a Word document, and its pyramid as SVG or PNG.

Each takes a framework whose tree is loaded (selectors.framework_tree) and returns bytes. The
exchange formats (JSON, CSV, XLSX) are the interchange app's."""

import io
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from cmc.core.pictures import model_pyramid_svg
from cmc.core.text import xml_text

from ..models import Framework, FrameworkSource
from ..selectors import latest_version, model_rows, tree_counts

READABLE = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "svg": "image/svg+xml",
    "png": "image/png",
}
PYRAMID_URL = "https://cmc.invalid/pyramid.png"


@dataclass
class Facts:
    """What a cover says: where the model comes from and which version this is."""

    source: str
    version: str
    sources: list[str]
    last_changed: str


def facts_of(framework: Framework) -> Facts:
    shown = getattr(framework, "shown_version", None)  # see selectors.version_framework
    if shown is not None:
        version = f"Version {shown.number} of {shown.published_at:%d %B %Y}"
    else:
        version = _draft_version(framework)
    if framework.version_label:
        version = f"{framework.version_label} · {version}"
    source = framework.source_citation or "Not given"
    if framework.source_section:
        source += f" ({framework.source_section})"
    links = FrameworkSource.objects.filter(framework=framework).select_related(
        "source", "source_version"
    )
    sources = [
        f"{link.source_name}"
        + (f", version {link.source_version.number}" if link.source_version else "")
        for link in links
    ]
    return Facts(source, version, sources, f"{timezone.localtime(framework.updated_at):%d %B %Y}")


def _draft_version(framework: Framework) -> str:
    latest = latest_version(framework)
    if latest is None:
        return "Draft, not yet published"
    version = f"Version {latest.number} of {latest.published_at:%d %B %Y}"
    if framework.updated_at > latest.published_at:
        version += ", with later changes not yet published"
    return version


def pyramid_svg_document(framework: Framework) -> str:
    """The model's pyramid as a standalone SVG file whose blocks link to the site."""
    rows = model_rows(framework, site=settings.CMC_SITE_URL)
    svg = str(model_pyramid_svg(framework.name, rows))
    return svg.replace("<svg ", '<svg xmlns:xlink="http://www.w3.org/1999/xlink" ', 1)


def pyramid_png(framework: Framework, width: int = 2000) -> bytes:
    import cairosvg

    svg = str(model_pyramid_svg(framework.name, model_rows(framework), links=False))
    return cairosvg.svg2png(bytestring=svg.encode(), output_width=width, background_color="white")


def pdf(framework: Framework) -> bytes:
    """Cover, pyramid, then tier by tier the competencies, definitions and key behaviors;
    tagged (headings, lists, the pyramid's alternative text) for screen readers."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    # The pyramid is drawn to a picture first (WeasyPrint lays out SVG text several times
    # slower than CairoSVG draws it) and handed over by name; nothing else is ever fetched.
    picture = pyramid_png(framework, width=1400) if framework.tier_list else b""

    class OnlyThePyramid(URLFetcher):
        def fetch(self, url, headers=None):
            if url == PYRAMID_URL and picture:
                return URLFetcherResponse(url, picture, {"Content-Type": "image/png"})
            raise ValueError(f"{url} is not fetched when printing")

    html = render_to_string(
        "frameworks/print.html",
        {
            "framework": framework,
            "facts": facts_of(framework),
            "counts": tree_counts(framework),
            "has_pyramid": bool(picture),
        },
    )
    return HTML(string=html, base_url=PYRAMID_URL, url_fetcher=OnlyThePyramid()).write_pdf(
        pdf_tags=True
    )


def docx(framework: Framework) -> bytes:
    """The same content as the PDF, with real Word headings (Title, Heading 1 to 3)."""
    from docx import Document
    from docx.shared import Inches, Pt

    facts = facts_of(framework)
    document = Document()
    document.core_properties.title = xml_text(framework.name)
    document.core_properties.subject = "Competency model"
    document.styles["Normal"].font.size = Pt(11)
    document.add_heading(xml_text(framework.name), level=0)
    if framework.description:
        document.add_paragraph(xml_text(framework.description))
    for label, value in (
        ("Kind", framework.get_kind_display() + (f", {framework.industry}" if framework.industry else "")),
        ("Status", framework.get_status_display()),
        ("Version", facts.version),
        ("Source", facts.source),
        *((("Built from", "; ".join(facts.sources)),) if facts.sources else ()),
        ("Last changed", facts.last_changed),
    ):  # fmt: skip
        line = document.add_paragraph()
        line.add_run(f"{label}: ").bold = True
        line.add_run(xml_text(value))
    if framework.tier_list:
        document.add_picture(io.BytesIO(pyramid_png(framework, width=1600)), width=Inches(6.5))
        caption = document.add_paragraph(
            "The model's pyramid: tier 1 at the base, one block per competency."
        )
        caption.style = document.styles["Caption"]
    for tier in reversed(framework.tier_list):
        document.add_heading(xml_text(f"Tier {tier.number}: {tier.name}"), level=1)
        document.add_paragraph(tier.get_group_display()).italic = True
        if tier.note:
            document.add_paragraph(xml_text(tier.note))
        if not tier.competency_list:
            document.add_paragraph("No competencies are listed for this tier.")
        for competency in tier.competency_list:
            document.add_heading(xml_text(f"{competency.code} {competency.name}").strip(), level=2)
            if competency.definition:
                document.add_paragraph(xml_text(competency.definition))
            if competency.behavior_list:
                document.add_heading("Key behaviors", level=3)
            for behavior in competency.behavior_list:
                item = document.add_paragraph(style="List Bullet")
                if behavior.title:
                    item.add_run(xml_text(f"{behavior.title}: ")).bold = True
                item.add_run(xml_text(behavior.text))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def render(framework: Framework, fmt: str) -> bytes:
    """`framework` as a readable document in `fmt` (one of READABLE); ValueError otherwise."""
    if fmt == "pdf":
        return pdf(framework)
    if fmt == "docx":
        return docx(framework)
    if fmt == "svg":
        return pyramid_svg_document(framework).encode()
    if fmt == "png":
        return pyramid_png(framework)
    raise ValueError(f"unknown format '{fmt}'; use one of {', '.join(READABLE)}")


def filename(framework: Framework, fmt: str, version=None) -> str:
    suffix = f"-v{version.number}" if version is not None else ""
    suffix += "-pyramid" if fmt in ("svg", "png") else ""
    return f"{framework.slug}{suffix}.{fmt}"
