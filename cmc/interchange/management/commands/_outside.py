"""What `cmc import-case` and `cmc import-ctdl` share: read the file whole, place its levels
(by default, or as --level says), then write it all or nothing."""

from pathlib import Path

from django.core.management.base import CommandError
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn

from cmc.core.actors import SYSTEM
from cmc.core.files import Limits
from cmc.core.management.commands._base import CmcCommand
from cmc.interchange import services
from cmc.interchange.formats.outline import ROLE_LABELS, ROLES


class OutsideImport(CmcCommand):
    fmt = ""
    what = ""

    def add_arguments(self, parser):
        parser.add_argument("file", help=f"a {self.what} (.json or .jsonld)")
        parser.add_argument(
            "--level",
            action="append",
            default=[],
            metavar="DEPTH=ROLE",
            help="make the items at DEPTH (1 is the top) tiers, competencies or key behaviors "
            "(tier, competency, behavior); repeat for each depth to change",
        )
        parser.add_argument("--levels", action="store_true", help="list the levels and stop")
        parser.add_argument("--dry-run", action="store_true", help="report what would change")
        parser.add_argument(
            "--public", action="store_true", help="make a new framework public (else private)"
        )
        parser.add_argument(
            "--trusted", action="store_true", help="read the file past the limits on size and items"
        )

    def handle(self, *args, file, level, levels=False, dry_run=False, public=False,
               trusted=False, **options):  # fmt: skip
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        depths = self._depths(level)
        with Progress(SpinnerColumn(), TextColumn("{task.description}"),
                      console=Console(stderr=True), transient=True) as progress:  # fmt: skip
            progress.add_task(f"Reading {path.name}", total=None)
            found = services.read(fmt=self.fmt, data=path.read_bytes(), name=path.name,
                                  limits=Limits.trusted() if trusted else None)  # fmt: skip
            if levels:
                progress.stop()
                return self._show(found)
            roles = services.roles_for(found, depths=depths)
            imported = services.import_read(found=found, actor=SYSTEM, roles=roles,
                                            public=public, dry_run=dry_run)  # fmt: skip
        for line in imported.report.lines():
            self.stdout.write(line)
        verb = "would be" if dry_run else "were"
        self.stdout.write(
            f"  links to outside statements: {imported.links} {verb} kept as alignments"
        )

    def _depths(self, given: list[str]) -> dict[int, str]:
        depths = {}
        for entry in given:
            depth, _, role = entry.partition("=")
            if not depth.strip().isdigit() or role.strip() not in ROLES:
                raise CommandError(
                    f"--level {entry}: write DEPTH=ROLE, ROLE one of {', '.join(ROLES)}"
                )
            depths[int(depth)] = role.strip()
        return depths

    def _show(self, found) -> None:
        for lv in found.levels():
            kind = f" ({lv.kind})" if lv.kind else ""
            self.stdout.write(f"depth {lv.depth}{kind}: {lv.count} items, e.g. "
                              f"\"{lv.example[:60]}\" -> {ROLE_LABELS[lv.role].lower()}")  # fmt: skip
