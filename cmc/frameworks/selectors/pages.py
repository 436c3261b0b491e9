"""What a framework's pages read: the framework page's tree, whole for a small model and in
outline for a big one (each tier's competencies with how many key behaviors each has, the key
behaviors left for the reader to open), and one tier a page of competencies at a time."""

from dataclasses import dataclass

from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import Count, Prefetch
from django.http import Http404

from ..models import Competency, Framework, Tier
from .frameworks import find_tier, framework_with_sources, item_rows
from .trees import competency_url

# A model of more items (competencies and key behaviors) than this shows every tier in outline
# on its page, and so does a tier of more than FOLD_TIER_ITEMS in any model: what a page shows
# whole stays under about FOLD_MODEL_ITEMS items whatever the model's size.
FOLD_MODEL_ITEMS = 1_500
FOLD_TIER_ITEMS = 300
# Competencies on one page of a tier; a tier in outline opens a page of it at a time.
TIER_PAGE_SIZE = 50


@dataclass(frozen=True)
class OutlineItem:
    """A competency as a tier in outline lists it."""

    code: str
    name: str
    behavior_count: int
    url: str


@dataclass(frozen=True)
class OutlinePart:
    """One page's worth of a tier's competencies, in outline on the framework page: opening it
    brings in page `number` of the tier."""

    number: int
    items: list[OutlineItem]

    @property
    def first(self) -> str:
        return self.items[0].code

    @property
    def last(self) -> str:
        return self.items[-1].code


@dataclass(frozen=True)
class TierPage:
    """A page of one tier: the framework (its tiers counted, for the pyramid), the tier, and
    the page of its competencies, each with its key behaviors as `behavior_list`."""

    framework: Framework
    tier: Tier
    page: Page


def counted_tiers(framework: Framework) -> list[Tier]:
    """The framework's tiers in order, each with its competency_count and behavior_count (one
    query)."""
    tiers = list(
        Tier.objects.filter(framework=framework)
        .order_by("position")
        .annotate(
            competency_count=Count("competencies", distinct=True),
            behavior_count=Count("competencies__behaviors"),
        )
    )
    for tier in tiers:
        tier.framework = framework
    return tiers


def framework_page(*, user, slug: str) -> Framework:
    """One framework the user may see, loaded for its page in a fixed number of queries (at
    most six, whatever its size): `tier_list`, each tier counted (see counted_tiers) and
    `folded` or not (see FOLD_MODEL_ITEMS). A tier shown whole has its `competency_list`, each
    competency with its key behaviors as `behavior_list`. A tier in outline has its
    competencies as OutlineItems in `competency_list`, and cut as its pages are into
    `outline`, a list of OutlinePart; their key behaviors are not loaded."""
    framework = framework_with_sources(user=user, slug=slug)
    tiers = counted_tiers(framework)
    items = sum(tier.competency_count + tier.behavior_count for tier in tiers)
    for tier in tiers:
        weight = tier.competency_count + tier.behavior_count
        # An empty tier says so, in a model of any size.
        tier.folded = bool(tier.competency_count) and (
            items > FOLD_MODEL_ITEMS or weight > FOLD_TIER_ITEMS
        )
        tier.competency_list = []
    folded = {tier.pk: tier for tier in tiers if tier.folded}
    if folded:
        _outline(framework, folded)
    whole = {tier.pk: tier for tier in tiers if not tier.folded and tier.competency_count}
    if whole:
        competency_rows, behavior_rows = item_rows(framework)
        behaviors = Prefetch("behaviors", queryset=behavior_rows, to_attr="behavior_list")
        for competency in competency_rows.filter(tier__in=list(whole)).prefetch_related(behaviors):
            competency.framework = framework  # every item links back through it
            whole[competency.tier_id].competency_list.append(competency)
    framework.tier_list = tiers
    return framework


def _outline(framework: Framework, folded: dict[int, Tier]) -> None:
    """The competencies of the folded tiers (by id) in outline, in one query."""
    base = framework.get_absolute_url()
    rows = (
        Competency.objects.filter(tier__in=list(folded))
        .order_by("position")
        .values_list("tier_id", "code", "name")
        .annotate(behavior_count=Count("behaviors"))
    )
    for tier_id, code, name, count in rows:
        url = competency_url(base, code)
        folded[tier_id].competency_list.append(OutlineItem(code, name, count, url))
    for tier in folded.values():
        tier.outline = [
            OutlinePart(
                number=start // TIER_PAGE_SIZE + 1,
                items=tier.competency_list[start : start + TIER_PAGE_SIZE],
            )
            for start in range(0, len(tier.competency_list), TIER_PAGE_SIZE)
        ]


def tree_counts(framework: Framework) -> dict[str, int]:
    """How many tiers, competencies and key behaviors a framework loaded by framework_page
    (or one whose tiers are counted) has."""
    tiers = framework.tier_list
    return {
        "tiers": len(tiers),
        "competencies": sum(tier.competency_count for tier in tiers),
        "behaviors": sum(tier.behavior_count for tier in tiers),
    }


def tier_page(*, user, slug: str, number: int, page: int) -> TierPage:
    """Page `page` of tier `number` of a framework the user may see (TIER_PAGE_SIZE
    competencies a page, each with its key behaviors), in a fixed number of queries; 404 when
    there is no such tier or page."""
    framework = framework_with_sources(user=user, slug=slug)
    framework.tier_list = counted_tiers(framework)
    tier = find_tier(framework, number)
    competency_rows, behavior_rows = item_rows(framework)
    behaviors = Prefetch("behaviors", queryset=behavior_rows, to_attr="behavior_list")
    rows = competency_rows.filter(tier=tier).prefetch_related(behaviors)
    try:
        found = Paginator(rows, TIER_PAGE_SIZE).page(page)
    except EmptyPage:
        raise Http404("No such page of this tier.") from None
    found.object_list = list(found.object_list)
    for competency in found.object_list:
        competency.framework = framework
    return TierPage(framework=framework, tier=tier, page=found)
