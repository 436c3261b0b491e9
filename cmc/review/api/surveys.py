"""API routes of validation surveys: editors open, read and close them; a respondent reads and
saves their one response through the token of their personal link. Thin doors onto the same
services and selectors as the pages and `cmc survey`."""

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from ninja import Field, Query, Router, Status

from cmc.accounts.auth import current_user, write_auth
from cmc.core.api import ERRORS, WRITE_ERRORS, InSchema, Schema
from cmc.frameworks import selectors as framework_selectors

from .. import survey_files
from ..selectors import survey_results as results_selectors
from ..selectors import surveys as selectors
from ..services import survey_invitations
from ..services import surveys as services

router = Router(tags=["validation surveys"])


class SurveyIn(InSchema):
    version: int = Field(..., description="the published version to validate")
    invite: list[str] = Field(..., description="the invitees' email addresses")
    deadline: date | datetime | None = Field(
        None, description="answers are taken until then (a date: its end); default 30 days"
    )
    min_mean_importance: float = Field(3.0, description="flag a behavior whose mean is below")
    min_share_important: float = Field(
        0.5, description="flag a behavior fewer than this share (0-1) rate 4 or 5"
    )
    groups: dict[str, list[str]] | None = Field(
        None, description="segment, region, role: the choices asked (default: region and role)"
    )
    employer_roles: list[str] | None = Field(
        None, description="the role choices that count as employers (default: Employer)"
    )


class SurveyLinkOut(Schema):
    email: str
    link: str


class SurveyOut(Schema):
    id: int
    framework: str
    version: int
    opened_at: datetime
    opened_by: str | None
    deadline: datetime
    closed_at: datetime | None
    closed_by: str | None
    min_mean_importance: float
    min_share_important: float
    groups: dict[str, list[str]]
    employer_roles: list[str]


class SurveyListOut(SurveyOut):
    invited: int
    answered: int
    submitted: int


class SurveyOpenedOut(SurveyOut):
    invitations: list[SurveyLinkOut]


def _name(user) -> str | None:
    return user.get_username() if user else None


def _survey_out(survey) -> dict:
    return {
        "id": survey.pk, "framework": survey.framework.slug, "version": survey.version.number,
        "opened_at": survey.opened_at, "opened_by": _name(survey.opened_by),
        "deadline": survey.deadline, "closed_at": survey.closed_at,
        "closed_by": _name(survey.closed_by),
        "min_mean_importance": survey.min_mean_importance,
        "min_share_important": survey.min_share_important,
        "groups": survey.asked, "employer_roles": survey.employer_roles,
    }  # fmt: skip


@router.get(
    "/frameworks/{slug}/surveys",
    response={200: list[SurveyListOut], **WRITE_ERRORS},
    summary="A model's validation surveys",
)
def list_validation_surveys(request, slug: str):
    """For the model's editors: every survey, newest first, with how many were invited, have
    saved answers and have submitted."""
    user = current_user(request)
    framework = framework_selectors.visible_framework(user=user, slug=slug, whole=True)
    return [
        {**_survey_out(s), "invited": s.invited, "answered": s.answered, "submitted": s.submitted}
        for s in selectors.surveys_of(framework=framework, user=user)
    ]


@router.post(
    "/frameworks/{slug}/surveys",
    response={201: SurveyOpenedOut, **WRITE_ERRORS},
    auth=write_auth,
    summary="Open a validation survey",
)
def open_validation_survey(request, slug: str, payload: SurveyIn):
    """Open a survey of a published version; each invitee is emailed a personal link, and the
    answer lists the links (only this once: they are not kept)."""
    framework = framework_selectors.visible_framework(user=request.auth, slug=slug, whole=True)
    survey, links = services.open_survey(
        framework=framework, actor=request.auth, version=payload.version,
        invitees=payload.invite, deadline=payload.deadline,
        min_mean_importance=payload.min_mean_importance,
        min_share_important=payload.min_share_important, groups=payload.groups,
        employer_roles=payload.employer_roles,
    )  # fmt: skip
    links_out = [{"email": link.email, "link": link.link} for link in links]
    return Status(201, {**_survey_out(survey), "invitations": links_out})


class SurveyInviteIn(InSchema):
    invite: list[str] = Field(..., description="the email addresses of the people to invite")


class SurveyInvitationOut(Schema):
    id: int
    email: str
    invited_at: datetime
    renewed_at: datetime | None = Field(..., description="when the link was last made anew")
    renewals: int
    state: Literal["not started", "saved", "submitted"]


class SurveyInvitationLinkOut(Schema):
    id: int
    email: str
    link: str = Field(..., description="the invitee's personal link; shown this once")


def _link_out(link) -> dict:
    return {"id": link.invitation, "email": link.email, "link": link.link}


@router.get(
    "/surveys/{survey_id}/invitations",
    response={200: list[SurveyInvitationOut], **WRITE_ERRORS},
    summary="A validation survey's invitees",
)
def list_survey_invitations(request, survey_id: int):
    """For the model's editors: each invitee, in the order invited, with how far they got
    (never their answers) and when their link was last made anew."""
    survey = selectors.editable_survey(user=current_user(request), survey_id=survey_id)
    return [row.__dict__ for row in selectors.invitations_of(survey)]


@router.post(
    "/surveys/{survey_id}/invitations",
    response={201: list[SurveyInvitationLinkOut], **WRITE_ERRORS},
    auth=write_auth,
    summary="Invite more people to a validation survey",
)
def invite_to_survey(request, survey_id: int, payload: SurveyInviteIn):
    """Each new invitee is emailed a personal link, and the answer lists the links (only this
    once). Refused (409) once the survey closed or its deadline passed; someone invited
    already is refused by name (422): send them a new link instead."""
    survey = selectors.editable_survey(user=request.auth, survey_id=survey_id)
    links = survey_invitations.invite(survey=survey, actor=request.auth, invitees=payload.invite)
    return Status(201, [_link_out(link) for link in links])


@router.post(
    "/surveys/{survey_id}/invitations/{invitation_id}/resend",
    response={200: SurveyInvitationLinkOut, **WRITE_ERRORS},
    auth=write_auth,
    summary="Send an invitee a new personal link",
)
def resend_survey_invitation(request, survey_id: int, invitation_id: int):
    """A new personal link, emailed to the invitee and answered here once: the link they had
    opens nothing from now on, and their answers, saved or submitted, stay theirs. Refused
    (409) once the survey closed or its deadline passed."""
    survey = selectors.editable_survey(user=request.auth, survey_id=survey_id)
    invitation = selectors.survey_invitation(survey, pk=invitation_id)
    links = survey_invitations.renew_links(
        survey=survey, invitations=[invitation], actor=request.auth
    )
    return _link_out(links[0])


class SurveyGroupOut(Schema):
    choice: str
    n: int
    mean: float | None


class AgreementOut(Schema):
    groups: list[SurveyGroupOut]
    kruskal_p: float | None = Field(..., description="Kruskal-Wallis p across the groups")
    max_gap: float | None = Field(..., description="largest difference of two groups' means")


class FrequencyOut(Schema):
    n: int
    mean: float | None


class SurveyItemOut(Schema):
    identifier: UUID
    label: str
    tier: int
    competency_code: str
    n: int
    mean: float | None
    sd: float | None
    ci95: tuple[float, float] | None
    share_important: float | None
    frequency: FrequencyOut
    needed_at_entry: float | None
    distribution: list[int] = Field(..., description="how many rated it 1, 2, 3, 4, 5")
    by_group: dict[str, AgreementOut]


class SurveyBehaviorOut(SurveyItemOut):
    flagged: bool
    reasons: list[str]


class ResultsOut(Schema):
    survey: int
    framework: str
    version: int
    closed: bool
    respondents: int
    filters: dict[str, str]
    thresholds: dict[str, float]
    behaviors: list[SurveyBehaviorOut]
    competencies: list[SurveyItemOut]


class ResultsQuery(Schema):
    segment: str = ""
    region: str = ""
    role: str = ""


@router.get(
    "/surveys/{survey_id}/results",
    response={200: ResultsOut, **WRITE_ERRORS},
    summary="A validation survey's results",
)
def validation_survey_results(request, survey_id: int, query: Query[ResultsQuery]):
    """Per key behavior and competency: n, mean importance, sd, its 95% t interval, the share
    rating it 4 or 5, frequency, needed at entry, and each respondent group's n and mean with
    their agreement. `segment`, `region`, `role` keep only respondents of that group."""
    survey = selectors.editable_survey(user=current_user(request), survey_id=survey_id)
    filters = {kind: getattr(query, kind) for kind in selectors.GROUP_KINDS}
    results = results_selectors.survey_results(survey, filters=filters)
    return survey_files.results_document(results)


@router.post(
    "/surveys/{survey_id}/close",
    response={200: SurveyOut, **WRITE_ERRORS},
    auth=write_auth,
    summary="Close a validation survey",
)
def close_validation_survey(request, survey_id: int):
    """Final: records who closed it and when; the links take no more answers."""
    survey = selectors.editable_survey(user=request.auth, survey_id=survey_id)
    return _survey_out(services.close_survey(survey=survey, actor=request.auth))


class RatingIn(InSchema):
    behavior: UUID
    importance: int | None = Field(None, ge=1, le=5)
    frequency: int | None = Field(None, ge=1, le=5)
    needed_at_entry: bool | None = None


class ResponseIn(InSchema):
    group: dict[str, str | None] = {}
    ratings: list[RatingIn] = []


class RatingOut(Schema):
    behavior: UUID
    importance: int | None
    frequency: int | None
    needed_at_entry: bool | None


class QuestionOut(Schema):
    identifier: UUID
    tier: int
    competency_code: str
    competency: str
    title: str
    text: str


class AskedOut(Schema):
    label: str
    choices: list[str]


class SurveyAskedOut(Schema):
    framework: str
    version: int
    deadline: datetime
    open: bool
    message: str
    submitted_at: datetime | None
    groups: dict[str, AskedOut]
    behaviors: list[QuestionOut]


class ResponseOut(Schema):
    survey: SurveyAskedOut
    group: dict[str, str]
    ratings: list[RatingOut]


def _response_out(token: str) -> dict:
    state = selectors.link_state(token)
    survey = state.invitation.survey
    response = state.response
    return {
        "survey": {
            "framework": survey.framework.name, "version": survey.version.number,
            "deadline": survey.deadline, "open": not state.refusal, "message": state.refusal,
            "submitted_at": response.submitted_at if response else None,
            "groups": {
                kind: {"label": selectors.GROUP_KINDS[kind], "choices": choices}
                for kind, choices in survey.asked.items()
            },
            "behaviors": [
                {
                    "identifier": i.identifier, "tier": i.tier_number,
                    "competency_code": i.competency_code, "competency": i.competency_name,
                    "title": i.title, "text": i.text,
                }
                for i in selectors.survey_items(survey)
            ],
        },
        "group": {k: v for k in selectors.GROUP_KINDS if (v := (response.group if response else {}).get(k))},
        "ratings": list(selectors.ratings_of(response).values()),
    }  # fmt: skip


@router.get(
    "/survey-responses/{token}",
    response={200: ResponseOut, **ERRORS},
    summary="A respondent's survey and their answers so far",
)
def get_survey_response(request, token: str):
    """The token is the personal link's last part; no account is needed."""
    return _response_out(token)


@router.put(
    "/survey-responses/{token}",
    response={200: ResponseOut, 409: WRITE_ERRORS[409], **ERRORS},
    summary="Save a respondent's answers",
)
def save_survey_response(request, token: str, payload: ResponseIn, submit: bool = False):
    """Saving again updates the one response: the group is replaced, each rating sent replaces
    that behavior's earlier one. `submit=true` makes it final. Refused (409) once the survey
    closed, its deadline passed, or the response was submitted."""
    services.save_response(
        token=token, group=payload.group,
        ratings=[rating.dict() for rating in payload.ratings], submit=submit,
    )  # fmt: skip
    return _response_out(token)
