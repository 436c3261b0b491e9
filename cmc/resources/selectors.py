"""Every read of resources; what a person may see is decided by `Resource.objects.visible_to`
and `editable_by`, never by a door."""

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.safestring import SafeString

from cmc.core.errors import InvalidInput, Problem
from cmc.core.search import snippet
from cmc.frameworks.models import Competency, Framework, Scheme
from cmc.frameworks.selectors import alignments_of_statement

from . import finding
from .finding import Filters
from .industries import INDUSTRIES
from .models import Resource, ResourceImport, ResourceTag
from .vocab import KINDS, STATES, USES

FACETS = ("kind", "industry", "state", "use", "framework", "tier", "competency")
HEADINGS = {
    "kind": "Kind",
    "industry": "Industry",
    "state": "State",
    "use": "Use of a model",
    "framework": "Framework",
    "tier": "Tier",
    "competency": "Competency",
}
MAX_PAGE = 10_000


@dataclass(frozen=True)
class FacetLink:
    label: str
    value: str
    count: int
    current: bool
    query: str  # the page's parameters with this value chosen (or dropped, when current)


@dataclass(frozen=True)
class FacetGroup:
    name: str
    heading: str
    links: list[FacetLink]


@dataclass(frozen=True)
class Hit:
    resource: Resource
    kind_label: str
    snippet: SafeString


@dataclass
class SearchPage:
    params: dict[str, str]
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    pages: int = 1
    facets: list[FacetGroup] = field(default_factory=list)

    def query_for(self, **changes) -> str:
        """The page's parameters with `changes` (a None value drops the parameter)."""
        params = {**self.params, **changes}
        return urlencode({k: v for k, v in params.items() if v not in (None, "")})

    @property
    def previous_query(self) -> str:
        return self.query_for(page=self.page - 1 if self.page > 2 else None)

    @property
    def next_query(self) -> str:
        return self.query_for(page=self.page + 1)


def check_filters(user, raw) -> tuple[Filters, dict[str, str]]:
    """The search parameters (a dict or QueryDict of text) checked: each facet value must be
    one the clearinghouse knows and the user may see, or InvalidInput names it. Returns the
    filters and the parameters as given, cleaned."""
    params = {name: str(raw.get(name, "") or "").strip() for name in ("q", *FACETS, "sort", "page")}
    problems: list[Problem] = []

    def bad(name: str, message: str) -> None:
        problems.append(Problem("query", name, message))

    if params["kind"] and params["kind"] not in KINDS:
        bad("kind", f"'{params['kind']}' is not a kind of resource (one of: {', '.join(KINDS)})")
    if params["industry"] and params["industry"] not in INDUSTRIES:
        bad("industry", f"'{params['industry']}' is not an industry of the clearinghouse")
    if params["state"]:
        params["state"] = params["state"].upper()
        if params["state"] not in STATES:
            bad("state", f"'{params['state']}' is not a U.S. state code (two letters, such as WA)")
    if params["use"] and params["use"] not in USES:
        bad("use", f"'{params['use'][:100]}' is not a use of a model (one of: {', '.join(USES)})")
    framework_id = _framework_id(user, params["framework"], bad)
    tier = _whole(params["tier"], "tier", 1, 9, bad)
    competency_id = _competency_id(user, params["competency"], bad)
    if params["sort"] and params["sort"] not in finding.SORTS:
        bad("sort", f"'{params['sort']}' is not a sort order (one of: {', '.join(finding.SORTS)})")
    page = _whole(params["page"], "page", 1, MAX_PAGE, bad) or 1
    if problems:
        raise InvalidInput(problems, "The search is not valid; see errors.")
    filters = Filters(
        q=params["q"][:500], kind=params["kind"], industry=params["industry"],
        state=params["state"], use=params["use"], framework_id=framework_id, tier=tier,
        competency_id=competency_id, sort=params["sort"] or "relevance", page=page,
    )  # fmt: skip
    return filters, params


def _framework_id(user, slug: str, bad) -> int | None:
    if not slug:
        return None
    found = Framework.objects.visible_to(user).filter(slug=slug).values_list("pk", flat=True)
    if not found:
        bad("framework", f"no framework '{slug[:100]}'")
        return None
    return found[0]


def _competency_id(user, text: str, bad) -> int | None:
    if not text:
        return None
    try:
        identifier = uuid.UUID(text)
    except ValueError:
        bad("competency", f"'{text[:100]}' is not a competency identifier (a UUID)")
        return None
    found = Competency.objects.visible_to(user).filter(identifier=identifier).values_list("pk", flat=True)  # fmt: skip
    if not found:
        bad("competency", f"no competency '{text}'")
        return None
    return found[0]


def _whole(text: str, name: str, low: int, high: int, bad) -> int | None:
    if not text:
        return None
    if not text.isdigit() or not low <= int(text) <= high:
        bad(name, f"'{text[:20]}' is not a whole number from {low} to {high}")
        return None
    return int(text)


def search_resources(*, user, raw, page_size: int = finding.PAGE_SIZE) -> SearchPage:
    """One page of resources for the search page and the API: hits with their highlighted
    snippets, the total, and every facet's values with their counts (InvalidInput for a bad
    parameter)."""
    filters, params = check_filters(user, raw)
    found = finding.find(user, filters, page_size=page_size)
    rows = Resource.objects.in_bulk(found.ids)
    result = SearchPage(params=params, total=found.total, page=filters.page)
    result.pages = max(1, -(-found.total // page_size))
    result.hits = [_hit(rows[pk], filters.q) for pk in found.ids if pk in rows]
    result.facets = _facets(user, found.counts, result)
    return result


def _hit(resource: Resource, q: str) -> Hit:
    text = resource.description or resource.organization or resource.title
    return Hit(resource, KINDS.get(resource.kind, resource.kind), snippet(text, q))


def _facets(user, counts: dict[str, dict[str, int]], page: SearchPage) -> list[FacetGroup]:
    labels = {
        "kind": KINDS,
        "industry": {name: name for name in INDUSTRIES},
        "state": STATES,
        "use": USES,
        "tier": {str(n): f"Tier {n}" for n in range(1, 10)},
    }
    frameworks = {
        pk: (slug, name)
        for pk, slug, name in Framework.objects.visible_to(user)
        .filter(pk__in=[int(v) for v in counts.get("framework", {})])
        .values_list("pk", "slug", "name")
    }
    competencies = {
        str(pk): (str(identifier), f"{code} {name}")
        for pk, identifier, code, name in Competency.objects.visible_to(user)
        .filter(pk__in=[int(v) for v in counts.get("competency", {})])
        .values_list("pk", "identifier", "code", "name")
    }
    groups = []
    for name in FACETS:
        values = counts.get(name, {})
        entries = []
        for value, count in values.items():
            if name == "framework":
                entry = frameworks.get(int(value))
            elif name == "competency":
                entry = competencies.get(value)
            else:
                entry = (value, labels[name].get(value, value))
            if entry:
                entries.append((entry[0], entry[1], count))
        entries.sort(key=lambda e: (-e[2], e[1]) if name != "tier" else (int(e[0]), ""))
        links = [_link(page, name, value, label, count) for value, label, count in entries[:30]]
        if links:
            groups.append(FacetGroup(name, HEADINGS[name], links))
    return groups


def _link(page: SearchPage, name: str, value: str, label: str, count: int) -> FacetLink:
    current = page.params.get(name) == value
    query = page.query_for(**{name: None if current else value, "page": None})
    return FacetLink(label=label, value=value, count=count, current=current, query=query)


@dataclass
class ResourceView:
    """A resource as its page shows it: the resource, its tags by name, its alignments in the
    frameworks the reader may see, and what the reader may do."""

    resource: Resource
    kind_label: str
    industries: list[str]
    states: list[str]
    uses: list[tuple[str, str]]
    alignments: list
    may_edit: bool
    may_moderate: bool


def visible_resource(*, user, identifier: str) -> Resource:
    """One resource the user may see, or 404."""
    found = (
        Resource.objects.visible_to(user)
        .select_related("submitted_by", "decided_by")
        .filter(identifier=str(identifier))
        .first()
    )
    if found is None:
        raise Http404("No such resource.")
    return found


def editable_resource(*, user, identifier: str) -> Resource:
    """One resource the user may change: 404 when unseen, 403 when seen but not theirs."""
    found = visible_resource(user=user, identifier=identifier)
    if not Resource.objects.editable_by(user).filter(pk=found.pk).exists():
        raise PermissionDenied("You may not change this resource.")
    return found


def resource_view(*, user, identifier: str) -> ResourceView:
    """What a resource's page and the API's answer about one resource show."""
    resource = visible_resource(user=user, identifier=identifier)
    tags = tags_of(resource)
    return ResourceView(
        resource=resource,
        kind_label=KINDS.get(resource.kind, resource.kind),
        industries=tags["industry"],
        states=tags["state"],
        uses=[(use, USES[use]) for use in tags["use"] if use in USES],
        alignments=resource_alignments(resource, user),
        may_edit=Resource.objects.editable_by(user).filter(pk=resource.pk).exists(),
        may_moderate=bool(getattr(user, "is_staff", False)),
    )


def tags_of(resource: Resource) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {"industry": [], "state": [], "use": []}
    for name, value in resource.tags.values_list("name", "value"):
        found.setdefault(name, []).append(value)
    return found


def resource_alignments(resource: Resource, user) -> list:
    return alignments_of_statement(scheme=Scheme.RESOURCE, code=resource.identifier, reader=user)


def moderation_queue(*, user) -> list[Resource]:
    """The resources waiting for a decision, oldest first (staff only)."""
    if not getattr(user, "is_staff", False):
        raise PermissionDenied("Only staff may moderate resources.")
    return list(
        Resource.objects.filter(status="pending")
        .select_related("submitted_by")
        .order_by("created_at", "id")
    )


def recent_decisions(*, user, limit: int = 20) -> list[Resource]:
    if not getattr(user, "is_staff", False):
        raise PermissionDenied("Only staff may moderate resources.")
    return list(
        Resource.objects.exclude(status="pending")
        .filter(decided_at__isnull=False)
        .select_related("submitted_by", "decided_by")
        .order_by("-decided_at", "-id")[:limit]
    )


def submissions_of(*, user) -> list[Resource]:
    """A person's own submissions, newest first, with the decision on each."""
    if user is None or not user.is_authenticated:
        return []
    return list(
        Resource.objects.filter(submitted_by=user)
        .select_related("decided_by")
        .order_by("-created_at", "-id")
    )


def aligned_resources(
    *, user, framework, competency=None, limit: int | None = None
) -> list[Resource]:
    """The resources the user may see that are aligned to a framework (or one competency of
    it), by title; the first `limit` of them when given (one query: a framework's page asks)."""
    from cmc.frameworks.models import Alignment

    links = Alignment.objects.filter(scheme=Scheme.RESOURCE, framework=framework)
    if competency is not None:
        links = links.filter(competency=competency)
    rows = (
        Resource.objects.visible_to(user)
        .filter(identifier__in=links.values("code"))
        .only("identifier", "title", "kind", "organization")
        .order_by("title", "id")
    )
    return list(rows[:limit] if limit else rows)


def models_in_action(*, user) -> list[tuple[str, str, list[Resource]]]:
    """The case studies the user may see, under each of the guide's eight uses they are
    tagged with (a case study under every use it shows), in the guide's order."""
    rows = Resource.objects.visible_to(user).filter(kind="case-study").order_by("title", "id")
    by_use: dict[str, list[Resource]] = defaultdict(list)
    tags = ResourceTag.objects.filter(resource__in=rows, name="use").values_list(
        "resource_id", "value"
    )
    ids_by_use: dict[str, set[int]] = defaultdict(set)
    for resource_id, use in tags:
        ids_by_use[use].add(resource_id)
    for resource in rows:
        for use in USES:
            if resource.pk in ids_by_use[use]:
                by_use[use].append(resource)
    return [(use, label, by_use[use]) for use, label in USES.items()]


def resource_import(*, user, identifier) -> ResourceImport:
    """One of the user's imports of a file of resources (staff only), or 404."""
    if not getattr(user, "is_staff", False):
        raise PermissionDenied("Only staff may import resources.")
    found = ResourceImport.objects.filter(owner=user, identifier=str(identifier)).first()
    if found is None:
        raise Http404("No such import of yours: an import is kept for a day.")
    return found
