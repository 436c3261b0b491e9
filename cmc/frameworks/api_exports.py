"""API routes for files people read and fill in: exports of a model and its worksheets."""

from datetime import datetime
from typing import Literal
from uuid import UUID

from django.http import Http404
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile

from cmc.accounts.auth import current_user, write_auth
from cmc.core.http import attachment

from . import exports, selectors, worksheets
from .api import ERRORS, WRITE_ERRORS
from .schemas import Schema

router = Router(tags=["exports and worksheets"])

ExportFormat = Literal["json", "csv", "xlsx", "pdf", "docx", "svg", "png"]
WorksheetKind = Literal["credential", "curriculum", "employer", "gap"]
assert set(ExportFormat.__args__) == set(exports.EXPORT_FORMATS)
assert set(WorksheetKind.__args__) == set(worksheets.KINDS)


def _file_responses(types: dict[str, str], what: str) -> dict:
    def schema(kind: str) -> dict:
        if kind == "application/json":
            return {"type": "object"}
        if kind.startswith(("text/", "image/svg")):
            return {"type": "string"}
        return {"type": "string", "format": "binary"}

    content = {
        kind.split(";")[0]: {"schema": schema(kind.split(";")[0])} for kind in types.values()
    }
    return {"responses": {200: {"description": what, "content": content}}}


class ExportQuery(Schema):
    format: ExportFormat = "json"


@router.get(
    "/frameworks/{slug}/export",
    response=ERRORS,
    summary="Export a framework",
    openapi_extra=_file_responses(exports.CONTENT_TYPES, "The framework as a file"),
)
def export(request, slug: str, query: Query[ExportQuery]):
    """The model as PDF, DOCX, XLSX, CSV or JSON, or its pyramid as SVG or PNG."""
    user = current_user(request)
    framework = selectors.visible_framework(user=user, slug=slug)
    data = exports.ready_export(
        framework, query.format, tree=lambda: selectors.framework_tree(user=user, slug=slug)
    )
    return attachment(
        data, exports.CONTENT_TYPES[query.format], exports.filename(framework, query.format)
    )


@router.get(
    "/frameworks/{slug}/versions/{number}/export",
    response=ERRORS,
    summary="Export a published version",
    openapi_extra=_file_responses(exports.CONTENT_TYPES, "The version as a file"),
)
def export_version(request, slug: str, number: int, query: Query[ExportQuery]):
    """A published version as it was frozen, in the same formats as the model."""
    framework, version = selectors.visible_version(
        user=current_user(request), slug=slug, number=number
    )
    data = exports.ready_export(framework, query.format, version=version)
    return attachment(
        data,
        exports.CONTENT_TYPES[query.format],
        exports.filename(framework, query.format, version),
    )


class WorksheetQuery(Schema):
    format: Literal["xlsx", "docx"] = "xlsx"
    column: list[str] = []


@router.get(
    "/frameworks/{slug}/worksheets/{kind}",
    response=ERRORS,
    summary="A workshop worksheet",
    openapi_extra=_file_responses(worksheets.CONTENT_TYPES, "The worksheet as a file"),
)
def worksheet(request, slug: str, kind: WorksheetKind, query: Query[WorksheetQuery]):
    """The model down the side and the worksheet's input columns across; `column` (repeat it)
    renames the input columns."""
    framework = selectors.framework_tree(user=current_user(request), slug=slug)
    return attachment(
        worksheets.render(framework, kind, query.format, columns=query.column),
        worksheets.CONTENT_TYPES[query.format],
        worksheets.filename(framework, kind, query.format),
    )


class UploadOut(Schema):
    identifier: UUID
    kind: str
    filename: str
    columns: list[str]
    entry_count: int
    uploaded_by: str
    uploaded_at: datetime


class EntryOut(Schema):
    item_kind: str
    item_identifier: UUID
    ref: str
    column: str
    value: str


class UploadDetailOut(UploadOut):
    entries: list[EntryOut]


def _upload_out(upload) -> dict:
    return {
        "identifier": upload.identifier,
        "kind": upload.kind,
        "filename": upload.filename,
        "columns": upload.columns,
        "entry_count": upload.entry_count,
        "uploaded_by": upload.uploaded_by.get_username(),
        "uploaded_at": upload.uploaded_at,
    }


@router.post(
    "/frameworks/{slug}/worksheets/{kind}",
    response={201: UploadOut, **WRITE_ERRORS},
    auth=write_auth,
    summary="Upload a filled-in worksheet",
)
def upload_worksheet(request, slug: str, kind: WorksheetKind, file: File[UploadedFile]):
    """Validates every row first; keeps all the entries with the model, or none."""
    framework = selectors.visible_framework(user=request.auth, slug=slug)
    saved = worksheets.upload(
        framework=framework,
        actor=request.auth,
        kind=kind,
        name=file.name or "",
        data=file.read(worksheets.max_bytes() + 1),
    )
    return Status(201, _upload_out(saved))


@router.get(
    "/frameworks/{slug}/worksheet-uploads",
    response={200: list[UploadOut], **ERRORS},
    summary="Uploaded worksheets",
)
def list_uploads(request, slug: str):
    """Your own uploads; everyone's for those who may edit the model."""
    user = current_user(request)
    framework = selectors.visible_framework(user=user, slug=slug)
    return [_upload_out(u) for u in worksheets.uploads_for(framework=framework, user=user)]


@router.get(
    "/frameworks/{slug}/worksheet-uploads/{identifier}",
    response={200: UploadDetailOut, **ERRORS},
    summary="One uploaded worksheet with its entries",
)
def get_upload(request, slug: str, identifier: UUID):
    user = current_user(request)
    framework = selectors.visible_framework(user=user, slug=slug)
    upload = (
        worksheets.uploads_for(framework=framework, user=user).filter(identifier=identifier).first()
    )
    if upload is None:
        raise Http404("No such upload.")
    return {**_upload_out(upload), "entries": list(upload.entries.all())}
