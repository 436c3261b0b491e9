from cmc.core.management.commands._base import CmcCommand
from cmc.frameworks.reference import load_reference


class Command(CmcCommand):
    help = "Load or update the shipped reference frameworks (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="report, write nothing")

    def handle(self, *args, dry_run=False, **options):
        reports = load_reference(dry_run=dry_run)
        changed = [r for r in reports if r.changed]
        for report in changed:
            for line in report.lines():
                self.stdout.write(line)
        verb = "would change" if dry_run else "changed"
        self.stdout.write(
            f"{len(reports)} reference frameworks, {len(changed)} {verb}, "
            f"{len(reports) - len(changed)} already up to date"
        )
