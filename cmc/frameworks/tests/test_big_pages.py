"""The pages of a big model: the framework page lists each tier's competencies with how many
key behaviors each has and leaves the key behaviors for the reader to open, a part at a time
(HTMX, or the tier's page without JavaScript); tier pages come a page of competencies at a
time; both stay cached, and cost the same queries at any size. Small models show whole."""

import re

import pytest
from django.urls import reverse
from django.utils.html import format_html

from cmc.factories import UserFactory, welding_tree
from cmc.frameworks import panels
from cmc.frameworks.selectors import FOLD_MODEL_ITEMS, FOLD_TIER_ITEMS, TIER_PAGE_SIZE
from cmc.frameworks.selectors.trees import competency_url
from cmc.frameworks.services import save_framework_tree, update_framework
from cmc.frameworks.trees import FrameworkTree

from .builders import generated_tree

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def save(tree: FrameworkTree):
    return save_framework_tree(tree=tree, where="test", visibility="public").framework


@pytest.fixture
def huge():
    """400 competencies of 10 key behaviors each, 100 to a tier: 4,400 items."""
    return save(generated_tree("huge", {n: (100, 10) for n in range(1, 5)}))


def text(response) -> str:
    return response.content.decode()


def test_the_thresholds_fold_the_generated_model_and_not_the_small_ones():
    assert 400 + 4_000 > FOLD_MODEL_ITEMS > 48 + 240  # test_pages.big_tree stays whole
    assert TIER_PAGE_SIZE == 50


def test_a_big_model_page_lists_its_competencies_without_their_key_behaviors(client, huge):
    response = client.get("/frameworks/huge/")

    page = text(response)
    assert response.status_code == 200
    assert len(response.content) < 150_000
    assert "Behaves as" not in page
    assert "Defined as" not in page
    assert "4 tiers, 400 competencies, 4000 key behaviors." in page
    assert page.count('<p class="tier-counts">100 competencies, 1000 key behaviors.</p>') == 4
    listed = re.findall(
        r'<li id="competency-([\d.]+)"><a href="([^"]+)"><span class="code">\1</span> '
        r'Competency \1</a> <span class="muted">10 key behaviors</span></li>',
        page,
    )
    assert len(listed) == 400
    # From the top of the pyramid down, each tier's competencies in order.
    assert [code for code, _ in listed[:3]] == ["4.1", "4.2", "4.3"]
    assert listed[-1][0] == "1.100"
    assert all(url == f"/frameworks/huge/competencies/{code}/" for code, url in listed)


def test_each_part_of_a_tier_opens_with_htmx_or_goes_to_its_page(client, huge):
    page = text(client.get("/frameworks/huge/"))

    links = re.findall(
        r'<div class="tier-part" id="tier-(\d)-part-(\d)">.*?<a href="([^"]+)" '
        r'hx-get="([^"]+)" hx-target="#([^"]+)" hx-swap="outerHTML">([^<]+)</a>',
        page,
        re.S,
    )
    assert links[:2] == [
        ("4", "1", "/frameworks/huge/tiers/4/", "/frameworks/huge/tiers/4/?page=1",
         "tier-4-part-1", "Show the key behaviors of competencies 4.1 to 4.50"),
        ("4", "2", "/frameworks/huge/tiers/4/?page=2", "/frameworks/huge/tiers/4/?page=2",
         "tier-4-part-2", "Show the key behaviors of competencies 4.51 to 4.100"),
    ]  # fmt: skip
    assert len(links) == 8


def test_opening_a_part_brings_its_competencies_whole(client, huge):
    response = client.get("/frameworks/huge/tiers/2/?page=2", **HTMX)

    part = text(response)
    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]
    assert part.lstrip().startswith(
        '<div class="tier-part" id="tier-2-part-2" tabindex="-1" autofocus>'
    )
    assert "<html" not in part and "<h1" not in part
    codes = re.findall(r'<article class="competency" id="competency-([\d.]+)">', part)
    assert codes == [f"2.{c}" for c in range(51, 101)]
    assert '<h3><a href="/frameworks/huge/competencies/2.51/">' in part
    assert '<p class="definition">Defined as 2.51.</p>' in part
    assert part.count('<li id="behavior-') == 500
    assert "Behaves as 2.51.1" in part and "Behaves as 2.100.10" in part
    assert "Behaves as 2.50." not in part


def test_an_opened_part_carries_the_item_actions(client, huge):
    def flag(framework, kind, item):
        label = item.code if kind == "competency" else item.position
        return format_html('<a class="flag">Flag {} {}</a>', kind, label)

    panels.register_item("flag", flag, order=1)
    try:
        outline = text(client.get("/frameworks/huge/"))
        part = text(client.get("/frameworks/huge/tiers/1/", **HTMX))
    finally:
        panels._items.pop("flag", None)

    # The outline names competencies only; the actions come with them once opened.
    assert "Flag" not in outline
    assert part.count("Flag competency") == 50
    assert part.count("Flag behavior") == 500
    assert '<a class="flag">Flag competency 1.7</a>' in part


def test_the_tier_page_comes_a_page_of_competencies_at_a_time(client, huge):
    first = text(client.get("/frameworks/huge/tiers/3/"))
    second = text(client.get("/frameworks/huge/tiers/3/?page=2"))

    def codes(page):
        return re.findall(r'<article class="competency" id="competency-([\d.]+)">', page)

    assert codes(first) == [f"3.{c}" for c in range(1, 51)]
    assert codes(second) == [f"3.{c}" for c in range(51, 101)]
    assert "<title>Tier 3: Tier 3 work · Model huge · " in second
    assert "Competencies 1 to 50 of 100." in first
    assert "Competencies 51 to 100 of 100." in second
    assert '<nav class="pagination" aria-label="Pages of tier 3">' in first
    assert (
        '<a href="?page=1" aria-current="page"><span class="visually-hidden">Page </span>1</a>'
        in first
    )
    assert '<a href="?page=2"><span class="visually-hidden">Page </span>2</a>' in first
    assert (
        '<a rel="next" href="?page=2">Next<span class="visually-hidden"> page</span></a>' in first
    )
    assert 'rel="prev"' not in first
    assert '<a rel="prev" href="?page=1">Previous' in second
    assert 'rel="next"' not in second
    assert "Behaves as 3.51.10" in second and "Behaves as 3.50.1" not in second


@pytest.mark.parametrize("page", ["3", "0", "abc", "-1", "1.5", "9999999"])
def test_a_page_past_the_tier_or_not_a_number_is_404(client, huge, page):
    for headers in ({}, HTMX):
        response = client.get(f"/frameworks/huge/tiers/1/?page={page}", **headers)
        assert response.status_code == 404


def test_a_small_tier_page_has_no_pages(client):
    save(welding_tree())

    page = text(client.get("/frameworks/welding/tiers/1/"))

    assert "pagination" not in page
    assert "Competencies 1 to" not in page
    assert "Sharing tools with the crew" in page


def test_a_tier_over_its_own_limit_folds_alone(client):
    # 40 competencies of 8 behaviors: 360 items, over FOLD_TIER_ITEMS in a small model.
    save(generated_tree("mixed", {1: (40, 8), 2: (3, 2)}))
    assert 40 * 9 > FOLD_TIER_ITEMS > 3 * 3

    page = text(client.get("/frameworks/mixed/"))

    assert 'id="tier-1-part-1"' in page
    assert "Behaves as 1." not in page
    assert 'id="tier-2-part-1"' not in page
    assert '<li id="behavior-2">Behaves as 2.3.2' in page


def test_an_empty_tier_of_a_big_model_says_it_is_empty(client):
    save(generated_tree("gappy", {1: (200, 10), 2: (0, 0)}))

    page = text(client.get("/frameworks/gappy/"))

    assert 'id="tier-1-part-4"' in page
    assert 'id="tier-2-part-1"' not in page
    tier = page[page.index('id="tier-2"') : page.index('id="tier-1"')]
    assert "No competencies are listed for this tier in this model's source." in tier


def test_the_reference_models_show_whole(client, reference):
    page = text(client.get("/frameworks/building-blocks/"))

    assert "tier-part" not in page
    assert "key behaviors of these competencies" not in page
    assert page.count('<li id="behavior-') == 67


@pytest.mark.parametrize("size", ["small", "huge"])
def test_the_tier_page_and_its_parts_cost_the_same_queries_at_any_size(
    client, django_assert_num_queries, size
):
    shape = {1: (3, 2), 2: (2, 1)} if size == "small" else {1: (120, 10), 2: (80, 10)}
    save(generated_tree(size, shape))
    url = f"/frameworks/{size}/tiers/1/"

    # The framework's last change (and name), then the framework, its sources, its tiers
    # counted, how many competencies the tier has, a page of them, and their key behaviors.
    with django_assert_num_queries(7):
        cold = client.get(url)
    # Warm: the framework's last change names the page kept.
    with django_assert_num_queries(1):
        warm = client.get(url)
    with django_assert_num_queries(7):
        client.get(url, **HTMX)
    with django_assert_num_queries(1):
        part = client.get(url, **HTMX)

    assert cold.status_code == warm.status_code == part.status_code == 200
    assert warm.content == cold.content
    assert part.content != cold.content


def test_the_big_page_costs_one_query_less_than_a_small_one(
    client, django_assert_num_queries, huge
):
    # As a small model's (test_pages), but the competencies in outline come in one query with
    # their counts, and no key behavior is read.
    with django_assert_num_queries(11):
        cold = client.get("/frameworks/huge/")
    with django_assert_num_queries(1):
        warm = client.get("/frameworks/huge/")
    assert warm.content == cold.content


def test_an_opened_part_shows_a_change_at_once(client, huge):
    owner = UserFactory()
    type(huge).objects.filter(pk=huge.pk).update(owner=owner)
    assert 'tier of the <a href="/frameworks/huge/">Model huge</a>.' in text(
        client.get("/frameworks/huge/tiers/1/")
    )
    said = {"word": "Flag"}
    panels.register_item("flag", lambda f, kind, item: said["word"], order=1)
    try:
        assert "Flag" in text(client.get("/frameworks/huge/tiers/1/", **HTMX))
        said["word"] = "Mark"
        assert "Flag" in text(client.get("/frameworks/huge/tiers/1/", **HTMX))  # kept
        panels.changed(huge)
        assert "Mark" in text(client.get("/frameworks/huge/tiers/1/", **HTMX))
    finally:
        panels._items.pop("flag", None)

    update_framework(framework=huge, actor=owner, name="Huge, revised")

    page = text(client.get("/frameworks/huge/tiers/1/"))
    assert 'tier of the <a href="/frameworks/huge/">Huge, revised</a>.' in page


@pytest.mark.parametrize("code", ["1.1", "A 1", "x:y@z", "é.2", "a&b=c", "50%", "q?r#s"])
def test_a_competency_address_is_the_one_reverse_gives(code):
    base = reverse("frameworks:detail", kwargs={"slug": "welding"})
    expected = reverse("frameworks:competency", kwargs={"slug": "welding", "code": code})

    assert competency_url(base, code) == expected
