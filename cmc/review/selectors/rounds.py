"""Review rounds as their editors, their reviewers and the report read them."""

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from cmc.frameworks.models import Framework
from cmc.frameworks.selectors import may_edit, version_tree, visible_framework
from cmc.frameworks.trees import FrameworkTree

from ..links import hash_secret
from ..models import Action, ItemKind, Proposal, Resolution, Reviewer, ReviewRound


def rounds_of(*, user, slug: str) -> tuple[Framework, list[ReviewRound]]:
    """A framework the user may edit and its rounds, newest first (404 if they may not see
    it, 403 if they may only read it)."""
    framework = visible_framework(user=user, slug=slug, whole=True)
    if not may_edit(framework=framework, actor=user):
        raise PermissionDenied("Only the model's editors see its review rounds.")
    return framework, round_rows(framework)


def editable_round(*, user, pk: int) -> ReviewRound:
    """A round of a framework the user may edit; 404 if they may not see the framework (or
    there is no such round), 403 if they may only read it."""
    found = (
        ReviewRound.objects.select_related("framework", "version", "opened_by", "closed_by")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("No such review round.")
    visible_framework(user=user, slug=found.framework.slug)
    if not may_edit(framework=found.framework, actor=user):
        raise PermissionDenied("Only the model's editors see its review rounds.")
    return found


def link_expires(review_round: ReviewRound) -> datetime:
    """When a reviewer's personal link stops working: the end of the deadline's day plus the
    grace days (settings.CMC_REVIEW_GRACE_DAYS)."""
    last = review_round.deadline + timedelta(days=settings.CMC_REVIEW_GRACE_DAYS + 1)
    return timezone.make_aware(datetime.combine(last, datetime.min.time()))


def link_state(reviewer: Reviewer, now: datetime | None = None) -> str:
    """open (the reviewer may mark items), closed (the round is closed: the reviewer reads
    everyone's input) or expired (the link no longer opens anything)."""
    review_round = reviewer.round
    if not review_round.is_open:
        return "closed"
    if (now or timezone.now()) >= link_expires(review_round):
        return "expired"
    return "open"


def reviewer_by_token(token: str) -> Reviewer:
    """The reviewer whose personal link carries `token`, with their round; 404 if it opens
    nothing (mistyped, or of a round deleted since), and 404 too once it expired, saying so."""
    found = (
        Reviewer.objects.select_related("round__framework", "round__version")
        .filter(token_hash=hash_secret(token or ""))
        .first()
    )
    if found is None:
        raise Http404("This review link opens nothing: check that it was copied whole.")
    if link_state(found) == "expired":
        raise Http404(
            f"This review link expired on {link_expires(found.round):%B %-d, %Y}: ask the "
            "model's editor for a new one."
        )
    return found


def round_tree(review_round: ReviewRound) -> FrameworkTree:
    """The version under review, as the tree its snapshot froze."""
    return version_tree(review_round.framework, review_round.version)


@dataclass
class Item:
    """An item of the version under review, as reviewers and editors see it."""

    kind: str
    identifier: uuid.UUID
    ref: str
    label: str
    title: str = ""
    text: str = ""
    tier: int = 0

    @property
    def kind_label(self) -> str:
        return ItemKind(self.kind).label


def items_of(tree: FrameworkTree) -> dict[uuid.UUID, Item]:
    """Every tier, competency and key behavior of a tree by identifier, in the tree's order."""
    found: dict[uuid.UUID, Item] = {}
    for tier in tree.tiers:
        found[tier.identifier] = Item(
            ItemKind.TIER, tier.identifier, f"Tier {tier.number}", tier.name, tier.name, "",
            tier.number,
        )  # fmt: skip
        for competency in tier.competencies:
            found[competency.identifier] = Item(
                ItemKind.COMPETENCY, competency.identifier, competency.code, competency.name,
                competency.name, competency.definition, tier.number,
            )  # fmt: skip
            for n, behavior in enumerate(competency.behaviors, start=1):
                found[behavior.identifier] = Item(
                    ItemKind.BEHAVIOR, behavior.identifier, f"{competency.code} behavior {n}",
                    behavior.title or behavior.text, behavior.title, behavior.text, tier.number,
                )  # fmt: skip
    return found


def own_proposals(reviewer: Reviewer) -> dict[uuid.UUID, dict]:
    """A reviewer's own input by item: their mark ("mark", a Proposal or None) and their
    additions under it ("adds")."""
    mine: dict[uuid.UUID, dict] = {}
    for proposal in reviewer.proposals.order_by("id"):
        entry = mine.setdefault(proposal.item_identifier, {"mark": None, "adds": []})
        if proposal.action == Action.ADD:
            entry["adds"].append(proposal)
        else:
            entry["mark"] = proposal
    return mine


def tier_of(tree: FrameworkTree, number: int):
    """One tier of the tree, or 404."""
    for tier in tree.tiers:
        if tier.number == number:
            return tier
    raise Http404(f"The model under review has no tier {number}.")


def reviewer_progress(reviewer: Reviewer, tree: FrameworkTree) -> list[dict]:
    """Each tier with how many of its items the reviewer has marked, for the reviewer's
    start page."""
    marked = set(
        reviewer.proposals.exclude(action=Action.ADD).values_list("item_identifier", flat=True)
    )
    rows = []
    for tier in tree.tiers:
        ids = [c.identifier for c in tier.competencies]
        ids += [b.identifier for c in tier.competencies for b in c.behaviors]
        rows.append({"tier": tier, "items": len(ids), "marked": len(marked.intersection(ids))})
    return rows


@dataclass
class ItemProposals:
    """Every proposal about one item, side by side, with its counts and resolutions."""

    item: Item
    proposals: list[Proposal] = field(default_factory=list)
    resolutions: list[Resolution] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for p in self.proposals if p.action == action)

    @property
    def counts(self) -> dict[str, int]:
        return {a: self.count(a) for a in ("keep", "edit", "remove", "add")}

    @property
    def waiting(self) -> list[Proposal]:
        taken = {p.pk for r in self.resolutions for p in r.proposal_list}
        return [p for p in self.proposals if p.action != Action.KEEP and p.pk not in taken]


def proposals_by_item(
    review_round: ReviewRound, *, tree: FrameworkTree | None = None
) -> list[ItemProposals]:
    """The round's proposals grouped by item, in the order of the version, with the
    resolutions already made; items nobody marked are left out."""
    tree = tree or round_tree(review_round)
    items = items_of(tree)
    proposals = list(
        review_round.proposals.select_related("reviewer").order_by("item_identifier", "id")
    )
    resolutions = list(
        review_round.resolutions.select_related("resolved_by").prefetch_related("proposals")
    )
    for resolution in resolutions:
        resolution.proposal_list = list(resolution.proposals.all())
    groups: dict[uuid.UUID, ItemProposals] = {}
    for proposal in proposals:
        item = items.get(proposal.item_identifier)
        if item is not None:
            groups.setdefault(item.identifier, ItemProposals(item)).proposals.append(proposal)
    for resolution in resolutions:
        if resolution.item_identifier in groups:
            groups[resolution.item_identifier].resolutions.append(resolution)
    order = list(items)
    return sorted(groups.values(), key=lambda g: order.index(g.item.identifier))


def round_summary(review_round: ReviewRound) -> dict:
    """The numbers of a round: reviewers invited, who has given input, proposals by action,
    resolutions by decision."""
    reviewers = list(review_round.reviewers.order_by("id"))
    given = set(review_round.proposals.values_list("reviewer_id", flat=True))
    by_action = {a: review_round.proposals.filter(action=a).count() for a in Action.values}
    by_decision = {
        d: review_round.resolutions.filter(decision=d).count() for d in Resolution.Decision.values
    }
    return {
        "reviewers": reviewers,
        "responded": sum(1 for r in reviewers if r.pk in given),
        "by_action": by_action,
        "by_decision": by_decision,
        "expires": link_expires(review_round),
    }


def days_left(review_round: ReviewRound, today: date | None = None) -> int:
    return (review_round.deadline - (today or timezone.localdate())).days


def review_tier(reviewer: Reviewer, number: int) -> dict:
    """One tier of the version as the reviewer works through it: each competency and key
    behavior with the reviewer's own mark and additions; once the round is closed, with every
    reviewer's input beside it (reviewers unnamed)."""
    tree = round_tree(reviewer.round)
    tier = tier_of(tree, number)
    items = items_of(tree)
    mine = own_proposals(reviewer)
    everyone: dict[uuid.UUID, list[Proposal]] = {}
    if not reviewer.round.is_open:
        for proposal in reviewer.round.proposals.order_by("id"):
            everyone.setdefault(proposal.item_identifier, []).append(proposal)

    def entry(identifier):
        own = mine.get(identifier, {"mark": None, "adds": []})
        return {"item": items[identifier], "mark": own["mark"], "adds": own["adds"],
                "everyone": everyone.get(identifier, [])}  # fmt: skip

    competencies = []
    for competency in tier.competencies:
        row = entry(competency.identifier)
        row["behaviors"] = [entry(b.identifier) for b in competency.behaviors]
        competencies.append(row)
    numbers = [t.number for t in tree.tiers]
    at = numbers.index(number)
    return {
        "tree": tree,
        "tier": tier,
        "tier_entry": entry(tier.identifier),
        "competencies": competencies,
        "previous": numbers[at - 1] if at > 0 else None,
        "next": numbers[at + 1] if at + 1 < len(numbers) else None,
    }


def item_entry(reviewer: Reviewer, identifier) -> dict:
    """One item with the reviewer's own mark and additions (what a save sends back)."""
    key = uuid.UUID(str(identifier))
    own = own_proposals(reviewer).get(key, {"mark": None, "adds": []})
    item = items_of(round_tree(reviewer.round))[key]
    return {"item": item, "mark": own["mark"], "adds": own["adds"], "everyone": []}


def round_rows(framework: Framework) -> list[ReviewRound]:
    """The framework's rounds, newest first, each with its reviewer count and how many of its
    edit, remove and add proposals no resolution has taken yet."""
    from django.db.models import Count, Q

    return list(
        ReviewRound.objects.filter(framework=framework)
        .select_related("version", "opened_by", "closed_by")
        .annotate(
            reviewer_count=Count("reviewers", distinct=True),
            proposal_count=Count("proposals", distinct=True),
            unresolved=Count(
                "proposals",
                filter=~Q(proposals__action="keep") & Q(proposals__resolutions__isnull=True),
                distinct=True,
            ),
        )
    )
