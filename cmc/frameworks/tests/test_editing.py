"""Item-by-item edits of a model: lineage on edit, optimistic locking, leave out and put back,
order, and who may do any of it."""

import pytest
from django.core.exceptions import PermissionDenied

from cmc.core.errors import Conflict, EditConflict, InvalidInput, Problem
from cmc.core.models import SearchEntry
from cmc.factories import UserFactory
from cmc.frameworks.models import Competency, Framework, KeyBehavior, LeftOut, Origin
from cmc.frameworks.services import editing

from .builders import MAY_EDIT, ROLES, behaviors_of, competency, state

pytestmark = pytest.mark.django_db

CONFLICT = (
    " was changed by someone else while you were editing it. Both texts are shown: copy what "
    "you need from yours and save again."
)


def lineage(item) -> tuple:
    return (item.origin, item.source_identifier, item.source_framework_id, item.source_version_id)


def first_behavior(framework: Framework, code: str = "1.1") -> KeyBehavior:
    return (
        competency(framework, code)
        .behaviors.select_related("competency__framework")
        .get(position=1)
    )


# Renaming a tier


def test_rename_tier_changes_the_name_and_bumps_the_revision(who, ours):
    tier = ours.tiers.get(number=1)

    renamed = editing.rename_tier(
        actor=who["owner"], tier=tier, name="  Personal skills ", revision=1
    )

    assert (renamed.name, renamed.revision) == ("Personal skills", 2)
    assert ours.tiers.get(number=1).name == "Personal skills"


def test_rename_tier_from_a_stale_revision_is_a_conflict_and_keeps_the_name(who, ours):
    tier = ours.tiers.get(number=1)
    editing.rename_tier(actor=who["owner"], tier=tier, name="Theirs", revision=1)
    before = state(ours)

    with pytest.raises(EditConflict) as conflict:
        editing.rename_tier(actor=who["org editor"], tier=tier, name="Mine", revision=1)

    assert str(conflict.value) == "Tier 1's name" + CONFLICT
    assert (conflict.value.current, conflict.value.yours) == ({"name": "Theirs"}, {"name": "Mine"})
    assert state(ours) == before


def test_an_empty_tier_name_is_refused(who, ours):
    with pytest.raises(InvalidInput) as refused:
        editing.rename_tier(actor=who["owner"], tier=ours.tiers.get(number=1), name=" ", revision=1)

    assert refused.value.problems == [
        Problem("tier 1", "tier name", "is empty; write it or leave the item out")
    ]


# Updating competencies and behaviors


def test_editing_a_copied_competency_makes_it_edited_and_keeps_its_lineage(who, ours):
    teamwork = competency(ours, "1.1")
    copied = lineage(teamwork)

    edited = editing.update_competency(
        actor=who["org editor"],
        competency=teamwork,
        name="Working Together",
        definition="  Working with the crew. ",
        revision=1,
    )

    assert (edited.name, edited.definition, edited.revision) == (
        "Working Together",
        "Working with the crew.",
        2,
    )
    assert lineage(competency(ours, "1.1")) == (Origin.EDITED, *copied[1:])
    assert SearchEntry.objects.get(
        scope_id=ours.pk, object_id=teamwork.pk, kind="competency"
    ).title == ("1.1 Working Together")


def test_saving_a_competency_unchanged_writes_nothing(who, ours):
    before = state(ours)

    editing.update_competency(
        actor=who["owner"],
        competency=competency(ours, "1.1"),
        name="Teamwork",
        definition="Working with others.",
        revision=1,
    )

    assert state(ours) == before


def test_an_added_competency_stays_added_when_edited(who, ours):
    added = editing.add_competency(actor=who["owner"], tier=ours.tiers.get(number=2), name="Math")

    edited = editing.update_competency(
        actor=who["owner"], competency=added, name="Mathematics", definition="", revision=1
    )

    assert (edited.origin, edited.revision) == (Origin.ADDED, 2)


def test_a_stale_competency_edit_is_a_conflict_carrying_both_texts(who, ours):
    teamwork = competency(ours, "1.1")
    editing.update_competency(
        actor=who["owner"], competency=teamwork, name="Theirs", definition="Their text.", revision=1
    )
    before = state(ours)

    with pytest.raises(EditConflict) as conflict:
        editing.update_competency(
            actor=who["org editor"],
            competency=teamwork,
            name="Mine",
            definition="My text.",
            revision=1,
        )

    assert str(conflict.value) == "Competency 1.1" + CONFLICT
    assert conflict.value.current == {"name": "Theirs", "definition": "Their text."}
    assert conflict.value.yours == {"name": "Mine", "definition": "My text."}
    assert state(ours) == before
    # Saving again from the revision now shown goes through.
    editing.update_competency(
        actor=who["org editor"], competency=teamwork, name="Mine", definition="", revision=2
    )
    assert (competency(ours, "1.1").name, competency(ours, "1.1").revision) == ("Mine", 3)


def test_editing_a_behavior_makes_it_edited_and_bumps_the_revision(who, ours):
    behavior = first_behavior(ours)
    copied = lineage(behavior)

    edited = editing.update_behavior(
        actor=who["owner"], behavior=behavior, title=" Sharing ", text="Sharing tools", revision=1
    )

    assert (edited.title, edited.text, edited.revision) == ("Sharing", "Sharing tools", 2)
    assert lineage(KeyBehavior.objects.get(pk=behavior.pk)) == (Origin.EDITED, *copied[1:])


def test_a_stale_behavior_edit_is_a_conflict_and_nothing_is_overwritten(who, ours):
    behavior = first_behavior(ours)
    editing.update_behavior(
        actor=who["owner"], behavior=behavior, title="", text="Their text", revision=1
    )
    before = state(ours)

    with pytest.raises(EditConflict) as conflict:
        editing.update_behavior(
            actor=who["org editor"], behavior=behavior, title="Mine", text="My text", revision=1
        )

    assert str(conflict.value) == "This key behavior" + CONFLICT
    assert conflict.value.current == {"title": "", "text": "Their text"}
    assert conflict.value.yours == {"title": "Mine", "text": "My text"}
    assert state(ours) == before


@pytest.mark.parametrize(
    ("title", "text", "problem"),
    [
        ("", " \x00 ", Problem("competency 1.1, behavior 1", "behavior text", "is empty; write it or leave the item out")),
        ("", "x" * 10_001, Problem("competency 1.1, behavior 1", "behavior text", "is longer than 10,000 characters")),
        ("t" * 301, "Fine", Problem("competency 1.1, behavior 1", "behavior title", "is longer than 300 characters")),
    ],
)  # fmt: skip
def test_bad_behavior_text_is_refused_and_nothing_changes(who, ours, title, text, problem):
    before = state(ours)

    with pytest.raises(InvalidInput) as refused:
        editing.update_behavior(
            actor=who["owner"], behavior=first_behavior(ours), title=title, text=text, revision=1
        )

    assert refused.value.problems == [problem]
    assert state(ours) == before


# Adding


def test_add_competency_takes_the_next_free_code_at_the_end_of_the_tier(who, ours):
    editing.leave_out_competency(actor=who["owner"], competency=competency(ours, "1.1"))

    added = editing.add_competency(
        actor=who["owner"], tier=ours.tiers.get(number=1), name=" Safety ", definition="Safe."
    )

    assert (added.code, added.position, added.name, added.definition) == (
        "1.3",
        3,
        "Safety",
        "Safe.",
    )
    assert lineage(added) == (Origin.ADDED, None, None, None)
    assert list(ours.competencies.filter(tier__number=1).values_list("code", "position")) == [
        ("1.2", 2),
        ("1.3", 3),
    ]


def test_add_behavior_puts_it_last_with_origin_added(who, ours):
    teamwork = competency(ours, "1.1")

    added = editing.add_behavior(
        actor=who["org editor"], competency=teamwork, text="Cleaning up", title="Tidy"
    )

    assert (added.position, added.title, added.text) == (3, "Tidy", "Cleaning up")
    assert lineage(added) == (Origin.ADDED, None, None, None)
    assert behaviors_of(teamwork) == [
        (1, "Sharing tools with the crew"),
        (2, "Asking for help early"),
        (3, "Cleaning up"),
    ]


# Leaving out and putting back


def test_a_behavior_left_out_is_recorded_and_put_back_in_its_place_with_its_lineage(who, ours):
    teamwork = competency(ours, "1.1")
    behavior = first_behavior(ours)
    copied = lineage(behavior)

    record = editing.leave_out_behavior(actor=who["owner"], behavior=behavior)

    assert behaviors_of(teamwork) == [(2, "Asking for help early")]
    assert (record.kind, record.competency, record.tier_number, record.label) == (
        LeftOut.ItemKind.BEHAVIOR,
        teamwork,
        1,
        "Sharing tools with the crew",
    )
    assert (record.source_identifier, record.source_framework_id) == copied[1:3]

    restored = editing.restore_behavior(actor=who["owner"], record=record)

    assert behaviors_of(teamwork) == [
        (1, "Sharing tools with the crew"),
        (3, "Asking for help early"),
    ]
    assert lineage(restored) == copied
    assert restored.identifier == behavior.identifier
    assert not LeftOut.objects.exists()


def test_an_edited_behavior_left_out_comes_back_edited(who, ours):
    # `behavior` is loaded before the edit: what is recorded is what the behavior says now.
    behavior = first_behavior(ours)
    editing.update_behavior(
        actor=who["owner"], behavior=behavior, title="Tools", text="Sharing tools", revision=1
    )

    record = editing.leave_out_behavior(actor=who["owner"], behavior=behavior)
    restored = editing.restore_behavior(actor=who["owner"], record=record)

    assert (restored.title, restored.text, restored.origin) == (
        "Tools",
        "Sharing tools",
        Origin.EDITED,
    )


def test_a_competency_left_out_comes_back_at_the_end_of_its_tier_with_its_behaviors(who, ours):
    teamwork = competency(ours, "1.1")
    copied = lineage(teamwork)
    behaviors = list(teamwork.behaviors.order_by("position"))

    record = editing.leave_out_competency(actor=who["owner"], competency=teamwork)

    assert list(ours.competencies.values_list("code", flat=True)) == ["1.2", "2.1"]
    assert (record.kind, record.tier_number, record.label) == ("competency", 1, "Teamwork")
    assert record.content["definition"] == "Working with others."

    restored = editing.restore_competency(actor=who["owner"], record=record)

    assert restored == Competency.objects.get(identifier=teamwork.identifier)
    assert (restored.code, restored.position) == ("1.3", 3)
    assert (restored.name, restored.definition) == ("Teamwork", "Working with others.")
    assert lineage(restored) == copied
    assert behaviors_of(restored) == [
        (1, "Sharing tools with the crew"),
        (2, "Asking for help early"),
    ]
    assert [(b.identifier, lineage(b)) for b in restored.behaviors.order_by("position")] == [
        (b.identifier, lineage(b)) for b in behaviors
    ]
    assert not LeftOut.objects.exists()


def test_a_competency_left_out_is_recorded_as_it_is_now(who, ours):
    teamwork = competency(ours, "1.1")
    editing.update_competency(
        actor=who["owner"], competency=teamwork, name="Crew work", definition="", revision=1
    )
    editing.update_behavior(
        actor=who["owner"], behavior=first_behavior(ours), title="", text="Tools", revision=1
    )

    record = editing.leave_out_competency(actor=who["owner"], competency=teamwork)

    assert (record.label, record.content["name"], record.content["origin"]) == (
        "Crew work",
        "Crew work",
        "edited",
    )
    assert [(b["text"], b["origin"]) for b in record.content["behaviors"]] == [
        ("Tools", "edited"),
        ("Asking for help early", "copied"),
    ]


def test_an_item_put_back_gets_a_new_identifier_if_its_own_was_taken_meanwhile(who, ours):
    behavior = first_behavior(ours)
    record = editing.leave_out_behavior(actor=who["owner"], behavior=behavior)
    taker = editing.add_behavior(actor=who["owner"], competency=competency(ours, "1.2"), text="T")
    KeyBehavior.objects.filter(pk=taker.pk).update(identifier=behavior.identifier)

    restored = editing.restore_behavior(actor=who["owner"], record=record)

    assert restored.identifier != behavior.identifier
    assert restored.text == "Sharing tools with the crew"


def test_a_competency_cannot_come_back_to_a_tier_that_is_gone(who, ours):
    record = editing.leave_out_competency(actor=who["owner"], competency=competency(ours, "2.1"))
    ours.tiers.filter(number=2).delete()

    with pytest.raises(Conflict, match="^Tier 2 is no longer in the model.$"):
        editing.restore_competency(actor=who["owner"], record=record)

    assert LeftOut.objects.get() == record


def test_include_all_behaviors_puts_every_one_back_in_its_place(who, ours):
    teamwork = competency(ours, "1.1")
    added = editing.add_behavior(
        actor=who["owner"], competency=teamwork, text="Keeping the bay tidy"
    )
    original = [text for _, text in behaviors_of(teamwork)]
    first, second, _ = teamwork.behaviors.order_by("position")
    editing.leave_out_behavior(actor=who["owner"], behavior=second)
    editing.leave_out_behavior(actor=who["owner"], behavior=first)
    assert behaviors_of(teamwork) == [(3, added.text)]

    assert editing.include_all_behaviors(actor=who["owner"], competency=teamwork) == 2

    assert [text for _, text in behaviors_of(teamwork)] == original
    assert not LeftOut.objects.exists()
    assert editing.include_all_behaviors(actor=who["owner"], competency=teamwork) == 0


def test_a_behavior_put_back_returns_after_the_one_it_followed(who, ours):
    teamwork = competency(ours, "1.1")
    editing.add_behavior(actor=who["owner"], competency=teamwork, text="Keeping the bay tidy")
    first, second, third = teamwork.behaviors.order_by("position")
    record = editing.leave_out_behavior(actor=who["owner"], behavior=second)
    editing.move_behavior(actor=who["owner"], behavior=third, offset=-1)

    editing.restore_behavior(actor=who["owner"], record=record)

    # The third moved above the first meanwhile; the second still follows the first.
    assert [text for _, text in behaviors_of(teamwork)] == [third.text, first.text, second.text]


# Order


def test_moving_a_competency_down_and_up_swaps_positions(who, ours):
    teamwork, integrity = competency(ours, "1.1"), competency(ours, "1.2")

    editing.move_competency(actor=who["owner"], competency=teamwork, offset=1)

    assert list(
        ours.competencies.filter(tier__number=1)
        .order_by("position")
        .values_list("code", "position")
    ) == [("1.2", 1), ("1.1", 2)]

    editing.move_competency(actor=who["owner"], competency=competency(ours, "1.1"), offset=-1)

    assert (competency(ours, "1.1").position, competency(ours, "1.2").position) == (1, 2)
    assert integrity.code == "1.2"


def test_moving_past_either_end_changes_nothing(who, ours):
    before = state(ours)

    editing.move_behavior(actor=who["owner"], behavior=first_behavior(ours), offset=-1)
    editing.move_competency(actor=who["owner"], competency=competency(ours, "1.2"), offset=1)

    assert state(ours) == before


def test_moving_a_behavior_twice_keeps_positions_unique(who, ours):
    teamwork = competency(ours, "1.1")
    behavior = editing.add_behavior(actor=who["owner"], competency=teamwork, text="Third")

    editing.move_behavior(actor=who["owner"], behavior=behavior, offset=-1)
    editing.move_behavior(actor=who["owner"], behavior=behavior, offset=-1)

    assert behaviors_of(teamwork) == [
        (1, "Third"),
        (2, "Sharing tools with the crew"),
        (3, "Asking for help early"),
    ]


def test_set_build_step_remembers_the_tier(who, ours):
    editing.set_build_step(actor=who["org editor"], framework=ours, tier_number=3)

    assert Framework.objects.get(pk=ours.pk).build_step == 3


# Who may edit


def _rename_tier(framework, actor):
    editing.rename_tier(actor=actor, tier=framework.tiers.get(number=1), name="New", revision=1)


def _update_competency(framework, actor):
    editing.update_competency(
        actor=actor, competency=competency(framework, "1.1"), name="N", definition="", revision=1
    )


def _update_behavior(framework, actor):
    editing.update_behavior(
        actor=actor, behavior=first_behavior(framework), title="", text="New", revision=1
    )


def _add_competency(framework, actor):
    editing.add_competency(actor=actor, tier=framework.tiers.get(number=1), name="New")


def _add_behavior(framework, actor):
    editing.add_behavior(actor=actor, competency=competency(framework, "1.1"), text="New")


def _leave_out_behavior(framework, actor):
    editing.leave_out_behavior(actor=actor, behavior=first_behavior(framework))


def _leave_out_competency(framework, actor):
    editing.leave_out_competency(actor=actor, competency=competency(framework, "1.1"))


def _restore_behavior(framework, actor):
    editing.restore_behavior(actor=actor, record=LeftOut.objects.get(kind="behavior"))


def _restore_competency(framework, actor):
    editing.restore_competency(actor=actor, record=LeftOut.objects.get(kind="competency"))


def _include_all(framework, actor):
    editing.include_all_behaviors(actor=actor, competency=competency(framework, "1.1"))


def _move_competency(framework, actor):
    editing.move_competency(actor=actor, competency=competency(framework, "1.1"), offset=1)


def _move_behavior(framework, actor):
    editing.move_behavior(actor=actor, behavior=first_behavior(framework), offset=1)


def _set_build_step(framework, actor):
    editing.set_build_step(actor=actor, framework=framework, tier_number=2)


EDITS = {
    "rename tier": _rename_tier,
    "update competency": _update_competency,
    "update behavior": _update_behavior,
    "add competency": _add_competency,
    "add behavior": _add_behavior,
    "leave out behavior": _leave_out_behavior,
    "leave out competency": _leave_out_competency,
    "restore behavior": _restore_behavior,
    "restore competency": _restore_competency,
    "include all behaviors": _include_all,
    "move competency": _move_competency,
    "move behavior": _move_behavior,
    "set build step": _set_build_step,
}


@pytest.fixture
def with_left_out(who, ours):
    """Our Welding with behavior 1.1/2 left out (and one added after it) and competency 2.1
    left out, by the owner."""
    teamwork = competency(ours, "1.1")
    editing.leave_out_behavior(actor=who["owner"], behavior=teamwork.behaviors.get(position=2))
    editing.add_behavior(actor=who["owner"], competency=teamwork, text="Cleaning up")
    editing.leave_out_competency(actor=who["owner"], competency=competency(ours, "2.1"))
    return ours


@pytest.mark.parametrize("edit", EDITS)
@pytest.mark.parametrize("role", ROLES)
def test_only_the_owner_and_organization_editors_may_edit(who, with_left_out, edit, role):
    before = state(with_left_out)

    if role in MAY_EDIT:
        EDITS[edit](with_left_out, who[role])
        assert state(with_left_out) != before
    else:
        with pytest.raises(
            PermissionDenied, match="^You may not change the framework 'our-welding'.$"
        ):
            EDITS[edit](with_left_out, who[role])
        assert state(with_left_out) == before


def test_nobody_but_the_owner_may_edit_a_private_model(who, ours):
    Framework.objects.filter(pk=ours.pk).update(visibility="private")
    before = state(ours)

    with pytest.raises(PermissionDenied):
        _update_competency(ours, who["org editor"])

    assert state(ours) == before
    _update_competency(ours, who["owner"])
    assert competency(ours, "1.1").name == "N"


def test_an_outsider_may_not_edit_even_a_public_model(who, ours):
    Framework.objects.filter(pk=ours.pk).update(visibility="public")
    before = state(ours)

    with pytest.raises(PermissionDenied):
        _add_behavior(ours, UserFactory())

    assert state(ours) == before


def test_behaviors_left_out_before_their_competency_come_back_with_it(reference):
    from cmc.factories import UserFactory
    from cmc.frameworks.models import Framework, LeftOut
    from cmc.frameworks.services import derive_framework, editing

    owner = UserFactory()
    model = derive_framework(
        actor=owner, sources=[Framework.objects.get(slug="building-blocks")], name="Ours"
    )
    competency = next(c for c in model.competencies.all() if c.behaviors.count() >= 2)
    first = competency.behaviors.order_by("position").first()
    editing.leave_out_behavior(actor=owner, behavior=first)
    record = editing.leave_out_competency(actor=owner, competency=competency)
    restored = editing.restore_competency(actor=owner, record=record)
    kept = LeftOut.objects.get(competency=restored)
    assert (kept.kind, kept.label, kept.content["identifier"]) == (
        "behavior",
        first.text,
        str(first.identifier),
    )
    back = editing.restore_behavior(actor=owner, record=kept)
    assert (back.identifier, back.text, back.origin) == (first.identifier, first.text, "copied")
