"""The personal links of a validation survey: made for the invitees when it opens, for more
people while it is open, and made anew for one invitee (the old link then opens nothing).
Only a link's hash is kept, so a link is shown once, to the editor, and emailed once."""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cmc.core.errors import Conflict, InvalidInput, Problem
from cmc.frameworks.selectors import require_editable

from ..models import Survey, SurveyInvitation, SurveyResponse, hash_link_token
from ..selectors.surveys import day
from .mail import send_later

MAX_INVITEES = 500


@dataclass(frozen=True)
class PersonalLink:
    email: str
    link: str
    invitation: int | None = None  # the invitation's id, for sending it again


def link_for(token: str) -> str:
    """A personal link's absolute address."""
    return settings.CMC_SITE_URL + reverse("review:survey_respond", kwargs={"token": token})


def clean_emails(invitees: list[str], problems: list[Problem]) -> list[str]:
    """The invitees' addresses, trimmed, in lower case, each once; a problem for each that is
    not an address, and for none or too many."""
    emails = list(dict.fromkeys(e.strip().lower() for e in invitees if e and e.strip()))
    if not emails:
        problems.append(Problem("survey", "invite", "invite at least one person by email"))
    if len(emails) > MAX_INVITEES:
        problems.append(Problem("survey", "invite", f"invite at most {MAX_INVITEES} at once"))
    for email in emails:
        try:
            validate_email(email)
        except ValidationError:
            problems.append(Problem("survey", "invite", f"'{email}' is not an email address"))
    return emails


def create_invitations(survey: Survey, emails: list[str]) -> list[PersonalLink]:
    """A new invitation for each address, inside the caller's transaction, and each one's
    link emailed once that transaction commits."""
    tokens = {email: secrets.token_urlsafe(32) for email in emails}
    rows = SurveyInvitation.objects.bulk_create(
        SurveyInvitation(survey=survey, email=email, token_hash=hash_link_token(token))
        for email, token in tokens.items()
    )
    ids = {row.email: row.pk for row in rows}
    links = [
        PersonalLink(email, link_for(token), ids.get(email)) for email, token in tokens.items()
    ]
    for link in links:
        _send(survey, link)
    return links


def _send(survey: Survey, link: PersonalLink, **renewal) -> None:
    """Email one personal link after the commit (review.services.mail). A mail server that
    fails does not undo the write: the editor has the link to pass on another way."""
    context = {
        "survey": survey, "link": link.link, "deadline": timezone.localtime(survey.deadline),
        **renewal,
    }  # fmt: skip
    send_later(
        template="survey_invitation",
        context=context,
        to=[link.email],
        subject=f"Validation survey: {survey.framework.name}",
    )


def _require_open(survey: Survey, doing: str) -> None:
    """The survey still takes answers: a closed one, or one past its deadline, takes no more
    people and no new links."""
    if survey.closed_at is not None:
        raise Conflict(f"This survey closed on {day(survey.closed_at)}; it takes no {doing}.")
    if survey.deadline <= timezone.now():
        raise Conflict(
            f"This survey's deadline passed on {day(survey.deadline)}; it takes no {doing}."
        )


def invite(*, survey: Survey, actor, invitees: list[str]) -> list[PersonalLink]:
    """Invite more people to an open survey (the framework's editors only): each is emailed a
    personal link, and the links are returned once. Someone invited already is refused, by
    name: send them a new link instead."""
    require_editable(framework=survey.framework, actor=actor)
    with transaction.atomic():
        locked = Survey.objects.select_for_update().select_related("framework", "version")
        survey = locked.get(pk=survey.pk)
        _require_open(survey, "more people")
        problems: list[Problem] = []
        emails = clean_emails(invitees, problems)
        invited = set(
            SurveyInvitation.objects.filter(survey=survey, email__in=emails).values_list(
                "email", flat=True
            )
        )
        problems += [
            Problem("survey", "invite", f"'{email}' is invited already; send a new link instead")
            for email in emails
            if email in invited
        ]
        if problems:
            raise InvalidInput(problems)
        return create_invitations(survey, emails)


def renew_links(
    *, survey: Survey, invitations: list[SurveyInvitation], actor
) -> list[PersonalLink]:
    """A new personal link for each of these invitees of an open survey (the framework's
    editors only), emailed to them and returned once, all in one transaction: the link each
    had opens nothing from now on, and the answers they saved or submitted stay theirs."""
    require_editable(framework=survey.framework, actor=actor)
    invitations = list({i.pk: i for i in invitations}.values())  # each invitee once
    if not invitations:
        raise InvalidInput([Problem("survey", "invitation", "name at least one invitee")])
    if any(invitation.survey_id != survey.pk for invitation in invitations):
        raise InvalidInput([Problem("survey", "invitation", "is an invitation of another survey")])
    links = []
    with transaction.atomic():
        locked = Survey.objects.select_for_update().select_related("framework", "version")
        survey = locked.get(pk=survey.pk)
        _require_open(survey, "new links")
        for invitation in invitations:
            links.append(_renew(survey, invitation))
    return links


def _renew(survey: Survey, invitation: SurveyInvitation) -> PersonalLink:
    token = secrets.token_urlsafe(32)
    row = SurveyInvitation.objects.select_for_update().get(pk=invitation.pk)
    row.token_hash = hash_link_token(token)
    row.renewed_at = timezone.now()
    row.renewals += 1
    row.save(update_fields=["token_hash", "renewed_at", "renewals"])
    response = SurveyResponse.objects.filter(invitation=row).first()
    link = PersonalLink(row.email, link_for(token), row.pk)
    _send(survey, link, renewed=True, saved=response is not None,
          submitted=response is not None and response.submitted_at is not None)  # fmt: skip
    return link
