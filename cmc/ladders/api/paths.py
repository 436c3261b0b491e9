"""What a reader takes from a lattice in the JSON API: the routes from one position to
another, and the lattice as a file (its document, its diagram, or both as a PDF)."""

from decimal import Decimal
from typing import Literal

from ninja import Field, Query, Router

from cmc.accounts.auth import current_user
from cmc.core.api import ERRORS, Schema, file_responses
from cmc.core.http import attachment

from .. import pictures, selectors
from .lattices import ExperienceOut, experience_out

router = Router(tags=["lattices"])


class RouteStepOut(Schema):
    position: str
    title: str
    level: int
    track: str
    kind: str | None
    experiences: list[ExperienceOut]
    months: int
    months_so_far: int
    annual_median: int | None
    hourly_median: Decimal | None


class RouteOut(Schema):
    months: int
    moves: int
    steps: list[RouteStepOut]


class RoutesOut(Schema):
    start: str
    goal: str
    complete: bool
    routes: list[RouteOut]


class RouteQuery(Schema):
    start: str = Field(..., alias="from", description="The starting position's key")
    goal: str = Field(..., alias="to", description="The goal position's key")


@router.get(
    "/lattices/{slug}/paths",
    response={200: RoutesOut, **ERRORS},
    summary="Routes between positions",
)
def lattice_paths(request, slug: str, query: Query[RouteQuery]):
    """Every route (no position twice; at most 12 moves, 50 routes) from one position to another,
    quickest first, with the typical months, the experiences and the median wage of each step."""
    lattice = selectors.visible_lattice(user=current_user(request), slug=slug)
    found = selectors.routes(
        selectors.lattice_view(lattice, reader=current_user(request)),
        start=query.start,
        goal=query.goal,
    )
    return {
        "start": found.start.key, "goal": found.goal.key, "complete": found.complete,
        "routes": [_route(r) for r in found.routes],
    }  # fmt: skip


def _route(route) -> dict:
    steps = [
        {
            "position": s.position.key,
            "title": s.position.title,
            "level": s.position.level,
            "track": s.position.track,
            "kind": s.move.kind if s.move else None,
            "experiences": [experience_out(e) for e in s.experiences],
            "months": s.move.months if s.move else 0,
            "months_so_far": s.months_so_far,
            "annual_median": s.annual_median,
            "hourly_median": s.hourly_median,
        }  # fmt: skip
        for s in route.steps
    ]
    return {"months": route.months, "moves": route.moves, "steps": steps}


@router.get(
    "/lattices/{slug}/export",
    response=ERRORS,
    summary="A lattice as a file",
    openapi_extra=file_responses(pictures.CONTENT_TYPES, "The lattice as a file"),
)
def export_lattice(request, slug: str, format: Literal["json", "svg", "png", "pdf"] = "json"):
    """json is the file `cmc lattice import` reads; svg and png the diagram; pdf the diagram
    and the lattice as a list."""
    lattice = selectors.visible_lattice(user=current_user(request), slug=slug)
    view = selectors.lattice_view(lattice, reader=current_user(request))
    return attachment(
        pictures.render(view, format),
        pictures.CONTENT_TYPES[format],
        pictures.filename(view, format),
    )
