"""The registry of what can be found: each app registers a collection of searchable kinds
(usually in its AppConfig.ready) and core never imports the app.

A collection's entries belong to scopes: the objects whose visibility decides who finds them
(a framework for its framework, competencies and key behaviors). Each entry may carry one
facet number (a framework's tier number) by which results are counted and narrowed."""

from collections.abc import Callable, Mapping
from collections.abc import Collection as Ids
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db.models import QuerySet

from cmc.core.actors import is_system


@dataclass(frozen=True)
class Collection:
    """What an app registers to be found.

    name           stored in every entry of the collection ("frameworks")
    kinds          each kind of entry and its label for people ({"behavior": "Key behavior"})
    visible        the visibility rule: given a user (None or anonymous for nobody), the scope
                   objects that user may see, as a queryset; the system actor sees every scope
                   without being asked
    scope_labels   given a user and scope ids, their names for the facet list
    scope_param    the page's filter parameter for a scope ("framework") and the heading of
    scope_heading  the facet list of scopes ("Frameworks")
    facet_param    the same for the facet number ("tier", "Tiers"), with the label of one
    facet_heading  number ("Tier {}"); no facet_param when the entries carry none
    facet_label
    """

    name: str
    kinds: Mapping[str, str]
    visible: Callable[[object], QuerySet]
    scope_labels: Callable[[object, Ids[int]], dict[int, str]]
    scope_param: str
    scope_heading: str
    facet_param: str = ""
    facet_heading: str = ""
    facet_label: str = "{}"

    def visibility_sql(self, user) -> tuple[str, list] | None:
        """The condition on an entry `e` that the user may see it, as SQL and its parameters;
        None when the rule lets the user see no scope at all (`.none()`)."""
        if is_system(user):
            return "e.collection = %s", [self.name]
        try:
            scopes, params = self.visible(user).values("pk").query.sql_with_params()
        except EmptyResultSet:
            return None
        return f"(e.collection = %s AND e.scope_id IN ({scopes}))", [self.name, *params]


_registered: dict[str, Collection] = {}


def register(collection: Collection) -> Collection:
    """Make a collection's kinds searchable. Its name and its filter parameters are its own:
    registering one that another collection uses is a configuration error. Registering the
    same collection again (apps made ready twice) changes nothing."""
    if _registered.get(collection.name) == collection:
        return collection
    if collection.name in _registered:
        raise ImproperlyConfigured(
            f"search: a collection '{collection.name}' is registered already"
        )
    taken = {p for c in _registered.values() for p in (c.scope_param, c.facet_param) if p}
    clashes = sorted({collection.scope_param, collection.facet_param} & taken)
    if clashes:
        raise ImproperlyConfigured(
            f"search: the collection '{collection.name}' asks for the filter parameter(s) "
            f"{', '.join(clashes)}, which another collection uses; choose other names"
        )
    _registered[collection.name] = collection
    return collection


def unregister(name: str) -> None:
    """Forget a collection (tests that register one of their own)."""
    _registered.pop(name, None)


def get(name: str) -> Collection:
    try:
        return _registered[name]
    except KeyError:
        known = ", ".join(sorted(_registered)) or "none"
        raise LookupError(
            f"search: no collection '{name}' is registered (registered: {known})"
        ) from None


def collections(names=None) -> list[Collection]:
    """The collections named, in the order given, or every registered one in the order of
    registration."""
    if names is None:
        return list(_registered.values())
    return [get(name) for name in names]
