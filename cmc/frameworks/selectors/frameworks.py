"""Every read of frameworks that is more than a one-line ORM call; visibility decided here."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import connections, router
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from cmc.accounts.models import Membership
from cmc.core.actors import is_system
from cmc.core.errors import InvalidInput, Problem

from ..models import (
    BlendChoice,
    Competency,
    Framework,
    KeyBehavior,
    Kind,
    Status,
    Tier,
    Visibility,
)


@dataclass
class FrameworkFilters:
    kind: str = ""
    status: str = ""
    industry: str = ""
    q: str = ""


def framework_list(*, user, filters: FrameworkFilters) -> QuerySet[Framework]:
    """Visible frameworks matching the filters, each with its tier, competency and behavior counts."""
    frameworks = Framework.objects.visible_to(user)
    if filters.kind:
        frameworks = frameworks.filter(kind=filters.kind)
    if filters.status:
        frameworks = frameworks.filter(status=filters.status)
    if filters.industry:
        frameworks = frameworks.filter(industry=filters.industry)
    if filters.q:
        frameworks = frameworks.filter(
            Q(name__icontains=filters.q) | Q(industry__icontains=filters.q)
        )
    return frameworks.annotate(
        competency_count=Count("competencies", distinct=True),
        behavior_count=Count("competencies__behaviors", distinct=True),
    ).order_by("-is_reference", "kind", "name")


def facet_counts(*, user) -> dict[str, list[tuple[str, str, int]]]:
    """How many visible frameworks there are of each kind, status and industry (value, label, n)."""
    visible = Framework.objects.visible_to(user)
    kinds = dict(Kind.choices)
    statuses = dict(Status.choices)
    return {
        "kind": [
            (row["kind"], kinds.get(row["kind"], row["kind"]), row["n"])
            for row in visible.values("kind").annotate(n=Count("id")).order_by("kind")
        ],
        "status": [
            (row["status"], statuses.get(row["status"], row["status"]), row["n"])
            for row in visible.values("status").annotate(n=Count("id")).order_by("status")
        ],
        "industry": [
            (row["industry"], row["industry"], row["n"])
            for row in visible.exclude(industry="")
            .values("industry")
            .annotate(n=Count("id"))
            .order_by("industry")
        ],
    }


def visible_framework(*, user, slug: str, whole: bool = False) -> Framework:
    """One visible framework (no tree), or 404. Only its name and last change, all that a page
    whose body is cached needs, unless `whole` asks for every field; and `has_content`,
    whether it has any competency (an empty one offers nothing to build from)."""
    rows = (
        Framework.objects.visible_to(user)
        .filter(slug=slug)
        .annotate(has_content=Exists(Competency.objects.filter(framework=OuterRef("pk"))))
    )
    if not whole:
        rows = rows.only("id", "slug", "name", "updated_at")
    found = list(rows[:1])
    if not found:
        raise Http404("No such framework.")
    return found[0]


def public_change(*, slug: str) -> tuple[int, float] | None:
    """A public framework's number and last change (a timestamp), or None: all that a visitor
    who is not signed in needs to be given the page kept for every such visitor, in one light
    query (the kept page is the same for all of them). Most page requests end with this, so
    its statement is written once, not made by the ORM on every request (which took longer
    than the rest of such a request)."""
    connection = connections[router.db_for_read(Framework)]
    with connection.cursor() as cursor:
        cursor.execute(_PUBLIC_CHANGE.get(connection.vendor) or _public_change_sql(connection),
                       [slug, Visibility.PUBLIC])  # fmt: skip
        found = cursor.fetchone()
    if found is None:
        return None
    changed = found[1]
    convert = getattr(connection.ops, "convert_datetimefield_value", None)
    if convert is not None:  # SQLite gives the time as text (the field's own converter)
        changed = convert(changed, None, connection)
    return found[0], changed.timestamp()


_PUBLIC_CHANGE: dict[str, str] = {}  # the statement, by kind of database


def _public_change_sql(connection) -> str:
    quote, meta = connection.ops.quote_name, Framework._meta
    pk, changed, slug, visibility = (
        quote(meta.get_field(name).column) for name in ("id", "updated_at", "slug", "visibility")
    )
    sql = (f"SELECT {pk}, {changed} FROM {quote(meta.db_table)} "
           f"WHERE {slug} = %s AND {visibility} = %s LIMIT 1")  # fmt: skip
    _PUBLIC_CHANGE[connection.vendor] = sql
    return sql


def search_scope(*, user, framework: str) -> int:
    """The framework a search is narrowed to, by its slug (or its number, as the facets give
    it), among those the user may see; InvalidInput naming it otherwise."""
    rows = Framework.objects.visible_to(user)
    by_number = framework.isdigit() and len(framework) <= 15
    found = rows.filter(pk=int(framework)) if by_number else rows.filter(slug=framework)
    pk = found.values_list("pk", flat=True).first()
    if pk is None:
        raise InvalidInput(
            [Problem("search", "framework", f"there is no framework {framework!r} you may see")]
        )
    return pk


def may_edit(*, framework: Framework, actor) -> bool:
    """Whether the actor may change the framework (owner, or editor of its organization)."""
    return Framework.objects.editable_by(actor).filter(pk=framework.pk).exists()


def require_editable(*, framework: Framework, actor) -> None:
    """Raise PermissionDenied unless the actor may change the framework."""
    if not may_edit(framework=framework, actor=actor):
        raise PermissionDenied(f"You may not change the framework '{framework.slug}'.")


def home_framework(*, user) -> tuple[Framework | None, int]:
    """What the home page shows: the Building Blocks model with its tree loaded (if the user
    may see it), and how many frameworks the user may see."""
    try:
        framework = framework_tree(user=user, slug="building-blocks")
    except Http404:
        framework = None
    return framework, Framework.objects.visible_to(user).count()


def may_manage(*, framework: Framework, actor) -> bool:
    """Whether the actor may decide who sees the framework and may delete it: its owner, an
    owner of the organization it is shared with, or the system. Editors change its content only."""
    if is_system(actor):
        return True
    if actor is None or not actor.is_authenticated:
        return False
    owner_of = Membership.objects.filter(user=actor, role=Membership.Role.OWNER).values(
        "organization"
    )
    return (
        Framework.objects.filter(pk=framework.pk)
        .filter(Q(owner=actor) | Q(visibility=Visibility.ORGANIZATION, organization__in=owner_of))
        .exists()
    )


def require_manageable(*, framework: Framework, actor, action: str) -> None:
    """Raise PermissionDenied unless the actor may manage the framework (see may_manage);
    `action` says what was refused ("change who may see it", "delete it")."""
    require_editable(framework=framework, actor=actor)
    if not may_manage(framework=framework, actor=actor):
        raise PermissionDenied(
            f"You may change the content of the framework '{framework.slug}' but not {action}: "
            "ask its owner or an owner of its organization."
        )


# Large columns of a source that an item's origin line never shows.
HEAVY = (
    "source_version__snapshot", "source_framework__variants", "source_framework__description",
    "source_framework__extensions",
)  # fmt: skip


def editable_framework(*, user, slug: str) -> Framework:
    """The framework the user may change; PermissionDenied if they may only read it, 404 if
    they may not even see it."""
    framework = Framework.objects.editable_by(user).filter(slug=slug).first()
    if framework is None:
        visible_framework(user=user, slug=slug)  # 404 when it cannot even be seen
        raise PermissionDenied("You may read this framework but not change it.")
    return framework


def framework_with_sources(*, user, slug: str) -> Framework:
    """One framework the user may see (any, for the system), whole, with the sources it was
    built from as `source_list` (two queries), or 404."""
    framework = (
        Framework.objects.visible_to(user)
        .select_related("owner", "based_on", "organization")
        .filter(slug=slug)
        .first()
    )
    if framework is None:
        raise Http404("No such framework.")
    # A derived model shows where each item came from: its sources, and each item's origin.
    framework.source_list = list(
        framework.sources.select_related("source", "source_version").defer(
            "source__variants", "source__description", "source_version__snapshot"
        )
    )
    return framework


def item_rows(framework: Framework) -> tuple[QuerySet[Competency], QuerySet[KeyBehavior]]:
    """The framework's competencies and key behaviors in order, each with its source and the
    version taken where the framework (loaded by framework_with_sources) has any, for the
    origin line an item shows."""
    behavior_rows = KeyBehavior.objects.order_by("position")
    competency_rows = Competency.objects.order_by("position")
    if framework.source_list:
        lineage = ("source_framework", "source_version")
        behavior_rows = behavior_rows.select_related(*lineage).defer(*HEAVY)
        competency_rows = competency_rows.select_related(*lineage).defer(*HEAVY)
    return competency_rows, behavior_rows


def framework_tree(*, user, slug: str) -> Framework:
    """One framework the user may see (any, for the system) with its whole tree loaded in a
    fixed number of queries: framework.tier_list[i].competency_list[j].behavior_list."""
    framework = framework_with_sources(user=user, slug=slug)
    competency_rows, behavior_rows = item_rows(framework)
    behaviors = Prefetch("behaviors", queryset=behavior_rows, to_attr="behavior_list")
    competencies = Prefetch(
        "competencies",
        queryset=competency_rows.prefetch_related(behaviors),
        to_attr="competency_list",
    )
    framework.tier_list = list(
        Tier.objects.filter(framework=framework).order_by("position").prefetch_related(competencies)
    )
    # Every item links back through its framework: hand it the one already loaded.
    for tier in framework.tier_list:
        tier.framework = framework
        for competency in tier.competency_list:
            competency.framework = framework
    return framework


# The bands narrow for the first MAX_STEP tiers above the base (see site.css), then keep width.
MAX_STEP = 11


@dataclass(frozen=True)
class PyramidTier:
    """A tier as the pyramid of a framework's tiers shows it: `step` counts up from the base
    (tier 1's band is step 0, the widest)."""

    number: int
    name: str
    group: str
    group_label: str
    competency_count: int
    url: str
    step: int


@dataclass(frozen=True)
class PyramidGroup:
    """A tier group in the pyramid's legend, with the first and last tiers it holds."""

    group: str
    label: str
    first: int
    last: int


@dataclass(frozen=True)
class Pyramid:
    """The Building Blocks pyramid of a framework's tiers: the top tier first, and the legend
    of the tier groups, foundational first."""

    name: str
    tiers: list[PyramidTier]
    groups: list[PyramidGroup]


def pyramid_tiers(framework: Framework) -> Pyramid:
    """The pyramid of a framework whose tree is loaded (see framework_tree), or whose tiers
    carry their counts (see pages.counted_tiers)."""
    base = framework.get_absolute_url()
    tiers = sorted(framework.tier_list, key=lambda t: t.number)
    laid = [
        PyramidTier(
            number=tier.number,
            name=tier.name,
            group=tier.group,
            group_label=tier.get_group_display(),
            competency_count=(
                tier.competency_count
                if hasattr(tier, "competency_count")
                else len(tier.competency_list)
            ),
            url=f"{base}tiers/{tier.number}/",
            step=min(step, MAX_STEP),
        )
        for step, tier in enumerate(tiers)
    ]
    groups: dict[str, PyramidGroup] = {}
    for tier in laid:
        seen = groups.get(tier.group)
        first = seen.first if seen else tier.number
        groups[tier.group] = PyramidGroup(tier.group, tier.group_label, first, tier.number)
    return Pyramid(framework.name, laid[::-1], list(groups.values()))


def find_tier(framework: Framework, number: int) -> Tier:
    for tier in framework.tier_list:
        if tier.number == number:
            return tier
    raise Http404("No such tier.")


def find_competency(framework: Framework, code: str) -> tuple[Tier, Competency]:
    for tier in framework.tier_list:
        for competency in tier.competency_list:
            if competency.code == code:
                return tier, competency
    raise Http404("No such competency.")


def visible_competency(*, user, identifier, with_behaviors: bool = False) -> Competency:
    """A competency the user may see, by identifier (with its framework and tier, and its
    key behaviors in order as `behavior_list` if asked), or 404."""
    rows = Competency.objects.visible_to(user).select_related("framework", "tier")
    if with_behaviors:
        ordered = KeyBehavior.objects.order_by("position")
        rows = rows.prefetch_related(
            Prefetch("behaviors", queryset=ordered, to_attr="behavior_list")
        )
    found = rows.filter(identifier=identifier).first()
    if found is None:
        raise Http404("No such competency.")
    return found


def visible_behavior(*, user, identifier) -> KeyBehavior:
    """A key behavior the user may see, by identifier (with its competency), or 404."""
    found = (
        KeyBehavior.objects.visible_to(user)
        .select_related("competency__framework", "competency__tier")
        .filter(identifier=identifier)
        .first()
    )
    if found is None:
        raise Http404("No such key behavior.")
    return found


def blend_choices(framework: Framework) -> list[BlendChoice]:
    """Where the blended sources of a model disagree (a tier's name, a competency's name or
    definition): the readings offered, and the one chosen if any, in the model's order."""
    choices = BlendChoice.objects.filter(
        Q(competency__framework=framework) | Q(tier__framework=framework)
    ).select_related("tier", "competency__tier")
    return sorted(
        choices,
        key=lambda c: (
            (c.tier or c.competency.tier).number,
            c.competency.position if c.competency else 0,
            c.field,
        ),
    )
