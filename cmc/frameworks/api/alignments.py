"""The alignments API: list a framework's alignments, align a statement to a competency or
one of its key behaviors, remove an alignment. Thin routes onto the same selectors and
services as the alignment page."""

from typing import Literal
from uuid import UUID

from django.http import HttpResponse
from ninja import Field, Query, Router, Status

from cmc.accounts.auth import current_user, write_auth
from cmc.core.api import ERRORS, WRITE_ERRORS, InSchema, Schema
from cmc.frameworks import selectors, services

router = Router(tags=["alignments"])


class AlignmentQuery(Schema):
    scheme: str = Field("", max_length=40)
    competency: str = Field("", max_length=40, description="a competency's code")


class AlignmentIn(InSchema):
    scheme: str = Field(..., min_length=1, max_length=40, description="esco, onet, ...")
    code: str = Field(..., min_length=1, max_length=500, description="the statement's code")
    competency: str = Field(..., min_length=1, max_length=40, description="a competency's code")
    behavior: UUID | None = Field(None, description="one of its key behaviors, by identifier")
    strength: Literal["exact", "major", "minor", "related"] = "major"
    text: str = Field("", max_length=5000, description="needed for a scheme no source knows")
    url: str = Field("", max_length=1000)


class AlignmentOut(Schema):
    identifier: UUID
    framework: str
    scheme: str
    code: str
    text: str
    url: str
    competency: str | None
    behavior: UUID | None
    target: str
    strength: str
    score: float | None
    made_by: str | None
    method: str


def _out(link) -> dict:
    return {
        "identifier": link.identifier,
        "framework": link.framework.slug,
        "scheme": link.scheme,
        "code": link.code,
        "text": link.text,
        "url": link.url,
        "competency": link.competency.code if link.competency else None,
        "behavior": link.behavior.identifier if link.behavior else None,
        "target": link.target_label,
        "strength": link.strength,
        "score": link.score,
        "made_by": link.made_by.get_username() if link.made_by else None,
        "method": link.method,
    }


@router.get(
    "/frameworks/{slug}/alignments",
    response={200: list[AlignmentOut], **ERRORS},
    summary="A framework's alignments",
)
def list_framework_alignments(request, slug: str, filters: Query[AlignmentQuery]):
    """Statements aligned to the framework's items, in the order of its items; filter by
    scheme or by competency code."""
    framework = selectors.visible_framework(user=current_user(request), slug=slug, whole=True)
    links = selectors.alignment_list(
        framework=framework, scheme=filters.scheme, competency=filters.competency
    )
    return [_out(link) for link in links]


@router.post(
    "/frameworks/{slug}/alignments",
    response={201: AlignmentOut, **WRITE_ERRORS},
    auth=write_auth,
    summary="Align a statement",
)
def create_framework_alignment(request, slug: str, payload: AlignmentIn):
    """Align a statement to a competency (by code) or one of its key behaviors; aligning the
    same statement to the same item again changes its strength. Editors of the framework only."""
    # Seen (else 404); the service refuses those who may not change it (403).
    framework = selectors.visible_framework(user=request.auth, slug=slug, whole=True)
    link = services.align_statement(
        actor=request.auth,
        framework=framework,
        scheme=payload.scheme,
        code=payload.code,
        competency=payload.competency,
        behavior=str(payload.behavior) if payload.behavior else "",
        strength=payload.strength,
        text=payload.text,
        url=payload.url,
    )
    return Status(
        201, _out(selectors.visible_alignment(user=request.auth, identifier=link.identifier))
    )


@router.delete(
    "/alignments/{identifier}",
    response={204: None, **WRITE_ERRORS},
    auth=write_auth,
    summary="Remove an alignment",
)
def delete_alignment(request, identifier: UUID):
    """Remove an alignment: its maker or an editor of its framework may."""
    link = selectors.visible_alignment(user=request.auth, identifier=identifier)
    services.remove_alignment(actor=request.auth, alignment=link)
    return HttpResponse(status=204)
