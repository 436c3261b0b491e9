from pathlib import Path

from cmc.occupations.services import import_soc

from ._importing import ImportCommand


class Command(ImportCommand):
    help = "Import the SOC 2018 hierarchy with definitions, CIP 2020 and the TOP-CIP-SOC crosswalk."

    def add_arguments(self, parser):
        parser.add_argument(
            "directory",
            help="the directory with soc_2018_definitions.xlsx, CIPCode2020.csv and TOP-CIP-SOC*.xlsx",
        )
        self.add_common(parser)

    def handle(self, *args, directory, dry_run=False, if_changed=False, quiet=False, **options):
        with self.progress(quiet) as progress:
            report = import_soc(
                directory=Path(directory), progress=progress, dry_run=dry_run, force=not if_changed
            )
        self.report(report)
