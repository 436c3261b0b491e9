"""Where each box and arrow of a lattice's diagram goes: levels bottom to top, tracks side by
side as columns, positions sharing a level and track side by side within their column."""

from dataclasses import dataclass

from .lattices import LatticeView, PositionView

BOX_W, BOX_H = 190, 70
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
        boxes[p.key] = Box(p, left, row_y(p.level), wrap(p.title))
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


def _edge(box: Box, towards_x: float, towards_y: float) -> tuple[float, float]:
    """Where the line from the box's centre towards a point leaves the box."""
    dx, dy = towards_x - box.cx, towards_y - box.cy
    if dx == 0 and dy == 0:
        return box.cx, box.cy
    scale = min(
        (BOX_W / 2) / abs(dx) if dx else float("inf"),
        (BOX_H / 2) / abs(dy) if dy else float("inf"),
    )
    return box.cx + dx * scale, box.cy + dy * scale


def _arrow(source: Box, target: Box, kind: str, label: str) -> Arrow:
    # A move both ways between two boxes is drawn as two lines a little apart.
    shift = 6 if (source.position.level, source.x) < (target.position.level, target.x) else -6
    vertical = abs(target.cy - source.cy) >= abs(target.cx - source.cx)
    ox, oy = (shift, 0) if vertical else (0, shift)
    x1, y1 = _edge(source, target.cx + ox, target.cy + oy)
    x2, y2 = _edge(target, source.cx + ox, source.cy + oy)
    return Arrow(kind, label, x1 + ox, y1 + oy, x2 + ox, y2 + oy)
