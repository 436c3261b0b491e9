"""Pictures drawn on the server as SVG: the tiered pyramid of a framework."""

import re
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


@dataclass(frozen=True)
class PyramidBlock:
    code: str
    name: str
    url: str


@dataclass(frozen=True)
class PyramidRow:
    number: int
    name: str
    group: str
    blocks: tuple[PyramidBlock, ...]
    url: str


MODEL_WIDTH, LABEL_WIDTH, FONT, LINE, MIN_BLOCK = 1000, 200, 12, 15, 118
TIER_GAP = 10
CHAR_WIDTH = FONT * 0.62  # DejaVu Sans averages about this much per character


def model_pyramid_svg(
    title: str, rows: list[PyramidRow], *, element_id: str = "model-pyramid", links: bool = True
) -> SafeString:
    """A model's own pyramid as the Clearinghouse draws it: one block per competency, tiers
    stacked with tier 1 at the base, the tier's name beside it, colours per tier group.

    Names wrap inside their block; a tier with more blocks than fit side by side takes several
    lines of blocks, so labels stay readable. Every block is a keyboard-focusable link (when
    `links`) with its own <title>; the <desc> lists every tier and competency as the text
    alternative."""
    rows = sorted(rows, key=lambda r: r.number)
    area = MODEL_WIDTH - LABEL_WIDTH
    step = (area * 0.4) / max(len(rows) - 1, 1)
    tiers = []  # (row, width, lines of blocks: [(blocks, block_width, texts, height)])
    for index, row in enumerate(rows):
        width = area - index * step
        fits = max(int((width + GAP) / (MIN_BLOCK + GAP)), 1)
        count = len(row.blocks)
        lines_of_blocks = -(-count // fits) if count else 1
        per_line = -(-count // lines_of_blocks) if count else 1
        laid = []
        for start in range(0, max(count, 1), per_line):
            blocks = row.blocks[start : start + per_line]
            block_width = (width - (max(len(blocks), 1) - 1) * GAP) / max(len(blocks), 1)
            texts = [_wrap(f"{b.code} {b.name}".strip(), block_width - 10) for b in blocks] or [
                _wrap("No competencies listed", block_width - 10)
            ]
            height = max(max(len(t) for t in texts) * LINE + 14, 40)
            laid.append((blocks, block_width, texts, height))
        tiers.append((row, width, laid))
    total = GAP + sum(sum(h + GAP for *_, h in laid) + TIER_GAP for _, _, laid in tiers)
    desc = "; ".join(
        f"Tier {r.number}: {r.name}: "
        + (", ".join(f"{b.code} {b.name}".strip() for b in r.blocks) or "no competencies listed")
        for r in rows
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {MODEL_WIDTH} {total:.0f}" '
        f'class="pyramid model-pyramid" role="group" '
        f'aria-labelledby="{element_id}-title {element_id}-desc">',
        f'<title id="{element_id}-title">{escape(title)}: the competency model pyramid</title>',
        f'<desc id="{element_id}-desc">{escape(desc) or "This framework has no tiers."}</desc>',
    ]
    y = total
    for row, width, laid in tiers:
        fill, ink, edge = GROUP_COLOURS.get(row.group, GROUP_COLOURS["foundational"])
        tier_height = sum(h + GAP for *_, h in laid)
        y -= tier_height + TIER_GAP
        label = _wrap(f"Tier {row.number}: {row.name}", LABEL_WIDTH - 14)
        parts.append(_text_lines(label, 4, y + tier_height / 2, ink, anchor="start", weight="600"))
        line_y = y
        for blocks, block_width, texts, height in laid:
            x = LABEL_WIDTH + (area - width) / 2
            if not blocks:
                parts.append(
                    f'<rect x="{x:.1f}" y="{line_y:.1f}" width="{width:.1f}" height="{height}" '
                    f'rx="4" fill="#ffffff" stroke="{edge}" stroke-dasharray="6 4"/>'
                    + _text_lines(texts[0], x + width / 2, line_y + height / 2, ink)
                )
            for block, text in zip(blocks, texts[: len(blocks)], strict=True):
                shape = (
                    f"<title>{escape(f'{block.code} {block.name}'.strip())} "
                    f"(tier {row.number})</title>"
                    f'<rect x="{x:.1f}" y="{line_y:.1f}" width="{block_width:.1f}" '
                    f'height="{height}" rx="4" fill="{fill}" stroke="{edge}" stroke-width="1.5"/>'
                    + _text_lines(text, x + block_width / 2, line_y + height / 2, ink)
                )
                if links:
                    parts.append(f'<a href="{escape(block.url)}" class="pyramid-block">{shape}</a>')
                else:
                    parts.append(f'<g class="pyramid-block">{shape}</g>')
                x += block_width + GAP
            line_y += height + GAP
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _wrap(text: str, width: float) -> list[str]:
    """Words into lines that fit `width` pixels; a word longer than a line is cut."""
    per_line = max(int(width / CHAR_WIDTH), 4)
    lines: list[str] = []
    words = []
    for word in text.split():
        # A long word joined by slashes breaks after a slash before it is cut.
        words += re.findall(r"[^/]+/?", word) if len(word) > per_line else [word]
    for word in words:
        while len(word) > per_line:
            lines.append(word[: per_line - 1] + "-")
            word = word[per_line - 1 :]
        joiner = "" if lines and lines[-1].endswith("/") else " "
        if lines and len(lines[-1]) + len(joiner) + len(word) <= per_line:
            lines[-1] += joiner + word
        else:
            lines.append(word)
    return lines or [""]


def _text_lines(
    lines: list[str], x: float, middle: float, ink: str, *, anchor="middle", weight="400"
) -> str:
    top = middle - (len(lines) - 1) * LINE / 2 + FONT * 0.35
    spans = "".join(
        f'<tspan x="{x:.1f}" y="{top + i * LINE:.1f}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return (
        f'<text text-anchor="{anchor}" font-size="{FONT}" font-weight="{weight}" '
        f'font-family="DejaVu Sans, system-ui, sans-serif" fill="{ink}">{spans}</text>'
    )
