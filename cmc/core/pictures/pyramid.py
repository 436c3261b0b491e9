"""What every picture drawn on the server shares: text escaping for SVG, and the tier groups'
colours (a framework's pyramid of tiers on its pages is drawn in HTML, in the same colours:
see frameworks/_pyramid.html and site.css)."""

from django.utils.html import escape as escape_html

from ..text import xml_text

# Fill and text colours per tier group; every pair passes WCAG AA contrast for its text.
GROUP_COLOURS = {
    "foundational": ("#dbeafe", "#1e3a8a", "#1d4ed8"),
    "industry_related": ("#dcfce7", "#14532d", "#15803d"),
    "occupation_related": ("#fef3c7", "#78350f", "#b45309"),
}
GAP = 4


def escape(value) -> str:
    """Text for SVG: HTML-escaped, without the characters XML cannot hold."""
    return escape_html(xml_text(value))
