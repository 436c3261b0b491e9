"""The search interface: the same cases pass on SQLite (FTS5) and on PostgreSQL (tsvector)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from cmc.accounts.models import Membership
from cmc.core.actors import SYSTEM
from cmc.core.models import SearchEntry
from cmc.core.search import MAX_TERMS, cut_snippet, highlight, search, terms
from cmc.factories import MembershipFactory, OrganizationFactory, UserFactory, welding_tree
from cmc.frameworks.models import Framework
from cmc.frameworks.services import delete_framework, save_framework_tree, update_framework
from cmc.frameworks.trees import BehaviorNode, CompetencyNode, FrameworkTree, TierNode

pytestmark = pytest.mark.django_db

FW = "frameworks"  # the collection the frameworks app registers
WELDING = "/frameworks/welding/"
WELD_BEHAVIOR = "/frameworks/welding/competencies/2.1/#behavior-1"
LONG_TEXT = (
    " ".join(f"word{i}" for i in range(60)) + " hazard " + " ".join(f"more{i}" for i in range(60))
)


def safety_tree(slug: str = "site-safety", name: str = "Site Safety Model") -> FrameworkTree:
    """Three tiers; "safety" in the framework, a competency name, a definition and behaviors."""
    return FrameworkTree(
        name=name,
        slug=slug,
        kind="industry",
        industry="Construction",
        description="Safety first.",
        tiers=[
            TierNode(
                number=1,
                name="Personal Effectiveness",
                competencies=[
                    CompetencyNode(
                        code="1.1",
                        name="Integrity",
                        definition="Acting honestly.",
                        behaviors=[
                            BehaviorNode(text="Reports safety incidents"),
                            BehaviorNode(text="Uses <b>bold</b> & sharp tools"),
                        ],
                    )
                ],
            ),
            TierNode(
                number=2,
                name="Academic",
                competencies=[
                    CompetencyNode(
                        code="2.1",
                        name="Science",
                        definition="Knowing safety data sheets",
                        behaviors=[
                            BehaviorNode(text="Reads safety labels"),
                            BehaviorNode(text=LONG_TEXT),
                        ],
                    )
                ],
            ),
            TierNode(
                number=3,
                name="Workplace",
                competencies=[
                    CompetencyNode(
                        code="3.1",
                        name="Safety",
                        definition="Keeping the site free of hazards",
                        behaviors=[
                            BehaviorNode(text="Works carefully near cranes"),
                            BehaviorNode(text="Soudure électrique 安全第一 проверка", title="Arc"),
                        ],
                    )
                ],
            ),
        ],
    )


def save(tree: FrameworkTree, visibility: str = "public", actor=SYSTEM) -> Framework:
    return save_framework_tree(
        tree=tree, where="test", visibility=visibility, actor=actor
    ).framework


def find(query: str, user=None, **options):
    return search(query, user=user, **options)


def urls(results) -> list[str]:
    return [hit.url for hit in results.hits]


@pytest.fixture
def welding():
    return save(welding_tree())


@pytest.fixture
def safety():
    return save(safety_tree())


# Ranking and snippets


def test_a_name_match_ranks_above_a_behavior_text_match(welding):
    results = find("reading")

    assert [(h.kind, h.title, str(h.snippet)) for h in results.hits] == [
        ("competency", "2.1 Reading", "2.1 <mark>Reading</mark>"),
        ("behavior", "", "<mark>Reading</mark> weld procedure specifications"),
    ]
    assert [(h.object_id, h.scope_id, h.facet) for h in results.hits] == [
        (welding.competencies.get(code="2.1").pk, welding.pk, 2),
        (welding.competencies.get(code="2.1").behaviors.get().pk, welding.pk, 2),
    ]
    assert results.hits[0].context == "Welding Model › Tier 2: Academic"
    assert results.hits[1].context == "Welding Model › 2.1 Reading"
    assert urls(results) == ["/frameworks/welding/competencies/2.1/", WELD_BEHAVIOR]


def test_title_matches_come_first_then_text_matches(safety):
    results = find("safety")

    assert [(h.kind, h.title) for h in results.hits[:2]] == [
        ("framework", "Site Safety Model"),
        ("competency", "3.1 Safety"),
    ]
    # The engines order the text-only matches differently; both put them after the titles.
    assert {str(h.snippet) for h in results.hits[2:]} == {
        "Reports <mark>safety</mark> incidents",
        "Knowing <mark>safety</mark> data sheets",
        "Reads <mark>safety</mark> labels",
    }
    assert str(results.hits[0].snippet) == "Construction <mark>Safety</mark> first."
    # A competency with a definition shows the definition as its snippet.
    assert str(results.hits[1].snippet) == "Keeping the site free of hazards"


def test_every_word_must_match_and_words_match_as_prefixes(welding):
    assert [str(h.snippet) for h in find("sharing crew").hits] == [
        "<mark>Sharing</mark> tools with the <mark>crew</mark>"
    ]
    assert [str(h.snippet) for h in find("shar cre").hits] == [
        "<mark>Sharing</mark> tools with the <mark>crew</mark>"
    ]
    assert find("sharing pipes").hits == []
    assert find("sharing pipes").total == 0


def test_a_long_text_is_cut_around_the_match(safety):
    (hit,) = find("hazard", facet=(FW, 2)).hits

    assert "<mark>hazard</mark> more0 more1" in hit.snippet
    assert "word0 " not in hit.snippet
    assert len(hit.snippet.split()) < 40


def test_snippets_never_carry_the_content_as_html(safety):
    (hit,) = find("sharp").hits

    assert "<mark>sharp</mark> tools" in hit.snippet
    assert "<b>" not in hit.snippet
    assert "&amp;" in hit.snippet


def test_highlight_escapes_then_marks():
    assert highlight("a <b> & \x02c\x03 \x02d\x03") == (
        "a &lt;b&gt; &amp; <mark>c</mark> <mark>d</mark>"
    )


def test_cut_snippet_keeps_about_thirty_words_around_the_first_match():
    text = " ".join(f"w{i}" for i in range(100))

    # Thirty words: eight before the match, the match, twenty-one after.
    assert cut_snippet(text, ["w50"]) == (
        "…" + " ".join(f"w{i}" for i in range(42, 50)) + " \x02w50\x03 "
        + " ".join(f"w{i}" for i in range(51, 72)) + "…"
    )  # fmt: skip
    assert cut_snippet("Sharing tools", ["shar", "tool"]) == "\x02Sharing\x03 \x02tools\x03"
    assert cut_snippet("No match here", ["zzz"]) == "No match here"


# Facets


@pytest.fixture
def two_models():
    return save(safety_tree()), save(safety_tree("second-safety", "Second Safety Model"))


def test_facets_count_by_framework_and_tier(two_models):
    first, second = two_models

    results = find("safety")

    assert results.total == 10
    assert results.scope_counts == {FW: {first.pk: 5, second.pk: 5}}
    assert results.facet_counts == {FW: {1: 2, 2: 4, 3: 2}}
    assert list(results.facet_counts[FW]) == [1, 2, 3]


def test_facets_cover_the_whole_match_before_the_filters(two_models):
    first, second = two_models

    in_first = find("safety", scope=(FW, first.pk))
    assert in_first.total == 5
    assert {h.scope_id for h in in_first.hits} == {first.pk}
    assert in_first.scope_counts == {FW: {first.pk: 5, second.pk: 5}}
    assert in_first.facet_counts == {FW: {1: 1, 2: 2, 3: 1}}

    in_tier = find("safety", facet=(FW, 2))
    assert in_tier.total == 4
    assert {(h.scope_id, h.facet) for h in in_tier.hits} == {
        (first.pk, 2),
        (second.pk, 2),
    }
    assert in_tier.scope_counts == {FW: {first.pk: 5, second.pk: 5}}
    assert in_tier.facet_counts == {FW: {1: 2, 2: 4, 3: 2}}

    both = find("safety", scope=(FW, second.pk), facet=(FW, 2))
    assert both.total == 2
    assert {(h.scope_id, h.facet) for h in both.hits} == {(second.pk, 2)}


def test_pages_of_hits_follow_each_other(two_models):
    everything = urls(find("safety", limit=100))

    pages = [urls(find("safety", limit=4, offset=offset)) for offset in (0, 4, 8)]

    assert [len(page) for page in pages] == [4, 4, 2]
    assert pages[0] + pages[1] + pages[2] == everything
    assert find("safety", offset=10).hits == []
    assert find("safety", offset=10).total == 10


def test_hits_never_leave_the_frameworks_the_user_may_see(two_models):
    first, second = two_models
    Framework.objects.filter(pk=first.pk).update(visibility="private")

    results = search("safety", user=None)

    assert {h.scope_id for h in results.hits} == {second.pk}
    assert results.scope_counts == {FW: {second.pk: 5}}
    assert results.total == 5


# Query syntax: operators and punctuation are words or nothing, never engine syntax


@pytest.mark.parametrize(
    "query",
    [
        "weld",
        "WELD",
        '"weld"',
        '"weld',
        "(weld",
        "weld)",
        "weld*",
        "*weld",
        "weld:*",
        "weld'",
        "weld\\",
        "{weld}",
        "^weld",
        "+weld",
        "weld;",
        "weld\x00",
        "weld " * 300,
    ],
)
def test_punctuation_around_a_word_is_ignored(welding, query):
    assert urls(find(query)) == [WELDING, WELD_BEHAVIOR]


@pytest.mark.parametrize(
    "query",
    [
        "weld -procedure",  # minus is not "not": both words are needed
        "-procedure weld",
        "weld & !reading",
        '"reading weld"',
        "(reading) (weld)",
    ],
)
def test_operators_do_not_exclude(welding, query):
    assert urls(find(query)) == [WELD_BEHAVIOR]


@pytest.mark.parametrize(
    "query",
    ["weld OR zzz", "weld | zzz", "NEAR(weld zzz)", "NEAR(weld zzz, 5)", "weld zzz*"],
)
def test_operators_do_not_widen(welding, query):
    """OR is a word like any other, so an unknown word beside it finds nothing."""
    results = find(query)

    assert (results.hits, results.total, results.scope_counts) == ([], 0, {})


def test_near_is_a_word_when_the_text_has_it(safety):
    assert [str(h.snippet) for h in find("NEAR(carefully cranes)").hits] == [
        "Works <mark>carefully</mark> <mark>near</mark> <mark>cranes</mark>"
    ]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "\t\n",
        "*",
        "-",
        '"',
        "()",
        "&|!:",
        "\x00",
        "<script>alert(1)</script>",
        "x" * 5000,
    ],
)
def test_queries_without_a_usable_word_find_nothing(welding, query):
    results = find(query)

    assert (results.hits, results.total, results.scope_counts, results.facet_counts) == (
        [],
        0,
        {},
        {},
    )


@pytest.mark.parametrize(
    "query, snippet",
    [
        ("électrique", "Soudure <mark>électrique</mark> 安全第一 проверка"),
        ("Électrique", "Soudure <mark>électrique</mark> 安全第一 проверка"),
        # Both engines fold accents, in the query and in the text.
        ("electrique", "Soudure <mark>électrique</mark> 安全第一 проверка"),
        ("ELECTRIQUE", "Soudure <mark>électrique</mark> 安全第一 проверка"),
        ("sôudure", "<mark>Soudure</mark> électrique 安全第一 проверка"),
        ("安全", "Soudure électrique <mark>安全第一</mark> проверка"),
        ("провер", "Soudure électrique 安全第一 <mark>проверка</mark>"),
    ],
)
def test_unicode_words_are_found_and_marked(safety, query, snippet):
    assert [(h.title, str(h.snippet)) for h in find(query).hits] == [("Arc", snippet)]


def test_terms_are_lower_cased_words_once_without_stop_words_and_at_most_twelve():
    assert terms('Weld "the" (PIPE) OR -x* NEAR/2 électrique weld') == [
        "weld", "pipe", "x", "near", "2", "électrique",
    ]  # fmt: skip
    assert terms("the and of") == []
    many = " ".join(f"w{i}" for i in range(20))
    assert terms(many) == [f"w{i}" for i in range(MAX_TERMS)]
    assert MAX_TERMS == 12
    assert terms(" \t*-()\x00 ") == []


def test_a_stop_word_in_a_query_finds_the_same_on_both_engines():
    save_framework_tree(tree=welding_tree(), where="test", actor=SYSTEM, visibility="public")
    found = search("a crew", user=SYSTEM)
    assert [hit.kind for hit in found.hits] == ["behavior"]
    assert "<mark>crew</mark>" in found.hits[0].snippet


# Visibility


@pytest.fixture
def people():
    owner = UserFactory()
    organization = OrganizationFactory()
    return {
        "organization": organization,
        "owner": owner,
        "org member": MembershipFactory(
            organization=organization, role=Membership.Role.VIEWER
        ).user,
        "outsider": MembershipFactory(role=Membership.Role.EDITOR).user,
        "anonymous": AnonymousUser(),
        "nobody": None,
    }


@pytest.fixture
def shared_and_private(people):
    public = save(welding_tree())
    private = save(
        welding_tree(slug="secret", name="Secret Welding"), "private", actor=people["owner"]
    )
    shared = save(
        welding_tree(slug="guild", name="Guild Welding"), "private", actor=people["owner"]
    )
    Framework.objects.filter(pk=shared.pk).update(
        organization=people["organization"], visibility="organization"
    )
    return {"public": public.pk, "private": private.pk, "shared": shared.pk}


SEES = {
    "owner": {"public", "private", "shared"},
    "org member": {"public", "shared"},
    "outsider": {"public"},
    "anonymous": {"public"},
    "nobody": {"public"},
}


@pytest.mark.parametrize("who", list(SEES))
def test_private_frameworks_are_found_only_by_those_who_may_see_them(
    people, shared_and_private, who
):
    results = find("welding", user=people[who])

    expected = {shared_and_private[name] for name in SEES[who]}
    assert {h.scope_id for h in results.hits} == expected
    assert set(results.scope_counts[FW]) == expected
    assert results.total == 2 * len(expected)  # the framework and its "weld" behavior
    assert results.facet_counts == {FW: {2: len(expected)}}


@pytest.mark.parametrize("who", ["outsider", "anonymous"])
def test_filtering_on_a_hidden_framework_finds_nothing(people, shared_and_private, who):
    results = find("welding", user=people[who], scope=(FW, shared_and_private["private"]))

    assert (results.hits, results.total) == ([], 0)
    assert set(results.scope_counts[FW]) == {shared_and_private["public"]}
    assert results.facet_counts == {}


# The index follows the frameworks


def test_a_new_framework_is_found_at_once():
    assert find("teamwork").hits == []

    framework = save(welding_tree())

    assert [(h.kind, h.scope_id) for h in find("teamwork").hits] == [("competency", framework.pk)]
    assert SearchEntry.objects.filter(collection=FW, scope_id=framework.pk).count() == 10


def test_a_renamed_framework_is_found_by_its_new_name_only(people):
    framework = save(welding_tree(), "private", actor=people["owner"])

    update_framework(framework=framework, actor=people["owner"], name="Pipe Fitting")

    owner = people["owner"]
    assert [(h.kind, h.title) for h in find("pipe", user=owner).hits] == [
        ("framework", "Pipe Fitting")
    ]
    assert [h.kind for h in find("welding", user=owner).hits] == ["behavior"]
    assert [h.context for h in find("teamwork", user=owner).hits] == [
        "Pipe Fitting › Tier 1: Personal Effectiveness"
    ]


def test_a_changed_tree_replaces_what_is_found(welding):
    tree = welding_tree()
    tree.tiers[0].competencies[0].behaviors[0].text = "Lending gloves to the crew"
    del tree.tiers[1]

    save(tree)

    assert find("sharing").hits == []
    assert find("reading").hits == []
    assert [str(h.snippet) for h in find("gloves").hits] == [
        "Lending <mark>gloves</mark> to the crew"
    ]
    assert find("welding").total == 1  # the framework itself


def test_a_deleted_framework_is_no_longer_found(people):
    framework = save(welding_tree(), "private", actor=people["owner"])
    assert find("weld", user=people["owner"]).total == 2

    delete_framework(framework=framework, actor=people["owner"])

    assert find("weld", user=people["owner"]).total == 0
    assert SearchEntry.objects.count() == 0
    # A new framework reusing the words is found alone, without ghosts of the old one.
    again = save(welding_tree())
    assert {h.scope_id for h in find("weld").hits} == {again.pk}
    assert find("weld").total == 2


def test_deleting_a_framework_removes_its_entries_and_no_other(people):
    kept = save(welding_tree(slug="kept", name="Kept Welding"))
    kept_entries = list(SearchEntry.objects.order_by("id").values_list("id", flat=True))
    gone = save(welding_tree(), "private", actor=people["owner"])
    assert SearchEntry.objects.filter(collection=FW, scope_id=gone.pk).count() == 10

    delete_framework(framework=gone, actor=people["owner"])

    assert list(SearchEntry.objects.order_by("id").values_list("id", flat=True)) == kept_entries
    assert {h.scope_id for h in find("weld", user=SYSTEM).hits} == {kept.pk}


@pytest.mark.parametrize("who", ["org member", "outsider", "anonymous"])
def test_a_refused_delete_keeps_the_entries(people, who):
    framework = save(welding_tree(), "private", actor=people["owner"])
    before = list(SearchEntry.objects.order_by("id").values_list("id", "title"))

    with pytest.raises(PermissionDenied):
        delete_framework(framework=framework, actor=people[who])

    assert list(SearchEntry.objects.order_by("id").values_list("id", "title")) == before
    assert find("weld", user=people["owner"]).total == 2


def test_deleting_frameworks_in_the_admin_removes_their_entries(admin_client):
    one, two = save(welding_tree()), save(welding_tree(slug="two", name="Two"))
    kept = save(welding_tree(slug="kept", name="Kept"))

    admin_client.post(
        "/admin/frameworks/framework/",
        {"action": "delete_selected", "_selected_action": [one.pk], "post": "yes"},
    )
    admin_client.post(f"/admin/frameworks/framework/{two.pk}/delete/", {"post": "yes"})

    assert list(Framework.objects.values_list("slug", flat=True)) == ["kept"]
    assert set(SearchEntry.objects.values_list("scope_id", flat=True)) == {kept.pk}
    assert {h.scope_id for h in find("weld", user=SYSTEM).hits} == {kept.pk}


def test_snippets_mark_the_words_the_stemmer_matched():
    assert "\x02hazard\x03" in cut_snippet("Reports every hazard at once", ["hazards"])
    assert "\x02plans\x03" in cut_snippet("Makes plans for the week", ["planning"])
    assert "\x02" not in cut_snippet("Reports every risk at once", ["hazards"])
