"""The resources routes of the JSON API: faceted search, one resource, submitting and changing
resources (signed-in people) and moderating them (staff). Thin doors onto the same selectors
and services as the pages."""

from datetime import date, datetime

from ninja import Query, Router, Status

from cmc.accounts.auth import current_user, write_auth
from cmc.core.api import ERRORS, WRITE_ERRORS, InSchema, Schema

from . import selectors, services
from .cleaning import AlignmentRef, ResourceInput
from .vocab import KINDS

router = Router(tags=["resources"])


class ResourceQuery(Schema):
    q: str = ""
    kind: str = ""
    industry: str = ""
    state: str = ""
    use: str = ""
    framework: str = ""
    tier: str = ""
    competency: str = ""
    sort: str = ""
    page: str = ""


class ResourceAlignmentIn(InSchema):
    framework: str
    tier: int | None = None
    competency: str = ""


class ResourceAlignmentOut(Schema):
    framework: str
    framework_name: str
    tier: int | None
    competency: str | None
    competency_name: str | None


class ResourceIn(InSchema):
    kind: str
    title: str
    organization: str = ""
    url: str = ""
    description: str = ""
    industries: list[str] = []
    states: list[str] = []
    audience: str = ""
    format: str = ""
    cost: str = ""
    date: str = ""
    uses: list[str] = []
    alignments: list[ResourceAlignmentIn] = []


class ResourcePatch(InSchema):
    kind: str | None = None
    title: str | None = None
    organization: str | None = None
    url: str | None = None
    description: str | None = None
    industries: list[str] | None = None
    states: list[str] | None = None
    audience: str | None = None
    format: str | None = None
    cost: str | None = None
    date: str | None = None
    uses: list[str] | None = None
    alignments: list[ResourceAlignmentIn] | None = None


class ResourceOut(Schema):
    identifier: str
    kind: str
    kind_label: str
    title: str
    organization: str
    url: str
    description: str
    industries: list[str]
    states: list[str]
    audience: str
    format: str
    cost: str
    date: date | None
    uses: list[str]
    status: str
    reason: str
    decided_by: str | None
    decided_at: datetime | None
    submitted_by: str | None
    source_note: str
    page: str
    alignments: list[ResourceAlignmentOut]


class ResourceHitOut(Schema):
    identifier: str
    kind: str
    title: str
    organization: str
    status: str
    snippet: str
    page: str


class ResourceFacetValueOut(Schema):
    value: str
    label: str
    count: int


class ResourceSearchOut(Schema):
    total: int
    page: int
    pages: int
    results: list[ResourceHitOut]
    facets: dict[str, list[ResourceFacetValueOut]]


class ResourceModerationIn(InSchema):
    decision: str
    reason: str = ""


@router.get("/resources", response={200: ResourceSearchOut, **ERRORS}, summary="Search resources")
def search_resources(request, query: Query[ResourceQuery]):
    """Ranked full-text search with facets: `q`, and `kind`, `industry`, `state`, `use` (one
    of the guide's eight uses of a model: communicate, career-guidance, career-paths,
    program-planning, curriculum, hr-services, certification, apprenticeship), `framework`
    (slug), `tier` (1-9) and `competency` (identifier); `sort` is relevance, newest or title.
    The answer counts the hits under every facet value; a bad value is a 422 naming it."""
    found = selectors.search_resources(user=current_user(request), raw=query.dict())
    return {
        "total": found.total,
        "page": found.page,
        "pages": found.pages,
        "results": [
            {
                "identifier": hit.resource.identifier,
                "kind": hit.resource.kind,
                "title": hit.resource.title,
                "organization": hit.resource.organization,
                "status": hit.resource.status,
                "snippet": str(hit.snippet),
                "page": hit.resource.get_absolute_url(),
            }  # fmt: skip
            for hit in found.hits
        ],
        "facets": {
            group.name: [
                {"value": link.value, "label": link.label, "count": link.count}
                for link in group.links
            ]
            for group in found.facets
        },
    }


@router.get(
    "/resources/{identifier}", response={200: ResourceOut, **ERRORS}, summary="One resource"
)
def get_resource(request, identifier: str):
    """A resource the caller may see, with its alignments and its moderation decision."""
    return _out(current_user(request), identifier)


@router.post(
    "/resources", response={201: ResourceOut, **WRITE_ERRORS}, auth=write_auth,
    summary="Submit a resource",
)  # fmt: skip
def submit_resource(request, payload: ResourceIn):
    """A signed-in person submits a resource; it waits for moderation (status pending)."""
    resource = services.submit_resource(actor=request.user, data=_input(payload.dict()))
    return Status(201, _out(request.user, resource.identifier))


@router.patch(
    "/resources/{identifier}", response={200: ResourceOut, **WRITE_ERRORS}, auth=write_auth,
    summary="Change a resource",
)  # fmt: skip
def update_resource(request, identifier: str, payload: ResourcePatch):
    """Its submitter or staff change the fields sent; a submitter's change goes back to the
    moderation queue."""
    resource = selectors.editable_resource(user=request.user, identifier=identifier)
    current = _out(request.user, identifier)
    merged = {**_as_input_dict(current), **payload.dict(exclude_unset=True)}
    services.update_resource(actor=request.user, resource=resource, data=_input(merged))
    return _out(request.user, identifier)


@router.post(
    "/resources/{identifier}/moderation", response={200: ResourceOut, **WRITE_ERRORS},
    auth=write_auth, summary="Publish or reject a resource",
)  # fmt: skip
def moderate_resource(request, identifier: str, payload: ResourceModerationIn):
    """Staff publish a resource or reject it with a reason; who and when are recorded."""
    resource = selectors.visible_resource(user=request.user, identifier=identifier)
    services.moderate_resource(
        actor=request.user, resource=resource, decision=payload.decision, reason=payload.reason
    )
    return _out(request.user, identifier)


def _input(data: dict) -> ResourceInput:
    refs = [
        AlignmentRef(a["framework"], a.get("tier"), a.get("competency") or "")
        for a in data.get("alignments") or []
    ]
    fields = {k: v for k, v in data.items() if k != "alignments" and v is not None}
    return ResourceInput(**{**fields, "date": fields.get("date") or None, "alignments": refs})


def _as_input_dict(out: dict) -> dict:
    keep = ("kind", "title", "organization", "url", "description", "industries", "states",
            "audience", "format", "cost", "uses")  # fmt: skip
    data = {name: out[name] for name in keep}
    data["date"] = out["date"].isoformat() if out["date"] else ""
    data["alignments"] = [
        {"framework": a["framework"], "tier": a["tier"], "competency": a["competency"] or ""}
        for a in out["alignments"]
    ]
    return data


def _out(user, identifier: str) -> dict:
    view = selectors.resource_view(user=user, identifier=identifier)
    r = view.resource
    return {
        "identifier": r.identifier, "kind": r.kind, "kind_label": KINDS.get(r.kind, r.kind),
        "title": r.title, "organization": r.organization, "url": r.url,
        "description": r.description, "industries": view.industries, "states": view.states,
        "audience": r.audience, "format": r.format, "cost": r.cost, "date": r.date,
        "uses": [use for use, _ in view.uses], "status": r.status, "reason": r.reason,
        "decided_by": r.decided_by.get_username() if r.decided_by else None,
        "decided_at": r.decided_at,
        "submitted_by": r.submitted_by.get_username() if r.submitted_by else None,
        "source_note": r.source_note, "page": r.get_absolute_url(),
        "alignments": [
            {
                "framework": a.framework.slug, "framework_name": a.framework.name,
                "tier": a.tier.number if a.tier_id else None,
                "competency": a.competency.code if a.competency_id else None,
                "competency_name": a.competency.name if a.competency_id else None,
            }  # fmt: skip
            for a in view.alignments
        ],
    }  # fmt: skip
