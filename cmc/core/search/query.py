"""Searching: one ranked page of hits over the registered collections, with facet counts, never
leaving what the user may see."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.utils.safestring import SafeString

from . import registry
from .engines import Where
from .engines import engine as current_engine
from .words import highlight, terms

# A scope or a facet number within one collection: ("frameworks", 12).
Key = tuple[str, int]


@dataclass(frozen=True)
class Hit:
    collection: str
    kind: str
    kind_label: str
    object_id: int
    scope_id: int
    facet: int | None
    title: str
    context: str
    url: str
    snippet: SafeString
    rank: float


@dataclass
class Results:
    """A page of hits; `total` counts every hit under the filters. The counts are by
    collection: {"frameworks": {scope id or facet number: hits}}, scopes by most hits first,
    facet numbers in order."""

    query: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    scope_counts: dict[str, dict[int, int]] = field(default_factory=dict)
    facet_counts: dict[str, dict[int, int]] = field(default_factory=dict)


def search(
    query: str,
    *,
    user,
    collections: list[str] | None = None,
    scope: Key | None = None,
    facet: Key | None = None,
    limit: int = 20,
    offset: int = 0,
) -> Results:
    """Rank the entries matching every word of `query` (prefixes too) in the collections named
    (every registered one by default), among the scopes each collection's visibility rule lets
    `user` see (every scope for the system actor).

    `scope` and `facet` narrow the hits to one scope or one facet number of a collection.
    Facet counts cover the whole match over what the user may see, before these filters, so
    that a user sees where else the words occur; facet numbers are counted within `scope`."""
    results = Results(query=query)
    words = terms(query)
    chosen = registry.collections(collections)
    where = _where(chosen, user, scope, facet) if words else None
    if where is None:
        return results
    engine = current_engine()
    with connection.cursor() as cursor:
        facets, rows = engine.fetch(cursor, engine.expression(words), where, limit, offset)
    _count(results, facets, scope, facet)
    results.hits = [_hit(row, engine.snippet(row[8] or "", words)) for row in rows]
    return results


def _where(chosen: list[registry.Collection], user, scope: Key | None, facet: Key | None):
    """Who may see what, as one condition over the chosen collections, and the filters; None
    when the user may see nothing of them."""
    seen = [(c.name, part) for c in chosen if (part := c.visibility_sql(user)) is not None]
    if not seen:
        return None
    parts = [part for _, part in seen]
    visible = " OR ".join(sql for sql, _ in parts)
    only = seen[0][0] if len(seen) == 1 else None
    filters, filter_params = "", []
    for key, column in ((scope, "scope_id"), (facet, "facet")):
        if key is None:
            continue
        if only is None:
            filters += f" AND collection = %s AND {column} = %s"
            filter_params += [key[0], key[1]]
        elif key[0] == only:
            filters += f" AND {column} = %s"
            filter_params.append(key[1])
        else:
            filters += " AND 1 = 0"  # a filter on a collection that is not searched
    return Where(
        visible=visible if len(parts) == 1 else f"({visible})",
        visible_params=[p for _, params in parts for p in params],
        filters=filters,
        filter_params=filter_params,
        only=only,
    )


def _count(results: Results, rows, scope: Key | None, facet: Key | None) -> None:
    scopes: defaultdict[str, Counter[int]] = defaultdict(Counter)
    facets: defaultdict[str, Counter[int]] = defaultdict(Counter)
    total = 0
    for collection, scope_id, number, count in rows:
        scopes[collection][scope_id] += count
        in_scope = scope is None or (collection, scope_id) == tuple(scope)
        if number is not None and in_scope:
            facets[collection][number] += count
        if in_scope and (facet is None or (collection, number) == tuple(facet)):
            total += count
    order = [c.name for c in registry.collections() if c.name in scopes]
    results.scope_counts = {name: dict(scopes[name].most_common()) for name in order}
    results.facet_counts = {
        name: dict(sorted(facets[name].items())) for name in order if facets[name]
    }
    results.total = total


def _hit(row, snip: str) -> Hit:
    collection, kind, object_id, scope_id, number, title, context, url, _, rank = row
    return Hit(
        collection=collection,
        kind=kind,
        kind_label=registry.get(collection).kinds.get(kind, kind),
        object_id=object_id,
        scope_id=scope_id,
        facet=number,
        title=title,
        context=context,
        url=url,
        snippet=highlight(snip),
        rank=float(rank),
    )
