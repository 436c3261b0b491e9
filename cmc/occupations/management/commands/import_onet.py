from pathlib import Path

from cmc.occupations.services import import_onet

from ._importing import ImportCommand


class Command(ImportCommand):
    help = (
        "Import an O*NET database release (text or Excel files): occupations, tasks, skills, "
        "knowledge, abilities and work activities where present, job zones, education, "
        "alternate titles, related occupations, the content model and scales."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "directory", help="the release directory (Occupation Data.txt or .xlsx and the rest)"
        )
        self.add_common(parser)

    def handle(self, *args, directory, dry_run=False, if_changed=False, quiet=False, **options):
        with self.progress(quiet) as progress:
            report = import_onet(
                directory=Path(directory), progress=progress, dry_run=dry_run, force=not if_changed
            )
        self.report(report)
