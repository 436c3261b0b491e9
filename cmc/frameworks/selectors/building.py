"""Reads of the "Build a model" flow: the frameworks one may start from, one's models in
progress, and one tier of a model as the builder shows it (plain data, not rows with
attributes stuck on)."""

from dataclasses import dataclass, field

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404

from ..models import (
    BlendChoice,
    Competency,
    Framework,
    FrameworkSource,
    FrameworkVersion,
    KeyBehavior,
    LeftOut,
    LikelyDuplicate,
    Tier,
)
from .trees import named_sources


def build_sources(*, user) -> QuerySet[Framework]:
    """The frameworks the user may start a model from: visible, with competencies; each with
    the version a model built now would take (`latest_number`, `latest_at`: its latest
    published version, none if it has none) and whether its draft changed since."""
    latest = FrameworkVersion.objects.filter(framework=OuterRef("pk")).order_by("-number")
    return (
        Framework.objects.visible_to(user)
        .filter(content_included=True, competencies__isnull=False)
        .distinct()
        .annotate(
            latest_number=Subquery(latest.values("number")[:1]),
            latest_at=Subquery(latest.values("published_at")[:1]),
        )
        .order_by("-is_reference", "name")
    )


def models_in_progress(*, user) -> QuerySet[Framework]:
    """The models the user may edit, the last changed first ("My models"); those the builder
    has walked keep the tier it was left at (`build_step`)."""
    return Framework.objects.editable_by(user).order_by("-updated_at")


@dataclass
class Card:
    """A competency as the builder shows it: its key behaviors, the ones left out, and the
    readings of a blend still to choose."""

    competency: Competency
    behaviors: list[KeyBehavior] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)
    choices: list[BlendChoice] = field(default_factory=list)


@dataclass
class BuildTier:
    framework: Framework
    tiers: list[Tier]
    tier: Tier
    previous: Tier | None
    next: Tier | None
    cards: list[Card]
    left_out_competencies: list[LeftOut]
    tier_choices: list[BlendChoice]
    sources: list[FrameworkSource]
    named: set[int]
    duplicates: list[LikelyDuplicate] = field(default_factory=list)
    # The codes the tier's competencies would have if renumbered, where they differ (old, new).
    renumbering: list[tuple[str, str]] = field(default_factory=list)


def build_tier(framework: Framework, number: int, *, user) -> BuildTier:
    """Tier `number` of a model in the builder, for `user` (who is named the sources they may
    see); 404 if the model has no such tier."""
    tiers = list(framework.tiers.order_by("position"))
    tier = next((t for t in tiers if t.number == number), None)
    if tier is None:
        raise Http404("No such tier.")
    index = tiers.index(tier)
    competencies = list(
        tier.competencies.order_by("position").select_related("source_framework", "source_version")
    )
    cards = {c.pk: Card(c) for c in competencies}
    for behavior in KeyBehavior.objects.filter(competency__in=competencies).order_by("position"):
        cards[behavior.competency_id].behaviors.append(behavior)
    left_out = list(LeftOut.objects.filter(framework=framework, tier_number=tier.number))
    for record in left_out:
        if record.kind == LeftOut.ItemKind.BEHAVIOR and record.competency_id in cards:
            cards[record.competency_id].left_out.append(record)
    for choice in BlendChoice.objects.filter(competency__in=competencies, chosen__isnull=True):
        cards[choice.competency_id].choices.append(choice)
    return BuildTier(
        framework=framework,
        tiers=tiers,
        tier=tier,
        previous=tiers[index - 1] if index > 0 else None,
        next=tiers[index + 1] if index + 1 < len(tiers) else None,
        cards=list(cards.values()),
        left_out_competencies=[r for r in left_out if r.kind == LeftOut.ItemKind.COMPETENCY],
        tier_choices=list(tier.blend_choices.filter(chosen__isnull=True)),
        sources=list(framework.sources.select_related("source", "source_version")),
        named=named_sources(framework, user),
        duplicates=likely_duplicates(framework, tier=tier),
        renumbering=[
            (c.code, f"{tier.number}.{n}")
            for n, c in enumerate(competencies, start=1)
            if c.code != f"{tier.number}.{n}"
        ],
    )


def likely_duplicates(framework: Framework, *, tier: Tier | None = None) -> list[LikelyDuplicate]:
    """The pairs of a blend's competencies that are likely the same: those still to decide
    (both still in the model) and those merged or kept apart (which can be undone), best
    first, each with its competencies and their sources loaded."""
    rows = LikelyDuplicate.objects.filter(framework=framework).select_related(
        "tier", "first__source_framework", "second__source_framework", "decided_by"
    )
    if tier is not None:
        rows = rows.filter(tier=tier)
    return [
        d
        for d in rows.order_by("tier__position", "-score", "pk")
        if d.decision != LikelyDuplicate.Decision.OPEN or (d.first_id and d.second_id)
    ]


def build_competency(framework: Framework, code: str) -> Competency:
    """A competency of a model in the builder, by its code; 404 if there is none."""
    found = (
        Competency.objects.select_related("tier", "framework")
        .filter(framework=framework, code=code)
        .first()
    )
    if found is None:
        raise Http404("No such competency.")
    return found
