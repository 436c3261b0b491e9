import html

from django.utils.html import strip_tags
from rich.console import Console
from rich.table import Table
from rich.text import Text

from cmc.core import search
from cmc.core.management.commands._base import CmcCommand


class Command(CmcCommand):
    help = "Search frameworks, competencies and key behaviors (public ones)."

    def add_arguments(self, parser):
        parser.add_argument("query", nargs="+", help="words to find (prefixes match too)")
        parser.add_argument("--limit", type=int, default=20, help="how many results (default 20)")

    def handle(self, *args, query, limit=20, **options):
        text = " ".join(query)
        # Nobody signed in: the command line finds what is public.
        results = search.search(text, user=None, limit=limit)
        if not results.hits:
            self.stdout.write(f"No results for '{text}'.")
            return
        # Text, not strings: rich would read "[...]" in a name or the query as markup.
        table = Table(title=Text(f"{results.total} result(s) for '{text}'"), show_lines=False)
        for column in ("kind", "title", "where", "link"):
            table.add_column(column)
        for hit in results.hits:
            # A key behavior without a title would show an empty row: show what matched.
            title = hit.title or html.unescape(strip_tags(hit.snippet))
            table.add_row(*(Text(cell) for cell in (hit.kind, title, hit.context, hit.url)))
        Console(file=self.stdout, width=160).print(table)
