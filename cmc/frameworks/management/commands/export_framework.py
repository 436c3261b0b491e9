import sys
from pathlib import Path

from django.core.management.base import CommandError
from django.http import Http404

from cmc.core.management.commands._base import CmcCommand
from cmc.frameworks import formats
from cmc.frameworks.selectors import framework_tree, tree_of


class Command(CmcCommand):
    help = "Export a framework as JSON, CSV or XLSX to a file or standard output."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the framework's slug (see `cmc search` or the site)")
        parser.add_argument("--format", choices=["json", "csv", "xlsx"], default="json")
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")

    def handle(self, *args, slug, format, output=None, **options):
        try:
            framework = framework_tree(user=None, slug=slug, include_private=True)
        except Http404:
            raise CommandError(f"no framework with the slug '{slug}'") from None
        data = formats.write(tree_of(framework), format)
        if output:
            Path(output).write_bytes(data)
            self.stderr.write(f"Wrote {framework.name} to {output} ({len(data):,} bytes)")
        elif format == "xlsx" and sys.stdout.isatty():
            raise CommandError("XLSX is binary: give a file with -o FILE.xlsx")
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
