from cmc.core import reference
from cmc.core.management.commands._base import CmcCommand


class Command(CmcCommand):
    help = "Load or update the shipped reference content of every app (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="report, write nothing")

    def handle(self, *args, dry_run=False, **options):
        for loaded in reference.load_all(dry_run=dry_run):
            for line in loaded.lines:
                self.stdout.write(line)
            self.stdout.write(loaded.summary)
