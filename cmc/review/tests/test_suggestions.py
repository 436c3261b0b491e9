"""Suggest a change: on any competency or key behavior of a model one may see; anonymous
suggestions are held for moderation and limited per address; the editors accept into the
draft, decline with a reason, or reply; the suggester follows it."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from cmc.core.errors import Conflict, InvalidInput
from cmc.frameworks.models import Framework, KeyBehavior
from cmc.frameworks.tests.builders import state
from cmc.review.models import Suggestion
from cmc.review.selectors import suggestions as selectors
from cmc.review.services import suggestions as services

from .conftest import behavior, competency

pytestmark = pytest.mark.django_db
SHARING = "Sharing tools with the crew"


@pytest.fixture
def public(ours):
    Framework.objects.filter(pk=ours.pk).update(visibility="public")
    ours.refresh_from_db()
    return ours


def anonymous_suggestion(framework, who, address="203.0.113.9", **values):
    values = {"action": "edit", "text": "Sharing tools and PPE", **values}
    return services.suggest(framework=framework, actor=who["anonymous"],
                            item=behavior(framework, SHARING).identifier, address=address,
                            **values)  # fmt: skip


def test_an_anonymous_suggestion_is_held_and_followed_by_a_personal_link(public, who):
    made = anonymous_suggestion(public, who, name="Pat", email="pat@example.org")
    s = made.suggestion
    assert (s.state, s.item_kind, s.item_label, s.name) == (
        "held",
        "behavior",
        "1.1 behavior 1: Sharing tools with the crew",
        "Pat",
    )
    assert len(made.token) >= 43 and made.token not in s.token_hash
    assert selectors.followed(token=made.token) == s
    with pytest.raises(Http404):
        selectors.followed(token=made.token + "x")


def test_a_signed_in_suggestion_goes_straight_to_the_queue(public, who):
    made = services.suggest(
        framework=public,
        actor=who["outsider"],
        item=competency(public, "1.2").identifier,
        action="add",
        text="Owning mistakes",
    )
    assert (made.suggestion.state, made.token, made.suggestion.address) == ("open", "", None)
    assert (
        selectors.followed(user=who["outsider"], identifier=made.suggestion.identifier)
        == made.suggestion
    )
    with pytest.raises(Http404):
        selectors.followed(user=who["owner"], identifier=made.suggestion.identifier)


def test_anonymous_suggestions_are_limited_per_address(public, who, settings):
    settings.CMC_SUGGESTIONS_PER_HOUR = 2
    anonymous_suggestion(public, who)
    anonymous_suggestion(public, who)
    with pytest.raises(services.RateLimited) as error:
        anonymous_suggestion(public, who)
    assert (
        str(error.value)
        == "You have sent 2 suggestions in the last hour; please wait a while, or sign in."
    )
    anonymous_suggestion(public, who, address="198.51.100.7")  # another address is its own count
    assert Suggestion.objects.count() == 3


def test_a_model_one_may_not_see_takes_no_suggestion(ours, who):
    with pytest.raises(PermissionDenied):
        anonymous_suggestion(ours, who)
    assert Suggestion.objects.count() == 0


def test_bad_suggestions_are_refused(public, who):
    cases = [
        (dict(action="edit", text=""), "text", "is empty; write the text you suggest"),
        (dict(action="remove", text=""), "comment", "say why it should be removed"),
        (dict(action="add", text="x"), "action", "add a new key behavior to a competency, not to a behavior"),
        (dict(action="edit", email="not-mail"), "email", "'not-mail' is not an email address"),
    ]  # fmt: skip
    for values, field, message in cases:
        with pytest.raises(InvalidInput) as error:
            anonymous_suggestion(public, who, **values)
        assert (error.value.problems[0].field, error.value.problems[0].message) == (field, message)
    assert Suggestion.objects.count() == 0


def test_moderation_accept_into_the_draft_and_reply(public, who):
    made = anonymous_suggestion(public, who)
    with pytest.raises(Conflict):
        services.accept_suggestion(suggestion=made.suggestion, actor=who["owner"])
    services.moderate(suggestion=made.suggestion, actor=who["owner"], allow=True)
    accepted = services.accept_suggestion(suggestion=made.suggestion, actor=who["owner"])
    changed = KeyBehavior.objects.get(identifier=accepted.applied_identifier)
    assert (accepted.state, changed.text, changed.origin) == (
        "accepted",
        "Sharing tools and PPE",
        "edited",
    )
    services.reply(suggestion=made.suggestion, actor=who["owner"], text="Thanks, in version 2.")
    followed = selectors.followed(token=made.token)
    assert [r.text for r in followed.replies.all()] == ["Thanks, in version 2."]


def test_declining_needs_a_reason(public, who):
    made = services.suggest(
        framework=public,
        actor=who["outsider"],
        item=behavior(public, SHARING).identifier,
        action="remove",
        comment="old",
    )
    with pytest.raises(InvalidInput):
        services.decline_suggestion(suggestion=made.suggestion, actor=who["owner"], reason=" ")
    declined = services.decline_suggestion(
        suggestion=made.suggestion, actor=who["owner"], reason="Employers rely on it"
    )
    assert (declined.state, declined.reason, declined.decided_by) == (
        "declined",
        "Employers rely on it",
        who["owner"],
    )


@pytest.mark.parametrize("role", ["org viewer", "outsider", "anonymous"])
def test_only_editors_triage_and_nothing_changes_when_refused(public, who, role):
    made = services.suggest(
        framework=public,
        actor=who["owner"],
        item=behavior(public, SHARING).identifier,
        action="edit",
        text="New text",
    )
    before = state(public)
    for call in (
        lambda: services.accept_suggestion(suggestion=made.suggestion, actor=who[role]),
        lambda: services.decline_suggestion(
            suggestion=made.suggestion, actor=who[role], reason="no"
        ),
        lambda: services.reply(suggestion=made.suggestion, actor=who[role], text="hi"),
        lambda: services.moderate(suggestion=made.suggestion, actor=who[role], allow=False),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert state(public) == before
    assert Suggestion.objects.get().state == "open"
    assert Suggestion.objects.get().replies.count() == 0
