"""The pathways routes of the JSON API: stackable pathways, their steps and their coverage of
a framework."""

from typing import Literal
from uuid import UUID

from ninja import Field, Query, Router, Status

from cmc.accounts.auth import current_user, write_auth
from cmc.core.api import (
    ERRORS,
    WRITE_ERRORS,
    InSchema,
    Schema,
)

from . import selectors, services
from .api import Visibility, _known_framework

router = Router(tags=["credentials"])


class PathwayFields(InSchema):
    description: str | None = Field(None, max_length=20_000)
    visibility: Visibility | None = None
    organization: str | None = Field(None, max_length=120)


class PathwayIn(PathwayFields):
    name: str = Field(..., max_length=300)
    framework: str = Field(..., max_length=120)
    slug: str = Field("", max_length=120)


class PathwayPatch(PathwayFields):
    name: str | None = Field(None, max_length=300)
    framework: str | None = Field(None, max_length=120)


class StepIn(InSchema):
    stage: str = Field("", max_length=200)
    credential: str = Field("", max_length=120)
    tier_from: int | None = Field(None, ge=1, le=99)
    tier_to: int | None = Field(None, ge=1, le=99)
    education: str = Field("", max_length=300)
    career: str = Field("", max_length=300)
    note: str = Field("", max_length=5000)


class PathwayStepOut(Schema):
    position: int
    stage: str
    credential: str | None
    credential_name: str | None
    tier_from: int | None
    tier_to: int | None
    education: str
    career: str
    note: str


class PathwayOut(Schema):
    identifier: UUID
    slug: str
    name: str
    description: str
    framework: str
    visibility: str
    is_reference: bool
    source: dict
    page: str
    steps: list[PathwayStepOut]


class CompetencyCoverageOut(Schema):
    code: str
    name: str
    covered: bool
    credentials: list[str]
    through_tier: list[str]


class TierCoverageOut(Schema):
    number: int
    name: str
    status: Literal["covered", "partly covered", "gap"]
    whole: list[str]
    competencies: list[CompetencyCoverageOut]


class CoverageOut(Schema):
    pathway: str
    framework: str
    covered: int
    competencies: int
    credentials: list[str]
    tiers: list[TierCoverageOut]
    gaps: list[str]


def _pathway_out(pathway, reader) -> dict:
    steps = selectors.steps_of(pathway=pathway, reader=reader)
    return {
        "identifier": pathway.identifier, "slug": pathway.slug, "name": pathway.name,
        "description": pathway.description, "framework": pathway.framework.slug,
        "visibility": pathway.visibility, "is_reference": pathway.is_reference,
        "source": {
            "seed": pathway.source_seed, "section": pathway.source_section,
            "passage": pathway.source_quote,
        },
        "page": pathway.get_absolute_url(),
        "steps": [
            {
                "position": s.position, "stage": s.stage,
                "credential": s.credential.slug if s.credential else None,
                "credential_name": s.credential.name if s.credential else None,
                "tier_from": s.tier_from, "tier_to": s.tier_to, "education": s.education,
                "career": s.career, "note": s.note,
            }
            for s in steps
        ],
    }  # fmt: skip


@router.get("/pathways", response={200: list[PathwayOut], **ERRORS}, summary="List pathways")
def list_pathways(
    request,
    framework: str = Query("", max_length=120),
    q: str = Query("", max_length=200),
):
    """The pathways the caller may see, on frameworks they may see, with their steps."""
    user = current_user(request)
    _known_framework(user, framework)
    return [
        _pathway_out(p, user) for p in selectors.pathway_list(user=user, framework=framework, q=q)
    ]


@router.post(
    "/pathways", response={201: PathwayOut, **WRITE_ERRORS}, auth=write_auth,
    summary="Build a pathway",
)  # fmt: skip
def create_pathway(request, payload: PathwayIn):
    pathway = services.create_pathway(actor=request.auth, data=payload.dict(exclude_none=True))
    return Status(201, _pathway_out(selectors.visible_pathway(user=request.auth,
                                                              slug=pathway.slug), request.auth))  # fmt: skip


@router.get("/pathways/{slug}", response={200: PathwayOut, **ERRORS}, summary="One pathway")
def get_pathway(request, slug: str):
    user = current_user(request)
    return _pathway_out(selectors.visible_pathway(user=user, slug=slug), user)


@router.patch(
    "/pathways/{slug}", response={200: PathwayOut, **WRITE_ERRORS}, auth=write_auth,
    summary="Change a pathway",
)  # fmt: skip
def update_pathway(request, slug: str, payload: PathwayPatch):
    pathway = selectors.editable_pathway(user=request.auth, slug=slug)
    services.update_pathway(
        actor=request.auth, pathway=pathway, data=payload.dict(exclude_unset=True)
    )
    return _pathway_out(selectors.visible_pathway(user=request.auth, slug=slug), request.auth)


@router.post(
    "/pathways/{slug}/steps", response={201: PathwayOut, **WRITE_ERRORS}, auth=write_auth,
    summary="Add a step on top of a pathway",
)  # fmt: skip
def add_pathway_step(request, slug: str, payload: StepIn):
    """A credential (its slug) or a named stage, the tiers it stands on, and the education
    and career beside it."""
    pathway = selectors.editable_pathway(user=request.auth, slug=slug)
    services.add_step(actor=request.auth, pathway=pathway, data=payload.dict())
    return Status(201, _pathway_out(pathway, request.auth))


@router.put(
    "/pathways/{slug}/steps/{position}", response={200: PathwayOut, **WRITE_ERRORS},
    auth=write_auth, summary="Change a step of a pathway",
)  # fmt: skip
def update_pathway_step(request, slug: str, position: int, payload: StepIn):
    """The step at `position` (1 is the bottom of the stack) says what is sent instead."""
    pathway = selectors.editable_pathway(user=request.auth, slug=slug)
    step = selectors.step_at(pathway=pathway, position=position)
    services.update_step(actor=request.auth, step=step, data=payload.dict())
    return _pathway_out(pathway, request.auth)


@router.get(
    "/pathways/{slug}/coverage", response={200: CoverageOut, **ERRORS},
    summary="What a pathway's credentials cover of a framework, and the gaps",
)  # fmt: skip
def pathway_coverage(request, slug: str, framework: str = Query("", max_length=120)):
    """Tier by tier and competency by competency, through the credentials' alignments;
    against the pathway's own framework unless `framework` names another."""
    user = current_user(request)
    pathway = selectors.visible_pathway(user=user, slug=slug)
    found = selectors.coverage(pathway=pathway, reader=user, framework_slug=framework)
    return {
        "pathway": pathway.slug,
        "framework": found.framework.slug,
        "covered": found.covered_count,
        "competencies": found.competency_count,
        "credentials": found.credentials,
        "tiers": [
            {
                "number": t.number,
                "name": t.name,
                "status": t.status,
                "whole": t.whole,
                "competencies": [
                    {
                        "code": c.code,
                        "name": c.name,
                        "covered": c.covered,
                        "credentials": c.direct,
                        "through_tier": c.through_tier,
                    }
                    for c in t.competencies
                ],
            }
            for t in found.tiers
        ],  # fmt: skip
        "gaps": [c.code for c in found.gaps],
    }
