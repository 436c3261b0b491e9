"""Every door that publishes a model leaves the same history in the review app: a model with
designated approvers gets one publication, with its approvals, the latest closed round and
survey that support it, and a review schedule, whether it was published from the versions
page, the API, `cmc publish`, the service or the process page; the model's page then says
what validated it. A model without approvers is not published through the process: its
versions stand alone, from every door."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.template.defaultfilters import date as date_filter

from cmc.accounts.services import create_api_token
from cmc.frameworks import panels
from cmc.frameworks.models import FrameworkVersion
from cmc.frameworks.services import publish_version
from cmc.review.models import Approval, Publication, ReviewRound, ReviewSchedule
from cmc.review.selectors import process as selectors
from cmc.review.selectors.surveys import day, validated_statement
from cmc.review.services import process, rounds
from cmc.review.services.surveys import close_survey, open_survey, save_response

from .survey_builders import behaviors, opened, token_of

pytestmark = pytest.mark.django_db


def bearer(user) -> dict:
    _, raw = create_api_token(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def by_service(client, framework, who):
    publish_version(framework=framework, actor=who["owner"], note="after validation")


def by_versions_page(client, framework, who):
    client.force_login(who["owner"])
    answer = client.post(
        f"/frameworks/{framework.slug}/versions/publish", {"note": "after validation"}
    )
    assert answer.status_code == 302


def by_api(client, framework, who):
    answer = client.post(
        f"/api/v1/frameworks/{framework.slug}/versions",
        {"note": "after validation"},
        content_type="application/json",
        **bearer(who["owner"]),
    )
    assert answer.status_code == 201


def by_command(client, framework, who):
    out = StringIO()
    call_command("publish", framework.slug, "--note", "after validation", "--as", "olga",
                 stdout=out)  # fmt: skip
    assert out.getvalue() == "Published Our Welding version 2 (draft)\n"


def by_process_page(client, framework, who):
    client.force_login(who["owner"])
    answer = client.post(
        f"/frameworks/{framework.slug}/process/publish", {"note": "after validation"}
    )
    assert answer.status_code == 302


DOORS = {
    "service": by_service,
    "versions page": by_versions_page,
    "api": by_api,
    "command": by_command,
    "process page": by_process_page,
}


@pytest.fixture
def supported(ours, who):
    """Our Welding (version 1) with an earlier and a later closed round, an open one, and a
    closed survey of version 1 answered by two employers and a worker: (framework, the later
    closed round, the survey)."""
    for title in ("Spring review", "Summer review"):
        opened_round = rounds.open_round(
            framework=ours, actor=who["owner"], reviewers=["a@example.org"], title=title
        )
        rounds.close_round(review_round=opened_round.round, actor=who["owner"])
    rounds.open_round(framework=ours, actor=who["owner"], reviewers=["b@example.org"])
    framework, survey, tokens = opened(who, framework=ours)
    for email, role in [("ann", "Employer"), ("bob", "Employer"), ("cy", "Worker")]:
        save_response(
            token=tokens[f"{email}@example.org"], group={"role": role},
            ratings=[{"behavior": b, "importance": 4} for b in behaviors(survey)],
        )  # fmt: skip
    survey = close_survey(survey=survey, actor=who["owner"])
    return framework, ReviewRound.objects.get(title="Summer review"), survey


def approved(framework, who):
    process.designate_approver(framework=framework, actor=who["owner"], username="vic")
    process.designate_approver(framework=framework, actor=who["owner"], username="ed")
    process.approve(framework=framework, actor=who["org viewer"], note="Reads well")
    process.approve(framework=framework, actor=who["org editor"])
    return framework


def on(moment) -> str:
    """A moment as the process page shows it (in the site's time zone)."""
    return date_filter(moment, "F j, Y")


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.mark.parametrize("door", DOORS)
def test_every_door_records_one_publication_with_its_approvals_and_support(
    door, client, supported, who, django_capture_on_commit_callbacks
):
    framework, summer, survey = supported
    approved(framework, who)
    stamp = panels.stamp(framework)
    with django_capture_on_commit_callbacks(execute=True):
        DOORS[door](client, framework, who)
    publication = Publication.objects.select_related("version").get()
    assert (publication.version.number, publication.version.note) == (2, "after validation")
    assert (publication.round, publication.survey, publication.published_by) == (
        summer,
        survey,
        who["owner"],
    )
    assert publication.validation == {
        "done": True, "by": [], "when": survey.closed_at.isoformat(),
        "summary": "closed, 3 respondents", "employers": 2,
        "reference": f"validation survey {survey.pk}",
    }  # fmt: skip
    assert sorted(Approval.objects.values_list("approver__username", "publication")) == [
        ("ed", publication.pk),
        ("vic", publication.pk),
    ]
    assert ReviewSchedule.objects.filter(framework=framework).count() == 1
    assert panels.stamp(framework) == stamp + 1
    step = selectors.process_steps(framework)[5]
    assert (step.state, step.done) == ("done", ["version 2 published after approval"])
    assert step.next == "Wait for every designated approver to approve the draft, then publish."
    # The model's page says what validated the version now published (version 2), though
    # the survey was of version 1: the publication recorded it as its support.
    statement = f"Validated with 2 employers on {day(survey.closed_at)}"
    assert validated_statement(framework) == statement
    client.force_login(who["org viewer"])
    assert f'<p class="validated">{statement}.</p>' in text(client.get("/frameworks/our-welding/"))
    assert (
        f"Last published after approval: version 2, {on(publication.published_at)}, after "
        f"“Summer review”, validated by the survey of version 1 closed {on(survey.closed_at)}.</p>"
    ) in text(client.get("/frameworks/our-welding/process/"))


@pytest.mark.parametrize("door", [d for d in DOORS if d != "process page"])
def test_without_approvers_every_door_publishes_a_version_and_no_publication(
    door, client, supported, who
):
    framework, summer, survey = supported
    DOORS[door](client, framework, who)
    numbers = FrameworkVersion.objects.filter(framework=framework).values_list("number", flat=True)
    assert sorted(numbers) == [1, 2]
    assert Publication.objects.count() == 0
    assert ReviewSchedule.objects.filter(framework=framework).count() == 0
    step = selectors.process_steps(framework)[5]
    assert (step.state, step.next) == (
        "not started",
        "Designate the people who approve the model before it is published.",
    )
    # Nothing supports version 2: the survey was of version 1.
    assert validated_statement(framework) is None


def test_without_approvers_the_process_page_refuses_and_writes_nothing(client, supported, who):
    framework, _, _ = supported
    client.force_login(who["owner"])
    answer = client.post(f"/frameworks/{framework.slug}/process/publish", {"note": "v2"})
    assert answer.status_code == 409
    assert "Designate at least one approver, and have them approve the draft" in text(answer)
    assert FrameworkVersion.objects.filter(framework=framework).count() == 1
    assert Publication.objects.count() == 0


def test_the_process_publish_records_once_with_the_round_it_names(supported, who):
    framework, summer, survey = supported
    approved(framework, who)
    spring = ReviewRound.objects.get(title="Spring review")
    publication = process.publish(framework=framework, actor=who["org editor"], round=spring)
    assert Publication.objects.get() == publication
    assert (publication.version.number, publication.round, publication.survey) == (
        2,
        spring,
        survey,
    )
    assert Approval.objects.filter(publication=publication).count() == 2
    # The next publication, from any door, takes new approvals and records a new publication.
    process.approve(framework=framework, actor=who["org viewer"])
    process.approve(framework=framework, actor=who["org editor"], note="Still good")
    version = publish_version(framework=framework, actor=who["owner"])
    second = Publication.objects.get(version=version)
    assert (version.number, second.round, second.survey) == (3, summer, survey)
    assert list(second.approvals.order_by("approver__username").values_list("note", flat=True)) == [
        "Still good",
        "",
    ]
    assert Publication.objects.count() == 2


def test_a_survey_of_the_published_version_itself_speaks_after_the_support(
    supported, who, django_capture_on_commit_callbacks
):
    framework, _, first = supported
    approved(framework, who)
    publish_version(framework=framework, actor=who["owner"])
    assert validated_statement(framework).startswith("Validated with 2 employers on ")
    with django_capture_on_commit_callbacks(execute=True):
        survey, links = open_survey(
            framework=framework, actor=who["owner"], version=2, invitees=["dee@example.org"]
        )
    save_response(
        token=token_of(links[0].link), group={"role": "Employer"},
        ratings=[{"behavior": b, "importance": 5} for b in behaviors(survey)],
    )  # fmt: skip
    survey = close_survey(survey=survey, actor=who["owner"])
    assert validated_statement(framework) == f"Validated with 1 employer on {day(survey.closed_at)}"
