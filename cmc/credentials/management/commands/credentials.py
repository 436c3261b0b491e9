"""`cmc credentials`: credentials from the command line.

cmc credentials export-alignments SLUG --format ob3|ctdl [--output FILE]
cmc credentials list [--kind KIND] [--framework SLUG]
"""

from pathlib import Path

from django.core.management.base import CommandError
from django.http import Http404

from cmc.core.actors import SYSTEM
from cmc.core.management.commands._base import CmcCommand
from cmc.credentials import exports, selectors


class Command(CmcCommand):
    help = "Export a credential's alignments (Open Badges 3.0 or CTDL), or list credentials."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser("export-alignments", help="A credential's alignments.")
        export.add_argument("slug")
        export.add_argument("--format", choices=sorted(exports.FORMATS), default="ob3")
        export.add_argument("--output", help="Write to this file instead of the screen.")
        listing = actions.add_parser("list", help="Every credential, one a line.")
        listing.add_argument("--kind", default="")
        listing.add_argument("--framework", default="", help="Aligned to this framework (slug).")

    def handle(self, *args, **options):
        if options["action"] == "export-alignments":
            self._export(options["slug"], options["format"], options["output"])
        else:
            filters = selectors.CredentialFilters(
                kind=options["kind"], framework=options["framework"]
            )
            for credential in selectors.credential_list(user=SYSTEM, filters=filters):
                self.stdout.write(
                    f"{credential.slug}\t{credential.get_kind_display()}\t{credential.name}"
                )

    def _export(self, slug: str, fmt: str, output: str | None) -> None:
        try:
            credential = selectors.visible_credential(user=SYSTEM, slug=slug)
        except Http404:
            raise CommandError(
                f"no credential '{slug}' (cmc credentials list names them)"
            ) from None
        links = selectors.credential_alignments(credential=credential, reader=SYSTEM)
        data = exports.export(credential, links, fmt)
        if output:
            Path(output).write_bytes(data)
            self.stderr.write(f"{len(links)} alignments of {credential.name} written to {output}")
        else:
            self.stdout.write(data.decode())
