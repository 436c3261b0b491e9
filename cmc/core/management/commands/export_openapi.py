"""Write the API's OpenAPI document to `openapi.json`, the committed copy the tests compare."""

from pathlib import Path

from django.conf import settings

from ._base import CmcCommand


def openapi_text():
    """The live schema as the committed file holds it: sorted keys, two-space indent."""
    import json

    from django.utils.module_loading import import_string

    api = import_string(settings.CMC_API)
    return json.dumps(api.get_openapi_schema(), indent=2, sort_keys=True) + "\n"


class Command(CmcCommand):
    help = "Write the API's OpenAPI document to openapi.json (the committed snapshot)."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", default=str(Path(settings.BASE_DIR) / "openapi.json"))

    def handle(self, *args, output, **options):
        Path(output).write_text(openapi_text(), encoding="utf-8")
        self.stdout.write(f"Wrote {output}")
