from django.core.management.base import CommandError
from django.http import Http404

from cmc.accounts.services import find_user
from cmc.core.actors import SYSTEM
from cmc.core.management.commands._base import CmcCommand
from cmc.frameworks.selectors import visible_framework
from cmc.frameworks.services import publish_version


class Command(CmcCommand):
    help = "Publish the next version of a model (an immutable snapshot), optionally changing its status."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--note", default="", help="what changed, for the version history")
        parser.add_argument(
            "--status", choices=["draft", "approved", "archived"], help="change the status first"
        )
        parser.add_argument(
            "--as", dest="username", help="publish as this user (default: the system)"
        )

    def handle(self, *args, slug, note, status=None, username=None, **options):
        try:
            framework = visible_framework(user=SYSTEM, slug=slug, whole=True)
        except Http404:
            raise CommandError(f"no framework with the slug '{slug}'") from None
        user = find_user(username) if username else SYSTEM
        if username and user is None:
            raise CommandError(f"no user named '{username}'")
        # The status moves in the same transaction as the publication: a refused publication
        # (its approvers have not all approved the draft, say) leaves the status as it was.
        version = publish_version(framework=framework, actor=user, note=note, status=status)
        self.stdout.write(
            f"Published {framework.name} version {version.number} ({version.get_status_display().lower()})"
        )
