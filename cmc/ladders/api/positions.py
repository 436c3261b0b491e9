"""A lattice's positions and the moves between them in the JSON API, for its editors: added,
changed and removed, each answered with the whole lattice. Positions are named by their key
(unique within a lattice, shown on every position), moves by their id."""

from typing import Literal

from ninja import Field, Router, Status

from cmc.accounts.auth import write_auth
from cmc.core.api import WRITE_ERRORS, InSchema

from .. import selectors, services
from .lattices import LatticeOut, answer

router = Router(tags=["lattices"])


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
    return Status(201, answer(request, lattice))


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
    return answer(request, lattice)


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
    return Status(201, answer(request, lattice))


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
    return answer(request, lattice)


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
