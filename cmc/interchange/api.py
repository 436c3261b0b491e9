"""API routes for exports (a model, or one of its published versions, in every format; a big
model's made in the background and followed by its status) and imports of framework files (the
project's own formats, CASE, CTDL-ASN), run in the background."""

from typing import Literal

from django.conf import settings
from django.urls import reverse
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile

from cmc.accounts.auth import current_user, write_auth
from cmc.core.api import ERRORS, WRITE_ERRORS, ErrorItem, ErrorOut, Schema, file_responses
from cmc.core.errors import Conflict, InvalidInput, Problem
from cmc.core.http import attachment
from cmc.core.uploads import problems_of
from cmc.frameworks import selectors as framework_selectors
from cmc.interchange import detect, downloads, exports, selectors, uploads

router = Router(tags=["exports and worksheets"])

ExportFormat = Literal["json", "csv", "xlsx", "case", "ctdl", "pdf", "docx", "svg", "png"]
assert set(ExportFormat.__args__) == set(exports.EXPORT_FORMATS)


class ExportQuery(Schema):
    format: ExportFormat = "json"


class DownloadProgressOut(Schema):
    stage: str
    done: int
    total: int | None


class PreparedDownloadOut(Schema):
    identifier: str
    format: str
    filename: str
    state: Literal["queued", "done", "failed"]
    progress: DownloadProgressOut
    size: int
    problem: str
    status_url: str
    file_url: str | None
    page: str


BACKGROUND = (
    " A big model (more than 5,000 key behaviors, unless the site sets another limit) in an "
    "exchange format (`json`, `csv`, "
    "`xlsx`, `case`, `ctdl`), or in `pdf`, `docx` or `png` when its file is not ready yet, is "
    "made in the background: the answer is then 202 with the `status_url` to follow until its "
    "`state` is `done`, and the `file_url` that gives the file (kept for you for a day)."
)


@router.get(
    "/frameworks/{slug}/export",
    response={202: PreparedDownloadOut, **ERRORS},
    summary="Export a framework",
    description="The model as PDF, DOCX, XLSX, CSV or JSON, a CASE 1.1 CFPackage (`case`), "
    "CTDL-ASN JSON-LD (`ctdl`), or its pyramid as SVG or PNG." + BACKGROUND,
    openapi_extra=file_responses(exports.CONTENT_TYPES, "The framework as a file"),
)
def export(request, slug: str, query: Query[ExportQuery]):
    user = current_user(request)
    framework = framework_selectors.visible_framework(user=user, slug=slug)
    return _export(user, framework, query.format, None)


@router.get(
    "/frameworks/{slug}/versions/{number}/export",
    response={202: PreparedDownloadOut, **ERRORS},
    summary="Export a published version",
    description="A published version as it was frozen, in the same formats as the model."
    + BACKGROUND,
    openapi_extra=file_responses(exports.CONTENT_TYPES, "The version as a file"),
)
def export_version(request, slug: str, number: int, query: Query[ExportQuery]):
    user = current_user(request)
    framework, version = framework_selectors.visible_version(user=user, slug=slug, number=number)
    return _export(user, framework, query.format, version)


def _export(user, framework, fmt: str, version):
    if downloads.in_background(framework, fmt, version=version):
        made = downloads.prepare(framework=framework, fmt=fmt, reader=user, version=version)
        return Status(202, _prepared(made))
    data = exports.export(framework, fmt, reader=user, version=version)
    return attachment(data, exports.CONTENT_TYPES[fmt], exports.filename(framework, fmt, version))


@router.get(
    "/downloads/{identifier}",
    response={200: PreparedDownloadOut, **ERRORS},
    summary="The state of a download",
)
def download_status(request, identifier: str):
    """How the making of a big model's file you asked for is going: its state (queued, then
    done or failed), the stage it is at and the rows written, and once done the `file_url`.
    Only the reader who asked may follow it, while they may still see the model."""
    user = current_user(request)
    return _prepared(downloads.prepared(user=user, identifier=identifier))


@router.get(
    "/downloads/{identifier}/file",
    response={409: ErrorOut, **ERRORS},
    summary="The file of a download",
    openapi_extra=file_responses(exports.CONTENT_TYPES, "The file, once made"),
)
def download_file(request, identifier: str):
    """The file made for you, once its state is `done` (409 before), while you may still
    see the model; kept for a day."""
    user = current_user(request)
    download = downloads.prepared(user=user, identifier=identifier)
    if download.state == download.State.FAILED:
        raise Conflict(download.problem)
    if download.state != download.State.DONE:
        raise Conflict("The file is not ready yet: follow its status_url until its state is done.")
    return attachment(
        downloads.file_of(download), exports.CONTENT_TYPES[download.format], download.filename
    )


def _prepared(download) -> dict:
    done = download.state == download.State.DONE
    key = {"identifier": download.identifier}
    slug = download.framework.slug
    return {
        "identifier": str(download.identifier),
        "format": download.format,
        "filename": download.filename,
        "state": download.state,
        "progress": {"stage": download.stage, "done": download.done, "total": download.total},
        "size": download.size,
        "problem": download.problem,
        "status_url": reverse("api:download_status", kwargs=key),
        "file_url": reverse("api:download_file", kwargs=key) if done else None,
        "page": reverse("interchange:prepared", kwargs={**key, "slug": slug}),
    }


ImportFormat = Literal["case", "ctdl", "csv", "xlsx", "json"]
assert set(ImportFormat.__args__) == set(detect.LABELS)


class ImportQuery(Schema):
    public: bool = False
    level: list[str] = []
    dry_run: bool = False


class LevelOut(Schema):
    depth: int
    item_type: str
    count: int
    example: str
    role: str


class ImportedFrameworkOut(Schema):
    slug: str
    name: str
    created: bool
    dry_run: bool
    tiers: int
    competencies: int
    behaviors: int
    links: int


class ImportProgressOut(Schema):
    stage: str
    done: int
    total: int | None


class ImportStatusOut(Schema):
    identifier: str
    format: str
    filename: str
    state: Literal["waiting", "queued", "done", "failed"]
    progress: ImportProgressOut
    framework: str | None
    frameworks: list[ImportedFrameworkOut]
    levels: list[LevelOut]
    summary: str
    problems: list[ErrorItem]
    status_url: str
    page: str


@router.get(
    "/imports/status/{identifier}",
    response={200: ImportStatusOut, **WRITE_ERRORS},
    auth=write_auth,
    summary="The state of an import",
)
def import_status(request, identifier: str):
    """How an import you sent is going: its state (queued, then done or failed), the stage
    it is at and the rows done, the frameworks it wrote (`framework`: the first one's slug)
    and, when it failed, every problem, located; nothing is written then."""
    pending = selectors.pending_upload(user=request.auth, identifier=identifier)
    return _status(pending)


@router.post(
    "/imports/{fmt}",
    response={202: ImportStatusOut, **WRITE_ERRORS},
    auth=write_auth,
    summary="Import a framework file",
)
def import_outside(request, fmt: ImportFormat, file: File[UploadedFile], query: Query[ImportQuery]):
    """Queue the import of a file: the project's own formats (`csv`, `xlsx`, `json`, as
    `cmc import` reads them), a CASE 1.0 or 1.1 CFPackage (`case`) or a CTDL-ASN JSON-LD
    graph (`ctdl`). What is quick to check is checked now (a file of another format, not
    JSON, not of its schema, a bad row, a level that is no level: 422, nothing kept); the
    import then runs in the background: the answer (202) gives its `status_url`, which says
    how it goes and what it wrote. The levels of a CASE or CTDL-ASN file become tiers,
    competencies and key behaviors by depth and item type unless `level` says otherwise
    (`level=2=behavior`, repeated). Nothing is written if anything is wrong. New frameworks
    are private to you unless `public`; a file naming a framework you may not change makes a
    new one of your own."""
    data = file.read(settings.CMC_MAX_IMPORT_BYTES + 1)
    depths = {}
    for entry in query.level:
        depth, _, role = entry.partition("=")
        if not depth.isdigit():
            raise InvalidInput([Problem("level", entry, "write DEPTH=ROLE, e.g. 2=behavior")])
        depths[int(depth)] = role
    pending = uploads.queue_file(
        actor=request.auth, fmt=fmt, name=file.name or f"upload.{fmt}", data=data,
        depths=depths, public=query.public, dry_run=query.dry_run,
    )  # fmt: skip
    return Status(202, _status(pending))


def _status(pending) -> dict:
    result = pending.result or {}
    return {
        "identifier": str(pending.identifier),
        "format": pending.format,
        "filename": pending.filename,
        "state": pending.state,
        "progress": {"stage": pending.stage, "done": pending.done, "total": pending.total},
        "framework": pending.framework_slug or None,
        "frameworks": result.get("frameworks", []),
        "levels": result.get("levels", []),
        "summary": pending.summary,
        "problems": problems_of(pending),
        "status_url": reverse("api:import_status", kwargs={"identifier": pending.identifier}),
        "page": reverse("imports:preview", kwargs={"identifier": pending.identifier}),
    }
