"""Where each box and arrow of a lattice's diagram goes: levels bottom to top, tracks side by
side as columns, positions sharing a level and track side by side within their column."""

from dataclasses import dataclass

from .lattices import LatticeView, PositionView

BOX_W, BOX_H = 220, 84
GAP_X, GAP_Y = 40, 56
LEFT, TOP, BOTTOM = 84, 64, 96  # room for the level labels, the track headings, the legend
TITLE_CHARS = 25


@dataclass(frozen=True)
class Box:
    position: PositionView
    x: float
    y: float
    lines: tuple[str, ...]

    @property
    def cx(self) -> float:
        return self.x + BOX_W / 2

    @property
    def cy(self) -> float:
        return self.y + BOX_H / 2


@dataclass(frozen=True)
class Arrow:
    kind: str
    label: str
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True)
class Layout:
    width: float
    height: float
    boxes: list[Box]
    arrows: list[Arrow]
    tracks: list[tuple[str, float]]  # heading and its centre
    levels: list[tuple[int, float]]  # level and the centre of its row


def wrap(text: str, width: int = TITLE_CHARS, lines: int = 2) -> tuple[str, ...]:
    """Words in at most `lines` lines of about `width` characters; the last one cut with "…"."""
    out: list[str] = []
    for word in text.split():
        if out and len(out[-1]) + 1 + len(word) <= width:
            out[-1] += " " + word
        else:
            out.append(word)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: width - 1].rstrip() + "…"
    return tuple(line if len(line) <= width else line[: width - 1] + "…" for line in out)


def layout(view: LatticeView) -> Layout:
    """The diagram's geometry (see the module's docstring)."""
    levels = view.levels or [1]
    tracks = view.tracks
    slots = {t: max([_count(view, t, lv) for lv in levels] + [1]) for t in tracks}
    column_x, x = {}, float(LEFT)
    for track in tracks:
        column_x[track] = x
        x += slots[track] * (BOX_W + GAP_X)
    width = max(x - GAP_X + 24, 360.0)
    rows = max(levels)
    height = TOP + rows * (BOX_H + GAP_Y) - GAP_Y + BOTTOM

    def row_y(level: int) -> float:
        return TOP + (rows - level) * (BOX_H + GAP_Y)

    boxes, seen = {}, {}
    for p in sorted(view.positions, key=lambda p: (p.level, p.id)):
        slot = seen.get((p.track, p.level), 0)
        seen[(p.track, p.level)] = slot + 1
        left = column_x[p.track] + slot * (BOX_W + GAP_X)
        boxes[p.key] = Box(p, left, row_y(p.level), wrap(p.title, lines=3))
    arrows = [
        _arrow(boxes[m.source], boxes[m.target], m.kind, f"{m.source_title} to {m.target_title}")
        for m in view.transitions
    ]
    headings = [(t, column_x[t] + (slots[t] * (BOX_W + GAP_X) - GAP_X) / 2) for t in tracks]
    return Layout(
        width, height, list(boxes.values()), arrows, headings,
        [(lv, row_y(lv) + BOX_H / 2) for lv in range(1, rows + 1)],
    )  # fmt: skip


def _count(view: LatticeView, track: str, level: int) -> int:
    return sum(1 for p in view.positions if p.track == track and p.level == level)


def _arrow(source: Box, target: Box, kind: str, label: str) -> Arrow:
    """A move between levels leaves the top (or bottom) of its box and reaches the bottom (or
    top) of the other, so that it runs through the gaps between rows; a move within a level
    runs from side to side. A move both ways is drawn as two lines a little apart."""
    rank = (source.position.level, source.x) < (target.position.level, target.x)
    shift = 6 if rank else -6
    if source.position.level == target.position.level:
        right = target.cx > source.cx
        x1 = source.x + BOX_W if right else source.x
        x2 = target.x if right else target.x + BOX_W
        return Arrow(kind, label, x1, source.cy + shift, x2, target.cy + shift)
    up = target.position.level > source.position.level
    lean = max(-BOX_W / 3, min(BOX_W / 3, (target.cx - source.cx) / 4))
    y1 = source.y if up else source.y + BOX_H
    y2 = target.y + BOX_H if up else target.y
    return Arrow(kind, label, source.cx + lean + shift, y1, target.cx - lean + shift, y2)
