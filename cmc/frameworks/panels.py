"""Sections that other apps add to a framework's pages, without the frameworks app knowing them.

An app that has something to say on a framework's page (the occupations a model names, the
credentials endorsed against it, its development process, "Suggest a change") registers a
panel in its `AppConfig.ready()`:

    panels.register("framework", "occupations", render, order=20)

`render(request, framework, competency)` returns the section's HTML (from the app's own
template, so escaped) or "" when it has nothing to show. The places are:

    framework   sections under a framework's tree, on its page
    tools       `<li>` links in the "This model" menu of a framework's page
    competency  sections under a competency's key behaviors, on its page

A framework's page is cached for visitors who are not signed in; an app whose panel changes
without the framework changing calls `panels.changed(framework)` after its write.

Beside each competency and key behavior of a framework's page and its tier pages, an app may
add a small action (a link) with `panels.register_item(name, render, order=…)`.
`render(framework, kind, item)` gets the framework, "competency" or "behavior", and the
item's row as the page loaded it, and returns a little HTML or "". It is given no request:
the tree part of a framework's page is rendered once and kept for every reader, so an item
action says the same to everyone, is built from what is loaded (no query per item), and
changes only with the framework or `panels.changed(framework)`. A big model's page lists a
tier's competencies in outline, without actions; they come with the competencies when the
reader opens a part of the tier (a page of the tier, kept under the same rule).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe

PLACES = ("framework", "tools", "competency")


@dataclass(frozen=True)
class Panel:
    name: str
    render: Callable
    order: int


_panels: dict[str, dict[str, Panel]] = {place: {} for place in PLACES}
ITEM_KINDS = ("competency", "behavior")
_items: dict[str, Panel] = {}


def register(place: str, name: str, render: Callable, *, order: int = 50) -> None:
    """Add (or replace, by name) a panel in one of PLACES."""
    if place not in PLACES:
        raise ValueError(f"no place {place!r} on a framework's pages; one of {PLACES}")
    _panels[place][name] = Panel(name, render, order)


def render_panels(place: str, request, framework, competency=None) -> list[SafeString]:
    """Every registered panel of a place, in order, leaving out those with nothing to show."""
    shown = []
    for panel in sorted(_panels[place].values(), key=lambda p: (p.order, p.name)):
        html = panel.render(request, framework, competency)
        if html:
            shown.append(mark_safe(html))  # rendered by the registering app's own template
    return shown


def register_item(name: str, render: Callable, *, order: int = 50) -> None:
    """Add (or replace, by name) an action shown beside each competency and key behavior."""
    _items[name] = Panel(name, render, order)


def _ordered_items() -> list[Panel]:
    return sorted(_items.values(), key=lambda p: (p.order, p.name))


def render_item(framework, kind: str, item) -> SafeString:
    """Every registered item action for one competency or key behavior, in order."""
    if kind not in ITEM_KINDS:
        raise ValueError(f"no item kind {kind!r}; one of {ITEM_KINDS}")
    shown = []
    for panel in _ordered_items():
        html = panel.render(framework, kind, item)
        if html:
            shown.append(html)  # built by the registering app with format_html, so escaped
    return mark_safe(" ".join(shown))


def changed(framework) -> None:
    """A panel of this framework now says something else: forget its cached pages."""
    cache.set(_stamp_key(framework.pk), cache.get(_stamp_key(framework.pk), 0) + 1, None)


def stamp(framework) -> int:
    """What names the current state of a framework's panels in its cached pages' keys."""
    return stamp_of(framework.pk)


def stamp_of(pk: int) -> int:
    """The same, for the framework numbered `pk`."""
    return cache.get(_stamp_key(pk), 0)


def _stamp_key(pk) -> str:
    return f"framework-panels:{pk}"
