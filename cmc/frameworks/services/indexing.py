"""Keeping what follows a framework's content in step with it: its last change (which names
its cached pages), its search entries, and the rendering of its readable exports."""

from collections.abc import Iterator

from django.db.models import Q
from django.utils import timezone

from cmc.core import bulk, search

from ..documents import renders
from ..models import Framework, FrameworkSource, KeyBehavior
from ..search import COLLECTION


def index_framework(*, framework: Framework) -> int:
    """The framework's content changed: mark it (updated_at, which also names its cached pages),
    rebuild its search entries (the engine's own index follows the table), and queue the
    rendering of its readable exports."""
    framework.updated_at = timezone.now()
    Framework.objects.filter(pk=framework.pk).update(updated_at=framework.updated_at)
    renders.schedule(framework)
    return search.index(
        collection=COLLECTION, scope_id=framework.pk, entries=search_entries(framework)
    )


def unindex_framework(*, framework: Framework) -> int:
    """The framework is being deleted: its search entries go with it."""
    return search.remove(collection=COLLECTION, scope_id=framework.pk)


def search_entries(framework: Framework) -> Iterator[search.Entry]:
    """The framework, each tier (with what it says of itself), each competency (faceted by its
    tier number) and each key behavior, as they are read: plain values, not model instances,
    and the key behaviors a chunk at a time (an index of 100,000 never sits in memory)."""
    base = framework.get_absolute_url()
    yield search.Entry(
        kind="framework",
        object_id=framework.pk,
        title=framework.name,
        body=" ".join(filter(None, [framework.industry, framework.description])),
        context=framework.get_kind_display(),
        url=base,
    )
    tiers = {t.pk: t for t in framework.tiers.all()}
    for tier in tiers.values():
        yield search.Entry(
            kind="tier",
            facet=tier.number,
            object_id=tier.pk,
            title=f"Tier {tier.number}: {tier.name}",
            body=" ".join(filter(None, [tier.get_group_display(), tier.note])),
            context=framework.name,
            url=f"{base}tiers/{tier.number}/",
        )
    for pk, tier_id, code, name, definition in framework.competencies.values_list(
        "pk", "tier_id", "code", "name", "definition"
    ).iterator(chunk_size=bulk.BATCH):
        tier = tiers[tier_id]
        yield search.Entry(
            kind="competency",
            facet=tier.number,
            object_id=pk,
            title=f"{code} {name}",
            body=definition,
            context=f"{framework.name} › Tier {tier.number}: {tier.name}",
            url=f"{base}competencies/{code}/",
        )
    yield from _behavior_entries(framework, base, tiers)


def _behavior_entries(framework: Framework, base: str, tiers: dict) -> Iterator[search.Entry]:
    """The key behaviors by competency, and beside them the competencies in the same order:
    each competency's context and link are made as its first key behavior comes, and none of
    them is held (a dictionary of every competency would be)."""
    competencies = framework.competencies.order_by("pk").values_list(
        "pk", "tier_id", "code", "name"
    )
    heads = competencies.iterator(chunk_size=bulk.BATCH)
    behaviors = KeyBehavior.objects.filter(competency__framework=framework).order_by(
        "competency_id", "position"
    )
    current = None
    for pk, competency_id, position, title, text in behaviors.values_list(
        "pk", "competency_id", "position", "title", "text"
    ).iterator(chunk_size=bulk.BATCH):
        if competency_id != current:
            # The competencies come in the same order: those with no key behaviors are passed.
            current, tier_id, code, name = next(h for h in heads if h[0] == competency_id)
            number = tiers[tier_id].number
            context = f"{framework.name} › {code} {name}"
            url = f"{base}competencies/{code}/#behavior-"
        yield search.Entry(
            kind="behavior",
            facet=number,
            object_id=pk,
            title=title,
            body=text,
            context=context,
            url=f"{url}{position}",
        )


def touch_derivations(*, framework: Framework) -> None:
    """Who may see `framework` changed: the models built from it name it or not by that, so
    their pages and kept documents must be made again."""
    derived = Framework.objects.filter(
        Q(pk__in=FrameworkSource.objects.filter(source=framework).values("framework"))
        | Q(based_on=framework)
    )
    ids = list(derived.values_list("pk", flat=True))
    Framework.objects.filter(pk__in=ids).update(updated_at=timezone.now())
    for pk in ids:
        renders.schedule(Framework(pk=pk))
