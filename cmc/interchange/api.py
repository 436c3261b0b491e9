"""API routes for exports (a model, or one of its published versions, in every format) and
imports of other systems' formats (CASE, CTDL-ASN)."""

from typing import Literal

from django.conf import settings
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile

from cmc.accounts.auth import current_user, write_auth
from cmc.core.api import ERRORS, WRITE_ERRORS, Schema, file_responses
from cmc.core.errors import InvalidInput, Problem
from cmc.core.http import attachment
from cmc.frameworks import selectors
from cmc.interchange import exports, services

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
    """The model as PDF, DOCX, XLSX, CSV or JSON, a CASE 1.1 CFPackage (`case`), CTDL-ASN
    JSON-LD (`ctdl`), or its pyramid as SVG or PNG."""
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


ImportFormat = Literal["case", "ctdl"]


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


class ImportOut(Schema):
    slug: str
    name: str
    created: bool
    dry_run: bool
    tiers: int
    competencies: int
    behaviors: int
    links: int
    levels: list[LevelOut]


@router.post(
    "/imports/{fmt}",
    response={201: ImportOut, 200: ImportOut, **WRITE_ERRORS},
    auth=write_auth,
    summary="Import a CASE package or a CTDL-ASN framework",
)
def import_outside(request, fmt: ImportFormat, file: File[UploadedFile], query: Query[ImportQuery]):
    """The file (a CASE 1.0 or 1.1 CFPackage, or a CTDL-ASN JSON-LD graph) is checked whole;
    its levels become tiers, competencies and key behaviors by depth and item type unless
    `level` says otherwise (`level=2=behavior`, repeated); nothing is written if anything is
    wrong. A new framework is private to you unless `public`."""
    data = file.read(settings.CMC_MAX_IMPORT_BYTES + 1)
    found = services.read(fmt=fmt, data=data, name=file.name or f"upload.{fmt}")
    depths = {}
    for entry in query.level:
        depth, _, role = entry.partition("=")
        if not depth.isdigit():
            raise InvalidInput([Problem("level", entry, "write DEPTH=ROLE, e.g. 2=behavior")])
        depths[int(depth)] = role
    roles = services.roles_for(found, chosen=_by_level(found, depths))
    imported = services.import_read(
        found=found, actor=request.auth, roles=roles, public=query.public, dry_run=query.dry_run
    )
    report = imported.report
    out = {
        "slug": report.framework.slug,
        "name": report.framework.name,
        "created": report.created,
        "dry_run": report.dry_run,
        "tiers": report.tiers.created + report.tiers.updated + report.tiers.unchanged,
        "competencies": report.competencies.created + report.competencies.updated
        + report.competencies.unchanged,
        "behaviors": report.behaviors.created + report.behaviors.updated
        + report.behaviors.unchanged,
        "links": imported.links,
        "levels": [
            {"depth": lv.depth, "item_type": lv.kind, "count": lv.count, "example": lv.example,
             "role": roles[lv.key]}
            for lv in found.levels()
        ],
    }  # fmt: skip
    return Status(201 if report.created and not report.dry_run else 200, out)


def _by_level(found, depths: dict[int, str]) -> dict[str, str]:
    return {lv.key: depths[lv.depth] for lv in found.levels() if lv.depth in depths}
