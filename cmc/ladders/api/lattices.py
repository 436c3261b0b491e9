"""Lattices in the JSON API: the lattices a reader may see, one lattice as the API answers it
(its positions with their wages, its moves with their developmental experiences), and
creating, changing and deleting one. Thin doors onto the same selectors and services as the
pages and the command line."""

from decimal import Decimal
from typing import Literal

from ninja import Field, Router, Status

from cmc.accounts.auth import current_user, write_auth
from cmc.core.api import ERRORS, WRITE_ERRORS, InSchema, Schema

from .. import selectors, services

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


def _wages(view, p) -> dict | None:
    if not p.occupation_code:
        return None
    source = selectors.WAGE_SOURCE + (f", {view.wage_release}" if view.wage_release else "")
    return {"annual_median": p.annual_median, "hourly_median": p.hourly_median, "source": source}


def experience_out(e) -> dict:
    return {"kind": e.kind, "text": e.text, "months": e.months}


def _transition(t) -> dict:
    return {
        "id": t.id, "source": t.source, "target": t.target, "kind": t.kind,
        "months": t.months, "experiences": [experience_out(e) for e in t.experiences],
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


def answer(request, lattice) -> dict:
    """The lattice as every route answers it, as the caller may see it."""
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
    return answer(request, selectors.visible_lattice(user=current_user(request), slug=slug))


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
    return Status(201, answer(request, lattice))


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
    return answer(request, lattice)


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
