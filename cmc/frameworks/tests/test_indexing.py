"""The search entries of a framework: each key behavior's entry names its own competency."""

import pytest

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
