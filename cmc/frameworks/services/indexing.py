"""Keeping what follows a framework's content in step with it: its last change (which names
its cached pages), its search entries, and the rendering of its readable exports."""

from collections.abc import Iterator

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from cmc.core import search
from cmc.core.models import SearchEntry

from ..documents import renders
from ..models import Competency, Framework, FrameworkSource, KeyBehavior, Tier
from ..search import COLLECTION


def index_framework(*, framework: Framework) -> int:
    """The framework's content changed: mark it (updated_at, which also names its cached pages),
    rebuild its search entries (the engine's own index follows the table), and queue the
    rendering of its readable exports."""
    framework.updated_at = timezone.now()
    Framework.objects.filter(pk=framework.pk).update(updated_at=framework.updated_at)
    renders.schedule(framework)
    return search.index(
        collection=COLLECTION,
        scope_id=framework.pk,
        entries=search_entries(framework),
        rows=item_entries(framework),
    )


def unindex_framework(*, framework: Framework) -> int:
    """The framework is being deleted: its search entries go with it."""
    return search.remove(collection=COLLECTION, scope_id=framework.pk)


def search_entries(framework: Framework) -> Iterator[search.Entry]:
    """The framework and each tier (with what it says of itself); its competencies and key
    behaviors are `item_entries`."""
    base = framework.get_absolute_url()
    yield search.Entry(
        kind="framework",
        object_id=framework.pk,
        title=framework.name,
        body=" ".join(filter(None, [framework.industry, framework.description])),
        context=framework.get_kind_display(),
        url=base,
    )
    for tier in framework.tiers.all():
        yield search.Entry(
            kind="tier",
            facet=tier.number,
            object_id=tier.pk,
            title=f"Tier {tier.number}: {tier.name}",
            body=" ".join(filter(None, [tier.get_group_display(), tier.note])),
            context=framework.name,
            url=f"{base}tiers/{tier.number}/",
        )


def item_entries(framework: Framework) -> list[search.Rows]:
    """Each competency (faceted by its tier's number, its definition the body) and each key
    behavior, made by the database from their rows (a model of 100,000 key behaviors is
    indexed without one of them read into Python), in the model's order (the search ranks
    equal matches in the order they were indexed), each context cut to what its column holds:

        competency  "{code} {name}"   context "{framework} › Tier {n}: {tier}"
                                      url     "{framework's page}competencies/{code}/"
        behavior    its title         context "{framework} › {code} {name}"
                                      url     "…competencies/{code}/#behavior-{position}"
    """
    competency, tier = _table(Competency), _table(Tier)
    base, name = framework.get_absolute_url(), framework.name
    competencies = (
        "SELECT t.number, c.id, c.code || ' ' || c.name, c.definition, "
        "SUBSTR(CAST(%s AS TEXT) || ' › Tier ' || CAST(t.number AS TEXT) || ': ' || t.name, "
        f"1, {CONTEXT}), "
        "CAST(%s AS TEXT) || 'competencies/' || c.code || '/' "
        f"FROM {competency} c JOIN {tier} t ON t.id = c.tier_id "
        "WHERE c.framework_id = %s ORDER BY t.position, c.position"
    )
    # What a key behavior's entry takes from its competency is made once per competency (a
    # table of them made first: MATERIALIZED, so that it is not folded into each row again).
    behaviors = (
        "WITH home AS MATERIALIZED (SELECT c.id AS id, t.number AS number, "
        f"SUBSTR(CAST(%s AS TEXT) || ' › ' || c.code || ' ' || c.name, 1, {CONTEXT}) AS context, "
        "CAST(%s AS TEXT) || 'competencies/' || c.code || '/#behavior-' AS url "
        f"FROM {competency} c JOIN {tier} t ON t.id = c.tier_id WHERE c.framework_id = %s) "
        "SELECT home.number, b.id, b.title, b.text, home.context, "
        "home.url || CAST(b.position AS TEXT) "
        f"FROM home JOIN {_table(KeyBehavior)} b ON b.competency_id = home.id "
        "ORDER BY b.competency_id, b.position"
    )
    return [
        search.Rows("competency", competencies, [name, base, framework.pk]),
        search.Rows("behavior", behaviors, [name, base, framework.pk]),
    ]


# What an entry's context may hold: a key behavior's names its framework (200 characters at
# most), its competency's code and name (20 and 300), more than that together.
CONTEXT = SearchEntry._meta.get_field("context").max_length


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


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
