"""More people invited to an open survey, and a new personal link for one invitee (the old one
then opens nothing; their answers stay theirs): the services, the survey's page, the API and
`cmc survey invite|resend`. A closed survey, or one past its deadline, is refused plainly."""

import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.http import Http404
from django.utils import timezone

from cmc.core.errors import Conflict, InvalidInput, Problem
from cmc.review.models import Survey, SurveyInvitation, SurveyResponse
from cmc.review.selectors.surveys import invitations_of, link_state
from cmc.review.services.survey_invitations import invite, renew_links
from cmc.review.services.surveys import close_survey, save_response

from .survey_builders import INVITEES, MAY_EDIT, ROLES, behaviors, opened, people, token_of

pytestmark = pytest.mark.django_db
JSON = "application/json"
REFUSED = {"org viewer": 403, "outsider": 404, "anonymous": 401}


@pytest.fixture
def who():
    return people()


@pytest.fixture
def survey_open(who):
    """(framework, survey, tokens by email), with the opening's emails cleared."""
    found = opened(who)
    mail.outbox.clear()
    return found


def invitations() -> list[tuple]:
    return list(
        SurveyInvitation.objects.order_by("id").values_list("id", "email", "token_hash", "renewals")
    )


def submitted_by(token, survey) -> SurveyResponse:
    ratings = [{"behavior": b, "importance": 4} for b in behaviors(survey)]
    return save_response(token=token, ratings=ratings, submit=True)


def closed_message(survey) -> str:
    day = timezone.localtime(survey.closed_at)
    return f"This survey closed on {day:%B} {day.day}, {day.year}; it takes no "


# The services


def test_more_people_get_their_own_links_by_email(
    who, survey_open, django_capture_on_commit_callbacks
):
    _, survey, _ = survey_open
    with django_capture_on_commit_callbacks(execute=True):
        links = invite(survey=survey, actor=who["org editor"],
                       invitees=[" Dee@Example.org", "eve@example.org", "dee@example.org"])  # fmt: skip
    assert [link.email for link in links] == ["dee@example.org", "eve@example.org"]
    rows = {row.email: row for row in SurveyInvitation.objects.filter(survey=survey)}
    assert [link.invitation for link in links] == [rows["dee@example.org"].pk,
                                                   rows["eve@example.org"].pk]  # fmt: skip
    assert link_state(token_of(links[0].link)).invitation == rows["dee@example.org"]
    assert rows["dee@example.org"].token_hash not in links[0].link
    assert [m.to for m in mail.outbox] == [["dee@example.org"], ["eve@example.org"]]
    assert mail.outbox[0].subject == "Validation survey: Our Welding"
    assert links[0].link in mail.outbox[0].body
    assert "You are invited to rate the key behaviors of Our Welding (version 1)" in (
        mail.outbox[0].body
    )
    assert [row.state for row in invitations_of(survey)] == ["not started"] * 5


def test_someone_invited_already_is_refused_by_name_and_nothing_is_written(who, survey_open):
    _, survey, _ = survey_open
    before = invitations()
    with pytest.raises(InvalidInput) as error:
        invite(survey=survey, actor=who["owner"],
               invitees=["ann@example.org", "new@example.org", "not-an-address"])  # fmt: skip
    assert error.value.problems == [
        Problem("survey", "invite", "'not-an-address' is not an email address"),
        Problem(
            "survey", "invite", "'ann@example.org' is invited already; send a new link instead"
        ),
    ]
    with pytest.raises(InvalidInput) as error:
        invite(survey=survey, actor=who["owner"], invitees=["", " "])
    assert error.value.problems == [
        Problem("survey", "invite", "invite at least one person by email")
    ]
    assert invitations() == before and mail.outbox == []


@pytest.mark.parametrize("role", [r for r in ROLES if r not in MAY_EDIT])
def test_only_the_models_editors_invite_and_send_new_links(who, survey_open, role):
    _, survey, _ = survey_open
    before = invitations()
    with pytest.raises(PermissionDenied):
        invite(survey=survey, actor=who[role], invitees=["new@example.org"])
    invitation = SurveyInvitation.objects.filter(survey=survey).first()
    with pytest.raises(PermissionDenied):
        renew_links(survey=survey, invitations=[invitation], actor=who[role])
    assert invitations() == before and mail.outbox == []


def test_a_new_link_replaces_the_old_and_the_answers_stay(
    who, survey_open, django_capture_on_commit_callbacks
):
    _, survey, tokens = survey_open
    response = submitted_by(tokens["ann@example.org"], survey)
    ann = SurveyInvitation.objects.get(email="ann@example.org")
    bob = SurveyInvitation.objects.get(email="bob@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        links = renew_links(survey=survey, invitations=[ann, bob, ann], actor=who["owner"])
    assert [(link.email, link.invitation) for link in links] == [
        ("ann@example.org", ann.pk),
        ("bob@example.org", bob.pk),
    ]
    with pytest.raises(Http404):
        link_state(tokens["ann@example.org"])
    state = link_state(token_of(links[0].link))
    assert state.response == response and state.response.submitted_at is not None
    assert (
        state.refusal == "You submitted your answers already; thank you. They can't be changed now."
    )
    assert link_state(token_of(links[1].link)).refusal == ""
    ann.refresh_from_db()
    assert ann.renewals == 1 and ann.renewed_at is not None
    assert [m.to for m in mail.outbox] == [["ann@example.org"], ["bob@example.org"]]
    assert "The link you had before no longer works; the answers you submitted are kept." in (
        mail.outbox[0].body
    )
    assert links[0].link in mail.outbox[0].body
    assert [row.state for row in invitations_of(survey)][:2] == ["submitted", "not started"]


def test_a_saved_response_goes_on_with_the_new_link(who, survey_open):
    _, survey, tokens = survey_open
    save_response(token=tokens["cy@example.org"], group={"role": "Employer"})
    cy = SurveyInvitation.objects.get(email="cy@example.org")
    (link,) = renew_links(survey=survey, invitations=[cy], actor=who["owner"])
    saved = save_response(token=token_of(link.link), ratings=[
        {"behavior": behaviors(survey)[0], "importance": 5}])  # fmt: skip
    assert saved.group == {"role": "Employer"} and SurveyResponse.objects.count() == 1


def test_a_closed_survey_or_one_past_its_deadline_takes_nobody(who, survey_open):
    _, survey, _ = survey_open
    invitation = SurveyInvitation.objects.filter(survey=survey).first()
    Survey.objects.filter(pk=survey.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    survey.refresh_from_db()
    day = timezone.localtime(survey.deadline)
    with pytest.raises(Conflict) as error:
        invite(survey=survey, actor=who["owner"], invitees=["new@example.org"])
    assert str(error.value) == (
        f"This survey's deadline passed on {day:%B} {day.day}, {day.year}; it takes no more people."
    )
    Survey.objects.filter(pk=survey.pk).update(deadline=timezone.now() + timedelta(days=1))
    close_survey(survey=survey, actor=who["owner"])
    before = invitations()
    with pytest.raises(Conflict) as error:
        invite(survey=survey, actor=who["owner"], invitees=["new@example.org"])
    assert str(error.value) == closed_message(survey) + "more people."
    with pytest.raises(Conflict) as error:
        renew_links(survey=survey, invitations=[invitation], actor=who["owner"])
    assert str(error.value) == closed_message(survey) + "new links."
    assert invitations() == before and mail.outbox == []


def test_an_invitation_of_another_survey_is_refused(who, survey_open):
    framework, survey, _ = survey_open
    _, other, _ = opened(who, framework=framework, invitees=["zed@example.org"])
    stranger = SurveyInvitation.objects.get(survey=other)
    with pytest.raises(InvalidInput):
        renew_links(survey=survey, invitations=[stranger], actor=who["owner"])


# The survey's page


def page_text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_page_lists_the_invitees_and_invites_more(
    client, who, survey_open, django_capture_on_commit_callbacks
):
    _, survey, tokens = survey_open
    save_response(token=tokens["bob@example.org"], group={"role": "Worker"})
    client.force_login(who["org editor"])
    page = page_text(client.get(f"/surveys/{survey.pk}/"))
    assert '<h2 id="invitees-heading">Invitees (3)</h2>' in page
    assert '<th scope="row">bob@example.org</th> <td>Saved</td>' in page
    assert f'action="/surveys/{survey.pk}/invitations"' in page
    bob = SurveyInvitation.objects.get(email="bob@example.org")
    assert f'action="/surveys/{survey.pk}/invitations/{bob.pk}/resend"' in page
    assert 'Send a new link<span class="visually-hidden"> to bob@example.org</span>' in page
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(f"/surveys/{survey.pk}/invitations",
                             {"invite": "dee@example.org, eve@example.org"})  # fmt: skip
    assert answer.status_code == 201
    shown = re.findall(r'<code class="link">([^<]+)</code>', answer.content.decode())
    assert len(shown) == 2 and len(mail.outbox) == 2
    assert client.get(shown[0].replace("http://127.0.0.1:8000", "")).status_code == 200


def test_the_page_shows_why_an_invitation_was_refused(client, who, survey_open):
    _, survey, _ = survey_open
    client.force_login(who["owner"])
    before = invitations()
    answer = client.post(f"/surveys/{survey.pk}/invitations", {"invite": "ann@example.org"})
    assert answer.status_code == 422
    page = page_text(answer)
    assert "Nobody was invited and no link was sent" in page
    message = "Invite: &#x27;ann@example.org&#x27; is invited already; send a new link instead"
    assert f'<a href="#id_invite_more">{message}</a>' in page
    assert ">ann@example.org</textarea>" in page
    close_survey(survey=survey, actor=who["owner"])
    answer = client.post(f"/surveys/{survey.pk}/invitations", {"invite": "new@example.org"})
    assert answer.status_code == 409
    assert closed_message(Survey.objects.get(pk=survey.pk)) + "more people." in page_text(answer)
    assert "it takes no more people and sends no new links" in page_text(answer)
    assert "Send a new link<" not in page_text(answer)
    assert invitations() == before


def test_the_page_sends_a_new_link_and_shows_it_once(
    client, who, survey_open, django_capture_on_commit_callbacks
):
    _, survey, tokens = survey_open
    client.force_login(who["owner"])
    ann = SurveyInvitation.objects.get(email="ann@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(f"/surveys/{survey.pk}/invitations/{ann.pk}/resend")
    assert answer.status_code == 201
    assert "A new link for ann@example.org" in page_text(answer)
    (link,) = re.findall(r'<code class="link">([^<]+)</code>', answer.content.decode())
    assert link in mail.outbox[0].body
    assert client.get(link.replace("http://127.0.0.1:8000", "")).status_code == 200
    old = client.get(f"/surveys/respond/{tokens['ann@example.org']}/")
    assert old.status_code == 404
    assert client.post(f"/surveys/{survey.pk}/invitations/999999/resend").status_code == 404


@pytest.mark.parametrize("role,status", [("org viewer", 403), ("outsider", 404)])
def test_the_pages_refuse_who_may_not_edit(client, who, survey_open, role, status):
    _, survey, _ = survey_open
    client.force_login(who[role])
    ann = SurveyInvitation.objects.get(email="ann@example.org")
    before = invitations()
    assert (
        client.post(f"/surveys/{survey.pk}/invitations", {"invite": "x@example.org"}).status_code
        == status
    )
    assert client.post(f"/surveys/{survey.pk}/invitations/{ann.pk}/resend").status_code == status
    assert invitations() == before


# The API


def as_(client, who, role):
    if role != "anonymous":
        client.force_login(who[role])
    return client


@pytest.mark.parametrize("role", ROLES)
def test_the_api_lists_invites_and_resends_for_editors_only(client, who, survey_open, role):
    _, survey, tokens = survey_open
    submitted_by(tokens["cy@example.org"], survey)
    api = as_(client, who, role)
    listed = api.get(f"/api/v1/surveys/{survey.pk}/invitations")
    invited = api.post(f"/api/v1/surveys/{survey.pk}/invitations",
                       {"invite": ["dee@example.org"]}, content_type=JSON)  # fmt: skip
    ann = SurveyInvitation.objects.get(email="ann@example.org")
    resent = api.post(f"/api/v1/surveys/{survey.pk}/invitations/{ann.pk}/resend")
    if role not in MAY_EDIT:
        # Reading, a visitor who is not signed in sees no survey; writing, they must sign in.
        assert listed.status_code == {**REFUSED, "anonymous": 404}[role]
        assert invited.status_code == resent.status_code == REFUSED[role]
        assert SurveyInvitation.objects.count() == 3
        return
    assert listed.status_code == 200
    rows = listed.json()
    assert [(r["email"], r["state"], r["renewals"], r["renewed_at"]) for r in rows] == [
        ("ann@example.org", "not started", 0, None),
        ("bob@example.org", "not started", 0, None),
        ("cy@example.org", "submitted", 0, None),
    ]
    assert set(rows[0]) == {"id", "email", "invited_at", "renewed_at", "renewals", "state"}
    assert invited.status_code == 201
    (new,) = invited.json()
    dee = SurveyInvitation.objects.get(email="dee@example.org")
    assert (new["id"], new["email"]) == (dee.pk, "dee@example.org")
    assert new["link"].startswith("http://127.0.0.1:8000/surveys/respond/")
    assert client.get(f"/api/v1/survey-responses/{token_of(new['link'])}").status_code == 200
    assert resent.status_code == 200
    assert (resent.json()["id"], resent.json()["email"]) == (ann.pk, "ann@example.org")
    assert client.get(f"/api/v1/survey-responses/{tokens['ann@example.org']}").status_code == 404
    assert resent.json()["link"] != invited.json()[0]["link"]


def test_the_api_refuses_with_409_422_and_404(client, who, survey_open):
    _, survey, _ = survey_open
    client.force_login(who["owner"])
    duplicate = client.post(f"/api/v1/surveys/{survey.pk}/invitations",
                            {"invite": ["bob@example.org"]}, content_type=JSON)  # fmt: skip
    assert duplicate.status_code == 422
    assert duplicate.json()["errors"] == [{
        "where": "survey", "field": "invite",
        "message": "'bob@example.org' is invited already; send a new link instead",
    }]  # fmt: skip
    missing = client.post(f"/api/v1/surveys/{survey.pk}/invitations/999999/resend")
    assert missing.status_code == 404
    assert missing.json()["detail"] == f"Survey {survey.pk} has no invitation 999999."
    close_survey(survey=survey, actor=who["owner"])
    closed = client.post(f"/api/v1/surveys/{survey.pk}/invitations",
                         {"invite": ["new@example.org"]}, content_type=JSON)  # fmt: skip
    assert closed.status_code == 409
    assert closed.json()["detail"] == closed_message(Survey.objects.get(pk=survey.pk)) + (
        "more people."
    )
    ann = SurveyInvitation.objects.get(email="ann@example.org")
    resent = client.post(f"/api/v1/surveys/{survey.pk}/invitations/{ann.pk}/resend")
    assert resent.status_code == 409
    assert SurveyInvitation.objects.count() == len(INVITEES)


# The command line


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("survey", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_cmc_survey_invite_prints_each_new_link(
    who, survey_open, django_capture_on_commit_callbacks
):
    _, survey, _ = survey_open
    with django_capture_on_commit_callbacks(execute=True):
        out, err = run("invite", str(survey.pk), "--invite", "dee@example.org", "eve@example.org",
                       "--as", "ed")  # fmt: skip
    lines = [line.split("\t") for line in out.splitlines()]
    assert [email for email, _ in lines] == ["dee@example.org", "eve@example.org"]
    assert all(link.startswith("http://127.0.0.1:8000/surveys/respond/") for _, link in lines)
    assert err == f"Invited 2 more to survey {survey.pk}; emailed their links:\n"
    assert len(mail.outbox) == 2


def test_cmc_survey_resend_replaces_the_links(who, survey_open, django_capture_on_commit_callbacks):
    _, survey, tokens = survey_open
    with django_capture_on_commit_callbacks(execute=True):
        out, err = run("resend", str(survey.pk), "--to", "Bob@example.org", "--as", "olga")
    ((email, link),) = [line.split("\t") for line in out.splitlines()]
    assert email == "bob@example.org" and link in mail.outbox[0].body
    assert err == (f"Emailed 1 new link(s) for survey {survey.pk}; the old ones stop working:\n")
    with pytest.raises(Http404):
        link_state(tokens["bob@example.org"])
    assert link_state(token_of(link)).invitation.email == "bob@example.org"


def test_cmc_survey_invite_and_resend_refuse_in_one_line(who, survey_open):
    _, survey, _ = survey_open
    before = invitations()
    with pytest.raises(CommandError) as error:
        run("resend", str(survey.pk), "--to", "ann@example.org", "nobody@example.org",
            "--as", "olga")  # fmt: skip
    assert str(error.value) == f"Survey {survey.pk} has no invitee 'nobody@example.org'."
    with pytest.raises(CommandError) as error:
        run("invite", str(survey.pk), "--invite", "x@example.org", "--as", "vic")
    assert str(error.value) == "Only the model's editors see and change its surveys."
    with pytest.raises(CommandError) as error:
        run("invite", str(survey.pk), "--invite", "x@example.org", "--as", "otto")
    assert str(error.value) == f"otto sees no survey {survey.pk}"
    close_survey(survey=survey, actor=who["owner"])
    with pytest.raises(CommandError) as error:
        run("invite", str(survey.pk), "--invite", "x@example.org", "--as", "olga")
    assert str(error.value) == closed_message(Survey.objects.get(pk=survey.pk)) + "more people."
    with pytest.raises(CommandError) as error:
        run("resend", str(survey.pk), "--to", "ann@example.org", "--as", "olga")
    assert str(error.value) == closed_message(Survey.objects.get(pk=survey.pk)) + "new links."
    assert invitations() == before and mail.outbox == []
