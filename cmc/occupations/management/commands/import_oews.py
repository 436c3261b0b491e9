from pathlib import Path

from cmc.occupations.services import import_oews

from ._importing import ImportCommand


class Command(ImportCommand):
    help = "Import BLS OEWS wage estimates (a CSV or XLSX file with BLS's column names)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the estimates file, e.g. national_M2025.csv")
        parser.add_argument(
            "--year", type=int, help="the estimates' year (default: the file name's M2025)"
        )
        self.add_common(parser)

    def handle(
        self, *args, file, year=None, dry_run=False, if_changed=False, quiet=False, **options
    ):
        with self.progress(quiet) as progress:
            report = import_oews(
                path=Path(file), year=year, progress=progress, dry_run=dry_run, force=not if_changed
            )
        self.report(report)
