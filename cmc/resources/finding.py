"""The faceted search of resources: ranked full text over the resources a user may see,
narrowed by kind, industry, state, use of a model, framework, tier and competency, with the
count of every facet value and one page of hits, read in one statement.

The text match comes from core's search (`match_sql`); the facets come from the resource's
own columns and tags and from its alignments (the one alignment model, scheme "resource",
code = the resource's identifier), each counted by one GROUP BY inside the same statement."""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Exists, OuterRef

from cmc.core.search import match_sql

from . import search
from .models import Resource, ResourceTag
from .vocab import KINDS

SORTS = ("relevance", "newest", "title")
# The facets kept as a resource's tags (ResourceTag.name).
_TAGS = ("industry", "state", "use")
PAGE_SIZE = 20

_ORDER = {
    "relevance": "score DESC, id DESC",
    "newest": "date IS NULL, date DESC, id DESC",
    "title": "LOWER(title), id",
}


@dataclass(frozen=True)
class Filters:
    """Checked facet values (see selectors.check_filters): the kind and tags as stored, the
    framework, tier and competency as row ids and a tier number."""

    q: str = ""
    kind: str = ""
    industry: str = ""
    state: str = ""
    use: str = ""
    framework_id: int | None = None
    tier: int | None = None
    competency_id: int | None = None
    sort: str = "relevance"
    page: int = 1


@dataclass
class Found:
    """One page of resource ids in order, the count of all hits, and the counts of every facet
    value among them: {"kind": {"curriculum": 3}, "framework": {"12": 2}, ...}."""

    ids: list[int] = field(default_factory=list)
    total: int = 0
    counts: dict[str, dict[str, int]] = field(default_factory=dict)


def base_rows(user, filters: Filters):
    """The resources the user may see under the filters, as a queryset (visibility decided
    by the queryset, never here)."""
    rows = Resource.objects.visible_to(user)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    for name in _TAGS:
        value = getattr(filters, name)
        if value:
            tags = ResourceTag.objects.filter(resource=OuterRef("pk"), name=name, value=value)
            rows = rows.filter(Exists(tags))
    aligned = _aligned(filters)
    if aligned is not None:
        rows = rows.filter(Exists(aligned))
    return rows


def _aligned(filters: Filters):
    from cmc.frameworks.models import Alignment

    wanted = {}
    if filters.framework_id is not None:
        wanted["framework_id"] = filters.framework_id
    if filters.tier is not None:
        wanted["tier__number"] = filters.tier
    if filters.competency_id is not None:
        wanted["competency_id"] = filters.competency_id
    if not wanted:
        return None
    return Alignment.objects.filter(scheme="resource", code=OuterRef("identifier"), **wanted)


def find(user, filters: Filters, *, page_size: int = PAGE_SIZE) -> Found:
    """One page of the resources matching the filters (and the words of `filters.q`, ranked),
    with every facet's counts, in one statement."""
    base_sql, base_params = (
        base_rows(user, filters)
        .order_by()
        .values("id", "kind", "identifier", "date", "title")
        .query
    ).sql_with_params()
    kinds = [filters.kind] if filters.kind else []
    matched = match_sql(filters.q, collection=search.COLLECTION, kinds=kinds)
    if matched is not None:
        head = f"WITH m AS MATERIALIZED ({matched[0]}), f AS MATERIALIZED (SELECT b.*, m.score FROM ({base_sql}) b JOIN m ON m.object_id = b.id)"  # noqa: E501
        params = [*matched[1], *base_params]
    else:
        head = f"WITH f AS MATERIALIZED (SELECT b.*, 0.0 AS score FROM ({base_sql}) b)"
        params = list(base_params)
    sort = filters.sort if filters.sort in SORTS else "relevance"
    if sort == "relevance" and matched is None:
        sort = "newest"
    offset = (max(filters.page, 1) - 1) * page_size
    with connection.cursor() as cursor:
        cursor.execute(f"{head} {_COUNTS} UNION ALL {_page(sort)}", [*params, page_size, offset])
        return _found(cursor.fetchall())


# Every count is read from the (small) filtered set outwards: in SQLite a CROSS JOIN keeps the
# planner on `f` first, where left free it walks a whole tag or alignment table and probes `f`
# for each row; PostgreSQL plans the same joins freely.
_ALIGNED = (
    "FROM f CROSS JOIN frameworks_alignment a WHERE a.scheme = 'resource' AND a.code = f.identifier"
)
_COUNTS = f"""
    SELECT 'kind', kind, COUNT(*) FROM f GROUP BY kind
    UNION ALL
    SELECT t.name, t.value, COUNT(*) FROM f CROSS JOIN resources_resourcetag t
    WHERE t.resource_id = f.id GROUP BY t.name, t.value
    UNION ALL
    SELECT 'framework', CAST(a.framework_id AS TEXT), COUNT(DISTINCT f.id) {_ALIGNED}
    GROUP BY a.framework_id
    UNION ALL
    SELECT 'tier', CAST(ti.number AS TEXT), COUNT(DISTINCT f.id)
    FROM f CROSS JOIN frameworks_alignment a CROSS JOIN frameworks_tier ti
    WHERE a.scheme = 'resource' AND a.code = f.identifier AND ti.id = a.tier_id
    GROUP BY ti.number
    UNION ALL
    SELECT 'competency', CAST(a.competency_id AS TEXT), COUNT(DISTINCT f.id) {_ALIGNED}
    AND a.competency_id IS NOT NULL GROUP BY a.competency_id
    UNION ALL
    SELECT 'total', '', COUNT(*) FROM f"""


def _page(sort: str) -> str:
    # The page's rows carry their place, so that the compound statement's order of parts
    # does not matter.
    order = _ORDER[sort]
    return f"""
    SELECT 'hit', CAST(id AS TEXT), place FROM (
        SELECT id, ROW_NUMBER() OVER (ORDER BY {order}) AS place FROM f
        ORDER BY {order} LIMIT %s OFFSET %s
    ) p"""


def _found(rows) -> Found:
    found = Found(counts={name: {} for name in ("kind", *_TAGS, "framework", "tier", "competency")})
    hits = []
    for name, value, number in rows:
        if name == "hit":
            hits.append((number, int(value)))
        elif name == "total":
            found.total = number
        else:
            found.counts.setdefault(name, {})[value] = number
    found.ids = [pk for _, pk in sorted(hits)]
    return found


__all__ = ["KINDS", "PAGE_SIZE", "SORTS", "Filters", "Found", "base_rows", "find"]
