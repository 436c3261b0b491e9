"""What changed between two versions, a version and the draft, or a derived model and its source."""

import pytest
from django.http import Http404

from cmc.core.actors import SYSTEM
from cmc.factories import UserFactory, loaded, welding_tree
from cmc.frameworks.diffs import (
    Change,
    compare,
    default_before,
    resolve_side,
    side_for_reference,
    word_diff,
)
from cmc.frameworks.models import Framework
from cmc.frameworks.services import derive_framework, editing, publish_version, save_framework_tree

from .builders import competency

pytestmark = pytest.mark.django_db

NOTHING = {"added": 0, "removed": 0, "moved": 0, "edited": 0}


def diff(framework: Framework, before: str, after: str = "draft", user=SYSTEM):
    return compare(
        resolve_side(user=user, slug=framework.slug, ref=before),
        resolve_side(user=user, slug=framework.slug, ref=after),
    )


def behavior(framework: Framework, code: str, position: int):
    return competency(framework, code).behaviors.get(position=position)


def make_edits(owner, framework: Framework) -> None:
    """One of each kind of change: renamed tier, edited, moved, added and left-out items."""
    editing.rename_tier(
        actor=owner, tier=framework.tiers.get(number=1), name="Personal skills", revision=1
    )
    editing.update_competency(
        actor=owner,
        competency=competency(framework, "1.1"),
        name="Working Together",
        definition="Working with others.",
        revision=1,
    )
    editing.update_behavior(
        actor=owner,
        behavior=behavior(framework, "1.1", 1),
        title="",
        text="Sharing hand tools with the crew",
        revision=1,
    )
    editing.leave_out_behavior(actor=owner, behavior=behavior(framework, "1.1", 2))
    editing.add_behavior(actor=owner, competency=competency(framework, "1.2"), text="Owning up")
    editing.move_competency(actor=owner, competency=competency(framework, "1.2"), offset=-1)
    editing.leave_out_competency(actor=owner, competency=competency(framework, "2.1"))
    editing.add_competency(actor=owner, tier=framework.tiers.get(number=2), name="Writing")


EXPECTED = [
    Change(
        "tier", "edited", "Tier 1", "", "",
        {"name": [("equal", "Personal "), ("delete", "Effectiveness"), ("insert", "skills")]},
    ),
    Change("competency", "added", "Writing", place_after="Tier 2"),
    Change(
        "competency", "edited", "Working Together", "Tier 1", "Tier 1",
        {"name": [("delete", "Teamwork"), ("insert", "Working Together")]},
    ),
    Change("competency", "moved", "Integrity", "Tier 1, position 2", "Tier 1, position 1"),
    Change("competency", "removed", "Reading", place_before="Tier 2"),
    Change("behavior", "added", "Owning up", place_after="Integrity"),
    Change(
        "behavior", "edited", "Sharing hand tools with the crew", "Teamwork", "Working Together",
        {"text": [("equal", "Sharing"), ("insert", " hand"), ("equal", " tools with the crew")]},
    ),
    Change("behavior", "removed", "Asking", place_before="Teamwork"),
    Change("behavior", "removed", "Reading weld procedure specifications", place_before="Reading"),
]  # fmt: skip


# A derived model and its source


def test_a_model_just_derived_is_the_same_as_its_source(ours):
    result = diff(ours, "source:welding")

    assert (result.before, result.after) == ("Welding Model (current)", "Our Welding (current)")
    assert (result.changes, result.summary) == ([], NOTHING)


def test_every_kind_of_change_from_the_source_is_shown(who, ours):
    make_edits(who["owner"], ours)

    result = diff(ours, "source:welding")

    assert result.changes == EXPECTED
    assert result.summary == {"added": 2, "removed": 3, "moved": 1, "edited": 3}
    assert result.count("removed") == 3


def test_a_source_that_was_published_is_compared_as_its_version(who):
    owner = who["owner"]
    save_framework_tree(tree=welding_tree(), where="test", actor=owner, visibility="public")
    welding = Framework.objects.get(slug="welding")
    publish_version(framework=welding, actor=owner)
    ours = derive_framework(actor=owner, sources=[welding], name="Our Welding")
    # Changes to the source after the version was taken are not the derived model's changes.
    editing.update_competency(
        actor=owner, competency=competency(welding, "2.1"), name="Reading, again", definition="",
        revision=1,
    )  # fmt: skip
    editing.add_behavior(actor=owner, competency=competency(ours, "2.1"), text="Reading charts")

    result = diff(ours, "source:welding")

    assert result.before == "Welding Model version 1"
    assert result.changes == [Change("behavior", "added", "Reading charts", place_after="Reading")]


def test_a_blended_model_shows_the_other_sources_items_as_added(who):
    owner = who["owner"]
    save_framework_tree(tree=welding_tree(), where="test", actor=owner, visibility="public")
    save_framework_tree(
        tree=welding_tree(name="Cutting Model", slug="cutting"),
        where="test",
        actor=owner,
        visibility="public",
    )
    Framework.objects.get(slug="cutting").competencies.filter(code="2.1").update(name="Drawing")
    blended = derive_framework(
        actor=owner,
        sources=[Framework.objects.get(slug="welding"), Framework.objects.get(slug="cutting")],
        name="Blend",
    )

    assert diff(blended, "source:welding").changes == [
        Change("competency", "added", "Drawing", place_after="Tier 2"),
        Change("behavior", "added", "Reading weld procedure specifications", place_after="Drawing"),
    ]


def test_the_building_blocks_and_a_model_derived_from_them(reference):
    user = UserFactory()
    ours = derive_framework(actor=user, sources=[loaded("building-blocks")], name="Our blocks")
    editing.leave_out_competency(actor=user, competency=competency(ours, "9.15"))
    teamwork = competency(ours, "3.1")
    editing.update_competency(
        actor=user,
        competency=teamwork,
        name="Teamwork",
        definition="Working cooperatively with others to complete assignments.",
        revision=1,
    )

    result = diff(ours, "source:building-blocks")

    assert result.before == "Building Blocks Competency Model version 2015"
    assert [(c.kind, c.change, c.label) for c in result.changes] == [
        ("competency", "edited", "Teamwork"),
        ("competency", "removed", "Entrepreneurship"),
        ("behavior", "removed", "Thinking innovatively"),
        ("behavior", "removed", "Influencing decision makers"),
        ("behavior", "removed", "Encouraging entrepreneurial activity"),
        ("behavior", "removed", "Championing great ideas"),
        ("behavior", "removed", "Rewarding innovation"),
    ]
    assert result.changes[0].fields == {
        "definition": [
            ("equal", "Working cooperatively with others to complete "),
            ("delete", "work "),
            ("equal", "assignments."),
        ]
    }
    assert (result.changes[1].place_before, result.changes[2].place_before) == (
        "Tier 9",
        "Entrepreneurship",
    )


# Versions and the draft


def test_two_versions_of_a_model(who, ours):
    publish_version(framework=ours, actor=who["owner"])
    make_edits(who["owner"], ours)
    publish_version(framework=ours, actor=who["owner"])

    result = diff(ours, "1", "2")

    assert (result.before, result.after) == ("Our Welding version 1", "Our Welding version 2")
    assert result.changes == EXPECTED


def test_a_version_and_the_draft(who, ours):
    publish_version(framework=ours, actor=who["owner"])
    assert diff(ours, "1").changes == []

    editing.move_behavior(actor=who["owner"], behavior=behavior(ours, "1.1", 2), offset=-1)

    result = diff(ours, "1", "draft")
    assert result.after == "Our Welding (current)"
    assert result.changes == [
        Change("behavior", "moved", "Asking", "Teamwork, position 2", "Teamwork, position 1")
    ]


def test_a_newer_version_compared_with_an_older_shows_the_changes_reversed(who, ours):
    publish_version(framework=ours, actor=who["owner"])
    editing.add_behavior(actor=who["owner"], competency=competency(ours, "1.2"), text="Owning up")
    publish_version(framework=ours, actor=who["owner"])

    assert diff(ours, "2", "1").changes == [
        Change("behavior", "removed", "Owning up", place_before="Integrity")
    ]


def test_default_before_is_the_latest_version_else_the_first_source(who, ours):
    assert default_before(ours) == "source:welding"
    publish_version(framework=ours, actor=who["owner"])
    publish_version(framework=ours, actor=who["owner"])
    assert default_before(ours) == "2"
    with pytest.raises(Http404, match="^This framework has no version and no source"):
        default_before(Framework.objects.get(slug="welding"))


# Naming the sides


@pytest.mark.parametrize(
    ("slug", "ref", "message"),
    [
        ("nope", "draft", "No framework 'nope'."),
        ("our-welding", "latest", "'latest' is not a version: use a number, 'draft' or 'source:SLUG'."),
        ("our-welding", "7", "Our Welding has no version 7."),
        ("our-welding", "source:building-blocks", "Our Welding was not built from 'building-blocks'."),
    ],
)  # fmt: skip
def test_sides_that_do_not_exist_are_404_with_a_reason(who, ours, slug, ref, message):
    with pytest.raises(Http404) as missing:
        resolve_side(user=who["owner"], slug=slug, ref=ref)

    assert str(missing.value) == message


def test_a_model_someone_may_not_see_is_not_found(who):
    save_framework_tree(tree=welding_tree(), where="test", actor=who["owner"])

    with pytest.raises(Http404, match="^No framework 'welding'.$"):
        resolve_side(user=who["outsider"], slug="welding", ref="draft")
    assert resolve_side(user=SYSTEM, slug="welding", ref="draft").label == (
        "Welding Model (current)"
    )


def test_a_private_source_stays_hidden_from_members_who_see_the_derived_model(who, ours):
    Framework.objects.filter(slug="welding").update(visibility="private")

    assert resolve_side(user=who["org viewer"], slug="our-welding", ref="draft").label == (
        "Our Welding (current)"
    )
    with pytest.raises(Http404, match="^No such framework.$"):
        resolve_side(user=who["org viewer"], slug="our-welding", ref="source:welding")
    assert resolve_side(user=who["owner"], slug="our-welding", ref="source:welding").label == (
        "Welding Model (current)"
    )


def test_an_empty_ref_is_the_draft(who, ours):
    assert resolve_side(user=who["owner"], slug="our-welding", ref=" ").label == (
        "Our Welding (current)"
    )


def test_command_line_references_name_a_version_the_draft_or_the_source_taken(who, ours):
    publish_version(framework=ours, actor=who["owner"])

    assert side_for_reference("our-welding@1").label == "Our Welding version 1"
    assert side_for_reference("our-welding@draft").label == "Our Welding (current)"
    assert side_for_reference("our-welding").label == "Our Welding (current)"
    # A bare source slug means the state of it that the other side was built from.
    source = side_for_reference("welding", "our-welding@1")
    assert (source.label, source.framework_identifier) == (
        "Welding Model (current)",
        str(Framework.objects.get(slug="welding").identifier),
    )
    assert side_for_reference("welding@draft", "our-welding").label == "Welding Model (current)"


# Word by word


@pytest.mark.parametrize(
    ("before", "after", "runs"),
    [
        ("Same words", "Same words", [("equal", "Same words")]),
        ("", "New text", [("insert", "New text")]),
        ("Old text", "", [("delete", "Old text")]),
        (
            "Working with others.",
            "Working well with others",
            [
                ("equal", "Working"),
                ("insert", " well"),
                ("equal", " with "),
                ("delete", "others."),
                ("insert", "others"),
            ],
        ),
        ("a  b", "a b", [("equal", "a"), ("delete", "  "), ("insert", " "), ("equal", "b")]),
        ("Café crème", "Café noir", [("equal", "Café "), ("delete", "crème"), ("insert", "noir")]),
    ],
)
def test_word_diff(before, after, runs):
    assert word_diff(before, after) == runs
    assert "".join(t for op, t in runs if op != "insert") == before
    assert "".join(t for op, t in runs if op != "delete") == after


def test_a_blend_compared_with_its_second_source_matches_the_merged_items(reference):
    from cmc.factories import UserFactory
    from cmc.frameworks.diffs import compare, resolve_side
    from cmc.frameworks.models import Competency, Framework
    from cmc.frameworks.services import derive_framework

    owner = UserFactory()
    sources = [Framework.objects.get(slug=s) for s in ("building-blocks", "advanced-manufacturing")]
    blend = derive_framework(actor=owner, sources=sources, name="Blend")
    merged = Competency.objects.filter(framework=blend).exclude(merged_from=[])
    assert merged.exists()
    second = compare(
        resolve_side(user=owner, slug=blend.slug, ref="source:advanced-manufacturing"),
        resolve_side(user=owner, slug=blend.slug, ref="draft"),
    )
    removed = {c.label for c in second.changes if c.change == "removed" and c.kind == "competency"}
    assert not removed & {c.name for c in merged}
    assert second.count("removed") == 0
