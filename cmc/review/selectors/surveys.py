"""Every read of validation surveys: which surveys a person may see, a version's items to rate,
a personal link's state, the results, and the survey step of a model's process."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Subquery
from django.http import Http404
from django.utils import timezone

from cmc.frameworks.models import Framework, FrameworkVersion
from cmc.frameworks.selectors import may_edit, require_editable, version_tree

from ..models import GROUP_KINDS as GROUP_KINDS  # the group questions, for the doors
from ..models import Publication, Survey, SurveyInvitation, SurveyResponse, hash_link_token

NOT_STARTED, OPEN, CLOSED = "not started", "open", "closed"
BAD_LINK = "This survey link is not valid: check that you copied the whole link from the email."


@dataclass(frozen=True)
class SurveyItem:
    """A key behavior to rate, with the tier and competency it belongs to in the version."""

    tier_number: int
    tier_name: str
    competency_identifier: uuid.UUID
    competency_code: str
    competency_name: str
    identifier: uuid.UUID
    title: str
    text: str


def survey_items(survey: Survey) -> list[SurveyItem]:
    """The key behaviors of the survey's version, in the model's order."""
    tree = version_tree(survey.framework, survey.version)
    return [
        SurveyItem(
            tier.number,
            tier.name,
            competency.identifier,
            competency.code,
            competency.name,
            behavior.identifier,
            behavior.title,
            behavior.text,
        )  # fmt: skip
        for tier in tree.tiers
        for competency in tier.competencies
        for behavior in competency.behaviors
        if behavior.identifier is not None
    ]


def surveys_of(*, framework: Framework, user) -> list[Survey]:
    """The framework's surveys, newest first, with their invitation and response counts: for
    those who may edit the framework (PermissionDenied for anyone else)."""
    require_editable(framework=framework, actor=user)
    return list(
        Survey.objects.filter(framework=framework)
        .select_related("framework", "version", "opened_by", "closed_by")
        .annotate(
            invited=Count("invitations", distinct=True),
            answered=Count("invitations__response", distinct=True),
            submitted=Count(
                "invitations__response",
                filter=Q(invitations__response__submitted_at__isnull=False),
                distinct=True,
            ),
        )
    )


def editable_survey(*, user, survey_id: int) -> Survey:
    """A survey whose framework the user may change; 404 if they may not see the framework or
    there is no such survey, PermissionDenied if they may only read the framework."""
    survey = (
        Survey.objects.filter(pk=survey_id, framework__in=Framework.objects.visible_to(user))
        .select_related("framework", "version", "opened_by", "closed_by")
        .first()
    )
    if survey is None:
        raise Http404(f"No survey {survey_id}.")
    if not may_edit(framework=survey.framework, actor=user):
        raise PermissionDenied("Only the model's editors see and change its surveys.")
    return survey


@dataclass(frozen=True)
class InvitationRow:
    """One invitee of a survey as its editor sees them: never their answers, only how far
    they got (not started, saved, submitted) and when their link was made."""

    id: int
    email: str
    invited_at: datetime
    renewed_at: datetime | None
    renewals: int
    state: str


def invitations_of(survey: Survey) -> list[InvitationRow]:
    """The survey's invitees in the order they were invited, each with how far they got; one
    query."""
    rows = (
        SurveyInvitation.objects.filter(survey=survey)
        .order_by("id")
        .values_list("id", "email", "created_at", "renewed_at", "renewals",
                     "response__id", "response__submitted_at")
    )  # fmt: skip
    return [
        InvitationRow(pk, email, created, renewed, renewals,
                      "submitted" if submitted else "saved" if response else "not started")
        for pk, email, created, renewed, renewals, response, submitted in rows
    ]  # fmt: skip


def survey_invitation(survey: Survey, *, pk: int | None = None, email: str = ""):
    """One invitation of the survey, by its id or its invitee's email; 404 if none."""
    rows = SurveyInvitation.objects.filter(survey=survey).select_related("survey__framework")
    found = (
        rows.filter(pk=pk).first()
        if pk is not None
        else rows.filter(email=(email or "").strip().lower()).first()
    )
    if found is None:
        who = f"invitation {pk}" if pk is not None else f"invitee '{email}'"
        raise Http404(f"Survey {survey.pk} has no {who}.")
    return found


@dataclass(frozen=True)
class LinkState:
    """What a personal link opens: its invitation and response (if saved yet), and whether it
    still takes answers (`refusal` says why not)."""

    invitation: SurveyInvitation
    response: SurveyResponse | None
    refusal: str


def link_state(token: str) -> LinkState:
    """The invitation a personal link's token names (Http404 for a wrong one), and why it no
    longer takes answers, if it does not: the survey closed, its deadline passed, or the
    answers were submitted."""
    invitation = (
        SurveyInvitation.objects.filter(token_hash=hash_link_token(token or ""))
        .select_related("survey__framework", "survey__version")
        .first()
    )
    if invitation is None:
        raise Http404(BAD_LINK)
    response = SurveyResponse.objects.filter(invitation=invitation).first()
    return LinkState(invitation, response, refusal(invitation.survey, response))


def refusal(survey: Survey, response: SurveyResponse | None) -> str:
    """Why a response to the survey can't be saved now, or ""."""
    if survey.closed_at is not None:
        return f"This survey closed on {day(survey.closed_at)}; it takes no more answers."
    if survey.deadline <= timezone.now():
        return f"This survey's deadline passed on {day(survey.deadline)}; it takes no more answers."
    if response is not None and response.submitted_at is not None:
        return "You submitted your answers already; thank you. They can't be changed now."
    return ""


def ratings_of(response: SurveyResponse | None) -> dict[uuid.UUID, dict]:
    """A response's ratings by behavior identifier, as the API and the form show them."""
    if response is None:
        return {}
    return {
        r.behavior: {
            "behavior": r.behavior,
            "importance": r.importance,
            "frequency": r.frequency,
            "needed_at_entry": r.needed_at_entry,
        }
        for r in response.ratings.all()
    }


@dataclass(frozen=True)
class ValidationState:
    """Step 5 of a model's process: its latest survey's state and who answered it."""

    status: str
    respondents: int
    employers: int
    closed_at: datetime | None
    version: int | None
    survey_id: int | None = None


def validation_state(framework: Framework) -> ValidationState:
    """The state of the framework's latest survey: "not started", "open" or "closed"; the
    respondents who saved any rating, and those among them whose role is an employer's."""
    survey = Survey.objects.filter(framework=framework).select_related("version").first()
    if survey is None:
        return ValidationState(NOT_STARTED, 0, 0, None, None)
    respondents, employers = respondent_counts(survey)
    status = CLOSED if survey.closed_at else OPEN
    return ValidationState(
        status, respondents, employers, survey.closed_at, survey.version.number, survey.pk
    )


def respondent_counts(survey: Survey) -> tuple[int, int]:
    """How many responses hold a rating, and how many of those say an employer's role."""
    groups = list(
        SurveyResponse.objects.filter(invitation__survey=survey, ratings__isnull=False)
        .distinct()
        .values_list("group", flat=True)
    )
    employers = sum(1 for group in groups if (group or {}).get("role") in survey.employer_roles)
    return len(groups), employers


def validated_statement(framework: Framework) -> str | None:
    """ "Validated with 23 employers on March 4, 2027", of the latest published version: a
    closed survey of that version itself, else the survey its publication recorded as support
    (whichever door published it); None when there is neither. One query when there is none
    (it is asked on every visit of a model's page)."""
    latest = FrameworkVersion.objects.filter(framework_id=framework.pk).order_by("-number")
    latest_pk = Subquery(latest.values("pk")[:1])
    supporting = Publication.objects.filter(version=latest_pk).values("survey")[:1]
    # A survey of the version itself closed after it was published, so after the support.
    survey = (
        Survey.objects.filter(Q(version=latest_pk) | Q(pk=Subquery(supporting)))
        .filter(closed_at__isnull=False)
        .order_by("-closed_at", "-id")
        .first()
    )
    if survey is None:
        return None
    respondents, employers = respondent_counts(survey)
    if employers:
        who = f"{employers} employer{'s' if employers != 1 else ''}"
    else:
        who = f"{respondents} respondent{'s' if respondents != 1 else ''}"
    return f"Validated with {who} on {day(survey.closed_at)}"


def day(moment: datetime) -> str:
    """A moment as the day people read it, as every page writes one: March 4, 2027."""
    local = timezone.localtime(moment)
    return f"{local:%B} {local.day}, {local.year}"
