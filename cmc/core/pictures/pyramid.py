"""Pictures drawn on the server as SVG: the tiered pyramid of a framework (the Building Blocks
scheme, one band per tier), and what every picture shares: text escaping and the tier groups' colours."""

from dataclasses import dataclass

from django.utils.html import escape as escape_html
from django.utils.safestring import SafeString, mark_safe

from ..text import xml_text

# Fill and text colours per tier group; every pair passes WCAG AA contrast for its text.
GROUP_COLOURS = {
    "foundational": ("#dbeafe", "#1e3a8a", "#1d4ed8"),
    "industry_related": ("#dcfce7", "#14532d", "#15803d"),
    "occupation_related": ("#fef3c7", "#78350f", "#b45309"),
}
WIDTH, BAND, GAP, MIN_WIDTH = 760, 42, 4, 330


def escape(value) -> str:
    """Text for SVG: HTML-escaped, without the characters XML cannot hold."""
    return escape_html(xml_text(value))


@dataclass(frozen=True)
class PyramidTier:
    number: int
    name: str
    group: str
    competency_count: int
    url: str


def pyramid_svg(title: str, tiers: list[PyramidTier], *, element_id: str = "pyramid") -> SafeString:
    """A stepped pyramid, tier 1 at the base; each tier a keyboard-focusable link.

    The SVG carries a <title> and a <desc> naming every tier, so that it has a text alternative
    even where the page's own tier list is not read."""
    count = len(tiers)
    height = max(count, 1) * (BAND + GAP) + GAP
    step = (WIDTH - MIN_WIDTH) / max(count - 1, 1)
    desc = "; ".join(
        f"Tier {t.number}: {t.name} ({_competencies(t.competency_count)})" for t in tiers
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'class="pyramid" role="group" aria-labelledby="{element_id}-title {element_id}-desc">',
        f'<title id="{element_id}-title">{escape(title)}: tiers of the pyramid</title>',
        f'<desc id="{element_id}-desc">{escape(desc) or "This framework has no tiers."}</desc>',
    ]
    for index, tier in enumerate(sorted(tiers, key=lambda t: t.number)):
        width = WIDTH - index * step
        x = (WIDTH - width) / 2
        y = height - (index + 1) * (BAND + GAP)
        parts.append(_tier_block(tier, x, y, width))
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _competencies(count: int) -> str:
    return (
        "no competencies listed"
        if count == 0
        else f"{count} competenc{'y' if count == 1 else 'ies'}"
    )


def _tier_block(tier: PyramidTier, x: float, y: float, width: float) -> str:
    fill, ink, edge = GROUP_COLOURS.get(tier.group, GROUP_COLOURS["foundational"])
    label = f"Tier {tier.number}: {tier.name}"
    return (
        f'<a href="{escape(tier.url)}" class="pyramid-tier" data-tier="{tier.number}">'
        f"<title>{escape(label)} ({_competencies(tier.competency_count)})</title>"
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{BAND}" rx="4" '
        f'fill="{fill}" stroke="{edge}" stroke-width="1.5"/>'
        f'<text x="{x + width / 2:.1f}" y="{y + BAND / 2 + 5:.1f}" text-anchor="middle" '
        f'font-size="14" font-family="system-ui, sans-serif" fill="{ink}">{escape(label)}</text>'
        "</a>"
    )
