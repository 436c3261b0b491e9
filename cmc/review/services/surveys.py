"""Every write of validation surveys: opening one on a published version with personal links
sent by email (the links themselves, and more of them later: survey_invitations), a
respondent saving (and submitting) their one response, and closing."""

import uuid
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from cmc.core.actors import person
from cmc.core.errors import Conflict, InvalidInput, Problem
from cmc.frameworks import panels
from cmc.frameworks.models import Framework, FrameworkVersion
from cmc.frameworks.selectors import require_editable

from ..models import GROUP_KINDS, Survey, SurveyInvitation, SurveyRating, SurveyResponse
from ..selectors.surveys import day, link_state, refusal, survey_items
from .survey_invitations import PersonalLink, clean_emails, create_invitations

# The Census Bureau's four regions, and the roles the survey asks about unless the editor
# gives others; an editor names the industry segments of their own model.
DEFAULT_GROUPS = {
    "region": ["Northeast", "Midwest", "South", "West"],
    "role": ["Employer", "Worker", "Educator or trainer", "Other"],
}
DEFAULT_EMPLOYER_ROLES = ["Employer"]
MAX_CHOICES, MAX_CHOICE_CHARS = 30, 100
DEFAULT_DAYS = 30


def open_survey(
    *, framework: Framework, actor, version: int, invitees: list[str],
    deadline: date | datetime | None = None, min_mean_importance: float = 3.0,
    min_share_important: float = 0.5, groups: dict[str, list[str]] | None = None,
    employer_roles: list[str] | None = None,
) -> tuple[Survey, list[PersonalLink]]:  # fmt: skip
    """Open a validation survey of a published version (the framework's editors only), each
    invitee emailed a personal link. The links are returned once: only their hashes are kept."""
    require_editable(framework=framework, actor=actor)
    groups = DEFAULT_GROUPS if groups is None else groups
    problems: list[Problem] = []
    found = FrameworkVersion.objects.filter(framework=framework, number=version).first()
    if found is None:
        problems.append(
            Problem("survey", "version", f"{framework.name} has no published version {version}")
        )
    emails = clean_emails(invitees, problems)
    deadline = _deadline(deadline, problems)
    _thresholds(min_mean_importance, min_share_important, problems)
    groups = _groups(groups, problems)
    roles = _employer_roles(employer_roles, groups, problems)
    if problems:
        raise InvalidInput(problems)
    with transaction.atomic():
        survey = Survey.objects.create(
            framework=framework, version=found, opened_by=person(actor), deadline=deadline,
            min_mean_importance=min_mean_importance, min_share_important=min_share_important,
            groups=groups, employer_roles=roles,
        )  # fmt: skip
        links = create_invitations(survey, emails)
    panels.changed(framework)
    return survey, links


def _deadline(deadline, problems: list[Problem]) -> datetime:
    """A date means the end of that day; no deadline means DEFAULT_DAYS from now."""
    if deadline is None:
        return timezone.now() + timedelta(days=DEFAULT_DAYS)
    if not isinstance(deadline, datetime):
        deadline = timezone.make_aware(datetime.combine(deadline, time(23, 59, 59)))
    elif timezone.is_naive(deadline):
        deadline = timezone.make_aware(deadline)
    if deadline <= timezone.now():
        problems.append(Problem("survey", "deadline", "is in the past; give a later date"))
    return deadline


def _thresholds(mean: float, share: float, problems: list[Problem]) -> None:
    if not 1 <= mean <= 5:
        problems.append(
            Problem("survey", "min_mean_importance", "must be between 1 and 5 (the scale)")
        )
    if not 0 <= share <= 1:
        problems.append(
            Problem("survey", "min_share_important", "must be between 0 and 1 (0.5 for half)")
        )


def _groups(groups: dict, problems: list[Problem]) -> dict[str, list[str]]:
    """The kinds asked about with their choices, trimmed and without repeats; a kind with no
    choices is not asked."""
    cleaned = {}
    for kind, choices in groups.items():
        if kind not in GROUP_KINDS:
            problems.append(
                Problem("survey", f"groups.{kind}", f"is not one of {', '.join(GROUP_KINDS)}")
            )
            continue
        choices = list(dict.fromkeys(c.strip() for c in choices if c and c.strip()))
        if len(choices) > MAX_CHOICES:
            problems.append(Problem("survey", f"groups.{kind}", f"at most {MAX_CHOICES} choices"))
        for choice in choices:
            if len(choice) > MAX_CHOICE_CHARS:
                problems.append(
                    Problem(
                        "survey",
                        f"groups.{kind}",
                        f"'{choice[:30]}…' is longer than {MAX_CHOICE_CHARS} characters",
                    )  # fmt: skip
                )
        if choices:
            cleaned[kind] = choices
    return cleaned


def _employer_roles(roles, groups: dict, problems: list[Problem]) -> list[str]:
    role_choices = groups.get("role", [])
    if roles is None:
        return [r for r in DEFAULT_EMPLOYER_ROLES if r in role_choices]
    roles = list(dict.fromkeys(r.strip() for r in roles if r and r.strip()))
    for role in roles:
        if role not in role_choices:
            problems.append(
                Problem("survey", "employer_roles", f"'{role}' is not one of the role choices")
            )
    return roles


def save_response(
    *, token: str, group: dict | None = None, ratings: list[dict] | None = None,
    submit: bool = False,
) -> SurveyResponse:  # fmt: skip
    """Save a respondent's one response through their personal link: the group answers given
    (None leaves them as they were), and the ratings given (each replaces that behavior's
    earlier rating; a rating with no answer removes it). With `submit` the response is final.
    Refused once the survey closed, its deadline passed or the response was submitted."""
    state = link_state(token)
    survey = state.invitation.survey
    _throttle(state.invitation.token_hash)
    problems: list[Problem] = []
    group = None if group is None else _group_answers(survey, group, problems)
    rows = _ratings(survey, ratings or [], problems)
    if problems:
        raise InvalidInput(problems)
    with transaction.atomic():
        # The invitation's row is locked so that two saves at once never make two responses.
        invitation = SurveyInvitation.objects.select_for_update().get(pk=state.invitation.pk)
        response = SurveyResponse.objects.filter(invitation=invitation).first()
        survey.refresh_from_db(fields=["closed_at"])
        if why := refusal(survey, response):
            raise Conflict(why)
        response = response or SurveyResponse(invitation=invitation)
        if group is not None:
            response.group = group
        response.save()
        _write_ratings(response, rows)
        if submit:
            _submit(response)
    return response


def _group_answers(survey: Survey, group: dict, problems: list[Problem]) -> dict:
    answers = {}
    for kind, choice in group.items():
        choice = (choice or "").strip() if isinstance(choice, str) else choice
        if kind not in survey.groups:
            asked = ", ".join(survey.asked) or "nothing"
            problems.append(Problem("group", kind, f"is not asked in this survey (asked: {asked})"))
        elif choice and choice not in survey.groups[kind]:
            problems.append(
                Problem("group", kind, f"'{choice}' is not one of {', '.join(survey.groups[kind])}")
            )
        elif choice:
            answers[kind] = choice
    return answers


def _ratings(survey: Survey, ratings: list[dict], problems: list[Problem]) -> dict:
    """The ratings by behavior identifier, each checked against the survey's items."""
    known = {item.identifier for item in survey_items(survey)}
    rows: dict[uuid.UUID, dict] = {}
    for n, rating in enumerate(ratings):
        where = f"ratings.{n}"
        try:
            behavior = uuid.UUID(str(rating.get("behavior")))
        except ValueError:
            behavior = None
        if behavior not in known:
            problems.append(Problem(where, "behavior", "is not a key behavior of this survey"))
            continue
        if behavior in rows:
            problems.append(Problem(where, "behavior", "is rated twice; rate it once"))
        for name in ("importance", "frequency"):
            value = rating.get(name)
            if value is not None and (type(value) is not int or not 1 <= value <= 5):
                problems.append(Problem(where, name, "must be a whole number from 1 to 5"))
        needed = rating.get("needed_at_entry")
        if needed is not None and not isinstance(needed, bool):
            problems.append(Problem(where, "needed_at_entry", "must be true, false or null"))
        rows[behavior] = rating
    return rows


def _write_ratings(response: SurveyResponse, rows: dict) -> None:
    answered = {
        b: r for b, r in rows.items()
        if any(r.get(k) is not None for k in ("importance", "frequency", "needed_at_entry"))
    }  # fmt: skip
    SurveyRating.objects.filter(response=response, behavior__in=list(rows)).delete()
    SurveyRating.objects.bulk_create(
        SurveyRating(
            response=response,
            behavior=b,
            importance=r.get("importance"),
            frequency=r.get("frequency"),
            needed_at_entry=r.get("needed_at_entry"),
        )  # fmt: skip
        for b, r in answered.items()
    )


def _submit(response: SurveyResponse) -> None:
    if not response.ratings.filter(importance__isnull=False).exists():
        raise InvalidInput(
            [Problem("response", "ratings", "rate the importance of at least one key behavior")]
        )
    response.submitted_at = timezone.now()
    response.save(update_fields=["submitted_at"])


def _throttle(key: str) -> None:
    """Anyone holding a link may write: at most CMC_SURVEY_SAVES_PER_HOUR saves per link."""
    limit = getattr(settings, "CMC_SURVEY_SAVES_PER_HOUR", 600)
    name = f"survey-saves:{key}"
    cache.add(name, 0, 3600)
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.set(name, 1, 3600)
        count = 1
    if count > limit:
        raise Conflict("Too many saves from this link in an hour; wait a while and save again.")


def close_survey(*, survey: Survey, actor) -> Survey:
    """Close the survey for good (the framework's editors only), recording who and when; it
    takes no more answers, and the model's page says what it validated."""
    require_editable(framework=survey.framework, actor=actor)
    with transaction.atomic():
        locked = Survey.objects.select_for_update().get(pk=survey.pk)
        if locked.closed_at is not None:
            raise Conflict(f"This survey was closed already, on {day(locked.closed_at)}.")
        locked.closed_at = timezone.now()
        locked.closed_by = person(actor)
        locked.save(update_fields=["closed_at", "closed_by"])
    survey.closed_at, survey.closed_by = locked.closed_at, locked.closed_by
    panels.changed(survey.framework)
    return survey
