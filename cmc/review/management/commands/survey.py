from datetime import date
from pathlib import Path

from django.core.management.base import CommandError
from django.http import Http404

from cmc.accounts.services import find_user
from cmc.core.actors import SYSTEM
from cmc.core.management.commands._base import CmcCommand
from cmc.frameworks.selectors import visible_framework
from cmc.review import survey_files
from cmc.review.selectors import survey_results as results_selectors
from cmc.review.selectors import surveys as selectors
from cmc.review.services import survey_invitations
from cmc.review.services import surveys as services


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--deadline {text}: give a date as YYYY-MM-DD") from None


class Command(CmcCommand):
    help = (
        "Validation surveys: open one on a published version (prints each invitee's personal "
        "link), invite more people or send someone a new link, write its results as JSON, XLSX "
        "or CSV, or close it."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="open|invite|resend|results|close"
        )
        opening = actions.add_parser("open", help="open a survey and email the personal links")
        opening.add_argument("slug", help="the model's slug")
        opening.add_argument("--version", type=int, required=True, help="the published version")
        opening.add_argument("--invite", nargs="+", required=True, metavar="EMAIL")
        opening.add_argument("--as", dest="username", required=True, help="the editor opening it")
        opening.add_argument("--deadline", type=_date, help="YYYY-MM-DD (default: in 30 days)")
        opening.add_argument("--min-mean", type=float, default=3.0, help="default 3")
        opening.add_argument("--min-share", type=float, default=0.5, help="0-1, default 0.5")
        for kind, label in selectors.GROUP_KINDS.items():
            opening.add_argument(
                f"--{kind}", nargs="*", metavar="CHOICE", help=f"the {label.lower()} choices"
            )
        opening.add_argument("--employer-role", nargs="*", dest="employer_roles")
        inviting = actions.add_parser("invite", help="invite more people to an open survey")
        inviting.add_argument("survey_id", type=int, metavar="ID")
        inviting.add_argument("--invite", nargs="+", required=True, metavar="EMAIL")
        inviting.add_argument("--as", dest="username", required=True, help="the model's editor")
        resending = actions.add_parser(
            "resend", help="send invitees a new personal link (the old one stops working)"
        )
        resending.add_argument("survey_id", type=int, metavar="ID")
        resending.add_argument("--to", nargs="+", required=True, metavar="EMAIL")
        resending.add_argument("--as", dest="username", required=True, help="the model's editor")
        results = actions.add_parser("results", help="write a survey's results")
        results.add_argument("survey_id", type=int, metavar="ID")
        results.add_argument("--format", choices=list(survey_files.CONTENT_TYPES), default="json")
        results.add_argument("-o", "--output", help="file to write (JSON and CSV: default stdout)")
        closing = actions.add_parser("close", help="close a survey for good")
        closing.add_argument("survey_id", type=int, metavar="ID")
        closing.add_argument("--as", dest="username", help="the editor closing it (recorded)")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _open(self, *, slug, version, invite, username, deadline, min_mean, min_share, **options):
        user = find_user(username)
        if user is None:
            raise CommandError(f"no user named '{username}'")
        try:
            framework = visible_framework(user=user, slug=slug, whole=True)
        except Http404:
            raise CommandError(f"{username} sees no framework with the slug '{slug}'") from None
        asked = {k: options[k] for k in selectors.GROUP_KINDS if options.get(k) is not None}
        survey, links = services.open_survey(
            framework=framework, actor=user, version=version, invitees=invite,
            deadline=deadline, min_mean_importance=min_mean, min_share_important=min_share,
            groups={**services.DEFAULT_GROUPS, **asked}, employer_roles=options["employer_roles"],
        )  # fmt: skip
        self.stderr.write(
            f"Opened survey {survey.pk} of {framework.name} version {version}, until "
            f"{survey.deadline:%Y-%m-%d %H:%M %Z}; emailed {len(links)} personal link(s):"
        )
        for link in links:
            self.stdout.write(f"{link.email}\t{link.link}")

    def _editors_survey(self, survey_id: int, username: str):
        user = find_user(username)
        if user is None:
            raise CommandError(f"no user named '{username}'")
        try:
            return user, selectors.editable_survey(user=user, survey_id=survey_id)
        except Http404:
            raise CommandError(f"{username} sees no survey {survey_id}") from None

    def _invite(self, *, survey_id, invite, username, **options):
        user, survey = self._editors_survey(survey_id, username)
        links = survey_invitations.invite(survey=survey, actor=user, invitees=invite)
        self.stderr.write(f"Invited {len(links)} more to survey {survey.pk}; emailed their links:")
        for link in links:
            self.stdout.write(f"{link.email}\t{link.link}")

    def _resend(self, *, survey_id, to, username, **options):
        user, survey = self._editors_survey(survey_id, username)
        try:
            invitations = [selectors.survey_invitation(survey, email=email) for email in to]
        except Http404 as error:
            raise CommandError(str(error)) from None
        links = survey_invitations.renew_links(survey=survey, invitations=invitations, actor=user)
        self.stderr.write(
            f"Emailed {len(links)} new link(s) for survey {survey.pk}; the old ones stop working:"
        )
        for link in links:
            self.stdout.write(f"{link.email}\t{link.link}")

    def _survey(self, survey_id: int):
        try:
            return selectors.editable_survey(user=SYSTEM, survey_id=survey_id)
        except Http404:
            raise CommandError(f"no survey {survey_id}") from None

    def _results(self, *, survey_id, format, output=None, **options):
        results = results_selectors.survey_results(self._survey(survey_id))
        data = survey_files.render(results, format)
        if output is None and format == "xlsx":
            output = survey_files.filename(results, format)
        if output is None or output == "-":
            if format == "xlsx":
                raise CommandError("XLSX is binary: give a file with -o FILE")
            self.stdout.write(data.decode("utf-8-sig"), ending="")
            return
        Path(output).write_bytes(data)
        self.stderr.write(f"Wrote the results of survey {survey_id} to {output}")

    def _close(self, *, survey_id, username=None, **options):
        actor = SYSTEM
        if username:
            actor = find_user(username)
            if actor is None:
                raise CommandError(f"no user named '{username}'")
        survey = services.close_survey(survey=self._survey(survey_id), actor=actor)
        self.stdout.write(f"Closed survey {survey.pk} at {survey.closed_at:%Y-%m-%d %H:%M %Z}")
