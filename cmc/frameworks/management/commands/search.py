from rich.console import Console
from rich.table import Table

from cmc.core import search
from cmc.core.management.commands._base import CmcCommand
from cmc.frameworks.models import Framework


class Command(CmcCommand):
    help = "Search frameworks, competencies and key behaviors (public ones)."

    def add_arguments(self, parser):
        parser.add_argument("query", nargs="+", help="words to find (prefixes match too)")
        parser.add_argument("--limit", type=int, default=20, help="how many results (default 20)")

    def handle(self, *args, query, limit=20, **options):
        text = " ".join(query)
        results = search.search(text, frameworks=Framework.objects.visible_to(None), limit=limit)
        if not results.hits:
            self.stdout.write(f"No results for '{text}'.")
            return
        table = Table(title=f"{results.total} result(s) for '{text}'", show_lines=False)
        for column in ("kind", "title", "where", "link"):
            table.add_column(column)
        for hit in results.hits:
            table.add_row(hit.kind, hit.title, hit.context, hit.url)
        Console(file=self.stdout, width=160).print(table)
