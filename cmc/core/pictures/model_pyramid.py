"""A model's own pyramid, as the Clearinghouse draws it: one block per competency, tiers stacked
with tier 1 at the base, each tier's name beside it, colours per tier group; as SVG for pages and
files, and as PNG for documents.

The picture stays a pyramid at any size, and within what a renderer can draw (cairo refuses a
surface past 32,767 pixels; memory grows with the area). A block's name takes at most NAME_LINES
lines (a tier's name LABEL_LINES), and the tiers together take at most MAX_BLOCK_LINES lines of blocks (one each where there
are more tiers than that). A tier with more competencies than its lines hold shows its first
ones and a last block "and 412 more" that links to the tier's page, and its label says how many
it holds. The picture of a model of 3,000 competencies is no taller than one of a hundred."""

import re
from dataclasses import dataclass, field

from django.utils.safestring import SafeString, mark_safe

from .pyramid import GAP, GROUP_COLOURS, escape

MODEL_WIDTH, LABEL_WIDTH, FONT, LINE, MIN_BLOCK = 1000, 200, 12, 15, 118
TIER_GAP, EMPTY_HEIGHT = 10, 40
CHAR_WIDTH = 0.62  # DejaVu Sans averages about this much of its size per character
NAME_LINES, LABEL_LINES, MAX_BLOCK_LINES = 4, 3, 24
# The caption band of a picture read on its own: the model's name, then its source and version.
CAPTION_SIZES, CAPTION_LINES, CAPTION_PAD = (18, 13), 2, 12
PNG_MAX_HEIGHT = 4000
MARK_SIGN = "\u2713"  # a check mark, drawn before a marked block's name


@dataclass(frozen=True)
class PyramidBlock:
    code: str
    name: str
    url: str
    # A word that marks the block ("covered"): drawn filled with a check mark, and said in its
    # title and the picture's description, so the mark is not carried by colour alone.
    mark: str = ""


@dataclass(frozen=True)
class PyramidRow:
    number: int
    name: str
    group: str
    blocks: tuple[PyramidBlock, ...]
    url: str


@dataclass(frozen=True)
class _Block:
    """A block as drawn: a competency, or the count of those a crowded tier leaves out."""

    text: str
    title: str
    url: str
    more: bool = False
    mark: str = ""


@dataclass
class _Line:
    blocks: list[_Block]
    block_width: float
    texts: list[list[str]]
    height: float


@dataclass
class _Tier:
    row: PyramidRow
    width: float
    lines: list[_Line]
    shown: int
    label: list[str] = field(default_factory=list)

    @property
    def height(self) -> float:
        return sum(line.height + GAP for line in self.lines)

    @property
    def crowded(self) -> bool:
        return self.shown < len(self.row.blocks)


@dataclass(frozen=True)
class MoreBlock:
    """Where a crowded tier's "and 412 more" block is drawn, in SVG units: for a document that
    shows the picture as an image to lay a link over it."""

    number: int
    more: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class ModelPyramid:
    """The picture: its SVG, its size in SVG units, its text alternative, how many
    competencies crowded tiers leave out, and where their "more" blocks are."""

    svg: SafeString
    width: int
    height: int
    description: str
    left_out: int = 0
    more: tuple[MoreBlock, ...] = ()

    def png_size(self, width: int) -> tuple[int, int]:
        """The PNG's size in pixels: `width` wide, or narrower where it would be taller than
        PNG_MAX_HEIGHT (a model of very many tiers)."""
        scale = min(width / self.width, PNG_MAX_HEIGHT / self.height)
        return max(round(self.width * scale), 1), max(round(self.height * scale), 1)

    def png(self, width: int) -> bytes:
        import cairosvg

        w, h = self.png_size(width)
        return cairosvg.svg2png(
            bytestring=self.svg.encode(), output_width=w, output_height=h, background_color="white"
        )


def model_pyramid_svg(
    title: str, rows: list[PyramidRow], *, element_id: str = "model-pyramid", links: bool = True
) -> SafeString:
    """The model's pyramid as SVG for a page (see model_pyramid)."""
    return model_pyramid(title, rows, element_id=element_id, links=links).svg


def model_pyramid(
    title: str,
    rows: list[PyramidRow],
    *,
    element_id: str = "model-pyramid",
    links: bool = True,
    caption: tuple[str, ...] = (),
) -> ModelPyramid:
    """The model's pyramid. Names wrap inside their block; a tier with more blocks than fit side
    by side takes several lines of blocks, up to its share of MAX_BLOCK_LINES. Every block is a
    keyboard-focusable link (when `links`) with its own <title>; the <desc> names every tier and
    the competencies drawn as the text alternative. `caption` (the model's name, its source,
    its version) is drawn in a band above the pyramid, for a picture read on its own."""
    rows = sorted(rows, key=lambda r: r.number)
    area = MODEL_WIDTH - LABEL_WIDTH
    step = (area * 0.4) / max(len(rows) - 1, 1)
    widths = [area - index * step for index in range(len(rows))]
    fits = [max(int((width + GAP) / (MIN_BLOCK + GAP)), 1) for width in widths]
    needs = [max(-(-len(row.blocks) // f), 1) for row, f in zip(rows, fits, strict=True)]
    allotted = _allot(needs, MAX_BLOCK_LINES)
    tiers = [_lay_tier(*laid) for laid in zip(rows, widths, fits, allotted, strict=True)]
    band = _caption_lines(caption)
    top = sum(len(lines) * size * 1.3 for size, lines in band) + 2 * CAPTION_PAD if band else 0
    total = round(top + GAP + sum(t.height + TIER_GAP for t in tiers))
    desc = "; ".join(_described(tier) for tier in tiers) or "This framework has no tiers."
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {MODEL_WIDTH} {total}" '
        f'class="pyramid model-pyramid" role="group" '
        f'aria-labelledby="{element_id}-title {element_id}-desc">',
        f'<title id="{element_id}-title">{escape(title)}: the competency model pyramid</title>',
        f'<desc id="{element_id}-desc">{escape(desc)}</desc>',
    ]
    if band:
        parts.append(_draw_caption(band, top))
    y, more = total, []
    for tier in tiers:
        y -= tier.height + TIER_GAP
        parts.append(_draw_tier(tier, y, links, more))
    parts.append("</svg>")
    left_out = sum(len(tier.row.blocks) - tier.shown for tier in tiers)
    svg = mark_safe("".join(parts))
    return ModelPyramid(svg, MODEL_WIDTH, total, desc, left_out, tuple(more))


def _allot(needs: list[int], budget: int) -> list[int]:
    """Lines of blocks per tier: what each needs while the whole fits `budget`; else the same
    cap for every tier (at least one line each), the spare lines going to the most crowded."""
    if sum(needs) <= budget:
        return needs
    cap = 1
    while sum(min(need, cap + 1) for need in needs) <= budget:
        cap += 1
    allotted = [min(need, cap) for need in needs]
    spare = budget - sum(allotted)
    for index in sorted(range(len(needs)), key=lambda i: allotted[i] - needs[i]):
        if spare > 0 and needs[index] > allotted[index]:
            allotted[index] += 1
            spare -= 1
    return allotted


def _lay_tier(row: PyramidRow, width: float, fits: int, lines: int) -> _Tier:
    count = len(row.blocks)
    if not count:
        empty = _Line([], width, [["No competencies listed"]], EMPTY_HEIGHT)
        return _labelled(_Tier(row, width, [empty], 0))
    names = [f"{b.code} {b.name}".strip() for b in row.blocks]
    blocks = [
        _Block(
            f"{MARK_SIGN} {name}" if b.mark else name,
            f"{name} (tier {row.number}{', ' + b.mark if b.mark else ''})",
            b.url,
            mark=b.mark,
        )
        for name, b in zip(names, row.blocks, strict=True)
    ]
    if -(-count // fits) <= lines:
        shown, per_line = count, -(-count // -(-count // fits))  # lines of even length
    else:
        shown, per_line = lines * fits - 1, fits
        more = count - shown
        blocks = blocks[:shown] + [
            _Block(
                f"and {more} more",
                f"Tier {row.number}: {more} more competencies ({count} in all) on its page",
                row.url,
                more=True,
            )
        ]
    laid = []
    for start in range(0, len(blocks), per_line):
        chunk = blocks[start : start + per_line]
        block_width = (width - (len(chunk) - 1) * GAP) / len(chunk)
        texts = [_clip(_wrap(b.text, block_width - 10), NAME_LINES) for b in chunk]
        height = max(max(len(t) for t in texts) * LINE + 14, EMPTY_HEIGHT)
        laid.append(_Line(chunk, block_width, texts, height))
    return _labelled(_Tier(row, width, laid, shown))


def _labelled(tier: _Tier) -> _Tier:
    """The tier with its label: its number and name, and how many competencies it holds
    where it is crowded; its last line grows where the label is taller than its blocks."""
    row = tier.row
    count = [_competencies(len(row.blocks))] if tier.crowded else []
    tier.label = _clip(_wrap(f"Tier {row.number}: {row.name}", LABEL_WIDTH - 14), LABEL_LINES)
    tier.label += count
    tier.lines[-1].height += max(len(tier.label) * LINE + 6 - tier.height, 0)
    return tier


def _competencies(count: int) -> str:
    return f"{count} competenc{'y' if count == 1 else 'ies'}"


def _described(tier: _Tier) -> str:
    row = tier.row
    names = [
        b.text.removeprefix(f"{MARK_SIGN} ") + (f" ({b.mark})" if b.mark else "")
        for line in tier.lines
        for b in line.blocks
        if not b.more
    ]
    if not names:
        return f"Tier {row.number}: {row.name}: no competencies listed"
    more = len(row.blocks) - tier.shown
    tail = f", and {more} more ({_competencies(len(row.blocks))} in all)" if more else ""
    return f"Tier {row.number}: {row.name}: {', '.join(names)}{tail}"


def _draw_tier(tier: _Tier, y: float, links: bool, more: list[MoreBlock]) -> str:
    """The tier's label and blocks, its top at `y`; where its "more" block goes is added to
    `more`."""
    row = tier.row
    fill, ink, edge = GROUP_COLOURS.get(row.group, GROUP_COLOURS["foundational"])
    parts = [_text_lines(tier.label, 4, y + tier.height / 2, ink, anchor="start", weight="600")]
    for line in tier.lines:
        x = LABEL_WIDTH + (MODEL_WIDTH - LABEL_WIDTH - tier.width) / 2
        if not line.blocks:  # an empty tier
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{tier.width:.1f}" height="{line.height}" '
                f'rx="4" fill="#ffffff" stroke="{edge}" stroke-dasharray="6 4"/>'
                + _text_lines(line.texts[0], x + tier.width / 2, y + line.height / 2, ink)
            )
        for block, text in zip(line.blocks, line.texts[: len(line.blocks)], strict=True):
            border = ' stroke-dasharray="6 4"' if block.more else ""
            # A marked block is filled with the group's strong colour, its text white.
            face = "#ffffff" if block.more else (edge if block.mark else fill)
            shape = (
                f"<title>{escape(block.title)}</title>"
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{line.block_width:.1f}" '
                f'height="{line.height}" rx="4" fill="{face}" '
                f'stroke="{edge}" stroke-width="1.5"{border}/>'
                + _text_lines(
                    text,
                    x + line.block_width / 2,
                    y + line.height / 2,
                    "#ffffff" if block.mark else ink,
                    weight="600" if block.more or block.mark else "400",
                )
            )
            if block.more:
                left = len(row.blocks) - tier.shown
                more.append(MoreBlock(row.number, left, x, y, line.block_width, line.height))
            kind = "pyramid-more" if block.more else "pyramid-block"
            kind += " pyramid-marked" if block.mark else ""
            if links:
                parts.append(f'<a href="{escape(block.url)}" class="{kind}">{shape}</a>')
            else:
                parts.append(f'<g class="{kind}">{shape}</g>')
            x += line.block_width + GAP
        y += line.height + GAP
    return "".join(parts)


def _caption_lines(caption: tuple[str, ...]) -> list[tuple[int, list[str]]]:
    """The caption's texts as (font size, lines): the first large, the others small."""
    band = []
    for index, text in enumerate(t for t in caption if t):
        size = CAPTION_SIZES[min(index, 1)]
        lines = _wrap(text, MODEL_WIDTH - 2 * CAPTION_PAD, size=size)
        band.append((size, _clip(lines, CAPTION_LINES)))
    return band


def _draw_caption(band: list[tuple[int, list[str]]], top: float) -> str:
    parts = [
        '<g class="pyramid-caption">',
        f'<rect width="{MODEL_WIDTH}" height="{top:.1f}" fill="#ffffff"/>',
    ]
    y = CAPTION_PAD
    for index, (size, lines) in enumerate(band):
        for text in lines:
            y += size * 1.3
            parts.append(
                f'<text x="{CAPTION_PAD}" y="{y - size * 0.3:.1f}" font-size="{size}" '
                f'font-weight="{700 if index == 0 else 400}" '
                f'font-family="DejaVu Sans, system-ui, sans-serif" fill="#1f2937">'
                f"{escape(text)}</text>"
            )
    parts.append(
        f'<line x1="0" x2="{MODEL_WIDTH}" y1="{top - 1:.1f}" y2="{top - 1:.1f}" '
        'stroke="#9ca3af" stroke-width="1"/></g>'
    )
    return "".join(parts)


def _wrap(text: str, width: float, *, size: int = FONT) -> list[str]:
    """Words into lines that fit `width` pixels; a word longer than a line is cut."""
    per_line = max(int(width / (size * CHAR_WIDTH)), 4)
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


def _clip(lines: list[str], most: int) -> list[str]:
    """At most `most` lines, the last ending in an ellipsis where text was left out."""
    if len(lines) <= most:
        return lines
    last = lines[most - 1]
    return [*lines[: most - 1], last[: max(len(last) - 1, 1)].rstrip(" -/") + "…"]


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
