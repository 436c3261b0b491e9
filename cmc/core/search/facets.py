"""The facet lists of the search page, for every registered collection: its scopes (each
named by the collection) and its facet numbers, each a link that narrows the results."""

from dataclasses import dataclass

from . import registry
from .query import Key, Results


@dataclass(frozen=True)
class FacetLink:
    label: str
    count: int
    query: str  # the filter parameters of the link, after the query: "framework=3&tier=2"
    current: bool


@dataclass(frozen=True)
class FacetList:
    heading: str
    links: list[FacetLink]


def filter_params(scope: Key | None, facet: Key | None) -> list[tuple[str, int]]:
    """The page's filter parameters that name a scope and a facet number, in that order."""
    params = []
    if scope is not None:
        params.append((registry.get(scope[0]).scope_param, scope[1]))
    if facet is not None:
        params.append((registry.get(facet[0]).facet_param, facet[1]))
    return params


def filter_query(scope: Key | None, facet: Key | None) -> str:
    return "&".join(f"{name}={value}" for name, value in filter_params(scope, facet))


def facet_lists(
    results: Results, *, user, scope: Key | None = None, facet: Key | None = None
) -> list[FacetList]:
    """For each registered collection, the list of its scopes with hits (named by the
    collection, one query each) and, when it has some, the list of its facet numbers."""
    lists = []
    for collection in registry.collections():
        counts = results.scope_counts.get(collection.name, {})
        names = collection.scope_labels(user, list(counts)) if counts else {}
        scope_links = [
            FacetLink(
                label=names.get(pk, "?"),
                count=n,
                query=f"{collection.scope_param}={pk}",
                current=scope == (collection.name, pk),
            )
            for pk, n in counts.items()
        ]
        lists.append(FacetList(collection.scope_heading, scope_links))
        numbers = results.facet_counts.get(collection.name)
        if numbers:
            within = scope if scope is not None and scope[0] == collection.name else None
            lists.append(
                FacetList(
                    collection.facet_heading, _facet_links(collection, numbers, within, facet)
                )
            )
    return lists


def _facet_links(collection, numbers: dict[int, int], within: Key | None, facet: Key | None):
    prefix = f"{collection.scope_param}={within[1]}&" if within else ""
    return [
        FacetLink(
            label=collection.facet_label.format(number),
            count=n,
            query=f"{prefix}{collection.facet_param}={number}",
            current=facet == (collection.name, number),
        )
        for number, n in numbers.items()
    ]
