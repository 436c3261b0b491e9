"""The review schedule: an informal review every year and a formal update at least every
three years after a model's last publication, both adjustable; the dashboard of reviews due;
reminders by email once per due date."""

from datetime import UTC, date, datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from cmc.core.errors import InvalidInput
from cmc.frameworks.models import FrameworkVersion
from cmc.review.models import ReviewReminder, ReviewSchedule
from cmc.review.selectors import schedule as selectors
from cmc.review.services import schedule as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def published_2030(ours):
    FrameworkVersion.objects.filter(framework=ours).update(
        published_at=datetime(2030, 1, 31, 12, tzinfo=UTC)
    )
    return ours


def test_add_months_keeps_the_day_or_the_months_last():
    assert selectors.add_months(date(2030, 1, 31), 1) == date(2030, 2, 28)
    assert selectors.add_months(date(2030, 11, 15), 36) == date(2033, 11, 15)


def test_due_dates_follow_the_last_publication(published_2030):
    dues = selectors.due_dates(published_2030, today=date(2030, 12, 1))
    assert [(d.kind, d.last, d.due, d.state, d.days) for d in dues] == [
        ("informal", date(2030, 1, 31), date(2031, 1, 31), "later", 61),
        ("formal", date(2030, 1, 31), date(2033, 1, 31), "later", 792),
    ]
    dues = selectors.due_dates(published_2030, today=date(2031, 2, 2))
    assert [(d.state, d.days) for d in dues] == [("overdue", -2), ("later", 729)]


def test_intervals_are_adjustable_and_checked(published_2030, who):
    services.set_schedule(
        framework=published_2030, actor=who["org editor"], informal_months=6, formal_months=24
    )
    dues = selectors.due_dates(published_2030, today=date(2030, 2, 1))
    assert [d.due for d in dues] == [date(2030, 7, 31), date(2032, 1, 31)]
    with pytest.raises(InvalidInput) as error:
        services.set_schedule(
            framework=published_2030, actor=who["owner"], informal_months=0, formal_months=12
        )
    assert (
        str(error.value.problems[0])
        == "schedule, informal months: must be a whole number of months from 1 to 120"
    )
    with pytest.raises(PermissionDenied):
        services.set_schedule(
            framework=published_2030, actor=who["org viewer"], informal_months=1, formal_months=2
        )
    assert ReviewSchedule.objects.get().informal_months == 6


def test_the_dashboard_lists_only_the_models_one_edits(published_2030, who):
    rows = selectors.dashboard(user=who["org editor"], today=date(2031, 1, 15))
    assert [(d.framework.name, d.kind, d.state) for d in rows] == [
        ("Our Welding", "informal", "due"),
        ("Our Welding", "formal", "later"),
    ]
    assert selectors.dashboard(user=who["org viewer"], today=date(2031, 1, 15)) == []
    assert selectors.dashboard(user=who["outsider"], today=date(2031, 1, 15)) == []


def test_reminders_go_once_per_due_date(published_2030, who, django_capture_on_commit_callbacks):
    who["owner"].email, who["org editor"].email = "olga@example.org", "ed@example.org"
    who["owner"].save()
    who["org editor"].save()
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.send_reminders(today=date(2031, 1, 10))
    assert [(r.kind, r.due, r.recipients) for r in sent] == [
        ("informal", date(2031, 1, 31), ["ed@example.org", "olga@example.org"])
    ]
    assert [m.subject for m in mail.outbox] == [
        "Informal review of Our Welding due January 31, 2031"
    ]
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders(today=date(2031, 1, 11)) == []
        assert services.send_reminders(today=date(2031, 3, 1)) == []
    assert len(mail.outbox) == 1
    # A review recorded moves the due date: the next one gets its own reminder.
    services.record_review(
        framework=published_2030, actor=who["owner"], kind="informal", note="fine"
    )
    assert ReviewReminder.objects.count() == 1
