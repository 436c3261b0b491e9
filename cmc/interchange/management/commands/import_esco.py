from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from cmc.core.actors import SYSTEM
from cmc.core.management.commands._base import CmcCommand
from cmc.interchange.esco import loading


class Command(CmcCommand):
    help = (
        "Load ESCO from its CSV exports (a directory of *_en.csv files, and/or single files): "
        "everything checked first, then written in one transaction; re-importing updates it."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="directories and files of the ESCO export")
        parser.add_argument(
            "--esco-version", default="", help="the ESCO version the files are (e.g. 1.2.0)"
        )
        parser.add_argument("--dry-run", action="store_true", help="report what would change")

    def handle(self, *args, paths, esco_version="", dry_run=False, **options):
        files = [Path(p) for p in paths]
        total = sum(_size(p) for p in files)
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TimeRemainingColumn(),
        )
        console = Console(stderr=True)
        with Progress(*columns, console=console, transient=True) as progress:
            task = progress.add_task("Reading", total=total)
            done: dict[str, int] = {}

            def advance(name: str, read: int) -> None:
                done[name] = read
                progress.update(task, completed=sum(done.values()), description=f"Reading {name}")

            def step(name: str) -> None:
                progress.update(task, completed=total, description=f"Writing {name}")

            summary = loading.import_esco(
                actor=SYSTEM,
                paths=files,
                version=esco_version,
                dry_run=dry_run,
                on_progress=advance,
                on_step=step,
            )
        for line in summary.lines():
            self.stdout.write(line)


def _size(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.glob("*.csv"))
    return path.stat().st_size if path.is_file() else 0
