"""API routes for building a model from frameworks: derive one (from one framework, or
blended from several), then settle the blend: where its sources disagree (choose a reading)
and its likely duplicates (merge, keep apart, undo). Thin doors onto the same services as the
pages and the command line."""

from typing import Literal
from uuid import UUID

from django.http import Http404
from ninja import Field, Router, Status

from cmc.accounts.auth import current_user, write_auth
from cmc.core.api import ERRORS, WRITE_ERRORS, InSchema, Schema
from cmc.frameworks import selectors, services
from cmc.frameworks.api.browse import full
from cmc.frameworks.api.items import editable
from cmc.frameworks.api.schemas import FrameworkOut
from cmc.frameworks.services import editing

router = Router(tags=["build a model"])


class DeriveIn(InSchema):
    sources: list[str] = Field(..., min_length=1, max_length=10)
    name: str = Field(..., min_length=1, max_length=200)
    visibility: Literal["private", "public"] = "private"


@router.post(
    "/frameworks/derive",
    response={201: FrameworkOut, **WRITE_ERRORS},
    auth=write_auth,
    summary="Build a model from frameworks",
)
def derive(request, payload: DeriveIn):
    """A new private draft built from one framework, or blended from several, with lineage."""
    framework = services.derive_framework(
        actor=request.auth,
        sources=payload.sources,
        name=payload.name,
        visibility=payload.visibility,
    )
    return Status(
        201, full(selectors.framework_tree(user=request.auth, slug=framework.slug), request.auth)
    )


class ReadingOut(Schema):
    source: str = Field(description="the source framework that reads so")
    value: str


class BlendChoiceOut(Schema):
    id: int
    item: Literal["competency", "tier"]
    competency: UUID | None = Field(description="the competency's identifier, for a competency")
    code: str | None = Field(description="the competency's code, for a competency")
    tier: int = Field(description="the tier's number")
    field: str = Field(description="what the sources disagree on: name or definition")
    options: list[ReadingOut]
    chosen: str | None = Field(description="the reading taken, or null while open")
    revision: int = Field(description="the item's revision, to send back when choosing")


class ChoiceIn(InSchema):
    option: int = Field(ge=0, description="which reading to take: its place in `options`, from 0")
    revision: int = Field(description="the item's revision as you saw it")


def _choice_out(choice) -> dict:
    item = choice.competency or choice.tier
    competency = choice.competency
    return {
        "id": choice.pk,
        "item": "competency" if competency else "tier",
        "competency": competency.identifier if competency else None,
        "code": competency.code if competency else None,
        "tier": (competency.tier if competency else choice.tier).number,
        "field": choice.field,
        "options": choice.options,
        "chosen": choice.chosen,
        "revision": item.revision,
    }


@router.get(
    "/frameworks/{slug}/blend-choices",
    response={200: list[BlendChoiceOut], **ERRORS},
    summary="Where blended sources differ",
)
def list_blend_choices(request, slug: str):
    """Every place where the sources of a blended model disagree, open or chosen."""
    framework = selectors.visible_framework(user=current_user(request), slug=slug)
    return [_choice_out(c) for c in selectors.blend_choices(framework)]


class DuplicateSideOut(Schema):
    identifier: UUID
    code: str
    name: str
    source: str | None = Field(description="the source it came from, as the reader may see it")


class DuplicateOut(Schema):
    id: int
    tier: int
    score: float = Field(description="how alike the two names are, from 0 to 1")
    decision: Literal["open", "merged", "apart"]
    first: DuplicateSideOut | None = Field(
        description="the first of the pair; after a merge, the competency kept"
    )
    second: DuplicateSideOut | None = Field(
        description="the second of the pair; null after a merge"
    )
    merged_name: str | None = Field(
        description="after a merge, the name of the competency merged in"
    )


class MergeIn(InSchema):
    keep: Literal["first", "second"] = Field("first", description="which of the two to keep")


def _side(competency, named: set[int]) -> dict | None:
    if competency is None:
        return None
    source = competency.source_framework
    return {
        "identifier": competency.identifier,
        "code": competency.code,
        "name": competency.name,
        "source": None
        if source is None
        else (source.name if source.pk in named else selectors.PRIVATE_SOURCE),
    }


def _duplicate_out(pair, named: set[int]) -> dict:
    return {
        "id": pair.pk,
        "tier": pair.tier.number,
        "score": pair.score,
        "decision": pair.decision,
        "first": _side(pair.first, named),
        "second": _side(pair.second, named),
        "merged_name": (pair.absorbed.get("competency") or {}).get("name"),
    }


@router.get(
    "/frameworks/{slug}/blend-choices/duplicates",
    response={200: list[DuplicateOut], **ERRORS},
    summary="Competencies of a blend that are likely the same",
)
def list_duplicates(request, slug: str):
    """Pairs of competencies from different sources whose names are alike, best first: those
    still to decide, and those merged or kept apart (which can be undone)."""
    user = current_user(request)
    framework = selectors.visible_framework(user=user, slug=slug)
    named = selectors.named_sources(framework, user)
    return [_duplicate_out(p, named) for p in selectors.likely_duplicates(framework)]


def _pair(request, slug: str, pair_id: int):
    framework = editable(request, slug)
    pair = next((p for p in selectors.likely_duplicates(framework) if p.pk == pair_id), None)
    if pair is None:
        raise Http404("No such pair of likely duplicates.")
    return framework, pair


def _pair_answer(request, framework, pair_id: int) -> dict:
    named = selectors.named_sources(framework, request.auth)
    pair = next(p for p in selectors.likely_duplicates(framework) if p.pk == pair_id)
    return _duplicate_out(pair, named)


@router.post(
    "/frameworks/{slug}/blend-choices/duplicates/{pair_id}/merge",
    response={200: DuplicateOut, **WRITE_ERRORS},
    auth=write_auth,
    summary="Merge two likely duplicates",
)
def merge_duplicates(request, slug: str, pair_id: int, payload: MergeIn):
    """Keep one competency of the pair with the other's key behaviors and sources in its
    lineage; 409 if the pair was already decided."""
    framework, pair = _pair(request, slug, pair_id)
    services.merge_duplicate(actor=request.auth, duplicate=pair, keep=payload.keep)
    return _pair_answer(request, framework, pair_id)


@router.post(
    "/frameworks/{slug}/blend-choices/duplicates/{pair_id}/keep-apart",
    response={200: DuplicateOut, **WRITE_ERRORS},
    auth=write_auth,
    summary="Say two likely duplicates are not the same",
)
def keep_duplicates_apart(request, slug: str, pair_id: int):
    """The pair is no longer offered; 409 if it was already decided."""
    framework, pair = _pair(request, slug, pair_id)
    services.keep_apart(actor=request.auth, duplicate=pair)
    return _pair_answer(request, framework, pair_id)


@router.post(
    "/frameworks/{slug}/blend-choices/duplicates/{pair_id}/undo",
    response={200: DuplicateOut, **WRITE_ERRORS},
    auth=write_auth,
    summary="Undo a merge or a 'not the same'",
)
def undo_duplicates(request, slug: str, pair_id: int):
    """A merged competency comes back where it was, with its key behaviors and lineage; the
    pair is offered again."""
    framework, pair = _pair(request, slug, pair_id)
    services.undo_duplicate(actor=request.auth, duplicate=pair)
    return _pair_answer(request, framework, pair_id)


@router.post(
    "/frameworks/{slug}/blend-choices/{choice_id}",
    response={200: BlendChoiceOut, **WRITE_ERRORS},
    auth=write_auth,
    summary="Choose a reading",
)
def choose_reading(request, slug: str, choice_id: int, payload: ChoiceIn):
    """Take one source's reading. Send the item's revision: if someone changed the item since,
    the answer is 409 with both texts, and nothing changes."""
    framework = editable(request, slug)
    choice = next((c for c in selectors.blend_choices(framework) if c.pk == choice_id), None)
    if choice is None:
        raise Http404("No such choice.")
    editing.resolve_blend_choice(actor=request.auth, choice=choice, **payload.dict())
    choice.refresh_from_db()
    return _choice_out(choice)
