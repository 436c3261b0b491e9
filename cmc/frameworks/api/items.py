"""API routes for a model's items: a competency read, edited, left out, added; key behaviors
added, edited, left out; a tier's competency codes renumbered. Thin doors onto the same
services as the pages and the command line."""

from uuid import UUID

from django.http import Http404
from ninja import Field, Router, Status
from pydantic import StrictInt

from cmc.accounts.auth import current_user, write_auth
from cmc.core.api import ERRORS, WRITE_ERRORS, InSchema, Schema
from cmc.frameworks import selectors, services
from cmc.frameworks.api.schemas import CompetencyDetailOut
from cmc.frameworks.services import editing

router = Router(tags=["build a model"])


class CompetencyEditIn(InSchema):
    """What to change (a field left out stays as it is) and the revision it started from."""

    name: str | None = Field(None, min_length=1, max_length=300)
    definition: str | None = Field(None, max_length=10_000)
    revision: int = Field(..., ge=1)


class BehaviorEditIn(InSchema):
    """What to change (a field left out stays as it is) and the revision it started from."""

    title: str | None = Field(None, max_length=300)
    text: str | None = Field(None, min_length=1, max_length=10_000)
    revision: int = Field(..., ge=1)


class BehaviorNewIn(InSchema):
    title: str = Field("", max_length=300)
    text: str = Field(..., min_length=1, max_length=10_000)


class CompetencyNewIn(InSchema):
    name: str = Field(..., min_length=1, max_length=300)
    definition: str = Field("", max_length=10_000)


class ItemOut(Schema):
    identifier: UUID
    revision: int
    origin: str


def editable(request, slug: str):
    """The framework a write names, if the caller may see it; the service decides whether they
    may change it (403) or not see it at all (404)."""
    return selectors.visible_framework(user=request.auth, slug=slug, whole=True)


def _competency(request, identifier):
    return selectors.visible_competency(user=request.auth, identifier=identifier)


def _behavior(request, identifier):
    return selectors.visible_behavior(user=request.auth, identifier=identifier)


# Read, edit and leave out share one path, so they share one router (one Allow header).
@router.get(
    "/competencies/{identifier}",
    response={200: CompetencyDetailOut, **ERRORS},
    summary="One competency",
    tags=["frameworks"],
)
def get_competency(request, identifier: UUID):
    competency = selectors.visible_competency(
        user=current_user(request), identifier=identifier, with_behaviors=True
    )
    return {
        "identifier": competency.identifier,
        "code": competency.code,
        "name": competency.name,
        "definition": competency.definition,
        "revision": competency.revision,
        "url": competency.get_absolute_url(),
        "framework": competency.framework,
        "tier": competency.tier,
        "behaviors": competency.behavior_list,
    }


@router.patch(
    "/competencies/{identifier}",
    response={200: ItemOut, **WRITE_ERRORS},
    auth=write_auth,
    summary="Edit a competency",
)
def edit_competency(request, identifier: UUID, payload: CompetencyEditIn):
    """Send the revision you started from; a newer one answers 409 with the current text. A
    field left out keeps its text."""
    competency = _competency(request, identifier)
    return editing.update_competency(
        actor=request.auth, competency=competency, revision=payload.revision,
        **_changed(payload, competency, ("name", "definition")),
    )  # fmt: skip


@router.delete(
    "/competencies/{identifier}",
    response={204: None, **WRITE_ERRORS},
    auth=write_auth,
    summary="Leave a competency out",
)
def leave_out_competency(request, identifier: UUID):
    editing.leave_out_competency(actor=request.auth, competency=_competency(request, identifier))
    return Status(204, None)


@router.post(
    "/competencies/{identifier}/behaviors",
    response={201: ItemOut, **WRITE_ERRORS},
    auth=write_auth,
    summary="Add a key behavior",
)
def add_behavior(request, identifier: UUID, payload: BehaviorNewIn):
    behavior = editing.add_behavior(
        actor=request.auth, competency=_competency(request, identifier), **payload.dict()
    )
    return Status(201, behavior)


@router.post(
    "/frameworks/{slug}/tiers/{number}/competencies",
    response={201: ItemOut, **WRITE_ERRORS},
    auth=write_auth,
    summary="Add a competency",
)
def add_competency(request, slug: str, number: int, payload: CompetencyNewIn):
    tier = editable(request, slug).tiers.filter(number=number).first()
    if tier is None:
        raise Http404(f"No tier {number}.")
    return Status(201, editing.add_competency(actor=request.auth, tier=tier, **payload.dict()))


@router.patch(
    "/behaviors/{identifier}",
    response={200: ItemOut, **WRITE_ERRORS},
    auth=write_auth,
    summary="Edit a key behavior",
)
def edit_behavior(request, identifier: UUID, payload: BehaviorEditIn):
    """Send the revision you started from; a field left out keeps its text."""
    behavior = _behavior(request, identifier)
    return editing.update_behavior(
        actor=request.auth, behavior=behavior, revision=payload.revision,
        **_changed(payload, behavior, ("title", "text")),
    )  # fmt: skip


def _changed(payload, item, names: tuple[str, ...]) -> dict:
    """The texts an edit sends, each left out taken from the item as it is (its revision
    says whether someone changed it meanwhile)."""
    sent = payload.dict()
    return {name: getattr(item, name) if sent[name] is None else sent[name] for name in names}


@router.delete(
    "/behaviors/{identifier}",
    response={204: None, **WRITE_ERRORS},
    auth=write_auth,
    summary="Leave a key behavior out",
)
def leave_out_behavior(request, identifier: UUID):
    editing.leave_out_behavior(actor=request.auth, behavior=_behavior(request, identifier))
    return Status(204, None)


class RenumberIn(InSchema):
    tier: StrictInt | None = Field(
        None, ge=1, description="one tier's number; all tiers if left out"
    )


class RenumberOut(Schema):
    changed: int = Field(description="how many codes changed")


@router.post(
    "/frameworks/{slug}/renumber",
    response={200: RenumberOut, **WRITE_ERRORS},
    auth=write_auth,
    summary="Renumber competency codes",
)
def renumber(request, slug: str, payload: RenumberIn):
    """Give the competencies of each tier (or one) the codes N.1, N.2... in their order;
    identifiers and lineage stay as they are."""
    framework = editable(request, slug)
    tier = None
    if payload.tier is not None:
        tier = framework.tiers.filter(number=payload.tier).first()
        if tier is None:
            raise Http404(f"The framework has no tier {payload.tier}.")
    changed = services.renumber_codes(actor=request.auth, framework=framework, tier=tier)
    return {"changed": changed}
