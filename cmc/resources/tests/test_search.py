import pytest

from cmc.core.actors import SYSTEM
from cmc.core.errors import InvalidInput, Problem
from cmc.factories import UserFactory
from cmc.resources import selectors, services
from cmc.resources.cleaning import AlignmentRef

from .conftest import resource_input


@pytest.fixture
def library(welding, owner, staff):
    """Three published resources and one pending of `owner`."""
    rows = [
        ("r1", resource_input(title="Welding hazards curriculum", states=["WA"])),
        ("r2", resource_input(kind="assessment", title="Reading weld symbols test",
                              description="An assessment of reading welding drawings.",
                              states=["OR"], alignments=[AlignmentRef("welding", 2, "2.1")])),
        ("r3", resource_input(kind="guide", title="Shop teamwork guide", description="Crew work.",
                              industries=["Energy"], states=[], alignments=[])),
    ]  # fmt: skip
    published = services.import_resources(actor=SYSTEM, rows=rows, publish=True)
    pending = services.submit_resource(
        actor=owner, data=resource_input(title="Welding fumes primer", description="Fumes.")
    )
    return published, pending


def titles(page):
    return [hit.resource.title for hit in page.hits]


def test_words_rank_and_facets_count_every_value(library, welding):
    from cmc.frameworks.models import Competency

    codes = dict(
        Competency.objects.filter(framework__slug="welding").values_list("code", "identifier")
    )
    page = selectors.search_resources(user=None, raw={"q": "welding"})
    assert page.total == 2
    assert set(titles(page)) == {"Welding hazards curriculum", "Reading weld symbols test"}
    counts = {g.name: {link.value: link.count for link in g.links} for g in page.facets}
    assert counts == {
        "kind": {"assessment": 1, "curriculum": 1},
        "industry": {"Advanced Manufacturing": 2},
        "state": {"OR": 1, "WA": 1},
        "framework": {"welding": 2},
        "tier": {"1": 1, "2": 1},
        "competency": {str(codes["1.1"]): 1, str(codes["2.1"]): 1},
    }
    assert "<mark>welding</mark>" in str(page.hits[0].snippet).lower()


def test_three_facets_and_words_narrow_together(library):
    page = selectors.search_resources(
        user=None, raw={"q": "reading", "kind": "assessment", "state": "or", "tier": "2"}
    )
    assert titles(page) == ["Reading weld symbols test"]
    assert page.total == 1


def test_without_words_every_visible_resource_is_listed_by_sort(library):
    page = selectors.search_resources(user=None, raw={"sort": "title"})
    assert titles(page) == [
        "Reading weld symbols test", "Shop teamwork guide", "Welding hazards curriculum",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("who", "sees_pending"),
    [("owner", True), ("staff", True), ("outsider", False), ("anonymous", False)],
)
def test_pending_resources_are_seen_by_their_submitter_and_staff_only(
    library, owner, staff, who, sees_pending
):
    user = {"owner": owner, "staff": staff, "outsider": UserFactory(), "anonymous": None}[who]
    page = selectors.search_resources(user=user, raw={"q": "fumes"})
    assert titles(page) == (["Welding fumes primer"] if sees_pending else [])


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ({"kind": "poster"}, Problem("query", "kind", "'poster' is not a kind of resource (one of: apprenticeship, assessment, curriculum, skill-standard, training-program, case-study, guide, tool)")),
        ({"state": "zz"}, Problem("query", "state", "'ZZ' is not a U.S. state code (two letters, such as WA)")),
        ({"industry": "Mining"}, Problem("query", "industry", "'Mining' is not an industry of the clearinghouse")),
        ({"framework": "nowhere"}, Problem("query", "framework", "no framework 'nowhere'")),
        ({"tier": "10"}, Problem("query", "tier", "'10' is not a whole number from 1 to 9")),
        ({"competency": "1.1"}, Problem("query", "competency", "'1.1' is not a competency identifier (a UUID)")),
        ({"sort": "price"}, Problem("query", "sort", "'price' is not a sort order (one of: relevance, newest, title)")),
        ({"use": "teaching"}, Problem("query", "use", "'teaching' is not a use of a model (one of: communicate, career-guidance, career-paths, program-planning, curriculum, hr-services, certification, apprenticeship)")),
    ],
)  # fmt: skip
def test_a_bad_facet_value_is_named(library, raw, problem):
    with pytest.raises(InvalidInput) as caught:
        selectors.search_resources(user=None, raw=raw)
    assert caught.value.problems == [problem]


def test_the_site_search_finds_published_resources(library):
    from cmc.core import search

    found = search.search("hazards", user=None, collections=["resources"])
    assert [hit.title for hit in found.hits] == ["Welding hazards curriculum"]


@pytest.fixture
def case_studies(welding):
    rows = [
        ("c1", resource_input(kind="case-study", title="Energy pathways in action",
                              uses=["career-paths", "curriculum"])),
        ("c2", resource_input(kind="case-study", title="A welding apprenticeship in action",
                              uses=["Industry models and registered apprenticeship", "curriculum"])),
        ("c3", resource_input(kind="guide", title="A guide with no use")),
    ]  # fmt: skip
    return services.import_resources(actor=SYSTEM, rows=rows, publish=True)


def test_the_guides_uses_are_a_facet_counted_with_the_others(
    case_studies, django_assert_num_queries
):
    # the statement of hits and every count, the page's rows, framework and competency labels
    with django_assert_num_queries(4):
        page = selectors.search_resources(user=None, raw={"use": "curriculum"})
    assert sorted(titles(page)) == [
        "A welding apprenticeship in action",
        "Energy pathways in action",
    ]
    uses = next(g for g in page.facets if g.name == "use")
    assert uses.heading == "Use of a model"
    assert [(link.value, link.label, link.count, link.current) for link in uses.links] == [
        ("curriculum", "Curriculum evaluation, planning and development", 2, True),
        ("career-paths", "Career paths, ladders and lattices", 1, False),
        ("apprenticeship", "Industry models and registered apprenticeship", 1, False),
    ]
    assert uses.links[0].query == ""  # following the chosen value drops it
    narrower = selectors.search_resources(user=None, raw={"use": "career-paths", "kind": "case-study"})  # fmt: skip
    assert titles(narrower) == ["Energy pathways in action"]
