"""Responses the pages and the API share."""

from django.http import HttpResponse


def attachment(data: bytes, content_type: str, filename: str) -> HttpResponse:
    """A file to download under `filename` (names made by the app: no quotes or newlines)."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
