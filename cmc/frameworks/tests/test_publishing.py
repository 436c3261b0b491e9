"""Publishing immutable versions and moving a model through draft, approved and archived."""

import copy

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from cmc.core.actors import SYSTEM
from cmc.core.errors import Conflict, InvalidInput, Problem
from cmc.frameworks.models import Framework, FrameworkVersion, Status, StatusChange
from cmc.frameworks.selectors import document_with_lineage, latest_version
from cmc.frameworks.services import publish_version, set_status
from cmc.frameworks.services.editing import add_behavior, update_competency

from .builders import MAY_EDIT, ROLES, competency, state

pytestmark = pytest.mark.django_db


def teamwork_of(snapshot: dict) -> dict:
    return snapshot["framework"]["tiers"][0]["competencies"][0]


# Publishing


def test_publishing_freezes_the_model_with_number_date_author_and_note(who, ours):
    started = timezone.now()

    version = publish_version(framework=ours, actor=who["org editor"], note="  First cut.  ")

    version.refresh_from_db()
    assert (version.number, version.note, version.status, version.published_by) == (
        1,
        "First cut.",
        Status.DRAFT,
        who["org editor"],
    )
    assert started <= version.published_at <= timezone.now()
    assert version.snapshot == document_with_lineage(ours)
    assert version.snapshot["format"] == "cmc-framework"
    assert [t["number"] for t in version.snapshot["framework"]["tiers"]] == [1, 2]
    teamwork = teamwork_of(version.snapshot)
    assert (teamwork["code"], teamwork["name"], teamwork["definition"]) == (
        "1.1",
        "Teamwork",
        "Working with others.",
    )
    source = competency(Framework.objects.get(slug="welding"), "1.1")
    assert teamwork["lineage"] == {
        "origin": "copied",
        "source_identifier": str(source.identifier),
        "source_version": None,
        "merged_from": [],
    }
    assert [b["text"] for b in teamwork["behaviors"]] == [
        "Sharing tools with the crew",
        "Asking for help early",
    ]


def test_later_edits_leave_a_published_version_as_it_was(who, ours):
    version = publish_version(framework=ours, actor=who["owner"])
    frozen = copy.deepcopy(version.snapshot)

    update_competency(
        actor=who["owner"],
        competency=competency(ours, "1.1"),
        name="Working Together",
        definition="",
        revision=1,
    )
    add_behavior(actor=who["owner"], competency=competency(ours, "1.1"), text="Tidying up")

    assert FrameworkVersion.objects.get(pk=version.pk).snapshot == frozen
    second = publish_version(framework=ours, actor=who["owner"], note="Renamed")
    assert teamwork_of(second.snapshot)["name"] == "Working Together"
    assert [b["text"] for b in teamwork_of(second.snapshot)["behaviors"]][-1] == "Tidying up"
    assert teamwork_of(second.snapshot)["lineage"]["origin"] == "edited"
    assert FrameworkVersion.objects.get(pk=version.pk).snapshot == frozen


def test_version_numbers_increase_one_by_one(who, ours):
    numbers = [publish_version(framework=ours, actor=who["owner"]).number for _ in range(3)]

    assert numbers == [1, 2, 3]
    assert latest_version(ours).number == 3
    assert list(ours.versions.values_list("number", flat=True)) == [3, 2, 1]


def test_each_model_numbers_its_own_versions(who, ours):
    welding = Framework.objects.get(slug="welding")
    publish_version(framework=ours, actor=who["owner"])
    publish_version(framework=ours, actor=who["owner"])

    assert publish_version(framework=welding, actor=who["owner"]).number == 1


def test_a_version_records_the_status_the_model_had(who, ours):
    set_status(framework=ours, actor=who["owner"], status=Status.APPROVED)

    assert publish_version(framework=ours, actor=who["owner"]).status == Status.APPROVED


def test_the_system_publishes_without_an_author(ours):
    version = publish_version(framework=ours, actor=SYSTEM, note="Imported")

    assert (version.number, version.published_by) == (1, None)


def test_latest_version_of_a_model_never_published_is_none(ours):
    assert latest_version(ours) is None


@pytest.mark.parametrize("role", [r for r in ROLES if r != "nobody"])
def test_only_those_who_may_edit_publish(who, ours, role):
    before = state(ours)

    if role in MAY_EDIT:
        assert publish_version(framework=ours, actor=who[role]).published_by == who[role]
    else:
        with pytest.raises(
            PermissionDenied, match="^You may not change the framework 'our-welding'.$"
        ):
            publish_version(framework=ours, actor=who[role])
        assert state(ours) == before
        assert not FrameworkVersion.objects.filter(framework=ours).exists()


# Status


def test_a_model_goes_from_draft_to_approved_to_archived_with_each_change_recorded(who, ours):
    started = timezone.now()

    approved = set_status(framework=ours, actor=who["owner"], status=Status.APPROVED)
    archived = set_status(framework=ours, actor=who["org editor"], status=Status.ARCHIVED)

    assert Framework.objects.get(pk=ours.pk).status == Status.ARCHIVED
    assert [
        (change.from_status, change.to_status, change.changed_by)
        for change in StatusChange.objects.filter(framework=ours).order_by("id")
    ] == [
        (Status.DRAFT, Status.APPROVED, who["owner"]),
        (Status.APPROVED, Status.ARCHIVED, who["org editor"]),
    ]
    assert started <= approved.changed_at <= archived.changed_at <= timezone.now()


def test_an_archived_model_can_be_reopened_as_a_draft(who, ours):
    for status in (Status.APPROVED, Status.ARCHIVED, Status.DRAFT, Status.APPROVED, Status.DRAFT):
        set_status(framework=ours, actor=who["owner"], status=status)

    assert Framework.objects.get(pk=ours.pk).status == Status.DRAFT
    assert StatusChange.objects.filter(framework=ours).count() == 5


def test_a_status_change_marks_the_model_changed(who, ours):
    before = Framework.objects.get(pk=ours.pk).updated_at

    set_status(framework=ours, actor=who["owner"], status=Status.APPROVED)

    assert Framework.objects.get(pk=ours.pk).updated_at > before


@pytest.mark.parametrize(
    ("start", "status", "message"),
    [
        ([], "archived", "A draft framework cannot become archived."),
        ([], "draft", "The framework is draft already."),
        (["approved"], "approved", "The framework is approved already."),
        (["approved", "archived"], "approved", "An archived framework cannot become approved."),
    ],
)
def test_transitions_that_are_not_allowed_are_refused(who, ours, start, status, message):
    for step in start:
        set_status(framework=ours, actor=who["owner"], status=step)
    before = state(ours)

    with pytest.raises(Conflict) as refused:
        set_status(framework=ours, actor=who["owner"], status=status)

    assert str(refused.value) == message
    assert state(ours) == before


def test_a_status_that_does_not_exist_is_refused(who, ours):
    before = state(ours)

    with pytest.raises(InvalidInput) as refused:
        set_status(framework=ours, actor=who["owner"], status="published")

    assert refused.value.problems == [Problem("framework", "status", "'published' is not a status")]
    assert state(ours) == before


def test_the_system_may_change_the_status(ours):
    change = set_status(framework=ours, actor=SYSTEM, status=Status.APPROVED)

    assert (change.to_status, change.changed_by) == (Status.APPROVED, None)
    assert Framework.objects.get(pk=ours.pk).status == Status.APPROVED


@pytest.mark.parametrize("role", [r for r in ROLES if r != "nobody"])
def test_only_those_who_may_edit_change_the_status(who, ours, role):
    before = state(ours)

    if role in MAY_EDIT:
        set_status(framework=ours, actor=who[role], status=Status.APPROVED)
        assert Framework.objects.get(pk=ours.pk).status == Status.APPROVED
    else:
        with pytest.raises(
            PermissionDenied, match="^You may not change the framework 'our-welding'.$"
        ):
            set_status(framework=ours, actor=who[role], status=Status.APPROVED)
        assert state(ours) == before


# Checks other apps register (frameworks.publishing)


def test_a_registered_check_refuses_a_publication_and_nothing_is_written(who, ours):
    from cmc.frameworks import publishing

    seen = []

    def refuse(*, framework, actor):
        seen.append((framework.pk, actor))
        raise Conflict("Not on a Sunday.")

    publishing.register_check("sunday", refuse, order=99)
    try:
        with pytest.raises(Conflict) as error:
            publish_version(framework=ours, actor=who["owner"], note="x", status=Status.APPROVED)
        assert str(error.value) == "Not on a Sunday."
        assert seen == [(ours.pk, who["owner"])]
        assert FrameworkVersion.objects.filter(framework=ours).count() == 0
        assert Framework.objects.get(pk=ours.pk).status == Status.DRAFT
        assert StatusChange.objects.filter(framework=ours).count() == 0
    finally:
        publishing.unregister_check("sunday")
    version = publish_version(framework=ours, actor=who["owner"], status=Status.APPROVED)
    assert (version.number, version.status) == (1, Status.APPROVED)
    assert StatusChange.objects.filter(framework=ours).count() == 1


def test_after_hooks_run_in_order_once_the_version_is_frozen_with_their_own_choices(who, ours):
    from cmc.frameworks import publishing

    seen = []

    def first(*, framework, version, actor, colour="none"):
        # The version is written, in the transaction, when the hook runs.
        frozen = FrameworkVersion.objects.filter(pk=version.pk).exists()
        seen.append(("first", framework.pk, version.number, actor, colour, frozen))

    def second(*, framework, version, actor):
        seen.append(("second", framework.pk, version.number, actor))

    publishing.register_after("zz-first", first, order=1)
    publishing.register_after("aa-second", second, order=99)
    try:
        publish_version(framework=ours, actor=who["owner"])
        publish_version(framework=ours, actor=who["owner"], choices={"zz-first": {"colour": "red"}})
    finally:
        publishing.unregister_after("zz-first")
        publishing.unregister_after("aa-second")
    owner = who["owner"]
    assert seen == [
        ("first", ours.pk, 1, owner, "none", True), ("second", ours.pk, 1, owner),
        ("first", ours.pk, 2, owner, "red", True), ("second", ours.pk, 2, owner),
    ]  # fmt: skip
    publish_version(framework=ours, actor=who["owner"])
    assert len(seen) == 4


def test_an_after_hook_that_fails_takes_the_publication_back(who, ours):
    from cmc.frameworks import publishing

    def fail(*, framework, version, actor):
        raise Conflict("The record could not be kept.")

    publishing.register_after("fails", fail)
    try:
        with pytest.raises(Conflict) as error:
            publish_version(framework=ours, actor=who["owner"], status=Status.APPROVED)
        assert str(error.value) == "The record could not be kept."
        # Choices for a hook nobody registered are refused, and nothing is written either.
        with pytest.raises(ValueError) as mistake:
            publish_version(framework=ours, actor=who["owner"], choices={"fail": {}})
        assert str(mistake.value) == "No after-publication hook is named fail."
    finally:
        publishing.unregister_after("fails")
    assert FrameworkVersion.objects.filter(framework=ours).count() == 0
    assert Framework.objects.get(pk=ours.pk).status == Status.DRAFT
    assert StatusChange.objects.filter(framework=ours).count() == 0


def test_publishing_with_a_status_checks_the_move_before_writing(who, ours):
    with pytest.raises(Conflict) as error:
        publish_version(framework=ours, actor=who["owner"], status=Status.ARCHIVED)
    assert str(error.value) == "A draft framework cannot become archived."
    with pytest.raises(InvalidInput) as invalid:
        publish_version(framework=ours, actor=who["owner"], status="done")
    assert invalid.value.problems == [Problem("framework", "status", "'done' is not a status")]
    assert FrameworkVersion.objects.filter(framework=ours).count() == 0
    # The status it has already: published as it is.
    assert publish_version(framework=ours, actor=who["owner"], status=Status.DRAFT).number == 1
