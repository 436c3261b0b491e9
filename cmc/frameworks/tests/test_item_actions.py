"""Actions other apps put beside each competency and key behavior of a framework's pages
(frameworks.panels.register_item): on the framework page and its tier pages, kept in the page
cache, and changed at once by panels.changed."""

import pytest
from django.utils.html import format_html

from cmc.factories import UserFactory
from cmc.frameworks import panels

from .builders import welding

pytestmark = pytest.mark.django_db
said = {"word": "Flag"}


def flag(framework, kind, item):
    if kind == "competency" and item.code == "1.2":
        return ""  # an app may have nothing to say about an item
    label = item.code if kind == "competency" else item.position
    return format_html('<a class="flag" href="#{}">{} {} {}</a>', item.identifier, said["word"],
                       kind, label)  # fmt: skip


@pytest.fixture
def flagged():
    panels.register_item("flag", flag, order=1)
    said["word"] = "Flag"
    yield
    panels._items.pop("flag", None)


def flags(page: str) -> list[str]:
    import re

    return re.findall(r'<a class="flag" href="#[0-9a-f-]+">([^<]*)</a>', page)


def test_each_item_of_the_page_and_its_tier_pages_carries_the_actions(client, flagged):
    model = welding(UserFactory())
    page = client.get(model.get_absolute_url()).content.decode()
    # The page lists tiers from the top of the pyramid down.
    assert flags(page) == [
        "Flag competency 2.1", "Flag behavior 1",
        "Flag competency 1.1", "Flag behavior 1", "Flag behavior 2",
        "Flag behavior 1",
    ]  # fmt: skip
    tier = client.get(f"{model.get_absolute_url()}tiers/1/").content.decode()
    assert flags(tier) == [
        "Flag competency 1.1",
        "Flag behavior 1",
        "Flag behavior 2",
        "Flag behavior 1",
    ]


def test_a_change_of_the_actions_shows_at_once_in_the_cached_page(client, flagged):
    model = welding(UserFactory())
    signed_in = client.__class__()
    signed_in.force_login(UserFactory())
    assert "Flag competency 2.1" in client.get(model.get_absolute_url()).content.decode()
    assert "Flag competency 2.1" in signed_in.get(model.get_absolute_url()).content.decode()
    said["word"] = "Mark"
    # Cached for every reader until the app says its actions changed.
    assert "Flag competency 2.1" in client.get(model.get_absolute_url()).content.decode()
    panels.changed(model)
    assert "Mark competency 2.1" in client.get(model.get_absolute_url()).content.decode()
    assert "Mark competency 2.1" in signed_in.get(model.get_absolute_url()).content.decode()


def test_an_unknown_item_kind_is_refused():
    with pytest.raises(ValueError):
        panels.render_item(None, "tier", None)
