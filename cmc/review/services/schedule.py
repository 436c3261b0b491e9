"""The review schedule: its intervals, the reviews done, and the reminders sent by email."""

from datetime import date

from django.db import IntegrityError, transaction
from django.urls import reverse

from cmc.accounts.models import Membership
from cmc.core.actors import person
from cmc.core.errors import InvalidInput, Problem
from cmc.frameworks.models import Framework
from cmc.frameworks.selectors import require_editable

from ..links import absolute
from ..models import ReviewKind, ReviewRecord, ReviewReminder, ReviewSchedule
from ..selectors.schedule import Due, reminders_wanted
from .mail import send_later

MAX_MONTHS = 120


def set_schedule(
    *, framework: Framework, actor, informal_months: int, formal_months: int
) -> ReviewSchedule:
    """Change how often the model is reviewed informally and updated formally (in months)."""
    require_editable(framework=framework, actor=actor)
    problems = [
        Problem("schedule", name, f"must be a whole number of months from 1 to {MAX_MONTHS}")
        for name, value in (("informal months", informal_months), ("formal months", formal_months))
        if not isinstance(value, int) or not 1 <= value <= MAX_MONTHS
    ]
    if not problems and informal_months > formal_months:
        problems.append(
            Problem(
                "schedule",
                "informal months",
                "must not be longer than the formal update's interval",
            )
        )
    if problems:
        raise InvalidInput(problems)
    with transaction.atomic():
        schedule, _ = ReviewSchedule.objects.update_or_create(
            framework=framework,
            defaults={
                "informal_months": informal_months,
                "formal_months": formal_months,
                "updated_by": person(actor),
            },
        )
    return schedule


def record_review(*, framework: Framework, actor, kind: str, note: str = "") -> ReviewRecord:
    """Record an informal review or a formal update done (which moves the next due date)."""
    require_editable(framework=framework, actor=actor)
    if kind not in ReviewKind.values:
        raise InvalidInput([Problem("review", "kind", "choose informal or formal")])
    note = (note or "").strip()[:10_000]
    return ReviewRecord.objects.create(
        framework=framework, kind=kind, note=note, done_by=person(actor)
    )


def recipients(framework: Framework) -> list[str]:
    """Who hears about a model's reviews: its owner and its organization's owners and editors."""
    emails = [framework.owner.email] if framework.owner and framework.owner.email else []
    if framework.organization_id:
        emails += (
            Membership.objects.filter(
                organization_id=framework.organization_id,
                role__in=[Membership.Role.OWNER, Membership.Role.EDITOR],
            )
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    return sorted(set(emails))


def send_reminders(*, today: date | None = None) -> list[ReviewReminder]:
    """Email the people of each model whose review is due soon or overdue, once per due date:
    running it again the same day, or the next, sends nothing new."""
    sent = []
    for due in reminders_wanted(today):
        reminder = _remind(due)
        if reminder is not None:
            sent.append(reminder)
    return sent


def _remind(due: Due) -> ReviewReminder | None:
    to = recipients(due.framework)
    try:
        with transaction.atomic():
            reminder = ReviewReminder.objects.create(
                framework=due.framework, kind=due.kind, due=due.due, recipients=to
            )
            if to:
                send_later(
                    template="reminder",
                    context={"due": due, "link": absolute(reverse("review:dashboard"))},
                    to=to,
                    subject=f"{due.kind_label} of {due.framework.name} due {due.due:%B %-d, %Y}",
                )
    except IntegrityError:  # another run sent this one meanwhile
        return None
    return reminder
