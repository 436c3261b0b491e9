from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from cmc.core.actors import SYSTEM
from cmc.core.files import Limits
from cmc.core.management.commands._base import CmcCommand
from cmc.core.uploads import BarProgress
from cmc.resources import importing


class Command(CmcCommand):
    help = (
        "Import resources from a CSV or XLSX file (every row checked first, then all written "
        "in one transaction), with a progress bar."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", help="a .csv or .xlsx file; see the template on /resources/import/"
        )
        parser.add_argument("--publish", action="store_true", help="publish them (else pending)")
        parser.add_argument(
            "--as", dest="username", default="",
            help="record this staff user as the submitter (else the system)",
        )  # fmt: skip
        parser.add_argument(
            "--trusted", action="store_true",
            help="read the file whole, past the limits on size, rows, columns and cells",
        )  # fmt: skip

    def handle(self, *args, file, publish=False, username="", trusted=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        actor = self._actor(username)
        with path.open("rb") as handle, BarProgress() as progress:
            imported = importing.import_file(
                actor=actor, handle=handle, name=path.name, size=path.stat().st_size,
                publish=publish, limits=Limits.trusted() if trusted else None, progress=progress,
            )  # fmt: skip
        state = "published" if publish else "pending moderation"
        self.stdout.write(f"{path.name}: {imported.count} resource(s) imported, {state}")

    def _actor(self, username: str):
        if not username:
            return SYSTEM
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"--as: no user '{username}'")
        if not user.is_staff:
            raise CommandError(f"--as: '{username}' is not staff; only staff may import resources")
        return user
