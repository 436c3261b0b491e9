"""The development process: the guide's six steps read from the records, background
information, approvers and publication through the process, and the validation hook the
survey part plugs into."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import PermissionDenied

from cmc.core.errors import Conflict, InvalidInput
from cmc.frameworks.models import FrameworkVersion
from cmc.review.models import Approval, Approver, BackgroundItem, Publication, ReviewSchedule
from cmc.review.selectors import approvals, validation
from cmc.review.selectors import process as selectors
from cmc.review.services import process as services
from cmc.review.services import rounds

pytestmark = pytest.mark.django_db


def states(framework) -> list[tuple[int, str, str]]:
    return [(s.number, s.state, s.next) for s in selectors.process_steps(framework)]


def test_the_six_steps_in_the_guides_words(ours):
    steps = selectors.process_steps(ours)
    assert [s.name for s in steps] == [
        "Conduct research: gather and analyze background information",
        "Develop draft competency model framework",
        "Gather feedback from industry representatives",
        "Refine the competency model framework",
        "Validate the competency model framework",
        "Finalize the model framework",
    ]
    assert [(s.number, s.state) for s in steps] == [
        (1, "not started"), (2, "done"), (3, "not started"), (4, "not started"),
        (5, "not started"), (6, "not started"),
    ]  # fmt: skip
    assert steps[1].done == ["3 competencies in the draft", "version 1 published"]
    assert steps[1].by == ["olga"]
    assert steps[2].next == "Open a review round and invite subject matter experts."
    assert selectors.next_step(steps).number == 1


def test_background_items_make_step_one(ours, who, settings):
    services.add_link(
        framework=ours,
        actor=who["owner"],
        url="https://www.onetonline.org/link/summary/51-4121.06",
        title="Welders, O*NET",
    )
    services.add_occupation(
        framework=ours,
        actor=who["org editor"],
        code="51-4121.06",
        title="Welders, Cutters, and Welder Fitters",
    )
    services.add_document(
        framework=ours,
        actor=who["owner"],
        name="standard.pdf",
        data=b"%PDF-1.4 x",
        content_type="application/pdf",
    )
    step = selectors.process_steps(ours)[0]
    assert (step.state, step.done, step.by) == (
        "done",
        ["1 link", "1 O*NET occupation", "1 document"],
        ["ed", "olga"],
    )
    assert BackgroundItem.objects.get(kind="document").size == 10


def test_background_input_is_checked(ours, who, settings):
    settings.CMC_BACKGROUND_MAX_BYTES = 5
    cases = [
        (lambda: services.add_link(framework=ours, actor=who["owner"], url="ftp://x"), "url", "'ftp://x' is not a web address (http:// or https://)"),
        (lambda: services.add_occupation(framework=ours, actor=who["owner"], code="welder", title="W"), "occupation code", "'welder' is not an O*NET-SOC code such as 47-2111.00"),
        (lambda: services.add_document(framework=ours, actor=who["owner"], name="big.pdf", data=b"123456"), "file", "is 6 bytes, larger than the 5 bytes limit; attach a smaller file, or link to it instead"),
        (lambda: services.add_model(framework=ours, actor=who["owner"], model=ours), "model", "is this model itself"),
    ]  # fmt: skip
    for call, field, message in cases:
        with pytest.raises(InvalidInput) as error:
            call()
        assert (error.value.problems[0].field, error.value.problems[0].message) == (field, message)
    assert BackgroundItem.objects.count() == 0


@pytest.mark.parametrize("role", ["org viewer", "outsider", "anonymous"])
def test_only_editors_add_background(ours, who, role):
    with pytest.raises(PermissionDenied):
        services.add_link(framework=ours, actor=who[role], url="https://example.org")
    assert BackgroundItem.objects.count() == 0


@pytest.mark.parametrize(
    "role,allowed",
    [("owner", True), ("org editor", False), ("org viewer", False), ("outsider", False)],
)
def test_the_managers_choose_the_approvers(ours, who, role, allowed):
    if allowed:
        services.designate_approver(framework=ours, actor=who[role], username="vic")
        assert list(Approver.objects.values_list("user__username", flat=True)) == ["vic"]
        return
    with pytest.raises(PermissionDenied):
        services.designate_approver(framework=ours, actor=who[role], username="vic")
    assert Approver.objects.count() == 0


def test_publishing_waits_for_every_approver(ours, who):
    with pytest.raises(Conflict) as error:
        services.publish(framework=ours, actor=who["owner"])
    assert str(error.value).startswith("Designate at least one approver")
    services.designate_approver(framework=ours, actor=who["owner"], username="vic")
    services.designate_approver(framework=ours, actor=who["owner"], username="ed")
    services.approve(framework=ours, actor=who["org viewer"], note="Reads well")
    with pytest.raises(Conflict) as error:
        services.publish(framework=ours, actor=who["owner"])
    assert str(error.value) == (
        "This model has designated approvers: 1 of 2 has not approved the current draft "
        "(waiting for ed)."
    )
    assert FrameworkVersion.objects.filter(framework=ours).count() == 1


def test_only_approvers_approve_and_only_once(ours, who):
    with pytest.raises(PermissionDenied):
        services.approve(framework=ours, actor=who["org editor"])
    services.designate_approver(framework=ours, actor=who["owner"], username="vic")
    services.approve(framework=ours, actor=who["org viewer"])
    with pytest.raises(Conflict):
        services.approve(framework=ours, actor=who["org viewer"])
    assert Approval.objects.count() == 1


def test_publishing_records_the_round_and_validation_that_support_it(ours, who):
    opened = rounds.open_round(framework=ours, actor=who["owner"], reviewers=["a@example.org"])
    rounds.close_round(review_round=opened.round, actor=who["owner"])
    services.designate_approver(framework=ours, actor=who["owner"], username="vic")
    services.approve(framework=ours, actor=who["org viewer"])
    publication = services.publish(framework=ours, actor=who["org editor"], note="after review")
    assert (publication.version.number, publication.round, publication.published_by) == (
        2,
        opened.round,
        who["org editor"],
    )
    assert publication.validation == {
        "done": False,
        "by": [],
        "when": None,
        "summary": "not started",
        "employers": None,
        "reference": "",
    }
    assert list(Approval.objects.values_list("publication", flat=True)) == [publication.pk]
    assert ReviewSchedule.objects.filter(framework=ours).count() == 1
    step = selectors.process_steps(ours)[5]
    assert (step.state, step.done[0]) == ("done", "version 2 published after approval")
    # The next publication needs new approvals.
    with pytest.raises(Conflict):
        services.publish(framework=ours, actor=who["owner"])
    assert Publication.objects.count() == 1


def test_the_validation_hook_answers_for_step_five_and_the_public_page(ours, who, client):
    when = datetime(2031, 3, 4, 12, tzinfo=UTC)
    state = validation.ValidationState(done=True, started=True, by=("Survey team",), when=when,
                                       summary="survey closed: 41 responses", employers=37,
                                       reference="survey 3")  # fmt: skip
    validation.provide_validation(lambda framework: state)
    try:
        step = selectors.process_steps(ours)[4]
        assert (step.state, step.done, step.by, step.next) == (
            "done",
            ["survey closed: 41 responses"],
            ["Survey team"],
            "",
        )
        services.designate_approver(framework=ours, actor=who["owner"], username="vic")
        services.approve(framework=ours, actor=who["org viewer"])
        publication = services.publish(framework=ours, actor=who["owner"])
        assert publication.validation["employers"] == 37
        from cmc.frameworks.models import Framework

        Framework.objects.filter(pk=ours.pk).update(visibility="public")
        page = client.get(f"/frameworks/{ours.slug}/").content.decode()
        assert "Validated with 37 employers on March 4, 2031 (version 2)." in page
    finally:
        validation._validation.clear()
    assert validation.validation_state(ours) == validation.NOT_STARTED


def test_the_survey_part_may_answer_with_a_dict_or_its_own_module(ours, monkeypatch):
    import types

    when = datetime(2031, 5, 6, tzinfo=UTC)
    validation.provide_validation(
        lambda framework: {"done": True, "by": ["Jo"], "when": when, "employers": 12}
    )
    try:
        assert validation.validation_state(ours) == validation.ValidationState(
            done=True, started=True, by=("Jo",), when=when, summary="done", employers=12
        )
    finally:
        validation._validation.clear()
    module = types.ModuleType("cmc.review.selectors.surveys")
    module.validation_state = lambda framework: types.SimpleNamespace(
        done=False, started=True, by="Ann", when=None
    )
    monkeypatch.setattr("cmc.review.selectors.surveys.validation_state", module.validation_state)
    state = validation.validation_state(ours)
    assert (state.done, state.started, state.by, state.summary) == (
        False,
        True,
        ("Ann",),
        "under way",
    )
    assert selectors.process_steps(ours)[4].state == "under way"


def test_an_approval_of_an_earlier_draft_does_not_count(ours, who):
    from cmc.frameworks.services import update_competency

    from .conftest import competency

    services.designate_approver(framework=ours, actor=who["owner"], username="vic")
    services.approve(framework=ours, actor=who["org viewer"])
    item = competency(ours, "1.2")
    update_competency(
        actor=who["owner"], competency=item, name="Honesty", definition="", revision=item.revision
    )  # noqa: E501
    with pytest.raises(Conflict) as error:
        services.publish(framework=ours, actor=who["owner"])
    assert str(error.value) == (
        "This model has designated approvers: 1 of 1 has not approved the current draft "
        "(the draft changed since vic approved it)."
    )
    assert [a["current"] for a in approvals.approvers(ours)] == [False]
    services.approve(framework=ours, actor=who["org viewer"], note="again")
    assert services.publish(framework=ours, actor=who["owner"]).version.number == 2
    assert list(Approval.objects.values_list("note", flat=True)) == ["again"]
