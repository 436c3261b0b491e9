"""Review schedules read: when each published model's informal review and formal update are
due, and which are due or overdue for the person looking (or for the reminders)."""

import calendar
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from cmc.core.actors import is_system
from cmc.frameworks.models import Framework

from ..models import ReviewKind, ReviewRecord, ReviewSchedule

DEFAULT_MONTHS = {ReviewKind.INFORMAL: 12, ReviewKind.FORMAL: 36}


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass
class Due:
    framework: Framework
    kind: str
    last: date
    due: date
    today: date

    @property
    def days(self) -> int:
        """Days until due (negative: overdue by that many)."""
        return (self.due - self.today).days

    @property
    def state(self) -> str:
        if self.days < 0:
            return "overdue"
        return "due" if self.days <= settings.CMC_REVIEW_REMIND_DAYS else "later"

    @property
    def kind_label(self) -> str:
        return ReviewKind(self.kind).label


def months_of(framework: Framework) -> dict[str, int]:
    """The framework's intervals in months (the guide's year and three years by default)."""
    row = ReviewSchedule.objects.filter(framework=framework).first()
    if row is None:
        return dict(DEFAULT_MONTHS)
    return {ReviewKind.INFORMAL: row.informal_months, ReviewKind.FORMAL: row.formal_months}


def _last_dates(framework: Framework) -> dict[str, date] | None:
    published = framework.versions.aggregate(at=Max("published_at"))["at"]
    if published is None:
        return None
    records = dict(
        ReviewRecord.objects.filter(framework=framework)
        .values("kind")
        .annotate(at=Max("done_at"))
        .values_list("kind", "at")
    )
    # A new version is a formal update; a formal update is a review too.
    formal = max(d for d in (published, records.get(ReviewKind.FORMAL)) if d)
    informal = max(d for d in (formal, records.get(ReviewKind.INFORMAL)) if d)
    local = timezone.localdate
    return {ReviewKind.INFORMAL: local(informal), ReviewKind.FORMAL: local(formal)}


def due_dates(framework: Framework, today: date | None = None) -> list[Due]:
    """The framework's next informal review and formal update; none before its first
    published version."""
    today = today or timezone.localdate()
    last = _last_dates(framework)
    if last is None:
        return []
    months = months_of(framework)
    return [
        Due(framework, kind, last[kind], add_months(last[kind], months[kind]), today)
        for kind in (ReviewKind.INFORMAL, ReviewKind.FORMAL)
    ]


def dashboard(*, user, today: date | None = None) -> list[Due]:
    """The reviews of the published models the user may edit, soonest first."""
    frameworks = managed_frameworks(user).filter(versions__isnull=False).distinct()
    rows = [due for f in frameworks.order_by("name") for due in due_dates(f, today)]
    return sorted(rows, key=lambda d: (d.due, d.framework.name, d.kind))


def reminders_wanted(today: date | None = None) -> list[Due]:
    """Every review due within settings.CMC_REVIEW_REMIND_DAYS or overdue, of every published
    model, whose due date has had no reminder yet."""
    from ..models import ReviewReminder

    sent = set(ReviewReminder.objects.values_list("framework_id", "kind", "due"))
    frameworks = Framework.objects.filter(versions__isnull=False).distinct().order_by("name")
    return [
        due
        for framework in frameworks.select_related("owner", "organization")
        for due in due_dates(framework, today)
        if due.state != "later" and (framework.pk, due.kind, due.due) not in sent
    ]


def managed_frameworks(user):
    """The frameworks the user may edit (the system: every one), for the dashboard."""
    if is_system(user):
        return Framework.objects.all()
    if user is None or not user.is_authenticated:
        return Framework.objects.none()
    return Framework.objects.editable_by(user)
