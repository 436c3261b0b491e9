"""What the review tests share: the people around a shared model, the model with a published
version, and a round opened on it with two reviewers."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from cmc.frameworks.models import Competency, Framework, KeyBehavior
from cmc.frameworks.services import publish_version
from cmc.frameworks.tests.builders import people, shared_derived
from cmc.review.services import rounds

DEADLINE = date(2031, 5, 30)


@pytest.fixture
def who(db):
    return people()


@pytest.fixture
def ours(who) -> Framework:
    """ "Our Welding", shared with the Welders Guild, with version 1 published by its owner."""
    framework = shared_derived(who)
    publish_version(framework=framework, actor=who["owner"], note="first draft")
    return framework


def token_of(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[-1]


@pytest.fixture
def opened(ours, who, django_capture_on_commit_callbacks):
    """A round on version 1 with two reviewers; their tokens by email."""
    with django_capture_on_commit_callbacks(execute=True):
        result = rounds.open_round(
            framework=ours,
            actor=who["owner"],
            reviewers=["ann@example.org", "bo@example.org"],
            deadline=DEADLINE,
            title="Spring review",
        )
    result.tokens = {i.reviewer.email: token_of(i.link) for i in result.invitees}
    return result


def behavior(framework: Framework, text: str) -> KeyBehavior:
    return KeyBehavior.objects.get(competency__framework=framework, text=text)


def competency(framework: Framework, code: str) -> Competency:
    return Competency.objects.get(framework=framework, code=code)


def today() -> date:
    return timezone.localdate()


def days(n: int) -> timedelta:
    return timedelta(days=n)


def tier_id(framework: Framework, number: int):
    return framework.tiers.get(number=number).identifier
