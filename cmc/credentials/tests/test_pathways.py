"""Stackable pathways: the ordered stack, and what its credentials cover of a framework."""

import pytest
from django.core.exceptions import PermissionDenied

from cmc.core.actors import SYSTEM
from cmc.core.errors import InvalidInput, Problem
from cmc.credentials import selectors, services
from cmc.credentials.models import Step

from .conftest import MAY_CHANGE, ROLES


@pytest.fixture
def pathway(who, welding, credential):
    made = services.create_pathway(
        actor=who["owner"],
        data={"name": "Welding pathway", "framework": "welding", "visibility": "organization",
              "organization": "welders-guild"},
    )  # fmt: skip
    services.add_step(
        actor=who["owner"], pathway=made,
        data={"stage": "Foundational", "tier_from": "1", "education": "High School Diploma"},
    )  # fmt: skip
    services.add_step(
        actor=who["owner"], pathway=made,
        data={"stage": "Core", "credential": credential.slug, "tier_from": "1", "tier_to": "2",
              "career": "Welder"},
    )  # fmt: skip
    return made


def stack(pathway) -> list[str]:
    return [s.stage for s in pathway.steps.order_by("position")]


def test_steps_stack_in_order(pathway, credential):
    steps = list(pathway.steps.order_by("position"))
    assert [(s.position, s.stage, s.credential, s.tier_from, s.tier_to) for s in steps] == [
        (1, "Foundational", None, 1, 1),
        (2, "Core", credential, 1, 2),
    ]
    assert (steps[0].education, steps[1].career) == ("High School Diploma", "Welder")


def test_moving_and_removing_steps(pathway, who):
    first = pathway.steps.get(position=1)
    services.move_step(actor=who["owner"], step=first, offset=1)
    assert stack(pathway) == ["Core", "Foundational"]
    services.move_step(actor=who["owner"], step=first, offset=1)  # already on top
    assert stack(pathway) == ["Core", "Foundational"]
    services.remove_step(actor=who["owner"], step=pathway.steps.get(stage="Core"))
    assert [(s.position, s.stage) for s in pathway.steps.all()] == [(1, "Foundational")]


def test_a_bad_step_is_refused_whole(pathway, who):
    with pytest.raises(InvalidInput) as refused:
        services.add_step(
            actor=who["owner"], pathway=pathway,
            data={"credential": "nope", "tier_from": "2", "tier_to": "7"},
        )  # fmt: skip
    assert refused.value.problems == [
        Problem("step", "credential", "'nope' is not a credential you can see"),
        Problem("step", "tier_to", "must be a tier of Welding Model"),
    ]
    assert pathway.steps.count() == 2


def test_a_step_names_a_credential_or_a_stage(pathway, who):
    with pytest.raises(InvalidInput) as refused:
        services.add_step(actor=who["owner"], pathway=pathway, data={"tier_from": "1"})
    assert refused.value.problems == [
        Problem("step", "credential", "choose a credential or name the stage")
    ]


@pytest.mark.parametrize("role", ROLES)
def test_who_may_change_a_pathway(pathway, who, role):
    def add():
        services.add_step(actor=who[role], pathway=pathway, data={"stage": "Master"})

    if role in MAY_CHANGE:
        add()
        assert stack(pathway) == ["Foundational", "Core", "Master"]
    else:
        with pytest.raises(PermissionDenied):
            add()
        assert stack(pathway) == ["Foundational", "Core"]


def test_a_pathway_needs_a_framework_one_can_see(who):
    with pytest.raises(InvalidInput) as refused:
        services.create_pathway(actor=who["owner"], data={"name": "P", "framework": "secret"})
    assert refused.value.problems == [
        Problem("pathway", "framework", "'secret' is not a framework you can see")
    ]


def test_coverage_through_the_credentials_alignments(pathway, credential, welding, who):
    services.align_credential(
        actor=SYSTEM, credential=credential, framework=welding,
        competency=welding.competencies.get(code="1.1"),
    )  # fmt: skip
    services.align_credential(
        actor=SYSTEM, credential=credential, framework=welding, tier=welding.tiers.get(number=2)
    )
    found = selectors.coverage(pathway=pathway, reader=who["owner"])
    assert [(t.number, t.status, t.whole) for t in found.tiers] == [
        (1, "partly covered", []),
        (2, "covered", ["Certified Welder"]),
    ]
    rows = [(c.code, c.direct, c.through_tier) for t in found.tiers for c in t.competencies]
    assert rows == [
        ("1.1", ["Certified Welder"], []),
        ("1.2", [], []),
        ("2.1", [], ["Certified Welder"]),
    ]
    assert [c.code for c in found.gaps] == ["1.2"]
    assert (found.covered_count, found.competency_count) == (2, 3)


def test_a_credential_the_reader_cannot_see_covers_nothing_for_them(
    pathway, credential, welding, who
):
    services.align_credential(actor=SYSTEM, credential=credential, framework=welding,
                              tier=welding.tiers.get(number=1))  # fmt: skip
    services.update_pathway(actor=who["owner"], pathway=pathway, data={"visibility": "public"})
    found = selectors.coverage(pathway=pathway, reader=who["anonymous"])
    assert found.covered_count == 0
    steps = selectors.steps_of(pathway=pathway, reader=who["anonymous"])
    assert [(s.credential, s.credential_hidden) for s in steps] == [(None, False), (None, True)]


def test_the_coverage_picture_marks_covered_blocks_in_words(pathway, credential, welding, who):
    services.align_credential(
        actor=SYSTEM, credential=credential, framework=welding,
        competency=welding.competencies.get(code="1.2"),
    )  # fmt: skip
    picture = selectors.coverage_picture(selectors.coverage(pathway=pathway, reader=who["owner"]))
    assert picture.description == (
        "Tier 1: Personal Effectiveness: 1.1 Teamwork, 1.2 Integrity (covered); "
        "Tier 2: Academic: 2.1 Reading"
    )
    assert '<title id="coverage-pyramid-title">Welding pathway on Welding Model' in picture.svg
    assert picture.svg.count("pyramid-marked") == 1
    assert "<title>1.2 Integrity (tier 1, covered)</title>" in picture.svg
    assert picture.png(400)[:8] == b"\x89PNG\r\n\x1a\n"


def test_steps_keep_their_order_through_a_delete_and_an_add(pathway, who):
    services.remove_step(actor=who["owner"], step=pathway.steps.get(position=1))
    services.add_step(actor=who["owner"], pathway=pathway, data={"stage": "Top"})
    assert list(Step.objects.values_list("position", "stage")) == [(1, "Core"), (2, "Top")]
