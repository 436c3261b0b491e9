"""The credentials routes of the JSON API: credentials and their alignments (OB3, CTDL),
stackable pathways and their coverage, endorsed credentials. Thin doors onto the same
services and selectors as the pages."""

from datetime import datetime
from decimal import Decimal
from typing import Literal
from uuid import UUID

from django.http import Http404, HttpResponse, JsonResponse
from ninja import Field, Query, Router, Status

from cmc.accounts.auth import current_user, write_auth
from cmc.core.api import (
    ERRORS,
    VALIDATION_DETAIL,
    WRITE_ERRORS,
    InSchema,
    Schema,
)
from cmc.core.errors import InvalidInput, Problem
from cmc.frameworks import selectors as framework_selectors

from . import exports, selectors, services

router = Router(tags=["credentials"])

Kind = Literal[
    "certification", "license", "certificate", "degree", "digital_badge",
    "apprenticeship_certificate",
]  # fmt: skip
Visibility = Literal["private", "organization", "public"]
Strength = Literal["exact", "major", "minor", "related"]


class CredentialQuery(Schema):
    kind: Literal[
        "", "certification", "license", "certificate", "degree", "digital_badge",
        "apprenticeship_certificate",
    ] = ""  # fmt: skip
    framework: str = Field("", max_length=120)
    endorsed: bool = False
    q: str = Field("", max_length=200)
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(50, ge=1, le=200)


class CredentialFields(InSchema):
    kind: Kind | None = None
    issuer: str | None = Field(None, max_length=300)
    accreditation_body: str | None = Field(None, max_length=300)
    accreditation_standard: str | None = Field(None, max_length=200)
    national_portability: bool | None = None
    third_party_validation: bool | None = None
    assessment_type: str | None = Field(None, max_length=200)
    renewal: str | None = Field(None, max_length=300)
    typical_hours: int | None = Field(None, ge=0, le=100_000)
    typical_cost: Decimal | None = Field(None, ge=0, le=Decimal("99999999.99"))
    url: str | None = Field(None, max_length=1000)
    description: str | None = Field(None, max_length=20_000)
    visibility: Visibility | None = None
    organization: str | None = Field(None, max_length=120)


class CredentialIn(CredentialFields):
    name: str = Field(..., max_length=300)
    kind: Kind
    slug: str = Field("", max_length=120)


class CredentialPatch(CredentialFields):
    name: str | None = Field(None, max_length=300)


class CredentialOut(Schema):
    identifier: UUID
    slug: str
    name: str
    kind: str
    issuer: str
    accreditation_body: str
    accreditation_standard: str
    national_portability: bool | None
    third_party_validation: bool | None
    assessment_type: str
    renewal: str
    typical_hours: int | None
    typical_cost: Decimal | None
    url: str
    description: str
    visibility: str
    is_reference: bool
    source: dict
    page: str


class CredentialPageOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[CredentialOut]


class CredentialAlignmentIn(InSchema):
    framework: str = Field(..., max_length=120)
    tier: int | None = Field(None, ge=1, le=99)
    competency: str | None = Field(None, max_length=20)
    strength: Strength = "major"


class CredentialAlignmentOut(Schema):
    identifier: UUID
    framework: str
    tier: int | None
    competency: str | None
    strength: str
    made_by: str
    created_at: datetime


def _credential_out(credential) -> dict:
    fields = {name: getattr(credential, name) for name in CredentialOut.model_fields
              if hasattr(credential, name)}  # fmt: skip
    return {
        **fields,
        "source": {
            "seed": credential.source_seed,
            "section": credential.source_section,
            "passage": credential.source_quote,
        },  # fmt: skip
        "page": credential.get_absolute_url(),
    }


def _known_framework(user, slug: str) -> None:
    """A framework named in the query must be one the caller can see: else a 422 naming it."""
    if not slug:
        return
    try:
        framework_selectors.visible_framework(user=user, slug=slug)
    except Http404:
        message = f"'{slug}' is not a framework you can see"
        raise InvalidInput([Problem("query", "framework", message)],
                           detail=VALIDATION_DETAIL) from None  # fmt: skip


def _alignment_out(link) -> dict:
    return {
        "identifier": link.identifier,
        "framework": link.framework.slug,
        "tier": link.tier.number if link.tier_id else None,
        "competency": link.competency.code if link.competency_id else None,
        "strength": link.strength,
        "made_by": link.made_by.get_username() if link.made_by_id else link.method or "system",
        "created_at": link.created_at,
    }


@router.get("/credentials", response={200: CredentialPageOut, **ERRORS}, summary="List credentials")
def list_credentials(request, filters: Query[CredentialQuery]):
    """Credentials the caller may see; filter by kind, framework aligned to (slug), endorsed,
    words; a page at a time."""
    wanted = filters.dict()
    page, size = wanted.pop("page"), wanted.pop("page_size")
    user = current_user(request)
    _known_framework(user, wanted["framework"])
    found = selectors.credential_list(user=user, filters=selectors.CredentialFilters(**wanted))
    start = (page - 1) * size
    return {
        "count": found.count(),
        "page": page,
        "page_size": size,
        "items": [_credential_out(c) for c in found[start : start + size]],
    }


@router.post(
    "/credentials", response={201: CredentialOut, **WRITE_ERRORS}, auth=write_auth,
    summary="Add a credential",
)  # fmt: skip
def create_credential(request, payload: CredentialIn):
    """A new credential, owned by the caller (private unless `visibility` says otherwise)."""
    data = payload.dict(exclude_none=True)
    credential = services.create_credential(actor=request.auth, data=data)
    return Status(201, _credential_out(credential))


@router.get(
    "/credentials/{slug}", response={200: CredentialOut, **ERRORS}, summary="One credential"
)
def get_credential(request, slug: str):
    return _credential_out(selectors.visible_credential(user=current_user(request), slug=slug))


@router.patch(
    "/credentials/{slug}", response={200: CredentialOut, **WRITE_ERRORS}, auth=write_auth,
    summary="Change a credential",
)  # fmt: skip
def update_credential(request, slug: str, payload: CredentialPatch):
    """Change the fields sent (send null to clear a yes/no, hours or cost)."""
    credential = selectors.editable_credential(user=request.auth, slug=slug)
    data = payload.dict(exclude_unset=True)
    updated = services.update_credential(actor=request.auth, credential=credential, data=data)
    return _credential_out(updated)


@router.delete(
    "/credentials/{slug}", response={204: None, **WRITE_ERRORS}, auth=write_auth,
    summary="Delete a credential",
)  # fmt: skip
def delete_credential(request, slug: str):
    """Delete a credential and its alignments; refused (422) while a pathway stacks it."""
    credential = selectors.editable_credential(user=request.auth, slug=slug)
    services.delete_credential(actor=request.auth, credential=credential)
    return HttpResponse(status=204)


@router.get(
    "/credentials/{slug}/alignments",
    # The 200 answer is described below: a list, or an Open Badges or CTDL document.
    response={**ERRORS},
    summary="Where a credential is aligned (list, Open Badges 3.0 or CTDL)",
    openapi_extra={
        "responses": {
            200: {
                "description": "The alignments as a list, as Open Badges 3.0 Alignment objects "
                "(format=ob3) or as CTDL (format=ctdl)",
                "content": {
                    "application/json": {
                        "schema": {
                            "oneOf": [
                                {
                                    "type": "array",
                                    "items": {
                                        "$ref": "#/components/schemas/CredentialAlignmentOut"
                                    },
                                },
                                {"type": "object"},
                            ]
                        }
                    },
                    "application/ld+json": {"schema": {"type": "object"}},
                },
            }
        }
    },
)
def credential_alignments(request, slug: str, format: Literal["", "ob3", "ctdl"] = ""):
    """Without `format`, the alignments as the API lists them; `format=ob3` gives the
    credential as an OB3 Achievement with its `alignment` list, `format=ctdl` as CTDL
    JSON-LD whose `ceterms:requires` lists them as credential alignment objects."""
    user = current_user(request)
    credential = selectors.visible_credential(user=user, slug=slug)
    links = selectors.credential_alignments(credential=credential, reader=user)
    if not format:
        rows = [CredentialAlignmentOut.model_validate(_alignment_out(link)) for link in links]
        return JsonResponse([row.model_dump(mode="json") for row in rows], safe=False)
    body = exports.export(credential, links, format)
    return HttpResponse(body, content_type=exports.FORMATS[format])


@router.post(
    "/credentials/{slug}/alignments", response={201: CredentialAlignmentOut, **WRITE_ERRORS},
    auth=write_auth, summary="Align a credential",
)  # fmt: skip
def align_credential(request, slug: str, payload: CredentialAlignmentIn):
    """Align to a framework, one of its tiers (`tier`, as a whole) or competencies
    (`competency`, its code); aligning again changes the strength."""
    credential = selectors.editable_credential(user=request.auth, slug=slug)
    framework = framework_selectors.framework_tree(user=request.auth, slug=payload.framework)
    tier = competency = None
    if payload.competency:
        competency = framework_selectors.find_competency(framework, payload.competency)[1]
    elif payload.tier is not None:
        tier = framework_selectors.find_tier(framework, payload.tier)
    link = services.align_credential(
        actor=request.auth, credential=credential, framework=framework, tier=tier,
        competency=competency, strength=payload.strength,
    )  # fmt: skip
    return Status(201, _alignment_out(link))


@router.delete(
    "/credentials/{slug}/alignments/{identifier}", response={204: None, **WRITE_ERRORS},
    auth=write_auth, summary="Remove an alignment of a credential",
)  # fmt: skip
def unalign_credential(request, slug: str, identifier: UUID):
    credential = selectors.editable_credential(user=request.auth, slug=slug)
    links = selectors.credential_alignments(credential=credential, reader=request.auth)
    link = next((a for a in links if a.identifier == identifier), None)
    if link is None:
        raise Http404("No such alignment of this credential.")
    services.remove_credential_alignment(actor=request.auth, credential=credential, alignment=link)
    return HttpResponse(status=204)


class EndorsedOut(Schema):
    credential: str
    credential_name: str
    body: str
    framework: str
    summary: str
    # When the decision was recorded here; for reference content, when it was loaded (the
    # source names the passage the endorsement comes from).
    decided_at: datetime | None
    criteria_met: list[str]
    source: dict


@router.get(
    "/endorsements", response={200: list[EndorsedOut], **ERRORS},
    summary="Endorsed credentials, with why",
)  # fmt: skip
def list_endorsements(request, framework: str = Query("", max_length=120)):
    """The endorsed credentials the caller may see, framework by framework (one framework's
    if `framework` names it)."""
    user = current_user(request)
    _known_framework(user, framework)
    return [
        {
            "credential": e.credential.slug, "credential_name": e.credential.name,
            "body": e.body.name, "framework": f.slug, "summary": e.summary,
            "decided_at": e.decided_at, "criteria_met": e.met,
            "source": {"seed": e.source_seed, "section": e.source_section,
                       "passage": e.source_quote},
        }
        for f, rows in selectors.endorsed_by_framework(reader=user)
        if not framework or f.slug == framework
        for e in rows
    ]  # fmt: skip
