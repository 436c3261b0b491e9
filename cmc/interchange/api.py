"""API routes for exports: a model, or one of its published versions, in every format."""

from typing import Literal

from ninja import Query, Router

from cmc.accounts.auth import current_user
from cmc.core.api import ERRORS, Schema, file_responses
from cmc.core.http import attachment
from cmc.frameworks import selectors
from cmc.interchange import exports

router = Router(tags=["exports and worksheets"])

ExportFormat = Literal["json", "csv", "xlsx", "case", "ctdl", "pdf", "docx", "svg", "png"]
assert set(ExportFormat.__args__) == set(exports.EXPORT_FORMATS)


class ExportQuery(Schema):
    format: ExportFormat = "json"


@router.get(
    "/frameworks/{slug}/export",
    response=ERRORS,
    summary="Export a framework",
    openapi_extra=file_responses(exports.CONTENT_TYPES, "The framework as a file"),
)
def export(request, slug: str, query: Query[ExportQuery]):
    """The model as PDF, DOCX, XLSX, CSV or JSON, or its pyramid as SVG or PNG."""
    user = current_user(request)
    framework = selectors.visible_framework(user=user, slug=slug)
    data = exports.export(framework, query.format, reader=user)
    return attachment(
        data, exports.CONTENT_TYPES[query.format], exports.filename(framework, query.format)
    )


@router.get(
    "/frameworks/{slug}/versions/{number}/export",
    response=ERRORS,
    summary="Export a published version",
    openapi_extra=file_responses(exports.CONTENT_TYPES, "The version as a file"),
)
def export_version(request, slug: str, number: int, query: Query[ExportQuery]):
    """A published version as it was frozen, in the same formats as the model."""
    user = current_user(request)
    framework, version = selectors.visible_version(user=user, slug=slug, number=number)
    data = exports.export(framework, query.format, reader=user, version=version)
    return attachment(
        data,
        exports.CONTENT_TYPES[query.format],
        exports.filename(framework, query.format, version),
    )
