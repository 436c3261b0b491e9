import os
from pathlib import Path

from django.conf import settings

from cmc.occupations.services import import_oews, import_onet, import_soc

from ._importing import ImportCommand


def open_data_dir() -> Path:
    """CMC_OPEN_DATA, else ../shared/data beside the repository."""
    default = Path(settings.BASE_DIR).parent / "shared" / "data"
    return Path(os.environ.get("CMC_OPEN_DATA") or default)


class Command(ImportCommand):
    help = (
        "Import O*NET (onet/), SOC 2018 with CIP and the crosswalk (soc/) and OEWS wages "
        "(oews/*.csv) from the folder CMC_OPEN_DATA names (default ../shared/data), skipping "
        "files unchanged since their last import; one line when the folder is absent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="no progress bars")

    def handle(self, *args, quiet=False, **options):
        folder = open_data_dir()
        if not folder.is_dir():
            self.stdout.write(
                f"No open data folder at {folder} (set CMC_OPEN_DATA); occupations not imported"
            )
            return
        with self.progress(quiet) as progress:
            if (folder / "onet").is_dir():
                self.report(import_onet(directory=folder / "onet", progress=progress, force=False))
            if (folder / "soc").is_dir():
                self.report(import_soc(directory=folder / "soc", progress=progress, force=False))
            for path in (
                sorted((folder / "oews").glob("*.csv")) if (folder / "oews").is_dir() else []
            ):
                self.report(import_oews(path=path, progress=progress, force=False))
