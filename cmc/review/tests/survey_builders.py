"""What the survey tests share: a shared model with a published version, a survey on it, and
the raw tokens of its personal links."""

from datetime import timedelta

from django.test import TestCase
from django.utils import timezone

from cmc.frameworks.services import publish_version
from cmc.frameworks.tests.builders import people as people  # the people every test asks about
from cmc.frameworks.tests.builders import shared_derived
from cmc.review.models import Survey, SurveyInvitation, SurveyRating, SurveyResponse
from cmc.review.selectors.surveys import survey_items
from cmc.review.services.surveys import open_survey

ROLES = ["owner", "org editor", "org viewer", "outsider", "anonymous"]
MAY_EDIT = {"owner", "org editor"}
INVITEES = ["ann@example.org", "bob@example.org", "cy@example.org"]


def published(who: dict):
    """ "Our Welding", shared with the organization of `who`, published as version 1."""
    framework = shared_derived(who)
    publish_version(framework=framework, actor=who["owner"])
    return framework


def token_of(link: str) -> str:
    """The token at the end of a personal link (…/surveys/respond/TOKEN/)."""
    return link.rstrip("/").rsplit("/", 1)[1]


def opened(who: dict, **fields):
    """A survey of version 1 of "Our Welding" by its owner: (framework, survey, tokens by
    email). Region and role are asked about (the defaults) unless `groups` says otherwise."""
    framework = fields.pop("framework", None) or published(who)
    with TestCase.captureOnCommitCallbacks(execute=True):  # the emails go once committed
        survey, links = open_survey(
            framework=framework, actor=who["owner"], version=1,
            invitees=fields.pop("invitees", INVITEES),
            deadline=fields.pop("deadline", timezone.now() + timedelta(days=7)), **fields,
        )  # fmt: skip
    return framework, survey, {link.email: token_of(link.link) for link in links}


def behaviors(survey) -> list:
    """The identifiers of the survey's key behaviors, in the model's order."""
    return [item.identifier for item in survey_items(survey)]


def survey_state() -> dict:
    """Everything a survey write could change, as plain values."""
    return {
        "surveys": list(
            Survey.objects.order_by("id").values_list("id", "deadline", "closed_at", "closed_by")
        ),
        "invitations": list(SurveyInvitation.objects.order_by("id").values_list("id", "email")),
        "responses": list(
            SurveyResponse.objects.order_by("id").values_list(
                "id", "invitation", "group", "submitted_at"
            )
        ),
        "ratings": list(
            SurveyRating.objects.order_by("id").values_list(
                "response", "behavior", "importance", "frequency", "needed_at_entry"
            )
        ),
    }
