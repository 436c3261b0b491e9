import sys
from pathlib import Path

from django.core.management.base import CommandError
from django.http import Http404

from cmc.accounts.services import find_user
from cmc.analysis import reports, selectors, services, sheetfiles, worksheets
from cmc.analysis.answers import ABOUT
from cmc.core.actors import SYSTEM
from cmc.core.files import Limits
from cmc.core.management.commands._base import CmcCommand
from cmc.frameworks.selectors import framework_tree


class Command(CmcCommand):
    help = (
        "Write one of a model's four workshop worksheets as XLSX or DOCX, keep the entries "
        "of a filled-in one with the model (--upload FILE --as USER), or say what the kept "
        "worksheets add up to: the results per competency and the gaps (--results), or the "
        "gap report as XLSX (--gap-report)."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the model's slug")
        parser.add_argument("--kind", choices=list(worksheets.KINDS), help="which worksheet")
        parser.add_argument("--format", choices=list(worksheets.CONTENT_TYPES), default="xlsx")
        parser.add_argument(
            "--column",
            action="append",
            dest="columns",
            help="an input column heading, in order (repeat; default: the worksheet's own)",
        )
        for name, field in ABOUT.items():
            parser.add_argument(
                f"--{name.replace('_', '-')}",
                dest=name,
                default="",
                help=f"what the worksheet is about: {field.label.lower()}, {field.hint} "
                "(written into a new worksheet; fills or replaces what an upload says)",
            )
        parser.add_argument("-o", "--output", help="file to write (default: SLUG-KIND-worksheet)")
        parser.add_argument("--upload", metavar="FILE", help="a filled-in worksheet to keep")
        parser.add_argument("--as", dest="username", help="the user the upload is kept for")
        parser.add_argument(
            "--results",
            action="store_true",
            help="print what the worksheets kept by the model's editors say of each "
            "competency, and the gaps",
        )
        parser.add_argument(
            "--gap-report",
            action="store_true",
            help="write the gap report (XLSX) to -o FILE (default: SLUG-gap-report.xlsx)",
        )
        parser.add_argument(
            "--threshold",
            default="",
            help=f"the mean importance at which a competency is required (default "
            f"{selectors.DEFAULT_THRESHOLD:g})",
        )
        parser.add_argument(
            "--trusted",
            action="store_true",
            help="read the upload whole, past the limits on size, rows, columns and cells",
        )

    def handle(self, *args, slug, kind=None, format, columns=None, output=None, **options):
        try:
            framework = framework_tree(user=SYSTEM, slug=slug)
        except Http404:
            raise CommandError(f"no framework with the slug '{slug}'") from None
        about = {name: options.get(name) or "" for name in ABOUT}
        if options.get("results") or options.get("gap_report"):
            threshold = selectors.threshold_of(options.get("threshold"))
            results = selectors.results_for(framework=framework, user=SYSTEM, threshold=threshold)
            if options.get("gap_report"):
                path = Path(output or reports.filename(results))
                path.write_bytes(reports.gap_xlsx(results))
                self.stderr.write(f"Wrote the gap report to {path}")
            if options.get("results"):
                self._print_results(results)
            return None
        if options.get("upload"):
            limits = Limits.trusted() if options.get("trusted") else Limits.from_settings()
            return self._upload(
                framework, kind or "", options["upload"], options.get("username"), limits, about
            )
        if not kind:
            raise CommandError(f"say which worksheet with --kind ({', '.join(worksheets.KINDS)})")
        data = sheetfiles.render(framework, kind, format, columns=columns, about=about)
        if output == "-":
            if sys.stdout.isatty():
                raise CommandError(f"{format.upper()} is binary: give a file with -o FILE")
            sys.stdout.buffer.write(data)
            return
        path = Path(output or sheetfiles.filename(framework, kind, format))
        path.write_bytes(data)
        self.stderr.write(f"Wrote the {worksheets.KINDS[kind].title.lower()} worksheet to {path}")

    def _print_results(self, results) -> None:
        read = ", ".join(f"{n} {kind}" for kind, n in results.uploads.items() if n) or "none"
        self.stdout.write(f"{results.framework.name} ({results.version})")
        self.stdout.write(f"Worksheets read: {read}; required at importance {results.threshold:g}")
        for number, name, items in results.tiers:
            self.stdout.write(f"Tier {number}: {name}")
            for item in items:
                mean = item.importance.mean
                importance = "-" if mean is None else f"{mean:.2f} (n={item.importance.n})"
                covered = "; ".join(item.covered_by) or "nothing"
                mark = "GAP " if item.gap else ("ok  " if item.required else "    ")
                self.stdout.write(
                    f"  {mark}{item.ref:<8} {item.name}: importance {importance}, "
                    f"{'required' if item.required else 'not required'}, covered by {covered}"
                )
        gaps = results.gaps
        self.stdout.write(
            f"{len(gaps)} gap{'s' if len(gaps) != 1 else ''}"
            + (f": {', '.join(item.ref for item in gaps)}" if gaps else "")
        )

    def _upload(self, framework, kind: str, file: str, username, limits: Limits, about: dict):
        if not username:
            raise CommandError("say whose worksheet it is with --as USERNAME")
        user = find_user(username)
        if user is None:
            raise CommandError(f"no user named '{username}'")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        with path.open("rb") as handle:  # past the limit, one byte more is enough to refuse
            data = handle.read(-1 if limits.bytes is None else limits.bytes + 1)
        saved = services.upload(
            framework=framework, actor=user, kind=kind, name=path.name, data=data, limits=limits,
            about=about,
        )  # fmt: skip
        self.stdout.write(
            f"Kept {saved.entry_count} entries of the {saved.get_kind_display().lower()} "
            f"worksheet {path.name} with {framework.name}"
        )
