"""`cmc review open|close|remind` on the command line."""

from datetime import UTC, date, datetime

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from cmc.frameworks.models import FrameworkVersion
from cmc.review.models import ReviewReminder, ReviewRound

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("review", *args, stdout=out)
    return out.getvalue()


def test_open_prints_the_links(ours, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        out = run(
            "open",
            ours.slug,
            "--version",
            "1",
            "--reviewer",
            "a@example.org",
            "b@example.org",
            "--deadline",
            "2031-02-01",
            "--as",
            "olga",
        )
    r = ReviewRound.objects.get()
    lines = out.splitlines()
    assert (
        lines[0]
        == f"Opened round {r.pk}, “Review of version 1”, on Our Welding version 1; deadline 2031-02-01."
    )
    assert lines[1] == "Personal links (shown only now):"
    assert lines[2].startswith("  a@example.org  http://127.0.0.1:8000/review/r/")
    assert len(mail.outbox) == 2


def test_open_refuses_what_the_services_refuse(ours):
    with pytest.raises(CommandError) as error:
        run("open", ours.slug, "--reviewer", "a@example.org", "--as", "vic")
    assert str(error.value) == "You may not change the framework 'our-welding'."
    with pytest.raises(CommandError) as error:
        run("open", ours.slug, "--reviewer", "nope", "--as", "olga")
    assert str(error.value) == "1 problem(s); nothing was written"
    with pytest.raises(CommandError) as error:
        run("open", "no-such", "--reviewer", "a@example.org", "--as", "olga")
    assert str(error.value) == "no framework with the slug 'no-such'"
    assert ReviewRound.objects.count() == 0


def test_close_is_final(ours):
    run("open", ours.slug, "--reviewer", "a@example.org", "--as", "olga")
    pk = ReviewRound.objects.get().pk
    assert run("close", str(pk)) == f"Closed round {pk}, “Review of version 1”, of Our Welding.\n"
    with pytest.raises(CommandError) as error:
        run("close", str(pk))
    assert "closing is final" in str(error.value)
    with pytest.raises(CommandError):
        run("close", "999")


def test_remind_sends_once_per_due_date(ours, who, django_capture_on_commit_callbacks):
    FrameworkVersion.objects.filter(framework=ours).update(
        published_at=datetime(2030, 1, 31, 12, tzinfo=UTC)
    )
    with django_capture_on_commit_callbacks(execute=True):
        first = run("remind", "--today", "2031-02-10")
        second = run("remind", "--today", "2031-02-11")
    assert first.splitlines() == [
        "Informal review of Our Welding, due 2031-01-31: reminded ed@example.org, olga@example.org",
        "1 reminder sent.",
    ]
    assert second == "0 reminders sent.\n"
    assert len(mail.outbox) == 1
    assert ReviewReminder.objects.get().due == date(2031, 1, 31)
