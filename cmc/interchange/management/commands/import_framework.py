from pathlib import Path

from django.core.management.base import CommandError
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn

from cmc.core.errors import InvalidInput
from cmc.core.files import Limits
from cmc.core.management.commands._base import CmcCommand
from cmc.frameworks.services import import_trees
from cmc.interchange import formats


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
        trees, problems = self._read(path, Limits.trusted() if trusted else None)
        if problems:
            raise InvalidInput(problems)
        if not trees:
            raise CommandError(f"{path.name}: holds no framework rows")
        visibility = "public" if public else None
        reports = import_trees(trees=trees, where=path.name, dry_run=dry_run, visibility=visibility)
        for report in reports:
            for line in report.lines():
                self.stdout.write(line)

    def _read(self, path: Path, limits: Limits | None):
        if path.stat().st_size < 2_000_000:
            return formats.read_file(path, limits=limits)
        columns = (SpinnerColumn(), TextColumn("{task.description}: {task.fields[rows]:,} rows"))
        with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
            task = progress.add_task(f"Reading {escape(path.name)}", total=None, rows=0)

            def advance(row: int) -> None:
                if row % 1000 == 0:
                    progress.update(task, rows=row)

            return formats.read_file(path, on_progress=advance, limits=limits)
