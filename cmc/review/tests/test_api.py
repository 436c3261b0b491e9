"""The review routes of the API, and who may use them: the model's owner and organization
editor; not its viewer, an outsider, anyone anonymous; a reviewer's personal link only for
their own input. Refused requests change nothing."""

import pytest
from django.core import mail

from cmc.accounts.services import create_api_token
from cmc.frameworks.models import Framework
from cmc.review.models import Proposal, Resolution, ReviewRound, Suggestion

from .conftest import behavior, competency, tier_id

pytestmark = pytest.mark.django_db
JSON = "application/json"
ROLES = ["owner", "org editor", "org viewer", "outsider", "anonymous"]
MAY = {"owner", "org editor"}
REFUSED = {"org viewer": 403, "outsider": 404, "anonymous": 401}


def headers(who, role) -> dict:
    if role == "anonymous":
        return {}
    _, raw = create_api_token(user=who[role], name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def open_body(**extra) -> dict:
    return {"reviewers": ["ann@example.org", "bo@example.org"], "deadline": "2031-06-30", **extra}


@pytest.mark.parametrize("role", ROLES)
def test_opening_a_round(client, who, ours, role, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/v1/frameworks/{ours.slug}/rounds",
            open_body(title="Panel"),
            content_type=JSON,
            **headers(who, role),
        )
    if role not in MAY:
        assert response.status_code == REFUSED[role]
        assert ReviewRound.objects.count() == 0 and mail.outbox == []
        return
    assert response.status_code == 201
    body = response.json()
    assert (body["title"], body["version"], body["deadline"], body["closed_at"]) == (
        "Panel",
        1,
        "2031-06-30",
        None,
    )
    assert [i["email"] for i in body["invitees"]] == ["ann@example.org", "bo@example.org"]
    assert all(i["link"].startswith("http://127.0.0.1:8000/review/r/") for i in body["invitees"])
    assert len(mail.outbox) == 2


def test_opening_refuses_bad_input_with_located_errors(client, who, ours):
    response = client.post(
        f"/api/v1/frameworks/{ours.slug}/rounds",
        open_body(reviewers=["x"], version=7),
        content_type=JSON,
        **headers(who, "owner"),
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"where": "reviewer 1", "field": "email", "message": "'x' is not an email address"}
    ]
    assert ReviewRound.objects.count() == 0


@pytest.mark.parametrize("role", ROLES)
def test_reading_listing_and_closing_a_round(client, who, opened, ours, role):
    h = headers(who, role)
    pk = opened.round.pk
    got = client.get(f"/api/v1/rounds/{pk}", **h)
    listed = client.get(f"/api/v1/frameworks/{ours.slug}/rounds", **h)
    closed = client.post(f"/api/v1/rounds/{pk}/close", {"note": "done"}, content_type=JSON, **h)
    if role not in MAY:
        # Reads by nobody see nothing (the model is not public): 404; a viewer is refused.
        read = {"org viewer": 403, "outsider": 404, "anonymous": 404}[role]
        assert (got.status_code, listed.status_code, closed.status_code) == (
            read,
            read,
            REFUSED[role],
        )
        assert ReviewRound.objects.get().closed_at is None
        return
    assert got.status_code == 200
    assert [r["email"] for r in got.json()["reviewers"]] == ["ann@example.org", "bo@example.org"]
    assert [r["id"] for r in listed.json()] == [pk]
    assert closed.status_code == 200
    assert (closed.json()["close_note"], closed.json()["closed_by"]) == ("done", who[role].username)
    again = client.post(f"/api/v1/rounds/{pk}/close", {}, content_type=JSON, **h)
    assert again.status_code == 409


def test_a_reviewer_reads_and_saves_their_input_by_token(client, opened, ours):
    token = opened.tokens["ann@example.org"]
    item = str(behavior(ours, "Sharing tools with the crew").identifier)
    body = {"proposals": [
        {"item": item, "action": "edit", "text": "Sharing tools and PPE", "comment": "PPE"},
        {"item": str(tier_id(ours, 1)), "action": "add", "title": "Safety"},
    ]}  # fmt: skip
    saved = client.put(f"/api/v1/review-input/{token}", body, content_type=JSON)
    assert saved.status_code == 200
    assert [(p["action"], p["item_kind"]) for p in saved.json()["proposals"]] == [
        ("edit", "behavior"),
        ("add", "tier"),
    ]
    again = client.put(f"/api/v1/review-input/{token}", body, content_type=JSON)
    assert again.status_code == 200 and Proposal.objects.count() == 2  # saving again replaces
    got = client.get(f"/api/v1/review-input/{token}").json()
    assert (got["state"], got["version"], len(got["proposals"])) == ("open", 1, 2)


def test_a_reviewers_token_shows_and_changes_only_their_own_input(client, opened, ours):
    ann, bo = opened.tokens["ann@example.org"], opened.tokens["bo@example.org"]
    item = str(competency(ours, "1.1").identifier)
    client.put(
        f"/api/v1/review-input/{ann}",
        {"proposals": [{"item": item, "action": "keep"}]},
        content_type=JSON,
    )
    assert client.get(f"/api/v1/review-input/{bo}").json()["proposals"] == []
    client.put(
        f"/api/v1/review-input/{bo}",
        {"proposals": [{"item": item, "action": "remove"}]},
        content_type=JSON,
    )
    assert sorted(Proposal.objects.values_list("reviewer__email", "action")) == [
        ("ann@example.org", "keep"),
        ("bo@example.org", "remove"),
    ]
    assert client.get("/api/v1/review-input/guess").status_code == 404


def test_bad_input_by_token_names_each_entry_and_writes_nothing(client, opened):
    token = opened.tokens["ann@example.org"]
    response = client.put(
        f"/api/v1/review-input/{token}",
        {"proposals": [{"item": "00000000-0000-0000-0000-000000000000", "action": "keep"}]},
        content_type=JSON,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["where"] == "proposal 1"
    assert Proposal.objects.count() == 0


def test_proposals_and_resolutions(client, who, opened, ours):
    token = opened.tokens["ann@example.org"]
    item = str(behavior(ours, "Sharing tools with the crew").identifier)
    client.put(
        f"/api/v1/review-input/{token}",
        {"proposals": [{"item": item, "action": "edit", "text": "Sharing PPE"}]},
        content_type=JSON,
    )
    h = headers(who, "owner")
    client.post(f"/api/v1/rounds/{opened.round.pk}/close", {}, content_type=JSON, **h)
    closed = client.put(f"/api/v1/review-input/{token}", {"proposals": []}, content_type=JSON)
    assert closed.status_code == 409 and Proposal.objects.count() == 1
    groups = client.get(f"/api/v1/rounds/{opened.round.pk}/proposals", **h).json()
    assert [(g["ref"], g["counts"]["edit"]) for g in groups] == [("1.1 behavior 1", 1)]
    proposal = groups[0]["proposals"][0]["identifier"]
    viewer = client.post(
        f"/api/v1/rounds/{opened.round.pk}/resolutions",
        {"decision": "accepted", "proposals": [proposal]},
        content_type=JSON,
        **headers(who, "org viewer"),
    )
    assert viewer.status_code == 403 and Resolution.objects.count() == 0
    done = client.post(
        f"/api/v1/rounds/{opened.round.pk}/resolutions",
        {"decision": "accepted", "proposals": [proposal]},
        content_type=JSON,
        **h,
    )
    assert done.status_code == 201
    assert (done.json()["decision"], done.json()["text"]) == ("accepted", "Sharing PPE")
    assert behavior(ours, "Sharing PPE").origin == "edited"


def test_suggestions_through_the_api(client, who, ours):
    Framework.objects.filter(pk=ours.pk).update(visibility="public")
    item = str(behavior(ours, "Sharing tools with the crew").identifier)
    made = client.post(
        f"/api/v1/frameworks/{ours.slug}/suggestions",
        {"item": item, "action": "edit", "text": "Sharing PPE"},
        content_type=JSON,
    )
    assert made.status_code == 201
    assert (made.json()["state"], made.json()["follow_link"][:33]) == (
        "held",
        "http://127.0.0.1:8000/review/foll",
    )
    assert client.get(f"/api/v1/frameworks/{ours.slug}/suggestions").status_code == 403
    h = headers(who, "owner")
    listed = client.get(f"/api/v1/frameworks/{ours.slug}/suggestions", **h).json()
    assert [s["state"] for s in listed] == ["held"]
    identifier = listed[0]["identifier"]
    outsider = client.post(
        f"/api/v1/suggestions/{identifier}/decision",
        {"op": "allow"},
        content_type=JSON,
        **headers(who, "outsider"),
    )
    assert outsider.status_code == 403 and Suggestion.objects.get().state == "held"
    allowed = client.post(
        f"/api/v1/suggestions/{identifier}/decision", {"op": "allow"}, content_type=JSON, **h
    )
    assert allowed.json()["state"] == "open"
    declined = client.post(
        f"/api/v1/suggestions/{identifier}/decision",
        {"op": "decline", "reason": "Not now"},
        content_type=JSON,
        **h,
    )
    assert (declined.json()["state"], declined.json()["reason"]) == ("declined", "Not now")


def test_anonymous_suggestions_are_rate_limited_through_the_api(client, ours, settings):
    Framework.objects.filter(pk=ours.pk).update(visibility="public")
    settings.CMC_SUGGESTIONS_PER_HOUR = 1
    item = str(behavior(ours, "Sharing tools with the crew").identifier)
    body = {"item": item, "action": "edit", "text": "Sharing PPE"}
    assert (
        client.post(
            f"/api/v1/frameworks/{ours.slug}/suggestions", body, content_type=JSON
        ).status_code
        == 201
    )
    limited = client.post(f"/api/v1/frameworks/{ours.slug}/suggestions", body, content_type=JSON)
    assert limited.status_code == 429
    assert limited.json()["detail"].startswith("You have sent 1 suggestion in the last hour")
    assert Suggestion.objects.count() == 1
