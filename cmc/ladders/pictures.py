"""The lattice diagram as SVG drawn on the server, and the files made from it (SVG, PNG, PDF).

Levels run bottom to top and tracks side by side (see selectors.layout). Promotions are solid
lines with a filled arrowhead, lateral moves dashed lines with an open one, so that the two
kinds differ without colour; a legend says so. Each position is a focusable link with its own
<title>; the picture's <title> and <desc> name every position and move, and every page that
shows it also lists the lattice as text."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from cmc.core.pictures import escape

from .selectors import BOX_H, BOX_W, LatticeView, PositionView, layout
from .selectors.layout import Layout

INK, EDGE, FILL, OCCUPATION_FILL, MUTED = "#1f2937", "#334155", "#f8fafc", "#e0f2fe", "#475569"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif"
CONTENT_TYPES = {
    "json": "application/json",
    "svg": "image/svg+xml",
    "png": "image/png",
    "pdf": "application/pdf",
}


def wage_line(position: PositionView) -> str:
    if position.annual_median:
        hourly = f" · ${position.hourly_median:,.2f}/hr" if position.hourly_median else ""
        return f"${position.annual_median:,}/yr{hourly}"
    if position.hourly_median:
        return f"${position.hourly_median:,.2f}/hr"
    return "Local job title" if not position.is_occupation else "Wage not published"


def describe(view: LatticeView) -> str:
    """The text alternative of the picture: every position by level and every move."""
    parts = []
    for level, positions in view.by_level():
        names = ", ".join(f"{p.title} ({p.track}; {wage_line(p)})" for p in positions)
        parts.append(f"Level {level}: {names}.")
    for move in view.transitions:
        parts.append(f"{move.kind_label}: {move.source_title} to {move.target_title}.")
    return " ".join(parts) or "This lattice has no positions yet."


def _defs() -> str:
    return (
        "<defs>"
        '<marker id="head-promotion" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="5" '
        f'markerHeight="5" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{INK}"/></marker>'
        '<marker id="head-lateral" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" '
        'markerHeight="6" orient="auto-start-reverse"><path d="M1,1 L9,5 L1,9" fill="none" '
        f'stroke="{INK}" stroke-width="1.6"/></marker>'
        "</defs>"
    )


def _box(box, href: str) -> str:
    p = box.position
    label = f"{p.title}, level {p.level}, {p.track}: {wage_line(p)}"
    fill = OCCUPATION_FILL if p.is_occupation else FILL
    lines = "".join(
        f'<tspan x="{box.cx:.1f}" dy="{0 if n == 0 else 16}">{escape(line)}</tspan>'
        for n, line in enumerate(box.lines)
    )
    # The title's lines sit centred above the wage line.
    first_y = box.y + {1: 34, 2: 26, 3: 19}[len(box.lines) or 1]
    inner = (
        f"<title>{escape(label)}</title>"
        f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{BOX_W}" height="{BOX_H}" rx="6" '
        f'fill="{fill}" stroke="{EDGE}" stroke-width="1.5"/>'
        f'<text x="{box.cx:.1f}" y="{first_y:.1f}" text-anchor="middle" font-size="13" '
        f'font-weight="600" font-family="{FONT}" fill="{INK}">{lines}</text>'
        f'<text x="{box.cx:.1f}" y="{box.y + BOX_H - 11:.1f}" text-anchor="middle" font-size="12" '
        f'font-family="{FONT}" fill="{MUTED}">{escape(wage_line(p))}</text>'
    )
    if not href:
        return f'<g class="lattice-position">{inner}</g>'
    return (
        f'<a href="{escape(href)}" class="lattice-position" data-key="{escape(p.key)}">{inner}</a>'
    )


def _arrow(arrow) -> str:
    dash = ' stroke-dasharray="7 5"' if arrow.kind == "lateral" else ""
    kind = "Lateral move" if arrow.kind == "lateral" else "Promotion"
    return (
        f'<g class="lattice-move lattice-{arrow.kind}"><title>{kind}: {escape(arrow.label)}</title>'
        f'<line x1="{arrow.x1:.1f}" y1="{arrow.y1:.1f}" x2="{arrow.x2:.1f}" y2="{arrow.y2:.1f}" '
        f'stroke="{INK}" stroke-width="2"{dash} marker-end="url(#head-{arrow.kind})"/></g>'
    )


def _frame(drawn: Layout) -> str:
    parts = []
    for name, centre in drawn.tracks:
        parts.append(
            f'<text x="{centre:.1f}" y="36" text-anchor="middle" font-size="14" font-weight="700" '
            f'font-family="{FONT}" fill="{INK}">{escape(name)}</text>'
        )
    for level, centre in drawn.levels:
        parts.append(
            f'<text x="14" y="{centre + 5:.1f}" font-size="13" font-family="{FONT}" '
            f'fill="{MUTED}">Level {level}</text>'
        )
    y = drawn.height - 40
    parts.append(
        f'<g class="lattice-legend" font-family="{FONT}" font-size="12" fill="{INK}">'
        f'<line x1="14" y1="{y}" x2="60" y2="{y}" stroke="{INK}" stroke-width="2" marker-end="url(#head-promotion)"/>'
        f'<text x="68" y="{y + 4}">Promotion (solid line, filled arrowhead)</text>'
        f'<line x1="14" y1="{y + 22}" x2="60" y2="{y + 22}" stroke="{INK}" stroke-width="2" stroke-dasharray="7 5" marker-end="url(#head-lateral)"/>'
        f'<text x="68" y="{y + 26}">Lateral move (dashed line, open arrowhead). Wages: median, BLS OEWS.</text>'
        "</g>"
    )
    return "".join(parts)


def lattice_svg(
    view: LatticeView, *, element_id: str = "lattice", links: bool = True, site: str = ""
) -> SafeString:
    """The diagram; with `links`, each position links to its place in the list (on a page) or,
    with `site`, to the lattice's page on the site (in a file)."""
    drawn = layout(view)
    page = reverse("ladders:detail", kwargs={"slug": view.slug})
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {drawn.width:.0f} {drawn.height:.0f}" '
        f'width="{drawn.width:.0f}" height="{drawn.height:.0f}" class="lattice-diagram" role="group" '
        f'aria-labelledby="{element_id}-title {element_id}-desc">',
        f'<title id="{element_id}-title">{escape(view.name)}: career lattice diagram</title>',
        f'<desc id="{element_id}-desc">{escape(describe(view))}</desc>',
        _defs(),
        '<rect width="100%" height="100%" fill="#ffffff"/>',
    ]
    parts += [_arrow(arrow) for arrow in drawn.arrows]
    for box in drawn.boxes:
        href = f"{site}{page}#position-{box.position.key}" if links else ""
        parts.append(_box(box, href))
    parts.append(_frame(drawn))
    parts.append("</svg>")
    return mark_safe("".join(parts))


def svg_file(view: LatticeView) -> bytes:
    """A standalone SVG file whose positions link to the lattice's page on the site."""
    svg = str(lattice_svg(view, site=settings.CMC_SITE_URL))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + svg + "\n").encode()


def png(view: LatticeView, width: int = 1800) -> bytes:
    import cairosvg

    svg = str(lattice_svg(view, links=False))
    drawn = layout(view)
    height = round(drawn.height * width / drawn.width)
    return cairosvg.svg2png(
        bytestring=svg.encode(), output_width=width, output_height=height, background_color="white"
    )


PICTURE_URL = "https://cmc.invalid/lattice.png"


def pdf(view: LatticeView) -> bytes:
    """One page with the diagram (landscape), then the lattice as a list: positions by level with
    their requirements, wages and moves; the data sources named."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    picture = png(view, width=2200) if view.positions else b""

    class OnlyThePicture(URLFetcher):
        def fetch(self, url, headers=None):
            if url == PICTURE_URL and picture:
                return URLFetcherResponse(url, picture, {"Content-Type": "image/png"})
            raise ValueError(f"{url} is not fetched when printing")

    drawn = layout(view)
    html = render_to_string(
        "ladders/print.html",
        {
            "lattice": view,
            "picture": bool(picture),
            "picture_url": PICTURE_URL,
            "alt": describe(view),
            "portrait": drawn.height > drawn.width,
        },
    )
    return HTML(string=html, base_url=PICTURE_URL, url_fetcher=OnlyThePicture()).write_pdf(
        pdf_tags=True
    )


def render(view: LatticeView, fmt: str) -> bytes:
    from .documents import to_json

    makers = {"json": to_json, "svg": svg_file, "png": png, "pdf": pdf}
    return makers[fmt](view)


def filename(view: LatticeView, fmt: str) -> str:
    return f"{view.slug}.{fmt}"
