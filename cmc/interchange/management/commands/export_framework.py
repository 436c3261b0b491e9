import sys
from pathlib import Path

from django.core.management.base import CommandError
from django.http import Http404
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from cmc.core.actors import SYSTEM
from cmc.core.management.commands._base import CmcCommand
from cmc.frameworks.selectors import find_version, version_numbers, visible_framework
from cmc.interchange import exports, formats

BINARY = {"xlsx", "pdf", "docx", "png"}
# Rows from which writing a file shows a progress bar.
PROGRESS_FROM = 10_000


class Command(CmcCommand):
    help = (
        "Export a framework (JSON, CSV, XLSX, PDF, DOCX) or its pyramid (SVG, PNG) to a file "
        "or standard output."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "slug",
            help="the framework's slug (see `cmc search` or the site); SLUG@N for its published "
            "version N",
        )
        parser.add_argument("--format", choices=exports.EXPORT_FORMATS, default="json")
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")

    def handle(self, *args, slug, format, output=None, **options):
        slug, _, version = slug.partition("@")
        if version and not version.isdigit():
            raise CommandError(f"'{version}' is not a version number: write SLUG@N, e.g. {slug}@1")
        version = int(version) if version else None
        try:
            framework = visible_framework(user=SYSTEM, slug=slug, whole=True)
        except Http404:
            raise CommandError(f"no framework with the slug '{slug}'") from None
        published = None
        if version is not None:
            try:
                published = find_version(framework, version)
            except Http404 as error:
                numbers = version_numbers(framework)
                have = (
                    f"its versions are {', '.join(map(str, numbers))}"
                    if numbers
                    else "it has no published version"
                )
                raise CommandError(f"{str(error).rstrip('.')}; {have}") from None
        what = framework.name + (f" version {version}" if version is not None else "")
        if output and format in formats.CONTENT_TYPES:
            self._write(framework, format, Path(output), published)
            self.stderr.write(f"Wrote {what} to {output} ({Path(output).stat().st_size:,} bytes)")
            return
        data = exports.export(framework, format, reader=SYSTEM, version=published)
        if output:
            Path(output).write_bytes(data)
            self.stderr.write(f"Wrote {what} to {output} ({len(data):,} bytes)")
        elif format in BINARY and sys.stdout.isatty():
            raise CommandError(f"{format.upper()} is binary: give a file with -o FILE.{format}")
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()

    def _write(self, framework, format: str, path: Path, published) -> None:
        """An exchange format straight to the file, with a progress bar for a big framework."""
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
        with (
            path.open("wb") as handle,
            Progress(*columns, console=Console(stderr=True), transient=True) as progress,
        ):
            task = progress.add_task(f"Writing {escape(path.name)}", total=None, visible=False)

            def advance(done: int, total: int) -> None:
                if total >= PROGRESS_FROM:
                    progress.update(task, completed=done, total=total, visible=True)

            exports.export_to(
                framework, format, handle, reader=SYSTEM, version=published, on_progress=advance
            )
