"""Every page of the review app: what each person sees, what a form does, and that a refused
request changes nothing."""

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from cmc.frameworks.models import Framework
from cmc.review.models import BackgroundItem, Proposal, Resolution, ReviewRound, Suggestion
from cmc.review.selectors import rounds as round_selectors
from cmc.review.services import rounds as round_services

from .conftest import behavior, competency, tier_id

pytestmark = pytest.mark.django_db
SHARING = "Sharing tools with the crew"
# The model is shared with the organization: its viewer reads it, an outsider does not see it.
EXPECTED = {"owner": 200, "org editor": 200, "org viewer": 403, "outsider": 404, "anonymous": 302}


def as_(client, who, role):
    if role != "anonymous":
        client.force_login(who[role])
    return client


def editor_pages(ours, opened):
    pk = opened.round.pk
    return [
        f"/frameworks/{ours.slug}/process/",
        f"/frameworks/{ours.slug}/rounds/",
        f"/frameworks/{ours.slug}/review-schedule/",
        f"/frameworks/{ours.slug}/suggestions/",
        f"/review/rounds/{pk}/",
        f"/review/rounds/{pk}/refine/",
        f"/review/rounds/{pk}/report.pdf",
        f"/review/rounds/{pk}/report.xlsx",
    ]


@pytest.mark.parametrize("role", EXPECTED)
def test_the_editors_pages_by_who_asks(client, who, ours, opened, role):
    as_(client, who, role)
    for url in editor_pages(ours, opened):
        response = client.get(url)
        assert response.status_code == EXPECTED[role], url
        if role == "anonymous":
            assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", ["org viewer", "outsider", "anonymous"])
def test_refused_writes_change_nothing(client, who, ours, opened, role):
    as_(client, who, role)
    posts = [
        (f"/frameworks/{ours.slug}/rounds/", {"reviewers": "x@example.org"}),
        (f"/review/rounds/{opened.round.pk}/close", {}),
        (
            f"/frameworks/{ours.slug}/process/background/",
            {"kind": "link", "url": "https://example.org"},
        ),
        (
            f"/frameworks/{ours.slug}/review-schedule/",
            {"informal_months": "3", "formal_months": "6"},
        ),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code in {302, 403, 404}, url
    assert ReviewRound.objects.count() == 1
    assert ReviewRound.objects.get().closed_at is None
    assert BackgroundItem.objects.count() == 0


def test_the_process_page_shows_the_six_steps_and_takes_background(client, who, ours):
    client.force_login(who["org editor"])
    page = client.get(f"/frameworks/{ours.slug}/process/").content.decode()
    assert "Step 1: Conduct research: gather and analyze background information" in page
    assert "Step 6: Finalize the model framework" in page
    upload = SimpleUploadedFile("standard.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = client.post(
        f"/frameworks/{ours.slug}/process/background/",
        {"kind": "document", "file": upload, "title": "AWS standard"},
    )
    assert response.status_code == 302
    item = BackgroundItem.objects.get()
    download = client.get(f"/frameworks/{ours.slug}/process/background/{item.identifier}/download")
    assert (download.status_code, download.content, download["Content-Type"]) == (
        200,
        b"%PDF-1.4 test",
        "application/pdf",
    )
    bad = client.post(
        f"/frameworks/{ours.slug}/process/background/",
        {"kind": "occupation", "code": "x", "title": "Welders"},
    )
    assert bad.status_code == 422
    assert (
        "occupation code: &#x27;x&#x27; is not an O*NET-SOC code such as 47-2111.00"
        in bad.content.decode()
    )
    assert BackgroundItem.objects.count() == 1


def test_approving_and_publishing_from_the_page(client, who, ours):
    client.force_login(who["owner"])
    assert (
        client.post(f"/frameworks/{ours.slug}/process/approvers", {"username": "vic"}).status_code
        == 302
    )
    refused = client.post(f"/frameworks/{ours.slug}/process/publish", {"note": "v2"})
    assert refused.status_code == 409
    assert "waiting for vic" in refused.content.decode()
    client.force_login(who["org viewer"])
    assert (
        client.get(f"/frameworks/{ours.slug}/process/").status_code == 200
    )  # an approver reads it
    assert client.post(f"/frameworks/{ours.slug}/process/approve", {}).status_code == 302
    client.force_login(who["owner"])
    assert (
        client.post(f"/frameworks/{ours.slug}/process/publish", {"note": "v2"}).status_code == 302
    )
    assert list(ours.versions.values_list("number", flat=True)) == [2, 1]


def test_opening_a_round_from_the_page_shows_the_links_once(
    client, who, ours, django_capture_on_commit_callbacks
):
    client.force_login(who["owner"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/frameworks/{ours.slug}/rounds/",
            {
                "reviewers": "a@example.org, b@example.org",
                "version": "1",
                "deadline": "2031-01-31",
                "title": "Panel",
            },
        )
    assert response.status_code == 201
    links = re.findall(r"http://127\.0\.0\.1:8000/review/r/[\w-]+/", response.content.decode())
    assert len(links) == 2 and len(mail.outbox) == 2
    assert (
        client.get(f"/review/rounds/{ReviewRound.objects.get().pk}/")
        .content.decode()
        .count("/review/r/")
        == 0
    )
    bad = client.post(
        f"/frameworks/{ours.slug}/rounds/", {"reviewers": "nobody", "deadline": "soon"}
    )
    assert bad.status_code == 422
    assert "&#x27;soon&#x27; is not a date (YYYY-MM-DD)" in bad.content.decode()


def test_a_reviewer_works_through_the_tiers_on_their_link(client, opened, ours):
    token = opened.tokens["ann@example.org"]
    start = client.get(f"/review/r/{token}/")
    assert start.status_code == 200 and start["Referrer-Policy"] == "no-referrer"
    assert "Tier 1: Personal Effectiveness" in start.content.decode()
    tier = client.get(f"/review/r/{token}/tiers/1/").content.decode()
    assert "Sharing tools with the crew" in tier and "Add a competency to tier 1" in tier
    item = behavior(ours, SHARING).identifier
    # Without JavaScript: a plain post, back to the item.
    plain = client.post(
        f"/review/r/{token}/save",
        {"item": item, "tier": 1, "action": "edit", "text": "Sharing PPE"},
    )
    assert (
        plain.status_code == 302 and plain["Location"] == f"/review/r/{token}/tiers/1/#item-{item}"
    )
    # With HTMX: the item's fragment comes back.
    fragment = client.post(
        f"/review/r/{token}/save",
        {"item": item, "tier": 1, "action": "remove", "comment": "old"},
        HTTP_HX_REQUEST="true",
    )
    assert fragment.status_code == 200
    assert "saved: remove" in fragment.content.decode()
    assert list(Proposal.objects.values_list("action", "comment")) == [("remove", "old")]
    refused = client.post(
        f"/review/r/{token}/save",
        {"item": item, "tier": 1, "action": "edit", "text": SHARING},
        HTTP_HX_REQUEST="true",
    )
    assert refused.status_code == 422
    assert "is unchanged; write the text you propose" in refused.content.decode()
    added = client.post(
        f"/review/r/{token}/save",
        {"item": tier_id(ours, 1), "tier": 1, "action": "add", "part": "adds", "title": "Safety"},
        HTTP_HX_REQUEST="true",
    )
    assert "You propose to add the competency: <strong>Safety</strong>" in added.content.decode()
    assert client.post(f"/review/r/{token}/finish").status_code == 302


def test_one_reviewers_link_cannot_touch_anothers_input(client, opened, ours):
    ann = round_selectors.reviewer_by_token(opened.tokens["ann@example.org"])
    mark = round_services.save_proposal(
        reviewer=ann, item=competency(ours, "1.1").identifier, action="keep"
    )
    bo = opened.tokens["bo@example.org"]
    client.post(
        f"/review/r/{bo}/save",
        {"item": mark.item_identifier, "tier": 1, "withdraw": mark.identifier},
    )
    assert list(Proposal.objects.values_list("reviewer__email", "action")) == [
        ("ann@example.org", "keep")
    ]
    page = client.get(f"/review/r/{bo}/tiers/1/").content.decode()
    assert "saved: keep" not in page
    assert client.get("/review/r/not-a-token/").status_code == 404


def test_refining_from_the_page(client, who, opened, ours):
    ann = round_selectors.reviewer_by_token(opened.tokens["ann@example.org"])
    mark = round_services.save_proposal(
        reviewer=ann, item=behavior(ours, SHARING).identifier, action="edit", text="Sharing PPE"
    )
    client.force_login(who["owner"])
    assert (
        client.post(
            f"/review/rounds/{opened.round.pk}/close", {"note": "deadline passed"}
        ).status_code
        == 302
    )
    page = client.get(f"/review/rounds/{opened.round.pk}/refine/").content.decode()
    assert "Sharing PPE" in page and "edit: 1" in page
    refused = client.post(
        f"/review/rounds/{opened.round.pk}/refine/",
        {"decision": "rejected", "proposal": mark.identifier},
    )
    assert refused.status_code == 422
    done = client.post(
        f"/review/rounds/{opened.round.pk}/refine/",
        {"decision": "accepted", "proposal": mark.identifier, "item": mark.item_identifier},
    )
    assert done.status_code == 302
    assert Resolution.objects.get().decision == "accepted"
    assert behavior(ours, "Sharing PPE").origin == "edited"


def test_the_schedule_and_the_dashboard(client, who, ours):
    client.force_login(who["owner"])
    page = client.get("/review/due/").content.decode()
    assert "Our Welding" in page and "Informal review" in page and "Formal update" in page
    response = client.post(
        f"/frameworks/{ours.slug}/review-schedule/", {"informal_months": "6", "formal_months": "24"}
    )
    assert response.status_code == 302
    bad = client.post(
        f"/frameworks/{ours.slug}/review-schedule/", {"informal_months": "0", "formal_months": "x"}
    )
    assert bad.status_code == 422
    assert (
        client.post(
            f"/frameworks/{ours.slug}/review-schedule/", {"record": "informal", "note": "ok"}
        ).status_code
        == 302
    )


def test_suggest_a_change_from_a_public_page_and_follow_it(client, who, ours, settings):
    Framework.objects.filter(pk=ours.pk).update(visibility="public")
    item = behavior(ours, SHARING)
    competency_page = client.get(f"/frameworks/{ours.slug}/competencies/1.1/").content.decode()
    assert f"/frameworks/{ours.slug}/suggest/{item.identifier}/" in competency_page
    form = client.get(f"/frameworks/{ours.slug}/suggest/{item.identifier}/")
    assert form.status_code == 200 and SHARING in form.content.decode()
    made = client.post(
        f"/frameworks/{ours.slug}/suggest/{item.identifier}/",
        {"action": "edit", "text": "Sharing PPE"},
        REMOTE_ADDR="203.0.113.5",
    )
    assert made.status_code == 201
    link = re.search(
        r"http://127\.0\.0\.1:8000(/review/follow/[\w-]+/)", made.content.decode()
    ).group(1)
    follow = client.get(link).content.decode()
    assert "Held for moderation" in follow
    settings.CMC_SUGGESTIONS_PER_HOUR = 1
    limited = client.post(
        f"/frameworks/{ours.slug}/suggest/{item.identifier}/",
        {"action": "edit", "text": "Again"},
        REMOTE_ADDR="203.0.113.5",
    )
    assert limited.status_code == 429
    assert Suggestion.objects.count() == 1
    client.force_login(who["owner"])
    triage = client.get(f"/frameworks/{ours.slug}/suggestions/").content.decode()
    assert "Held for moderation (1)" in triage
    s = Suggestion.objects.get()
    assert (
        client.post(f"/review/suggestions/{s.identifier}/decide", {"op": "allow"}).status_code
        == 302
    )
    assert (
        client.post(
            f"/review/suggestions/{s.identifier}/decide", {"op": "reply", "text": "Looking at it"}
        ).status_code
        == 302
    )
    assert "Looking at it" in client.get(link).content.decode()


def test_a_signed_in_suggester_follows_on_their_own_page(client, who, ours):
    Framework.objects.filter(pk=ours.pk).update(visibility="public")
    client.force_login(who["outsider"])
    item = competency(ours, "1.2")
    made = client.post(
        f"/frameworks/{ours.slug}/suggest/{item.identifier}/",
        {"action": "add", "text": "Owning mistakes"},
    )
    s = Suggestion.objects.get()
    assert made["Location"] == f"/review/suggestions/{s.identifier}/"
    assert "Waiting for the editors" in client.get(made["Location"]).content.decode()
    assert "Owning mistakes" not in client.get("/review/suggestions/").content.decode()
    assert "1.2: Integrity" in client.get("/review/suggestions/").content.decode()
    client.force_login(who["org viewer"])
    assert client.get(f"/review/suggestions/{s.identifier}/").status_code == 404


def test_the_framework_page_links_the_process_for_its_editors(client, who, ours):
    client.force_login(who["org editor"])
    page = client.get(f"/frameworks/{ours.slug}/").content.decode()
    assert f'href="/frameworks/{ours.slug}/process/">Development process</a>' in page
    assert "Development process</h2>" in page
    client.force_login(who["org viewer"])
    page = client.get(f"/frameworks/{ours.slug}/").content.decode()
    assert "/process/" not in page
