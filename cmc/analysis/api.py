"""API routes for workshop worksheets: a blank one to fill in, and filled-in ones kept with
the model. Thin doors onto the same functions as the pages and the command line."""

from datetime import datetime
from typing import Literal
from uuid import UUID

from django.http import Http404
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from cmc.accounts.auth import current_user, write_auth
from cmc.core.api import ERRORS, WRITE_ERRORS, InSchema, Schema, file_responses
from cmc.core.errors import InvalidInput, Problem
from cmc.core.http import attachment
from cmc.frameworks import selectors as framework_selectors

from . import reports, selectors, services, sheetfiles, worksheets

router = Router(tags=["exports and worksheets"])

WorksheetKind = Literal["credential", "curriculum", "employer", "gap"]
assert set(WorksheetKind.__args__) == set(worksheets.KINDS)


class WorksheetQuery(Schema):
    format: Literal["xlsx", "docx"] = "xlsx"
    column: list[str] = []
    credential: str = ""
    employer: str = ""
    course: str = ""
    course_hours: str = ""
    respondent: str = ""


class WorksheetThresholdQuery(Schema):
    threshold: str = ""


class WorksheetImportanceOut(Schema):
    n: int
    mean: float | None
    sd: float | None


class CourseCoverOut(Schema):
    name: str
    hours: float | None


class CredentialCoverOut(Schema):
    name: str
    extent: Literal["fully", "partly"]


class WorksheetBehaviorResultOut(Schema):
    identifier: UUID
    ref: str
    name: str
    importance: WorksheetImportanceOut
    marked_required: int
    courses: list[CourseCoverOut]
    credentials: list[CredentialCoverOut]
    required: bool
    required_because: list[str]


class WorksheetCompetencyResultOut(WorksheetBehaviorResultOut):
    tier: int
    course_hours: float | None
    covered: bool
    gap: bool
    behaviors: list[WorksheetBehaviorResultOut]


class WorksheetResultsOut(Schema):
    framework: str
    version: str
    threshold: float
    uploads: dict[str, int]
    gaps: list[str]
    competencies: list[WorksheetCompetencyResultOut]


def _item_out(item) -> dict:
    out = {
        "identifier": item.identifier, "ref": item.ref, "name": item.name,
        "importance": item.importance, "marked_required": item.marked_required,
        "courses": item.courses, "credentials": item.credentials, "required": item.required,
        "required_because": item.required_because,
    }  # fmt: skip
    if item.kind == "competency":
        out |= {
            "tier": item.tier_number, "course_hours": item.course_hours,
            "covered": item.covered, "gap": item.gap,
            "behaviors": [_item_out(b) for b in item.behaviors],
        }  # fmt: skip
    return out


def _results(request, slug: str, query: WorksheetThresholdQuery):
    user = current_user(request)
    framework = framework_selectors.framework_tree(user=user, slug=slug)
    threshold = selectors.threshold_of(query.threshold)
    return selectors.results_for(framework=framework, user=user, threshold=threshold)


# Registered before /worksheets/{kind}: the same address with a word for the kind.
@router.get(
    "/frameworks/{slug}/worksheets/results",
    response={200: WorksheetResultsOut, **ERRORS},
    summary="What the uploaded worksheets add up to, and the gap",
)
def worksheet_results(request, slug: str, query: Query[WorksheetThresholdQuery]):
    """Per competency (and key behavior where rated), across the uploads you may see: n, mean
    and sd of employer importance; the courses that teach it and their hours; the credentials
    that cover it (fully or partly); whether the job requires it (mean importance at or above
    `threshold`, 4 by default, or marked required in a gap worksheet) and whether it is a gap
    (required, covered by no course and no credential)."""
    results = _results(request, slug, query)
    return {
        "framework": results.framework.slug,
        "version": results.version,
        "threshold": results.threshold,
        "uploads": results.uploads,
        "gaps": [item.ref for item in results.gaps],
        "competencies": [_item_out(item) for item in results.competencies],
    }


@router.get(
    "/frameworks/{slug}/worksheets/gap-report",
    response=ERRORS,
    summary="The gap report as XLSX",
    openapi_extra=file_responses({"xlsx": reports.CONTENT_TYPE}, "The gap report"),
)
def gap_report(request, slug: str, query: Query[WorksheetThresholdQuery]):
    """The results of `/worksheets/results` as a workbook: one row per competency, with
    required?, covered by, and gap."""
    results = _results(request, slug, query)
    return attachment(reports.gap_xlsx(results), reports.CONTENT_TYPE, reports.filename(results))


@router.get(
    "/frameworks/{slug}/worksheets/{kind}",
    response=ERRORS,
    summary="A workshop worksheet",
    openapi_extra=file_responses(worksheets.CONTENT_TYPES, "The worksheet as a file"),
)
def worksheet(request, slug: str, kind: WorksheetKind, query: Query[WorksheetQuery]):
    """What it is about (`credential`, `employer`, `course`, `course_hours`, `respondent`,
    written in beforehand), the model down the side and the worksheet's input columns across,
    with the row that says what each takes; `column` (repeat it) renames the input columns."""
    framework = framework_selectors.framework_tree(user=current_user(request), slug=slug)
    about = query.dict(exclude={"format", "column"})
    return attachment(
        sheetfiles.render(framework, kind, query.format, columns=query.column, about=about),
        worksheets.CONTENT_TYPES[query.format],
        sheetfiles.filename(framework, kind, query.format),
    )


class WorksheetAboutIn(InSchema):
    credential: str = ""
    employer: str = ""
    course: str = ""
    course_hours: str = ""
    respondent: str = ""


class UploadOut(Schema):
    identifier: UUID
    kind: str
    filename: str
    credential: str
    employer: str
    course: str
    course_hours: float | None
    respondent: str
    columns: list[str]
    column_types: list[str]
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
        "credential": upload.credential,
        "employer": upload.employer,
        "course": upload.course,
        "course_hours": upload.course_hours,
        "respondent": upload.respondent,
        "columns": upload.columns,
        "column_types": upload.column_types,
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
def upload_worksheet(
    request, slug: str, kind: WorksheetKind, file: File[UploadedFile], about: Form[WorksheetAboutIn]
):
    """Validates every row first, each value by the kind of answer its column declares;
    keeps all the entries with the model, or none. The form's `credential`, `employer`,
    `course`, `course_hours` and `respondent` fill or replace what the sheet says it is about."""
    # Form fields are picked by name, so one the route does not know would be dropped
    # silently; it is refused, as an unknown field of a JSON body is.
    unknown = sorted(set(request.POST) - set(WorksheetAboutIn.model_fields))
    if unknown:
        raise InvalidInput(
            [Problem("form", name, "Extra inputs are not permitted") for name in unknown]
        )
    framework = framework_selectors.visible_framework(user=request.auth, slug=slug)
    saved = services.upload(
        framework=framework,
        actor=request.auth,
        kind=kind,
        name=file.name or "",
        data=file.read(worksheets.max_bytes() + 1),
        about=about.dict(),
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
    upload = selectors.upload_for(framework=framework, user=user, identifier=identifier)
    if upload is None:
        raise Http404("No such upload.")
    return {**_upload_out(upload), "entries": list(upload.entries.all())}
