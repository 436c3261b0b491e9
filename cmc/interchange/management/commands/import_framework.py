from pathlib import Path

from django.core.management.base import CommandError
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn

from cmc.core.files import Limits
from cmc.core.management.commands._base import CmcCommand
from cmc.interchange import native


class Command(CmcCommand):
    help = "Import frameworks from a CSV, XLSX or JSON file (all checked first, then one write)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .csv, .xlsx or .json file")
        parser.add_argument("--dry-run", action="store_true", help="report what would change")
        parser.add_argument(
            "--public", action="store_true", help="make new frameworks public (else private)"
        )
        parser.add_argument(
            "--trusted",
            action="store_true",
            help="read the file whole, past the limits on size, rows, columns and cells",
        )

    def handle(self, *args, file, dry_run=False, public=False, trusted=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        reports = self._import(
            path,
            limits=Limits.trusted() if trusted else None,
            visibility="public" if public else None,
            dry_run=dry_run,
        )
        if not reports:
            raise CommandError(f"{path.name}: holds no framework rows")
        for report in reports:
            for line in report.lines():
                self.stdout.write(line)

    def _import(self, path: Path, **choices):
        """The import, with a count of the rows read for a big file."""
        if path.stat().st_size < 2_000_000:
            return native.import_file(path=path, **choices)
        columns = (SpinnerColumn(), TextColumn("{task.description}: {task.fields[rows]:,} rows"))
        with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
            task = progress.add_task(f"Importing {escape(path.name)}", total=None, rows=0)

            def advance(row: int) -> None:
                if row % 1000 == 0:
                    progress.update(task, rows=row)

            return native.import_file(path=path, on_progress=advance, **choices)
