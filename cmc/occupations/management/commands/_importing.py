"""What the three import commands share: a rich progress bar per table and the summary."""

from contextlib import contextmanager

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from cmc.core.management.commands._base import CmcCommand


class RichProgress:
    """A bar per table on standard error, as the importer reads it."""

    def __init__(self, progress: Progress):
        self.progress, self.task = progress, None
        self.pending = 0

    def start(self, name: str, total: int | None) -> None:
        self.task = self.progress.add_task(escape(name), total=total)
        self.pending = 0

    def advance(self, rows: int = 1) -> None:
        # Redrawing per row would cost more than reading it: the bar moves every 500 rows.
        self.pending += rows
        if self.pending >= 500:
            self.progress.advance(self.task, self.pending)
            self.pending = 0

    def done(self) -> None:
        task = self.progress.tasks[-1]
        self.progress.update(
            self.task, completed=task.completed + self.pending, total=task.completed + self.pending
        )


class ImportCommand(CmcCommand):
    def add_common(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="read and check everything, write nothing"
        )
        parser.add_argument(
            "--if-changed",
            action="store_true",
            help="skip the import when the files are those of the last import (by checksum)",
        )
        parser.add_argument("--quiet", action="store_true", help="no progress bars")

    @contextmanager
    def progress(self, quiet: bool):
        if quiet:
            yield None
            return
        columns = (
            TextColumn("{task.description}", style="bold"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=Console(stderr=True)) as progress:
            yield RichProgress(progress)

    def report(self, report) -> None:
        for line in report.lines():
            self.stdout.write(line)
