"""Opening, answering and closing a survey: permissions, the personal links' safety, results."""

import hashlib
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from cmc.core.errors import Conflict, InvalidInput, Problem
from cmc.frameworks import panels
from cmc.review.models import Survey, SurveyInvitation, SurveyRating, SurveyResponse
from cmc.review.selectors.survey_results import survey_results
from cmc.review.selectors.surveys import (
    BAD_LINK,
    ValidationState,
    validated_statement,
    validation_state,
)
from cmc.review.services.surveys import close_survey, open_survey, save_response

from .survey_builders import (
    INVITEES,
    MAY_EDIT,
    ROLES,
    behaviors,
    opened,
    people,
    published,
    survey_state,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def who():
    return people()


def rate(token, survey, scores, **fields):
    """Save importance ratings, in the model's order, through a personal link."""
    ratings = [
        {"behavior": b, "importance": s, "frequency": 3, "needed_at_entry": True}
        for b, s in zip(behaviors(survey), scores, strict=False)
    ]
    return save_response(token=token, ratings=ratings, **fields)


def test_opening_emails_each_invitee_a_link_and_keeps_only_its_hash(who):
    framework, survey, tokens = opened(who)
    assert sorted(tokens) == INVITEES
    assert [m.to for m in mail.outbox] == [[email] for email in INVITEES]
    assert mail.outbox[0].subject == "Validation survey: Our Welding"
    assert f"/surveys/respond/{tokens[INVITEES[0]]}/" in mail.outbox[0].body
    kept = set(SurveyInvitation.objects.values_list("token_hash", flat=True))
    assert kept == {hashlib.sha256(t.encode()).hexdigest() for t in tokens.values()}
    assert not kept & set(tokens.values())
    assert survey.groups == {
        "region": ["Northeast", "Midwest", "South", "West"],
        "role": ["Employer", "Worker", "Educator or trainer", "Other"],
    }
    assert survey.employer_roles == ["Employer"]
    assert survey.opened_by == who["owner"]


@pytest.mark.parametrize("role", ROLES)
def test_only_the_models_editors_open_a_survey(who, role):
    framework = published(who)
    before = survey_state()
    mail.outbox.clear()
    call = lambda: open_survey(  # noqa: E731
        framework=framework, actor=who[role], version=1, invitees=["ann@example.org"]
    )
    if role in MAY_EDIT:
        survey, links = call()
        assert len(links) == 1 and survey.opened_by == who[role]
    else:
        with pytest.raises(PermissionDenied):
            call()
        assert survey_state() == before
        assert mail.outbox == []


def test_bad_input_is_refused_with_every_problem_and_writes_nothing(who):
    framework = published(who)
    with pytest.raises(InvalidInput) as refused:
        open_survey(
            framework=framework, actor=who["owner"], version=4, invitees=["ann", ""],
            deadline=date(2020, 1, 1), min_mean_importance=6, min_share_important=50,
            groups={"shoe size": ["9"], "role": ["Employer"]}, employer_roles=["Boss"],
        )  # fmt: skip
    assert refused.value.problems == [
        Problem("survey", "version", "Our Welding has no published version 4"),
        Problem("survey", "invite", "'ann' is not an email address"),
        Problem("survey", "deadline", "is in the past; give a later date"),
        Problem("survey", "min_mean_importance", "must be between 1 and 5 (the scale)"),
        Problem("survey", "min_share_important", "must be between 0 and 1 (0.5 for half)"),
        Problem("survey", "groups.shoe size", "is not one of segment, region, role"),
        Problem("survey", "employer_roles", "'Boss' is not one of the role choices"),
    ]
    assert Survey.objects.count() == 0 and mail.outbox == []


def test_saving_again_updates_the_one_response(who):
    framework, survey, tokens = opened(who)
    token = tokens["ann@example.org"]
    first = rate(token, survey, [2, 2, 2, 2], group={"role": "Worker"})
    again = rate(token, survey, [5, 4], group={"role": "Employer", "region": "South"})
    assert again.pk == first.pk
    assert SurveyResponse.objects.count() == 1
    assert list(SurveyRating.objects.order_by("id").values_list("importance", flat=True)) == [
        2,
        2,
        5,
        4,
    ]  # the two sent again replaced, the others kept
    assert again.group == {"role": "Employer", "region": "South"}


def test_a_rating_with_no_answers_is_removed_and_none_leaves_the_group(who):
    framework, survey, tokens = opened(who)
    token = tokens["ann@example.org"]
    rate(token, survey, [3, 3], group={"role": "Worker"})
    first = behaviors(survey)[0]
    response = save_response(token=token, ratings=[{"behavior": first}])
    assert list(response.ratings.values_list("importance", flat=True)) == [3]
    assert response.group == {"role": "Worker"}


def test_bad_ratings_name_each_problem_and_write_nothing(who):
    framework, survey, tokens = opened(who)
    first = behaviors(survey)[0]
    with pytest.raises(InvalidInput) as refused:
        save_response(
            token=tokens["ann@example.org"], group={"role": "Boss", "shoe": "9"},
            ratings=[
                {"behavior": "00000000-0000-0000-0000-000000000000", "importance": 3},
                {"behavior": str(first), "importance": 6, "frequency": True,
                 "needed_at_entry": "yes"},
                {"behavior": first, "importance": 2},
            ],
        )  # fmt: skip
    assert refused.value.problems == [
        Problem(
            "group", "role", "'Boss' is not one of Employer, Worker, Educator or trainer, Other"
        ),
        Problem("group", "shoe", "is not asked in this survey (asked: region, role)"),
        Problem("ratings.0", "behavior", "is not a key behavior of this survey"),
        Problem("ratings.1", "importance", "must be a whole number from 1 to 5"),
        Problem("ratings.1", "frequency", "must be a whole number from 1 to 5"),
        Problem("ratings.1", "needed_at_entry", "must be true, false or null"),
        Problem("ratings.2", "behavior", "is rated twice; rate it once"),
    ]
    assert SurveyResponse.objects.count() == 0


@pytest.mark.parametrize("token", ["", "not-a-token", "x" * 43])
def test_a_wrong_token_opens_nothing(who, token):
    opened(who)
    with pytest.raises(Http404, match=BAD_LINK):
        save_response(token=token, ratings=[])
    assert SurveyResponse.objects.count() == 0


def test_a_submitted_response_cannot_be_replayed(who):
    framework, survey, tokens = opened(who)
    token = tokens["ann@example.org"]
    rate(token, survey, [4, 4, 4, 4], submit=True)
    before = survey_state()
    with pytest.raises(Conflict, match="^You submitted your answers already; thank you"):
        rate(token, survey, [1, 1, 1, 1])
    with pytest.raises(Conflict):
        rate(token, survey, [1], submit=True)
    assert survey_state() == before


def test_submitting_needs_a_rating(who):
    framework, survey, tokens = opened(who)
    with pytest.raises(InvalidInput) as refused:
        save_response(token=tokens["ann@example.org"], submit=True)
    assert refused.value.problems == [
        Problem("response", "ratings", "rate the importance of at least one key behavior")
    ]
    assert SurveyResponse.objects.count() == 0


def test_an_expired_link_takes_no_answers(who):
    framework, survey, tokens = opened(who)
    rate(tokens["ann@example.org"], survey, [3])
    past = timezone.make_aware(timezone.datetime(2026, 3, 4, 12, 0))
    Survey.objects.filter(pk=survey.pk).update(deadline=past)
    before = survey_state()
    with pytest.raises(Conflict) as refused:
        rate(tokens["ann@example.org"], survey, [5])
    assert str(refused.value) == (
        "This survey's deadline passed on March 4, 2026; it takes no more answers."
    )
    assert survey_state() == before


def test_one_token_never_reaches_another_invitees_response(who):
    framework, survey, tokens = opened(who)
    rate(tokens["bob@example.org"], survey, [5, 5, 5, 5], group={"role": "Employer"})
    bob = survey_state()["ratings"]
    rate(tokens["ann@example.org"], survey, [1, 1, 1, 1], group={"role": "Worker"})
    assert SurveyResponse.objects.count() == 2
    bobs = SurveyResponse.objects.get(invitation__email="bob@example.org")
    assert list(bobs.ratings.values_list("importance", flat=True)) == [5, 5, 5, 5]
    assert bobs.group == {"role": "Employer"}
    assert survey_state()["ratings"][:4] == bob


def test_closing_is_final_recorded_and_stops_answers(who):
    framework, survey, tokens = opened(who)
    stamp = panels.stamp(framework)
    close_survey(survey=survey, actor=who["org editor"])
    survey.refresh_from_db()
    assert survey.closed_by == who["org editor"]
    assert survey.closed_at is not None
    assert panels.stamp(framework) == stamp + 1
    with pytest.raises(Conflict, match="^This survey was closed already, on "):
        close_survey(survey=survey, actor=who["owner"])
    with pytest.raises(Conflict, match="^This survey closed on .*; it takes no more answers.$"):
        rate(tokens["ann@example.org"], survey, [3])
    assert SurveyResponse.objects.count() == 0


@pytest.mark.parametrize("role", ROLES)
def test_only_the_models_editors_close_a_survey(who, role):
    framework, survey, tokens = opened(who)
    before = survey_state()
    if role in MAY_EDIT:
        close_survey(survey=survey, actor=who[role])
        assert Survey.objects.get().closed_by == who[role]
    else:
        with pytest.raises(PermissionDenied):
            close_survey(survey=survey, actor=who[role])
        assert survey_state() == before


def test_results_per_behavior_competency_and_group(who):
    framework, survey, tokens = opened(who, min_mean_importance=3.5, min_share_important=0.5)
    rate(tokens["ann@example.org"], survey, [3, 5, 2, 4], group={"role": "Employer"})
    rate(tokens["bob@example.org"], survey, [4, 5, 2, 4], group={"role": "Employer"})
    rate(tokens["cy@example.org"], survey, [5, 5, 3], group={"role": "Worker"})
    results = survey_results(survey)
    first, second, third, fourth = results.behaviors
    assert results.respondents == 3
    assert (first.importance.n, first.importance.mean, first.importance.sd) == (3, 4, 1)
    assert first.distribution == (0, 0, 1, 1, 1)
    assert first.reasons == ()
    assert third.importance.mean == pytest.approx(7 / 3)
    assert third.reasons == (
        "mean importance 2.33 is below 3.5",
        "0% rate it important or higher, below 50%",
    )
    assert fourth.importance.n == 2
    assert [(g.choice, g.n, g.mean) for g in first.by_group["role"]] == [
        ("Employer", 2, 3.5), ("Worker", 1, 5.0), ("Educator or trainer", 0, None),
        ("Other", 0, None),
    ]  # fmt: skip
    assert first.agreement["role"].max_gap == 1.5
    assert first.needed_at_entry == 1.0 and first.frequency.mean == 3
    # Teamwork has the first two behaviors: each respondent's mean of them, then the stats.
    teamwork = results.competencies[0]
    assert teamwork.label == "Teamwork"
    assert teamwork.importance.n == 3
    assert teamwork.importance.mean == pytest.approx((4 + 4.5 + 5) / 3)
    assert teamwork.distribution == (0, 0, 1, 1, 4)
    employers = survey_results(survey, filters={"role": "Employer"})
    assert employers.respondents == 2
    assert employers.behaviors[0].importance.mean == 3.5


def test_validation_state_and_statement(who):
    framework = published(who)
    assert validation_state(framework) == ValidationState("not started", 0, 0, None, None)
    assert validated_statement(framework) is None
    framework, survey, tokens = opened(who, framework=framework)
    rate(tokens["ann@example.org"], survey, [4], group={"role": "Employer"})
    rate(tokens["bob@example.org"], survey, [4], group={"role": "Worker"})
    save_response(token=tokens["cy@example.org"], group={"role": "Employer"})  # no rating
    assert validation_state(framework) == ValidationState("open", 2, 1, None, 1, survey.pk)
    assert validated_statement(framework) is None
    closed = close_survey(survey=survey, actor=who["owner"])
    closed_at = Survey.objects.get().closed_at
    assert validation_state(framework) == ValidationState("closed", 2, 1, closed_at, 1, closed.pk)
    day = timezone.localtime(closed_at)
    assert (
        validated_statement(framework)
        == f"Validated with 1 employer on {day:%B} {day.day}, {day.year}"
    )


def test_the_statement_speaks_of_the_latest_published_version(who):
    from cmc.frameworks.services import publish_version

    framework, survey, tokens = opened(who)
    rate(tokens["ann@example.org"], survey, [4], group={"role": "Worker"})
    close_survey(survey=survey, actor=who["owner"])
    assert validated_statement(framework).startswith("Validated with 1 respondent on ")
    publish_version(framework=framework, actor=who["owner"])
    assert validated_statement(framework) is None


def test_open_without_deadline_takes_thirty_days(who):
    framework = published(who)
    survey, _ = open_survey(
        framework=framework, actor=who["owner"], version=1, invitees=["a@example.org"]
    )
    assert survey.deadline - survey.opened_at == pytest.approx(
        timedelta(days=30), abs=timedelta(seconds=5)
    )


def test_a_link_saves_a_limited_number_of_times_an_hour(who, settings):
    settings.CMC_SURVEY_SAVES_PER_HOUR = 2
    framework, survey, tokens = opened(who)
    rate(tokens["ann@example.org"], survey, [3])
    rate(tokens["ann@example.org"], survey, [4])
    before = survey_state()
    with pytest.raises(Conflict) as refused:
        rate(tokens["ann@example.org"], survey, [5])
    assert str(refused.value) == (
        "Too many saves from this link in an hour; wait a while and save again."
    )
    assert survey_state() == before
    rate(tokens["bob@example.org"], survey, [5])  # each link has its own count
