"""The pages: home, the framework list, framework, tier and competency pages, search, 404, and
downloads; who sees what, and how many queries a framework page costs."""

import json
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client

from cmc.accounts.models import Membership
from cmc.factories import (
    CompetencyFactory,
    FrameworkFactory,
    KeyBehaviorFactory,
    MembershipFactory,
    OrganizationFactory,
    TierFactory,
    UserFactory,
    loaded,
    welding_tree,
)
from cmc.frameworks.models import Framework
from cmc.frameworks.selectors import tree_of
from cmc.frameworks.services import save_framework_tree, update_framework
from cmc.frameworks.trees import BehaviorNode, CompetencyNode, FrameworkTree, TierNode
from cmc.interchange import formats

from .html import parse
from .html import text as words

pytestmark = pytest.mark.django_db


def save(tree: FrameworkTree, visibility: str = "public", actor=None) -> Framework:
    return save_framework_tree(
        tree=tree, where="test", visibility=visibility, actor=actor
    ).framework


def big_tree() -> FrameworkTree:
    """Six tiers of eight competencies of five behaviors: 48 competencies, 240 behaviors."""
    return FrameworkTree(
        name="Big Model",
        slug="big",
        kind="industry",
        tiers=[
            TierNode(
                number=t,
                name=f"Tier {t} things",
                competencies=[
                    CompetencyNode(
                        code=f"{t}.{c}",
                        name=f"Competency {t}.{c}",
                        behaviors=[BehaviorNode(text=f"Behavior {t}.{c}.{b}") for b in range(5)],
                    )
                    for c in range(1, 9)
                ],
            )
            for t in range(1, 7)
        ],
    )


def text(response) -> str:
    return response.content.decode()


# Home


def test_home_draws_the_building_blocks_pyramid(client, reference):
    answer = client.get("/")
    page = text(answer)

    tree = parse(answer)
    (pyramid,) = tree.xpath('//nav[contains(@class, "tier-pyramid")]')
    assert pyramid.get("aria-label") == (
        "The tiers of Building Blocks Competency Model, the top of the pyramid first"
    )
    bands = pyramid.xpath("./ol/li")
    # The top first, each band a step narrower than the one below it, coloured by its group.
    assert [b.get("class") for b in bands] == [
        f"group-{group} step-{step}"
        for group, step in [("occupation_related", s) for s in (8, 7, 6, 5)]
        + [("industry_related", 4), ("industry_related", 3)]
        + [("foundational", s) for s in (2, 1, 0)]
    ]
    links = [(a.get("href"), words(a)) for a in pyramid.xpath("./ol/li/a")]
    assert links[0] == (
        "/frameworks/building-blocks/tiers/9/",
        "Tier 9: Management Competencies Occupation-related, 15 competencies",
    )
    assert links[-1] == (
        "/frameworks/building-blocks/tiers/1/",
        "Tier 1: Personal Effectiveness Competencies Foundational, 7 competencies",
    )
    assert links[5][1].endswith("Industry-related, no competencies listed")
    assert [words(li) for li in pyramid.xpath("./ul/li")] == [
        "Foundational: tiers 1–3",
        "Industry-related: tiers 4–5",
        "Occupation-related: tiers 6–9",
    ]
    assert not pyramid.xpath(".//*[@aria-current]")
    for href, _ in links:
        tier_page = client.get(href)
        assert tier_page.status_code == 200
        assert f"<h1>Tier {href.split('/')[-2]}: " in text(tier_page)
    public = Framework.objects.filter(visibility="public").count()
    assert f'<a href="/frameworks/">All {public} frameworks</a>' in page


def test_a_tier_page_marks_its_tier_in_the_pyramid(client, reference):
    tree = parse(client.get("/frameworks/building-blocks/tiers/3/"))
    (pyramid,) = tree.xpath('//nav[contains(@class, "tier-pyramid")]')
    current = pyramid.xpath(".//a[@aria-current]")
    assert [(a.get("aria-current"), a.get("href")) for a in current] == [
        ("page", "/frameworks/building-blocks/tiers/3/")
    ]
    assert words(current[0]).endswith("12 competencies · this tier")


def test_home_without_the_building_blocks_has_no_pyramid(client):
    FrameworkFactory(visibility="private", owner=UserFactory())

    page = text(client.get("/"))

    assert "tier-pyramid" not in page
    assert '<a href="/frameworks/">All 0 frameworks</a>' in page
    assert '<form class="search-box" action="/search/" method="get" role="search">' in page


# The framework list


@pytest.fixture
def catalogue():
    """Four public frameworks of three kinds, and one private one of someone else's."""
    FrameworkFactory(name="Automation", kind="sector", industry="Manufacturing")
    welding = FrameworkFactory(name="Welding", kind="industry", industry="Manufacturing")
    FrameworkFactory(name="Energy", kind="industry", industry="Energy", status="draft")
    FrameworkFactory(name="Retail", kind="occupation", industry="", status="archived")
    FrameworkFactory(name="Hidden", kind="industry", industry="Energy", visibility="private")
    for _ in range(2):
        KeyBehaviorFactory.create_batch(
            3, competency=CompetencyFactory(tier=TierFactory(framework=welding))
        )
    return welding


def listed(page: str) -> list[tuple[str, str, str, str, str, str]]:
    """The rows of the list: name, kind, industry, status, competencies, key behaviors."""
    rows = re.findall(
        r'<tr>\s*<th scope="row"><a href="[^"]+">([^<]+)</a>.*?</th>\s*'
        r"<td>([^<]*)</td>\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>\s*"
        r'<td class="num">(\d+)</td>\s*<td class="num">(\d+)</td>',
        page,
        re.S,
    )
    return rows


def test_the_list_shows_visible_frameworks_with_their_counts(client, catalogue):
    page = text(client.get("/frameworks/"))

    assert listed(page) == [
        ("Energy", "Industry", "Energy", "Draft", "0", "0"),
        ("Welding", "Industry", "Manufacturing", "Approved", "2", "6"),
        ("Retail", "Occupation", "—", "Archived", "0", "0"),
        ("Automation", "Sector", "Manufacturing", "Approved", "0", "0"),
    ]
    assert '<p class="count-line">4 frameworks</p>' in page
    assert "Hidden" not in page


def test_the_filters_show_how_many_frameworks_each_choice_has(client, catalogue):
    page = text(client.get("/frameworks/"))

    assert re.findall(r'<option value="(\w+)">([^<]+)</option>', page) == [
        ("industry", "Industry (2)"),
        ("occupation", "Occupation (1)"),
        ("sector", "Sector (1)"),
        ("approved", "Approved (2)"),
        ("archived", "Archived (1)"),
        ("draft", "Draft (1)"),
        ("Energy", "Energy (1)"),
        ("Manufacturing", "Manufacturing (2)"),
    ]


@pytest.mark.parametrize(
    "query, names",
    [
        ("kind=industry", ["Energy", "Welding"]),
        ("status=approved", ["Welding", "Automation"]),
        ("industry=Manufacturing", ["Welding", "Automation"]),
        ("kind=industry&industry=Manufacturing", ["Welding"]),
        ("q=weld", ["Welding"]),
        ("q=ENERGY", ["Energy"]),
        ("kind=sector&status=draft", []),
        ("kind=bogus", ["Energy", "Welding", "Retail", "Automation"]),  # not a kind: no filter
    ],
)
def test_filters_narrow_the_list(client, catalogue, query, names):
    page = text(client.get(f"/frameworks/?{query}"))

    assert [row[0] for row in listed(page)] == names
    count = len(names)
    assert f'<p class="count-line">{count} framework{"" if count == 1 else "s"}</p>' in page
    if not names:
        assert "No framework matches these filters." in page


def test_a_filter_choice_stays_selected(client, catalogue):
    page = text(client.get("/frameworks/?kind=industry&status=draft"))

    assert '<option value="industry" selected>Industry (2)</option>' in page
    assert '<option value="draft" selected>Draft (1)</option>' in page


def test_htmx_gets_only_the_table(client, catalogue):
    response = client.get("/frameworks/?kind=sector", HTTP_HX_REQUEST="true")

    page = text(response)
    assert page.startswith('<p class="count-line">1 framework</p>')
    assert "<html" not in page and "<form" not in page
    assert [row[0] for row in listed(page)] == ["Automation"]


def test_the_owner_sees_a_private_framework_in_the_list(client, catalogue):
    owner = UserFactory()
    FrameworkFactory(name="Mine", kind="industry", industry="", visibility="private", owner=owner)
    client.force_login(owner)

    names = [row[0] for row in listed(text(client.get("/frameworks/?kind=industry")))]

    assert names == ["Energy", "Mine", "Welding"]


# Framework, tier and competency pages


@pytest.fixture
def welding():
    return save(welding_tree())


def test_the_framework_page_shows_the_whole_tree(client, welding):
    response = client.get("/frameworks/welding/")

    page = text(response)
    assert response.status_code == 200
    assert "<title>Welding Model · Competency Model Clearinghouse</title>" in page
    assert "<h1>Welding Model</h1>" in page
    assert re.search(r"<svg [^>]*>\s*<title[^>]*>Welding Model: ", page)
    assert re.search(r"<desc[^>]*>[^<]*Tier 1: Personal Effectiveness", page)
    for href in (
        "/frameworks/welding/tiers/1/",
        "/frameworks/welding/tiers/2/",
        "/frameworks/welding/competencies/1.1/",
        "/frameworks/welding/competencies/1.2/",
        "/frameworks/welding/competencies/2.1/",
    ):
        assert f'href="{href}"' in page
    assert '<li id="behavior-2"><strong>Asking:</strong> Asking for help early ' in page
    assert "Reading weld procedure specifications" in page
    assert "3 competencies, 4 key behaviors." in page


def test_the_tier_page_shows_its_competencies_only(client, welding):
    page = text(client.get("/frameworks/welding/tiers/1/"))

    assert "<h1>Tier 1: Personal Effectiveness</h1>" in page
    assert "<title>Tier 1: Personal Effectiveness · Welding Model · " in page
    assert 'href="/frameworks/welding/competencies/1.1/"' in page
    assert 'href="/frameworks/welding/competencies/1.2/"' in page
    assert "Reading weld procedure specifications" not in page
    assert '<a href="/frameworks/welding/tiers/1/" aria-current="page">Tier 1</a>' in page


def test_the_competency_page_shows_definition_and_behaviors(client, welding):
    page = text(client.get("/frameworks/welding/competencies/1.1/"))

    assert '<h1><span class="code">1.1</span> Teamwork</h1>' in page
    assert '<p class="definition">Working with others.</p>' in page
    assert re.findall(r'<li id="behavior-(\d)">(.*?)</li>', page) == [
        ("1", "Sharing tools with the crew"),
        ("2", "<strong>Asking:</strong> Asking for help early"),
    ]
    identifier = welding.competencies.get(code="1.1").identifier
    assert f"Identifier: <code>{identifier}</code>" in page


@pytest.mark.parametrize(
    "url",
    [
        "/frameworks/nope/",
        "/frameworks/welding/tiers/9/",
        "/frameworks/welding/competencies/9.9/",
        "/frameworks/welding/download.exe",
        "/no-such-page/",
    ],
)
def test_missing_pages_are_404_in_the_site_style(client, welding, url):
    response = client.get(url)

    page = text(response)
    assert response.status_code == 404
    assert "<title>Not found · Competency Model Clearinghouse</title>" in page
    assert "<h1>Page not found</h1>" in page
    assert '<a href="/frameworks/">Browse the frameworks</a>' in page


@pytest.fixture
def people():
    organization = OrganizationFactory()
    return {
        "organization": organization,
        "owner": UserFactory(),
        "org member": MembershipFactory(
            organization=organization, role=Membership.Role.VIEWER
        ).user,
        "outsider": MembershipFactory(role=Membership.Role.OWNER).user,
        "anonymous": AnonymousUser(),
    }


SEES = {
    "private": {"owner"},
    "organization": {"owner", "org member"},
}
PAGES = [
    "/frameworks/welding/",
    "/frameworks/welding/tiers/1/",
    "/frameworks/welding/competencies/1.1/",
    "/frameworks/welding/download.csv",
]


@pytest.mark.parametrize("visibility", ["private", "organization"])
@pytest.mark.parametrize("who", ["owner", "org member", "outsider", "anonymous"])
def test_a_framework_not_shared_with_you_is_404(client, people, visibility, who):
    framework = save(welding_tree(), "private", actor=people["owner"])
    Framework.objects.filter(pk=framework.pk).update(
        organization=people["organization"], visibility=visibility
    )
    if who != "anonymous":
        client.force_login(people[who])

    statuses = [client.get(url).status_code for url in PAGES]
    listed_names = [row[0] for row in listed(text(client.get("/frameworks/")))]

    if who in SEES[visibility]:
        assert statuses == [200, 200, 200, 200]
        assert listed_names == ["Welding Model"]
    else:
        assert statuses == [404, 404, 404, 404]
        assert listed_names == []
        assert "Page not found" in text(client.get(PAGES[0]))


# Query counts


@pytest.mark.parametrize("tree", [welding_tree, big_tree], ids=["small", "big"])
def test_the_framework_page_costs_the_same_queries_at_any_size(
    client, django_assert_num_queries, tree
):
    framework = save(tree())
    url = framework.get_absolute_url()

    # Cold: the public model's last change (no page kept yet), the framework's name and last
    # change, then its tree (framework, sources, tiers, competencies, behaviors), and one query
    # for each other app's section: the review panel's last publication (then cached), its
    # occupations, endorsed credentials, aligned resources and the validation statement.
    with django_assert_num_queries(12):
        cold = client.get(url)
    # Warm: only the framework's last change, which names the cached page.
    with django_assert_num_queries(1):
        warm = client.get(url)

    assert cold.status_code == warm.status_code == 200
    assert warm.content == cold.content


@pytest.mark.parametrize("tree", [welding_tree, big_tree], ids=["small", "big"])
def test_a_signed_in_visit_adds_the_session_the_user_and_the_right_to_edit(
    client, django_assert_num_queries, tree
):
    framework = save(tree())
    user = UserFactory()
    client.force_login(user)

    # Session, user and the right to edit; the other apps' sections (the review panels add the
    # visitor's roles, and links for editors ask the right to edit again).
    with django_assert_num_queries(17):
        cold = client.get(framework.get_absolute_url())
    with django_assert_num_queries(11):
        warm = client.get(framework.get_absolute_url())

    assert f"Sign out {user.username}" in text(cold)
    assert f"Sign out {user.username}" in text(warm)


def test_the_anonymous_page_is_cached_whole_and_never_served_to_a_signed_in_user(
    client, django_assert_num_queries, welding
):
    user = UserFactory()
    signed_in = Client()
    signed_in.force_login(user)
    anonymous = client.get("/frameworks/welding/")

    # session, user, the framework, the right to edit, and the other apps' sections
    with django_assert_num_queries(11):
        mine = signed_in.get("/frameworks/welding/")

    assert f"Sign out {user.username}" in text(mine)
    assert "Sign out" not in text(anonymous)
    assert 'href="/accounts/login/">Sign in</a>' in text(anonymous)


def test_the_last_change_a_visitor_is_given_is_the_frameworks_own(welding):
    from cmc.frameworks.selectors import public_change

    welding.refresh_from_db()
    assert public_change(slug="welding") == (welding.pk, welding.updated_at.timestamp())
    assert public_change(slug="no-such-model") is None
    Framework.objects.filter(pk=welding.pk).update(visibility="private")
    assert public_change(slug="welding") is None


def test_the_page_kept_for_visitors_goes_when_the_model_is_made_private(client, welding):
    assert client.get("/frameworks/welding/").status_code == 200

    Framework.objects.filter(pk=welding.pk).update(visibility="private")

    assert client.get("/frameworks/welding/").status_code == 404


def test_a_change_shows_at_once_despite_the_cache(client, welding):
    owner = UserFactory()
    Framework.objects.filter(pk=welding.pk).update(owner=owner)
    assert "<h1>Welding Model</h1>" in text(client.get("/frameworks/welding/"))

    update_framework(framework=welding, actor=owner, name="Welding, revised")

    page = text(client.get("/frameworks/welding/"))
    assert "<h1>Welding, revised</h1>" in page
    assert "<h1>Welding Model</h1>" not in page


def test_a_visitor_with_messages_does_not_get_the_cached_page(
    client, django_assert_num_queries, welding
):
    client.get("/frameworks/welding/")
    client.cookies["messages"] = "x"

    # The tree part is still cached; the page around it rendered afresh: the framework, and the
    # panels' sections (the review panel's publication is cached).
    with django_assert_num_queries(5):
        response = client.get("/frameworks/welding/")
    assert response.status_code == 200


# Search


@pytest.fixture
def searchable(welding):
    owner = UserFactory()
    save(welding_tree(slug="secret", name="Secret Welding"), "private", actor=owner)
    return owner


def test_search_works_as_a_plain_page(client, searchable, welding):
    response = client.get("/search/?q=reading")

    page = text(response)
    assert response.status_code == 200
    assert "<title>Search · Competency Model Clearinghouse</title>" in page
    assert 'value="reading"' in page
    assert '<h2 id="hits-heading">2 results for “reading”</h2>' in page
    assert '<a href="/frameworks/welding/competencies/2.1/">2.1 Reading</a>' in page
    assert '<p class="snippet"><mark>Reading</mark> weld procedure specifications</p>' in page
    facet = f'<a href="?q=reading&amp;framework={welding.pk}">Welding Model</a> '
    assert facet + '<span class="count">2</span>' in page
    assert '<a href="?q=reading&amp;tier=2">Tier 2</a> <span class="count">2</span>' in page
    assert "Secret Welding" not in page


def test_the_search_page_reads_the_index_once_and_the_names_once(
    client, django_assert_num_queries, searchable, welding
):
    save(welding_tree(slug="second", name="Second Welding"))
    # SQLite reads the hits and the facets in one statement, PostgreSQL in two; then one
    # query names the frameworks of the facet list, however many there are.
    index = 2 if connection.vendor == "postgresql" else 1

    with django_assert_num_queries(index + 1):
        response = client.get(f"/search/?q=weld&framework={welding.pk}&tier=2")

    assert '<h2 id="hits-heading">1 result for “weld”</h2>' in text(response)


def test_search_answers_htmx_with_the_results_only(client, searchable):
    response = client.get("/search/?q=reading", HTTP_HX_REQUEST="true")

    page = text(response)
    assert "<html" not in page and "<form" not in page
    assert '<h2 id="hits-heading">2 results for “reading”</h2>' in page
    assert page.count('<li class="hit ') == 2


def test_the_owner_finds_a_private_framework_on_the_search_page(client, searchable):
    client.force_login(searchable)

    page = text(client.get("/search/?q=teamwork"))

    assert '<h2 id="hits-heading">2 results for “teamwork”</h2>' in page
    assert '<a href="/frameworks/secret/competencies/1.1/">1.1 Teamwork</a>' in page


def test_search_filters_by_framework_and_tier(client, searchable, welding):
    page = text(client.get(f"/search/?q=weld&framework={welding.pk}&tier=2"))

    assert '<h2 id="hits-heading">1 result for “weld”</h2>' in page
    assert f'framework={welding.pk}&amp;tier=2" aria-current="true">Tier 2</a>' in page
    assert '<a href="?q=weld">Clear filters</a>' in page


def test_search_pages_through_many_hits(client):
    save(
        FrameworkTree(
            name="Many",
            slug="many",
            tiers=[
                TierNode(
                    number=1,
                    name="Only",
                    competencies=[
                        CompetencyNode(
                            code="1.1",
                            name="Gluing",
                            behaviors=[BehaviorNode(text=f"Applies glue {n}") for n in range(24)],
                        )
                    ],
                )
            ],
        )
    )

    first = text(client.get("/search/?q=glue"))
    second = text(client.get("/search/?q=glue&page=2"))

    assert '<h2 id="hits-heading">24 results for “glue”</h2>' in first
    assert first.count('<li class="hit ') == 20
    assert "<span>Page 1 of 2</span>" in first
    assert '<a href="?q=glue&amp;page=2">Next</a>' in first
    assert second.count('<li class="hit ') == 4
    assert '<ol class="hits-list" start="21">' in second
    assert '<a href="?q=glue&amp;page=1">Previous</a>' in second


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", None),
        ("q=", None),
        ("q=%20%20", "<p>Type a word to search.</p>"),
        ("q=zzz", "<p>Nothing matches every word. Try fewer or shorter words.</p>"),
        (
            "q=" + "x" * 201,
            "The search could not be run: Ensure this value has at most 200 characters "
            "(it has 201).",
        ),
        ("q=weld&tier=100", "The search could not be run: Ensure this value is less than or"),
        ("q=weld&page=0", "The search could not be run: Ensure this value is greater than or"),
        ("q=%22weld%20OR%20(NEAR", '<h2 id="hits-heading">0 results for'),
    ],
)
def test_search_explains_what_it_could_not_do(client, welding, query, expected):
    response = client.get(f"/search/?{query}")

    page = text(response)
    assert response.status_code == 200
    if expected is None:
        assert 'id="hits-heading"' not in page and "could not be run" not in page
        assert "Type a word" not in page
    else:
        assert expected in page


def test_a_nul_in_the_query_is_refused_cleanly(client, welding):
    response = client.get("/search/?q=weld%00")

    assert response.status_code == 400
    assert text(response) == "The field 'q' contains a NUL character; remove it and try again."


# Downloads


def shape(tree: FrameworkTree) -> list:
    return [
        (
            t.number,
            t.name,
            [
                (c.code, c.name, c.definition, [(b.title, b.text) for b in c.behaviors])
                for c in t.competencies
            ],
        )
        for t in tree.tiers
    ]


@pytest.mark.parametrize(
    "fmt, content_type",
    [
        ("csv", "text/csv; charset=utf-8"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("json", "application/json"),
    ],
)
def test_downloads_give_back_the_framework(client, welding, tmp_path, fmt, content_type):
    page = text(client.get("/frameworks/welding/"))
    assert f'href="/frameworks/welding/download.{fmt}"' in page

    response = client.get(f"/frameworks/welding/download.{fmt}")

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="welding.{fmt}"'
    path = tmp_path / f"welding.{fmt}"
    path.write_bytes(response.content)
    trees, problems = formats.read_file(path)
    assert problems == []
    assert [(t.name, t.slug) for t in trees] == [("Welding Model", "welding")]
    assert shape(trees[0]) == shape(tree_of(loaded("welding")))


def test_the_json_download_carries_every_identifier(client, welding):
    document = json.loads(client.get("/frameworks/welding/download.json").content)

    framework = document["framework"]
    assert framework["identifier"] == str(welding.identifier)
    assert [
        (c["code"], c["identifier"], [b["identifier"] for b in c["behaviors"]])
        for t in framework["tiers"]
        for c in t["competencies"]
    ] == [
        (c.code, str(c.identifier), [str(b.identifier) for b in c.behaviors.order_by("position")])
        for c in welding.competencies.order_by("code")
    ]


@pytest.mark.django_db
def test_an_empty_catalogue_entry_says_so_and_offers_nothing_to_take(client, reference):
    page = client.get("/frameworks/aerospace/").content.decode()

    assert "<h2>Listed in the guide, content not included</h2>" in page
    assert "Reference content, as its source publishes it" in page
    for absent in ("Download:", "Build a model from this", "Approved", "`", "cmc import"):
        assert absent not in page
    full = client.get("/frameworks/building-blocks/").content.decode()
    assert "Download:" in full and "Build a model from this" in full
    assert "Listed in the guide" not in full


@pytest.mark.django_db
def test_the_home_page_says_what_a_visitor_can_do_here(client):
    page = client.get("/").content.decode()
    assert "take it away as a PDF, a Word document or a spreadsheet" in page
    assert '<a href="/frameworks/build/">Build your own model</a>' in page
