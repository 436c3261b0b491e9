"""Endorsement: a body's criteria, reviews scored by its members, decisions with history."""

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied

from cmc.core.errors import Conflict, InvalidInput, Problem
from cmc.credentials import selectors, services
from cmc.credentials.criteria import DEFAULT_CRITERIA
from cmc.credentials.models import Criterion, Review, ReviewEvent, Score

from .conftest import ROLES

RUNNERS = {"owner", "org editor"}
MEMBERS = {"owner", "org editor", "org viewer"}


@pytest.fixture
def review(who, credential, welding):
    return services.open_review(
        actor=who["org editor"], body=who["organization"], credential=credential,
        framework=welding,
    )  # fmt: skip


def test_a_body_starts_with_the_criteria_of_the_case_studies(who):
    criteria = services.ensure_default_criteria(actor=who["owner"], body=who["organization"])
    assert [c.name for c in criteria] == [
        "National portability",
        "Accredited third-party validation",
        "Alignment to the industry model",
        "Industry acceptance",
    ]
    assert criteria[0].source_seed == "003_046e57e73e8b9e95.txt"
    assert criteria[0].source_quote.startswith("They spent a year vetting 440 existing")
    assert len(DEFAULT_CRITERIA) == 4


def test_each_quoted_passage_is_in_the_seed():
    seed = " ".join(Path("/work/shared/seeds/003_046e57e73e8b9e95.txt").read_text().split())
    for criterion in DEFAULT_CRITERIA:
        assert criterion.quote in seed, criterion.name


def test_opening_a_review_records_who_and_when(review, who):
    assert [(e.action, e.actor) for e in review.events.all()] == [("opened", who["org editor"])]
    assert review.opened_by == who["org editor"]


@pytest.mark.parametrize("role", ROLES)
def test_who_scores_a_criterion(review, who, role):
    criterion = review.body.endorsement_criteria.get(name="National portability")

    def score():
        services.score(
            actor=who[role], review=review, criterion=criterion, rating="met",
            evidence="Recognised in every state.",
        )  # fmt: skip

    if role in MEMBERS:
        score()
        assert Score.objects.get().reviewer == who[role]
        assert review.events.last().text == "National portability: met. Recognised in every state."
    else:
        with pytest.raises(PermissionDenied):
            score()
        assert Score.objects.count() == 0


def test_a_score_needs_a_rating_and_evidence(review, who):
    criterion = review.body.endorsement_criteria.first()
    with pytest.raises(InvalidInput) as refused:
        services.score(
            actor=who["org viewer"], review=review, criterion=criterion, rating="great",
            evidence=" ",
        )  # fmt: skip
    assert refused.value.problems == [
        Problem("score", "rating", "must be one of met, partly_met, not_met"),
        Problem("score", "evidence", "is required"),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_who_decides(review, who, role):
    def decide():
        services.decide(
            actor=who[role], review=review, decision="endorsed", summary="Portable and aligned."
        )

    if role in RUNNERS:
        decide()
        review.refresh_from_db()
        assert (review.decision, review.decided_by) == ("endorsed", who[role])
        assert review.events.last().text == "Endorsed. Portable and aligned."
    else:
        with pytest.raises(PermissionDenied):
            decide()
        assert Review.objects.get().decision == ""
        assert ReviewEvent.objects.filter(action="decided").count() == 0


def test_the_public_sees_endorsed_credentials_with_why(review, who, welding, credential):
    for name in ("National portability", "Industry acceptance"):
        services.score(
            actor=who["org viewer"], review=review,
            criterion=review.body.endorsement_criteria.get(name=name), rating="met",
            evidence="Yes.",
        )  # fmt: skip
    services.score(
        actor=who["owner"], review=review,
        criterion=review.body.endorsement_criteria.get(name="Industry acceptance"),
        rating="not_met", evidence="Two employers in ten.",
    )  # fmt: skip
    services.decide(actor=who["owner"], review=review, decision="endorsed", summary="Good.")
    services.update_credential(
        actor=who["owner"], credential=credential, data={"visibility": "public"}
    )
    [shown] = selectors.endorsed_for_framework(framework=welding, reader=who["anonymous"])
    assert (shown.credential, shown.body.name, shown.summary) == (
        credential, "Welders Guild", "Good.",
    )  # fmt: skip
    # Met where a reviewer says so and none disagrees.
    assert shown.met == ["National portability"]


def test_a_decision_other_than_endorsed_is_not_shown(review, who, welding):
    services.decide(
        actor=who["owner"], review=review, decision="needs_information", summary="Send the JTA."
    )
    assert selectors.endorsed_for_framework(framework=welding, reader=who["owner"]) == []


def test_deciding_again_keeps_the_history(review, who):
    services.decide(actor=who["owner"], review=review, decision="not_endorsed", summary="No.")
    services.decide(actor=who["owner"], review=review, decision="endorsed", summary="Now yes.")
    assert [e.text for e in review.events.filter(action="decided")] == ["Not endorsed. No.",
                                                                       "Endorsed. Now yes."]  # fmt: skip


def test_a_scored_criterion_stays(review, who):
    criterion = review.body.endorsement_criteria.first()
    services.score(actor=who["owner"], review=review, criterion=criterion, rating="met",
                   evidence="x")  # fmt: skip
    with pytest.raises(Conflict):
        services.remove_criterion(actor=who["owner"], criterion=criterion)
    assert Criterion.objects.filter(pk=criterion.pk).exists()


def test_a_criterion_name_is_not_repeated(who):
    services.ensure_default_criteria(actor=who["owner"], body=who["organization"])
    with pytest.raises(InvalidInput) as refused:
        services.add_criterion(actor=who["owner"], body=who["organization"],
                               name="industry acceptance")  # fmt: skip
    assert refused.value.problems == [
        Problem("criterion", "name", "'industry acceptance' is already a criterion")
    ]
