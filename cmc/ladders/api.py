"""The lattices routes of the JSON API: thin doors onto the same selectors and services as the
pages and the command line. Positions are named by their key (unique within a lattice, shown
on every position), moves by their id."""

from decimal import Decimal
from typing import Literal

from ninja import Field, Query, Router, Status

from cmc.accounts.auth import current_user, write_auth
from cmc.core.api import ERRORS, WRITE_ERRORS, InSchema, Schema, file_responses
from cmc.core.http import attachment

from . import pictures, selectors, services

router = Router(tags=["lattices"])


class LatticeSummaryOut(Schema):
    slug: str
    name: str
    description: str
    visibility: str
    positions: int
    url: str


class ExperienceOut(Schema):
    kind: str
    text: str
    months: int | None


class TransitionOut(Schema):
    id: int
    source: str = Field(..., serialization_alias="from")
    target: str = Field(..., serialization_alias="to")
    kind: str
    months: int
    experiences: list[ExperienceOut]


class PositionCompetencyOut(Schema):
    identifier: str
    code: str
    name: str


class WageOut(Schema):
    annual_median: int | None
    hourly_median: Decimal | None
    source: str


class PositionOut(Schema):
    id: int
    key: str
    title: str
    occupation: str
    occupation_title: str
    level: int
    track: str
    education: str
    experience: str
    credentials: list[str]
    competencies: list[PositionCompetencyOut]
    wages: WageOut | None


class LatticeOut(Schema):
    slug: str
    name: str
    description: str
    visibility: str
    framework: str
    sources: str
    is_reference: bool
    tracks: list[str]
    positions: list[PositionOut]
    transitions: list[TransitionOut]


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


def _wages(view, p) -> dict | None:
    if not p.occupation_code:
        return None
    source = selectors.WAGE_SOURCE + (f", {view.wage_release}" if view.wage_release else "")
    return {"annual_median": p.annual_median, "hourly_median": p.hourly_median, "source": source}


def _experience(e) -> dict:
    return {"kind": e.kind, "text": e.text, "months": e.months}


def _transition(t) -> dict:
    return {
        "id": t.id, "source": t.source, "target": t.target, "kind": t.kind,
        "months": t.months, "experiences": [_experience(e) for e in t.experiences],
    }  # fmt: skip


def _lattice_out(view) -> dict:
    positions = [
        {
            "id": p.id,
            "key": p.key,
            "title": p.title,
            "occupation": p.occupation_code,
            "occupation_title": p.occupation_title,
            "level": p.level,
            "track": p.track,
            "education": p.education,
            "experience": p.experience,
            "credentials": p.credentials,
            "competencies": [c.__dict__ for c in p.competencies],
            "wages": _wages(view, p),
        }  # fmt: skip
        for p in view.positions
    ]
    return {
        "slug": view.slug, "name": view.name, "description": view.description,
        "visibility": view.visibility, "framework": view.framework_slug, "sources": view.sources,
        "is_reference": view.is_reference, "tracks": view.tracks, "positions": positions,
        "transitions": [_transition(t) for t in view.transitions],
    }  # fmt: skip


def _answer(request, lattice) -> dict:
    return _lattice_out(selectors.lattice_view(lattice, reader=current_user(request)))


@router.get("/lattices", response=list[LatticeSummaryOut], summary="Lattices you may see")
def list_lattices(request):
    return [
        {
            "slug": lattice.slug,
            "name": lattice.name,
            "description": lattice.description,
            "visibility": lattice.visibility,
            "positions": lattice.position_count,
            "url": lattice.get_absolute_url(),
        }  # fmt: skip
        for lattice in selectors.lattice_list(user=current_user(request))
    ]


@router.get(
    "/lattices/{slug}", response={200: LatticeOut, **ERRORS}, summary="One lattice", by_alias=True
)
def get_lattice(request, slug: str):
    """Its positions (with median wages from BLS OEWS where a position is an occupation) and its
    moves with their developmental experiences."""
    return _answer(request, selectors.visible_lattice(user=current_user(request), slug=slug))


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
            "experiences": [_experience(e) for e in s.experiences],
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


Visibility = Literal["private", "organization", "public"]


class LatticeIn(InSchema):
    name: str
    slug: str = ""
    description: str = ""
    framework: str = Field("", description="The slug of the framework its competencies come from")
    visibility: Visibility = "private"
    organization: str = Field("", description="The slug of the organization to share it with")


class LatticePatch(InSchema):
    name: str | None = None
    description: str | None = None
    framework: str | None = None
    visibility: Visibility | None = None
    organization: str | None = None


@router.post(
    "/lattices",
    response={201: LatticeOut, **WRITE_ERRORS},
    auth=write_auth,
    summary="Create a lattice",
    by_alias=True,
)
def create_lattice(request, payload: LatticeIn):
    lattice = services.create_lattice(actor=request.auth, data=payload.dict())
    return Status(201, _answer(request, lattice))


@router.patch(
    "/lattices/{slug}",
    response={200: LatticeOut, **WRITE_ERRORS},
    auth=write_auth,
    summary="Change a lattice",
    by_alias=True,
)
def update_lattice(request, slug: str, payload: LatticePatch):
    """Its editors change its name, description and framework; its owner (and its organization's
    owners) who may see it."""
    lattice = selectors.editable_lattice(user=request.auth, slug=slug)
    services.update_lattice(
        lattice=lattice, actor=request.auth, data=payload.dict(exclude_unset=True)
    )
    return _answer(request, lattice)


@router.delete(
    "/lattices/{slug}",
    response={204: None, **WRITE_ERRORS},
    auth=write_auth,
    summary="Delete a lattice",
)
def delete_lattice(request, slug: str):
    lattice = selectors.editable_lattice(user=request.auth, slug=slug)
    services.delete_lattice(lattice=lattice, actor=request.auth)
    return Status(204, None)


class PositionIn(InSchema):
    title: str = ""
    occupation: str = Field("", description="An O*NET-SOC code such as 51-4041.00")
    level: int
    track: str = "Main"
    key: str = ""
    education: str = ""
    experience: str = ""
    credentials: list[str] = []
    competencies: list[str] = Field(
        [], description="Codes or identifiers of the framework's competencies"
    )


class PositionPatch(InSchema):
    title: str | None = None
    occupation: str | None = None
    level: int | None = None
    track: str | None = None
    key: str | None = None
    education: str | None = None
    experience: str | None = None
    credentials: list[str] | None = None
    competencies: list[str] | None = None


@router.post(
    "/lattices/{slug}/positions",
    response={201: LatticeOut, **WRITE_ERRORS},
    auth=write_auth,
    summary="Add a position",
    by_alias=True,
)
def add_position(request, slug: str, payload: PositionIn):
    lattice = selectors.editable_lattice(user=request.auth, slug=slug)
    services.add_position(lattice=lattice, actor=request.auth, data=payload.dict())
    return Status(201, _answer(request, lattice))


@router.patch(
    "/lattices/{slug}/positions/{key}",
    response={200: LatticeOut, **WRITE_ERRORS},
    auth=write_auth,
    summary="Change a position",
    by_alias=True,
)
def update_position(request, slug: str, key: str, payload: PositionPatch):
    lattice = selectors.editable_lattice(user=request.auth, slug=slug)
    position = selectors.find_position(lattice, key)
    services.update_position(
        position=position, actor=request.auth, data=payload.dict(exclude_unset=True)
    )
    return _answer(request, lattice)


@router.delete(
    "/lattices/{slug}/positions/{key}",
    response={204: None, **WRITE_ERRORS},
    auth=write_auth,
    summary="Remove a position",
)
def remove_position(request, slug: str, key: str):
    lattice = selectors.editable_lattice(user=request.auth, slug=slug)
    services.remove_position(position=selectors.find_position(lattice, key), actor=request.auth)
    return Status(204, None)


ExperienceKind = Literal["education", "training", "credential", "work_experience"]


class ExperienceIn(InSchema):
    kind: ExperienceKind
    text: str
    months: int | None = None


class TransitionIn(InSchema):
    source: str = Field(..., alias="from", description="The key of the position it starts from")
    target: str = Field(..., alias="to", description="The key of the position it leads to")
    kind: Literal["promotion", "lateral"] = "promotion"
    experiences: list[ExperienceIn] = []


class TransitionPatch(InSchema):
    kind: Literal["promotion", "lateral"] | None = None
    experiences: list[ExperienceIn] | None = None


@router.post(
    "/lattices/{slug}/transitions",
    response={201: LatticeOut, **WRITE_ERRORS},
    auth=write_auth,
    summary="Add a move",
    by_alias=True,
)
def add_transition(request, slug: str, payload: TransitionIn):
    lattice = selectors.editable_lattice(user=request.auth, slug=slug)
    data = {"from": payload.source, "to": payload.target, "kind": payload.kind,
            "experiences": [e.dict() for e in payload.experiences]}  # fmt: skip
    services.add_transition(lattice=lattice, actor=request.auth, data=data)
    return Status(201, _answer(request, lattice))


@router.patch(
    "/lattices/{slug}/transitions/{transition_id}",
    response={200: LatticeOut, **WRITE_ERRORS},
    auth=write_auth,
    summary="Change a move",
    by_alias=True,
)
def update_transition(request, slug: str, transition_id: int, payload: TransitionPatch):
    lattice = selectors.editable_lattice(user=request.auth, slug=slug)
    move = selectors.find_transition(lattice, transition_id)
    services.update_transition(
        transition=move, actor=request.auth, data=payload.dict(exclude_unset=True)
    )
    return _answer(request, lattice)


@router.delete(
    "/lattices/{slug}/transitions/{transition_id}",
    response={204: None, **WRITE_ERRORS},
    auth=write_auth,
    summary="Remove a move",
)
def remove_transition(request, slug: str, transition_id: int):
    lattice = selectors.editable_lattice(user=request.auth, slug=slug)
    services.remove_transition(
        transition=selectors.find_transition(lattice, transition_id), actor=request.auth
    )
    return Status(204, None)
