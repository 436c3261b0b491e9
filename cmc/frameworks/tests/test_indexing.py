"""The search entries of a framework: each key behavior's entry names its own competency; the
entries come in the model's order, their contexts within their column."""

import pytest

from cmc.core import search
from cmc.core.actors import SYSTEM
from cmc.core.models import SearchEntry
from cmc.frameworks.models import KeyBehavior
from cmc.frameworks.services import save_framework_tree
from cmc.frameworks.trees import BehaviorNode, CompetencyNode, FrameworkTree, TierNode

pytestmark = pytest.mark.django_db


def tree(first_tier: list[CompetencyNode]) -> FrameworkTree:
    return FrameworkTree(
        name="Grid Model",
        slug="grid",
        tiers=[
            TierNode(number=1, name="Basics", competencies=first_tier),
            TierNode(
                number=2,
                name="Field",
                competencies=[
                    CompetencyNode(code="2.1", name="Climbing", behaviors=[BehaviorNode("Climb")])
                ],
            ),
        ],
    )


def test_each_behavior_entry_names_its_competency_whatever_order_the_rows_were_made_in():
    empty = CompetencyNode(code="1.1", name="Listening")  # no key behaviors: passed over
    reading = CompetencyNode(
        code="1.2", name="Reading", behaviors=[BehaviorNode("Read"), BehaviorNode("Skim")]
    )
    save_framework_tree(tree=tree([empty, reading]), where="test")
    # Made last, so read last by row, though it comes first in its tier.
    planning = CompetencyNode(code="1.0", name="Planning", behaviors=[BehaviorNode("Plan")])
    reading = CompetencyNode(
        code="1.2", name="Reading", behaviors=[BehaviorNode("Read"), BehaviorNode("Skim")]
    )
    save_framework_tree(
        tree=tree([planning, CompetencyNode(code="1.1", name="Listening"), reading]), where="test"
    )

    entries = SearchEntry.objects.filter(kind="behavior").order_by("object_id")
    seen = {}
    for entry in entries:
        behavior = KeyBehavior.objects.select_related("competency__tier").get(pk=entry.object_id)
        competency = behavior.competency
        assert entry.context == f"Grid Model › {competency.code} {competency.name}"
        assert entry.url == (
            f"/frameworks/grid/competencies/{competency.code}/#behavior-{behavior.position}"
        )
        assert entry.facet == competency.tier.number
        seen[behavior.text] = competency.code
    assert seen == {"Plan": "1.0", "Read": "1.2", "Skim": "1.2", "Climb": "2.1"}


def test_competencies_are_indexed_in_the_models_order_so_equal_matches_come_so():
    ladder = CompetencyNode(code="1.2", name="Ladder safety")
    save_framework_tree(tree=tree([ladder]), where="test")
    # Made later, in front of the one the framework had.
    forklift = CompetencyNode(code="1.1", name="Forklift safety")
    save_framework_tree(
        tree=tree([forklift, CompetencyNode(code="1.2", name="Ladder safety")]), where="test"
    )

    entries = SearchEntry.objects.filter(kind="competency").order_by("id")
    assert [e.title for e in entries] == [
        "1.1 Forklift safety",
        "1.2 Ladder safety",
        "2.1 Climbing",
    ]
    hits = search.search("safety", user=SYSTEM).hits
    assert [h.title for h in hits] == ["1.1 Forklift safety", "1.2 Ladder safety"]


def test_a_context_longer_than_its_column_is_cut_to_it():
    # A framework name of 200 characters and a competency name of 300: their key behavior's
    # context would be 524 characters, more than the 500 its column holds (on PostgreSQL the
    # write would fail).
    model = tree([CompetencyNode(code="1.1", name="R" * 300, behaviors=[BehaviorNode("Read")])])
    model.name = "N" * 200
    save_framework_tree(tree=model, where="test")

    entry = SearchEntry.objects.get(kind="behavior", body="Read")
    assert entry.context == ("N" * 200 + " › 1.1 " + "R" * 300)[:500]
    assert len(entry.context) == 500
