"""`cmc review open|close|remind`: review rounds and review reminders on the command line,
through the same services as the pages and the API."""

from datetime import date

from django.core.management.base import CommandError
from django.http import Http404

from cmc.accounts.services import find_user
from cmc.core.actors import SYSTEM
from cmc.core.management.commands._base import CmcCommand
from cmc.frameworks.selectors import visible_framework
from cmc.review.selectors import rounds as round_selectors
from cmc.review.services import rounds as round_services
from cmc.review.services import schedule as schedule_services


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"'{text}' is not a date (YYYY-MM-DD)") from None


class Command(CmcCommand):
    help = "Open or close a review round of a model, or send the review reminders due."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="open|close|remind")
        opening = sub.add_parser(
            "open",
            help="open a round on a published version and print each reviewer's personal link",
        )
        opening.add_argument("slug")
        opening.add_argument(
            "--version", type=int, help="the version to review (default: the latest)"
        )
        opening.add_argument(
            "--reviewer",
            nargs="+",
            required=True,
            metavar="EMAIL",
            help="reviewers' email addresses",
        )
        opening.add_argument(
            "--deadline", type=_date, help="YYYY-MM-DD (default: two weeks from today)"
        )
        opening.add_argument("--title", default="")
        opening.add_argument("--as", dest="username", required=True, help="the editor opening it")
        closing = sub.add_parser("close", help="close a round, for good")
        closing.add_argument("round_id", type=int, metavar="ID")
        closing.add_argument("--note", default="")
        closing.add_argument(
            "--as", dest="username", help="close as this user (default: the system)"
        )
        remind = sub.add_parser(
            "remind", help="email the reviews due or overdue, once per due date"
        )
        remind.add_argument("--today", type=_date, help="as if today were this day (YYYY-MM-DD)")

    def handle(self, *args, action, **options):
        {"open": self.open, "close": self.close, "remind": self.remind}[action](**options)

    def _user(self, username):
        if not username:
            return SYSTEM
        user = find_user(username)
        if user is None:
            raise CommandError(f"no user named '{username}'")
        return user

    def open(self, *, slug, version, reviewer, deadline, title, username, **options):
        try:
            framework = visible_framework(user=SYSTEM, slug=slug, whole=True)
        except Http404:
            raise CommandError(f"no framework with the slug '{slug}'") from None
        opened = round_services.open_round(
            framework=framework, actor=self._user(username), reviewers=reviewer,
            version=version, deadline=deadline, title=title,
        )  # fmt: skip
        r = opened.round
        self.stdout.write(
            f"Opened round {r.pk}, “{r.title}”, on {framework.name} version {r.version.number}; deadline {r.deadline:%Y-%m-%d}."
        )
        self.stdout.write("Personal links (shown only now):")
        for invitee in opened.invitees:
            self.stdout.write(f"  {invitee.reviewer.email}  {invitee.link}")

    def close(self, *, round_id, note, username=None, **options):
        user = self._user(username)
        try:
            review_round = round_selectors.editable_round(user=user, pk=round_id)
        except Http404:
            raise CommandError(f"no review round {round_id}") from None
        closed = round_services.close_round(review_round=review_round, actor=user, note=note)
        self.stdout.write(
            f"Closed round {closed.pk}, “{closed.title}”, of {closed.framework.name}."
        )

    def remind(self, *, today=None, **options):
        sent = schedule_services.send_reminders(today=today)
        for reminder in sent:
            to = ", ".join(reminder.recipients) or "nobody (no email address on file)"
            self.stdout.write(
                f"{reminder.get_kind_display()} of {reminder.framework.name}, due {reminder.due:%Y-%m-%d}: reminded {to}"
            )
        self.stdout.write(f"{len(sent)} reminder{'s' if len(sent) != 1 else ''} sent.")
