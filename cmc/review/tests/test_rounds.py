"""Review rounds: opening one invites each reviewer by email with a personal link; a reviewer
marks items through it and sees only their own input until the round closes; links are
unguessable, expire and open only their own reviewer's input; closing is final."""

import hashlib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from cmc.core.errors import Conflict, InvalidInput
from cmc.review.models import Proposal, Reviewer, ReviewRound
from cmc.review.selectors import rounds as selectors
from cmc.review.services import rounds as services

from .conftest import DEADLINE, behavior, competency, tier_id

pytestmark = pytest.mark.django_db


def test_opening_a_round_emails_each_reviewer_their_own_link(opened, ours):
    review_round = opened.round
    assert (review_round.title, review_round.version.number, review_round.deadline) == (
        "Spring review",
        1,
        DEADLINE,
    )
    assert [m.to for m in mail.outbox] == [["ann@example.org"], ["bo@example.org"]]
    assert mail.outbox[0].subject == "Your review of Our Welding"
    ann, bo = opened.invitees
    assert ann.link in mail.outbox[0].body and bo.link not in mail.outbox[0].body
    assert ann.link.startswith("http://127.0.0.1:8000/review/r/")


def test_only_the_hash_of_a_link_is_kept(opened):
    token = opened.tokens["ann@example.org"]
    assert len(token) >= 43  # 32 random bytes
    stored = Reviewer.objects.get(email="ann@example.org").token_hash
    assert stored == hashlib.sha256(token.encode()).hexdigest()
    assert not Reviewer.objects.filter(token_hash=token).exists()


def test_a_round_needs_a_published_version_and_good_addresses(who):
    from cmc.frameworks.tests.builders import shared_derived

    framework = shared_derived(who)
    with pytest.raises(InvalidInput) as error:
        services.open_round(framework=framework, actor=who["owner"], reviewers=["a@example.org"])
    assert [str(p) for p in error.value.problems] == [
        "round, version: Our Welding has no published version; publish one first"
    ]
    with pytest.raises(InvalidInput) as error:
        services.open_round(framework=framework, actor=who["owner"], reviewers=["nope", ""])
    assert [str(p) for p in error.value.problems] == [
        "reviewer 1, email: 'nope' is not an email address",
        "reviewer 2, email: '' is not an email address",
    ]
    assert ReviewRound.objects.count() == 0


def test_a_deadline_in_the_past_is_refused(ours, who):
    yesterday = timezone.localdate() - timedelta(days=1)
    with pytest.raises(InvalidInput) as error:
        services.open_round(
            framework=ours, actor=who["owner"], reviewers=["a@example.org"], deadline=yesterday
        )
    assert error.value.problems[0].field == "deadline"
    assert ReviewRound.objects.count() == 0


@pytest.mark.parametrize(
    "role,allowed",
    [
        ("owner", True),
        ("org editor", True),
        ("org viewer", False),
        ("outsider", False),
        ("anonymous", False),
    ],
)
def test_who_may_open_and_close_a_round(ours, who, role, allowed):
    actor = who[role]
    if not allowed:
        with pytest.raises(PermissionDenied):
            services.open_round(framework=ours, actor=actor, reviewers=["a@example.org"])
        assert ReviewRound.objects.count() == 0
        return
    opened = services.open_round(framework=ours, actor=actor, reviewers=["a@example.org"])
    closed = services.close_round(review_round=opened.round, actor=actor)
    assert closed.closed_by == actor


@pytest.mark.parametrize("role", ["org viewer", "outsider", "anonymous"])
def test_closing_is_refused_to_others_and_changes_nothing(opened, who, role):
    with pytest.raises(PermissionDenied):
        services.close_round(review_round=opened.round, actor=who[role])
    assert ReviewRound.objects.get().closed_at is None


def reviewer(opened, email: str) -> Reviewer:
    return selectors.reviewer_by_token(opened.tokens[email])


def test_a_reviewer_marks_items_and_marking_again_changes_the_one_mark(opened, ours):
    ann = reviewer(opened, "ann@example.org")
    item = behavior(ours, "Sharing tools with the crew").identifier
    services.save_proposal(reviewer=ann, item=item, action="keep")
    services.save_proposal(
        reviewer=ann, item=item, action="edit", text="Sharing tools and PPE with the crew",
        comment="PPE matters",
    )  # fmt: skip
    assert list(Proposal.objects.values_list("action", "text", "comment")) == [
        ("edit", "Sharing tools and PPE with the crew", "PPE matters")
    ]
    tier = tier_id(ours, 1)
    services.save_proposal(
        reviewer=ann, item=tier, action="add", title="Safety", text="Working safely."
    )
    services.save_proposal(reviewer=ann, item=tier, action="add", title="Ethics")
    assert Proposal.objects.filter(action="add").count() == 2


def test_marks_that_say_nothing_are_refused(opened, ours):
    ann = reviewer(opened, "ann@example.org")
    item = behavior(ours, "Sharing tools with the crew").identifier
    cases = [
        (dict(item=item, action="edit", text="Sharing tools with the crew"), "text", "is unchanged; write the text you propose"),
        (dict(item=item, action="add", text="x"), "action", "choose one of: edit, keep, remove"),
        (dict(item="not-an-id", action="keep"), "item", "'not-an-id' is no item of the version under review"),
        (dict(item=competency(ours, "1.1").identifier, action="add"), "text", "is empty; write the new item's text"),
    ]  # fmt: skip
    for values, field, message in cases:
        with pytest.raises(InvalidInput) as error:
            services.save_proposal(reviewer=ann, **values)
        assert (error.value.problems[0].field, error.value.problems[0].message) == (field, message)
    assert Proposal.objects.count() == 0


def test_a_link_writes_only_its_own_reviewers_input(opened, ours):
    ann, bo = reviewer(opened, "ann@example.org"), reviewer(opened, "bo@example.org")
    tier = tier_id(ours, 1)
    added = services.save_proposal(reviewer=ann, item=tier, action="add", title="Safety")
    # Bo's link, naming Ann's addition, cannot change or withdraw it.
    with pytest.raises(InvalidInput):
        services.save_proposal(
            reviewer=bo, item=tier, action="add", title="Mine now", proposal=added.identifier
        )
    with pytest.raises(InvalidInput):
        services.withdraw_proposal(reviewer=bo, proposal=added.identifier)
    assert list(Proposal.objects.values_list("reviewer__email", "title")) == [
        ("ann@example.org", "Safety")
    ]


def test_reviewers_see_only_their_own_input_until_the_round_closes(opened, ours, who):
    ann, bo = reviewer(opened, "ann@example.org"), reviewer(opened, "bo@example.org")
    item = behavior(ours, "Sharing tools with the crew")
    services.save_proposal(reviewer=ann, item=item.identifier, action="remove", comment="obsolete")
    page = selectors.review_tier(bo, 1)
    assert page["competencies"][0]["behaviors"][0]["mark"] is None
    assert page["competencies"][0]["behaviors"][0]["everyone"] == []
    services.close_round(review_round=opened.round, actor=who["owner"])
    bo = reviewer(opened, "bo@example.org")
    seen = selectors.review_tier(bo, 1)["competencies"][0]["behaviors"][0]["everyone"]
    assert [(p.action, p.comment) for p in seen] == [("remove", "obsolete")]


def test_closing_is_final_and_recorded(opened, who):
    closed = services.close_round(review_round=opened.round, actor=who["org editor"], note="done")
    assert (closed.closed_by, closed.close_note) == (who["org editor"], "done")
    with pytest.raises(Conflict) as error:
        services.close_round(review_round=opened.round, actor=who["owner"])
    assert "closing is final" in str(error.value)
    assert ReviewRound.objects.get().closed_by == who["org editor"]


def test_after_closing_no_input_changes(opened, ours, who):
    ann = reviewer(opened, "ann@example.org")
    services.close_round(review_round=opened.round, actor=who["owner"])
    ann = reviewer(opened, "ann@example.org")
    with pytest.raises(Conflict):
        services.save_proposal(reviewer=ann, item=competency(ours, "1.1").identifier, action="keep")
    assert Proposal.objects.count() == 0


def test_a_link_expires_after_the_deadline_and_the_grace_days(opened, settings):
    settings.CMC_REVIEW_GRACE_DAYS = 3
    ann = Reviewer.objects.get(email="ann@example.org")
    expires = selectors.link_expires(opened.round)
    assert timezone.localtime(expires).date() == DEADLINE + timedelta(days=4)
    assert selectors.link_state(ann, now=expires - timedelta(seconds=1)) == "open"
    assert selectors.link_state(ann, now=expires) == "expired"
    ReviewRound.objects.update(deadline=timezone.localdate() - timedelta(days=4))
    with pytest.raises(Http404) as error:
        selectors.reviewer_by_token(opened.tokens["ann@example.org"])
    assert "This review link expired on" in str(error.value)


def test_a_mistyped_link_opens_nothing(opened):
    with pytest.raises(Http404):
        selectors.reviewer_by_token(opened.tokens["ann@example.org"][:-1])


def test_replacing_the_whole_input_checks_every_entry_first(opened, ours):
    ann = reviewer(opened, "ann@example.org")
    keep = {"item": str(competency(ours, "1.1").identifier), "action": "keep"}
    services.replace_input(reviewer=ann, proposals=[keep])
    with pytest.raises(InvalidInput) as error:
        services.replace_input(
            reviewer=ann, proposals=[keep, keep, {"item": "x", "action": "keep"}]
        )
    assert [str(p) for p in error.value.problems] == [
        "proposal 2, item: is marked twice; give one mark per item",
        "proposal 3, item: 'x' is no item of the version under review",
    ]
    assert list(Proposal.objects.values_list("action", flat=True)) == ["keep"]
