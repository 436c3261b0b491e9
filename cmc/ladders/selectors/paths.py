"""Routes through a lattice: every simple path from one position to another, with the time,
the experiences and the wage of each step."""

from dataclasses import dataclass
from decimal import Decimal

from django.http import Http404

from .lattices import Experience, LatticeView, PositionView, TransitionView

# Bounds that keep a dense lattice's answer readable and its search quick: routes longer than
# MAX_STEPS moves, and routes past the first MAX_ROUTES, are not listed.
MAX_STEPS = 12
MAX_ROUTES = 50


@dataclass(frozen=True)
class Step:
    """One position on a route and the move that reached it (None for the start)."""

    position: PositionView
    move: TransitionView | None
    months_so_far: int

    @property
    def experiences(self) -> list[Experience]:
        return self.move.experiences if self.move else []

    @property
    def annual_median(self) -> int | None:
        return self.position.annual_median

    @property
    def hourly_median(self) -> Decimal | None:
        return self.position.hourly_median


@dataclass(frozen=True)
class Route:
    steps: list[Step]

    @property
    def months(self) -> int:
        return self.steps[-1].months_so_far

    @property
    def moves(self) -> int:
        return len(self.steps) - 1

    @property
    def promotions(self) -> int:
        return sum(1 for s in self.steps if s.move and s.move.kind == "promotion")


@dataclass(frozen=True)
class Routes:
    start: PositionView
    goal: PositionView
    routes: list[Route]
    complete: bool  # False when MAX_ROUTES cut the list short


def routes(view: LatticeView, *, start: str, goal: str) -> Routes:
    """Every simple route (no position twice) from the position keyed `start` to `goal`, at most
    MAX_STEPS moves each and MAX_ROUTES in all, quickest first (then fewest moves, then by the
    titles along the way). 404 names a key the lattice does not have."""
    positions = {p.key: p for p in view.positions}
    for key in (start, goal):
        if key not in positions:
            raise Http404(f"The lattice '{view.slug}' has no position '{key}'.")
    found: list[list[TransitionView]] = []
    complete = _walk(positions, start, goal, [], {start}, found)
    listed = [_route(positions, start, moves) for moves in found]
    listed.sort(key=lambda r: (r.months, r.moves, [s.position.title for s in r.steps]))
    return Routes(positions[start], positions[goal], listed, complete)


def _walk(positions, here: str, goal: str, moves: list, seen: set, found: list) -> bool:
    """Depth first; False once MAX_ROUTES routes are found (the rest are not looked for)."""
    if here == goal and moves:
        found.append(list(moves))
        return len(found) < MAX_ROUTES
    if here == goal or len(moves) >= MAX_STEPS:
        return True
    for move in positions[here].moves_out:
        if move.target in seen:
            continue
        seen.add(move.target)
        moves.append(move)
        going = _walk(positions, move.target, goal, moves, seen, found)
        moves.pop()
        seen.discard(move.target)
        if not going:
            return False
    return True


def _route(positions, start: str, moves: list[TransitionView]) -> Route:
    steps = [Step(positions[start], None, 0)]
    total = 0
    for move in moves:
        total += move.months
        steps.append(Step(positions[move.target], move, total))
    return Route(steps)
