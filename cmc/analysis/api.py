"""API routes for workshop worksheets: a blank one to fill in, and filled-in ones kept with
the model. Thin doors onto the same functions as the pages and the command line."""

from datetime import datetime
from typing import Literal
from uuid import UUID

from django.http import Http404
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile

from cmc.accounts.auth import current_user, write_auth
from cmc.core.api import ERRORS, WRITE_ERRORS, Schema, file_responses
from cmc.core.http import attachment
from cmc.frameworks import selectors as framework_selectors

from . import selectors, services, worksheets

router = Router(tags=["exports and worksheets"])

WorksheetKind = Literal["credential", "curriculum", "employer", "gap"]
assert set(WorksheetKind.__args__) == set(worksheets.KINDS)


class WorksheetQuery(Schema):
    format: Literal["xlsx", "docx"] = "xlsx"
    column: list[str] = []


@router.get(
    "/frameworks/{slug}/worksheets/{kind}",
    response=ERRORS,
    summary="A workshop worksheet",
    openapi_extra=file_responses(worksheets.CONTENT_TYPES, "The worksheet as a file"),
)
def worksheet(request, slug: str, kind: WorksheetKind, query: Query[WorksheetQuery]):
    """The model down the side and the worksheet's input columns across; `column` (repeat it)
    renames the input columns."""
    framework = framework_selectors.framework_tree(user=current_user(request), slug=slug)
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
    framework = framework_selectors.visible_framework(user=request.auth, slug=slug)
    saved = services.upload(
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
    framework = framework_selectors.visible_framework(user=user, slug=slug)
    return [_upload_out(u) for u in selectors.uploads_for(framework=framework, user=user)]


@router.get(
    "/frameworks/{slug}/worksheet-uploads/{identifier}",
    response={200: UploadDetailOut, **ERRORS},
    summary="One uploaded worksheet with its entries",
)
def get_upload(request, slug: str, identifier: UUID):
    user = current_user(request)
    framework = framework_selectors.visible_framework(user=user, slug=slug)
    upload = (
        selectors.uploads_for(framework=framework, user=user).filter(identifier=identifier).first()
    )
    if upload is None:
        raise Http404("No such upload.")
    return {**_upload_out(upload), "entries": list(upload.entries.all())}
