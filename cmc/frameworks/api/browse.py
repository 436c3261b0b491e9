"""The frameworks API: thin routes onto the same selectors and services as the pages."""

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status

from cmc.accounts.auth import current_user, write_auth
from cmc.core import search as search_engine
from cmc.core.api import ERRORS, WRITE_ERRORS, shaped_json
from cmc.frameworks import selectors, services
from cmc.frameworks.api.schemas import (
    FrameworkFields,
    FrameworkIn,
    FrameworkOut,
    FrameworkOverviewOut,
    FrameworkPageOut,
    FrameworkPatch,
    FrameworkSummaryOut,
    FrameworkTreeOut,
    SearchOut,
)
from cmc.frameworks.search import FRAMEWORKS, framework_names
from cmc.frameworks.selectors import PRIVATE_SOURCE, named_sources
from cmc.frameworks.trees import BehaviorNode, CompetencyNode, FrameworkTree, TierNode

if TYPE_CHECKING:
    from cmc.frameworks.models import Framework

router = Router(tags=["frameworks"])
MAX_ID = 2**53


class FrameworkQuery(Schema):
    kind: str = Field("", max_length=20)
    status: str = Field("", max_length=10)
    industry: str = Field("", max_length=200)
    q: str = Field("", max_length=200)
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(50, ge=1, le=200)


def summary(framework: "Framework") -> dict:
    return {
        **{
            f: getattr(framework, f)
            for f in FrameworkSummaryOut.model_fields
            if hasattr(framework, f)
        },
        "url": framework.get_absolute_url(),
    }


def _built_from(link, named: set[int]) -> dict:
    """A source as the reader may see it: named, or "a private model" (or, if it was deleted
    since, by the name it had)."""
    seen = link.source_id in named
    version = link.source_version if seen else None
    return {
        "slug": link.source.slug if seen else None,
        "name": link.source_name if seen or link.source_id is None else PRIVATE_SOURCE,
        "version": version.number if version else None,
        "version_name": link.source.version_name(version.number) if version else None,
        "published_at": version.published_at if version else None,
    }


def fields(framework: "Framework", reader) -> dict:
    """A framework loaded with its sources (selectors.framework_with_sources) as the API shows
    it to `reader`, without its tiers (FrameworkFields): the framework it is based on is
    named only if the reader may see it."""
    named = named_sources(framework, reader)
    based_on = framework.based_on if framework.based_on_id in named else None
    return {
        **{
            f: getattr(framework, f)
            for f in FrameworkFields.model_fields
            if hasattr(framework, f) and f != "based_on"
        },
        "based_on": based_on.slug if based_on else None,
        "source": {
            "citation": framework.source_citation,
            "url": framework.source_url,
            "section": framework.source_section,
        },
        "built_from": [_built_from(link, named) for link in framework.source_list],
        "url": framework.get_absolute_url(),
    }


def full(framework: "Framework", reader) -> dict:
    """A loaded framework (selectors.framework_tree) as the API shows it to `reader`, whole."""
    return {
        **fields(framework, reader),
        "tiers": [
            {
                "identifier": t.identifier,
                "number": t.number,
                "name": t.name,
                "group": t.group,
                "note": t.note,
                "competencies": [
                    {
                        "identifier": c.identifier,
                        "code": c.code,
                        "name": c.name,
                        "definition": c.definition,
                        "revision": c.revision,
                        "behaviors": c.behavior_list,
                    }
                    for c in t.competency_list
                ],
            }
            for t in framework.tier_list
        ],
    }


@router.get("/frameworks", response={200: FrameworkPageOut, **ERRORS}, summary="List frameworks")
def list_frameworks(request, filters: Query[FrameworkQuery]):
    """Frameworks the caller may see, with counts, a page at a time; filter by kind, status,
    industry or name."""
    wanted = filters.dict()
    page, size = wanted.pop("page"), wanted.pop("page_size")
    found = selectors.framework_list(
        user=current_user(request), filters=selectors.FrameworkFilters(**wanted)
    )
    start = (page - 1) * size
    return {
        "count": found.count(),
        "page": page,
        "page_size": size,
        "items": [summary(f) for f in found[start : start + size]],
    }


# Competencies in one answer of GET /frameworks/{slug}: a model of up to TREE_PART comes
# whole, as it always did; a bigger one comes in parts.
TREE_PART = 500
TREE_PART_MAX = 1_000


@router.get(
    "/frameworks/{slug}",
    response={200: FrameworkTreeOut, **ERRORS},
    summary="One framework",
)
def get_framework(
    request,
    slug: str,
    tier: int | None = Query(None, ge=1, le=99, description="only this tier (its number)"),
    limit: int = Query(
        TREE_PART, ge=1, le=TREE_PART_MAX, description="at most this many competencies"
    ),
    cursor: str = Query(
        "", max_length=30, description="where the part starts: given in `next`, never made up"
    ),
):
    """The tree: tiers, competencies and key behaviors, in order. A model of up to 500
    competencies comes whole in one answer. A bigger one comes in parts of `limit`
    competencies (500 unless asked), each with its key behaviors: while more follow, the
    answer's `next` is the address of the next part (with the same `tier` and `limit`); the
    last part has no `next`. A part holds the tiers its competencies are in and the empty
    tiers that fall within it, so a tier whose competencies run over two parts is in both,
    with some of them in each: put the parts together by tier number. `tier` asks for one
    tier (in parts too, when it is big); `GET /frameworks/{slug}/summary` says how big each
    tier is."""
    user = current_user(request)
    framework = selectors.framework_with_sources(user=user, slug=slug)
    part = selectors.tree_part(framework, tier=tier, cursor=cursor, limit=limit)
    answer = {**fields(framework, user), "tiers": part.tiers}
    if part.cursor:
        asked = {"tier": tier, "limit": request.GET.get("limit"), "cursor": part.cursor}
        query = urlencode({name: value for name, value in asked.items() if value is not None})
        answer["next"] = f"{request.path}?{query}"
    # A part runs to tens of thousands of nodes, all made here in FrameworkTreeOut's shape:
    # checked by its tests, not again node by node on every answer.
    return shaped_json(answer)


@router.get(
    "/frameworks/{slug}/summary",
    response={200: FrameworkOverviewOut, **ERRORS},
    summary="One framework, without its content",
)
def framework_summary(request, slug: str):
    """The framework's fields, how many competencies and key behaviors it has, and its tiers
    with how many of each every tier holds, without the competencies themselves: light at
    any size, for lists, and to choose what to fetch (`GET /frameworks/{slug}?tier=`)."""
    user = current_user(request)
    framework = selectors.framework_with_sources(user=user, slug=slug)
    tiers = selectors.counted_tiers(framework)
    base = framework.get_absolute_url()
    return {
        **fields(framework, user),
        "competency_count": sum(t.competency_count for t in tiers),
        "behavior_count": sum(t.behavior_count for t in tiers),
        "tiers": [
            {
                **{f: getattr(t, f) for f in ("identifier", "number", "name", "group", "note")},
                "competency_count": t.competency_count,
                "behavior_count": t.behavior_count,
                "url": f"{base}tiers/{t.number}/",
            }
            for t in tiers
        ],
    }


@router.get("/search", response={200: SearchOut, **ERRORS}, summary="Full-text search")
def search(
    request,
    q: str = Query(..., max_length=200),
    framework: str | None = Query(
        None, max_length=200, description="a framework's slug (or its number, as facets give it)"
    ),
    tier: int | None = Query(None, ge=1, le=99),
    limit: int = Query(20, ge=1, le=100),
    offset: int = Query(0, ge=0, le=10_000),
):
    """Ranked matches over frameworks, competencies and key behaviors, with highlighted snippets
    (<mark>) and facet counts by framework and tier."""
    user = current_user(request)
    scope = selectors.search_scope(user=user, framework=framework) if framework else None
    results = search_engine.search(
        q,
        user=user,
        collections=[FRAMEWORKS.name],
        scope=(FRAMEWORKS.name, scope) if scope is not None else None,
        facet=(FRAMEWORKS.name, tier) if tier is not None else None,
        limit=limit,
        offset=offset,
    )
    scopes = results.scope_counts.get(FRAMEWORKS.name, {})
    names = framework_names(user, list(scopes)) if scopes else {}
    return {
        "query": q,
        "total": results.total,
        "hits": [search_hit(hit) for hit in results.hits],
        "frameworks": [
            {"value": pk, "label": names.get(pk, ""), "count": n} for pk, n in scopes.items()
        ],
        "tiers": [
            {"value": number, "label": FRAMEWORKS.facet_label.format(number), "count": n}
            for number, n in results.facet_counts.get(FRAMEWORKS.name, {}).items()
        ],
    }


def search_hit(hit: search_engine.Hit) -> dict:
    return {
        "kind": hit.kind,
        "title": hit.title,
        "context": hit.context,
        "url": hit.url,
        "snippet": str(hit.snippet),
        "framework_id": hit.scope_id,
        "tier_number": hit.facet,
    }


def tree_from_input(data: FrameworkIn) -> FrameworkTree:
    return FrameworkTree(
        name=data.name,
        slug=data.slug or "",
        kind=data.kind,
        status=data.status,
        industry=data.industry,
        naics=data.naics,
        description=data.description,
        version_label=data.version_label,
        language=data.language,
        tiers=[
            TierNode(
                number=t.number,
                name=t.name,
                group=t.group or "",
                competencies=[
                    CompetencyNode(
                        code=c.code,
                        name=c.name,
                        definition=c.definition,
                        behaviors=[BehaviorNode(text=b.text, title=b.title) for b in c.behaviors],
                    )
                    for c in t.competencies
                ],
            )
            for t in data.tiers
        ],
    )


@router.post(
    "/frameworks",
    response={201: FrameworkOut, **WRITE_ERRORS},
    auth=write_auth,
    summary="Create a framework",
)
def create_framework(request, payload: FrameworkIn):
    """Create a framework (optionally with its whole tree), owned by the caller."""
    tree = tree_from_input(payload)
    report = services.create_framework(tree=tree, actor=request.auth, visibility=payload.visibility)
    return Status(
        201,
        full(selectors.framework_tree(user=request.auth, slug=report.framework.slug), request.auth),
    )


@router.patch(
    "/frameworks/{slug}",
    response={200: FrameworkOut, **WRITE_ERRORS},
    auth=write_auth,
    summary="Change a framework",
)
def update_framework(request, slug: str, payload: FrameworkPatch):
    framework = selectors.framework_tree(user=request.auth, slug=slug)
    changes = payload.dict(exclude_unset=True, exclude_none=True)
    services.update_framework(framework=framework, actor=request.auth, **changes)
    return full(selectors.framework_tree(user=request.auth, slug=slug), request.auth)


@router.delete(
    "/frameworks/{slug}",
    response={204: None, **WRITE_ERRORS},
    auth=write_auth,
    summary="Delete a framework",
)
def delete_framework(request, slug: str):
    framework = selectors.framework_tree(user=request.auth, slug=slug)
    services.delete_framework(framework=framework, actor=request.auth)
    return HttpResponse(status=204)
