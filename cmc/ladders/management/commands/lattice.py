"""`cmc lattice import FILE` and `cmc lattice export SLUG`: the lattice document (YAML or JSON)
in, the lattice out as JSON (the same document), SVG, PNG or PDF."""

import sys
from pathlib import Path

from django.core.management.base import CommandError
from django.http import Http404

from cmc.accounts.services import find_user
from cmc.core.actors import SYSTEM
from cmc.core.management.commands._base import CmcCommand
from cmc.ladders import documents, pictures, selectors, services


class Command(CmcCommand):
    help = (
        "Import a career lattice from a YAML or JSON file, or export one as json, svg, png or pdf."
    )

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True, metavar="import|export")
        reading = commands.add_parser("import", help="import a lattice file (YAML or JSON)")
        reading.add_argument(
            "file", help="the lattice file; checked whole before anything is written"
        )
        reading.add_argument("--as", dest="username", help="the user who owns it (and must be able to change a lattice it replaces)")  # fmt: skip
        reading.add_argument("--public", action="store_true", help="everyone may see it (default: private to its owner)")  # fmt: skip
        writing = commands.add_parser("export", help="export a lattice")
        writing.add_argument("slug", help="the lattice's slug")
        writing.add_argument("--format", choices=list(pictures.CONTENT_TYPES), default="json")
        writing.add_argument("-o", "--output", help="file to write (default: SLUG.FORMAT; - for standard output)")  # fmt: skip

    def handle(self, *args, action, **options):
        if action == "import":
            return self._import(options["file"], options.get("username"), options["public"])
        return self._export(options["slug"], options["format"], options.get("output"))

    def _import(self, file: str, username: str | None, public: bool) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        if not username and not public:
            raise CommandError("say who owns the lattice with --as USER, or make it --public")
        actor = find_user(username) if username else SYSTEM
        if actor is None:
            raise CommandError(f"no user '{username}'")
        document = documents.parse(path.name, path.read_bytes())
        lattice, created = services.import_lattice(
            document=document, where=path.name, actor=actor, public=public
        )
        count = lattice.positions.count()
        verb = "Imported" if created else "Replaced"
        self.stdout.write(f"{verb} the lattice {lattice.slug} ({count} positions, {lattice.transitions.count()} moves)")  # fmt: skip

    def _export(self, slug: str, fmt: str, output: str | None) -> None:
        try:
            lattice = selectors.visible_lattice(user=SYSTEM, slug=slug)
        except Http404:
            raise CommandError(f"no lattice with the slug '{slug}'") from None
        view = selectors.lattice_view(lattice, reader=SYSTEM)
        data = pictures.render(view, fmt)
        if output == "-":
            if fmt in ("png", "pdf") and sys.stdout.isatty():
                raise CommandError(f"{fmt.upper()} is binary: give a file with -o FILE")
            sys.stdout.buffer.write(data)
            return
        target = Path(output or pictures.filename(view, fmt))
        target.write_bytes(data)
        self.stderr.write(f"Wrote {target}")
