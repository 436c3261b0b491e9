from pathlib import Path

from cmc.core.actors import SYSTEM
from cmc.core.management.commands._base import CmcCommand
from cmc.interchange.esco import loading


class Command(CmcCommand):
    help = (
        "Load the ESCO to O*NET-SOC crosswalk CSV published by the European Commission "
        "(columns 'O*NET Id', 'ESCO or ISCO URI', 'Type of Match'), after ESCO itself."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the crosswalk CSV")
        parser.add_argument("--dry-run", action="store_true", help="report what would change")

    def handle(self, *args, file, dry_run=False, **options):
        summary = loading.import_crosswalk(actor=SYSTEM, path=Path(file), dry_run=dry_run)
        for line in summary.lines():
            self.stdout.write(line)
