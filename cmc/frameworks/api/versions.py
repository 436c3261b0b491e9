"""API routes for a model's life: versions, status, sharing and what changed. Thin doors onto
the same services and selectors as the pages and the command line."""

from typing import Literal
from uuid import UUID

from ninja import Field, Query, Router, Status

from cmc.accounts.auth import current_user, write_auth
from cmc.core.api import ERRORS, WRITE_ERRORS, InSchema, Schema
from cmc.frameworks import diffs, selectors, services
from cmc.frameworks.api.browse import full
from cmc.frameworks.api.schemas import FrameworkOut

router = Router(tags=["build a model"])


class VersionIn(InSchema):
    note: str = Field("", max_length=5000)


class VersionOut(Schema):
    identifier: UUID
    number: int
    note: str
    status: str
    published_at: str
    published_by: str | None


class StatusIn(InSchema):
    status: Literal["draft", "approved", "archived"]


class DiffQuery(Schema):
    from_: str = Field("", alias="from", max_length=140)
    to: str = Field("draft", max_length=140)


class RunOut(Schema):
    op: Literal["equal", "delete", "insert"]
    text: str


class ChangeOut(Schema):
    kind: Literal["tier", "competency", "behavior"]
    change: Literal["added", "removed", "moved", "edited"]
    label: str
    place_before: str
    place_after: str
    fields: dict[str, list[RunOut]]


class DiffOut(Schema):
    before: str
    after: str
    summary: dict[str, int]
    changes: list[ChangeOut]


def _version_out(version) -> dict:
    return {
        "identifier": version.identifier,
        "number": version.number,
        "note": version.note,
        "status": version.status,
        "published_at": version.published_at.isoformat(),
        "published_by": version.published_by.get_username() if version.published_by else None,
    }


@router.get(
    "/frameworks/{slug}/versions", response={200: list[VersionOut], **ERRORS}, summary="Versions"
)
def list_versions(request, slug: str):
    framework = selectors.visible_framework(user=current_user(request), slug=slug)
    return [_version_out(v) for v in framework.versions.select_related("published_by")]


@router.get(
    "/frameworks/{slug}/versions/{number}",
    response={200: dict, **ERRORS},
    summary="One version's snapshot",
)
def get_version(request, slug: str, number: int):
    """The version's frozen JSON document (the import format, with lineage)."""
    _, version = selectors.visible_version(user=current_user(request), slug=slug, number=number)
    return version.snapshot


@router.post(
    "/frameworks/{slug}/versions",
    response={201: VersionOut, **WRITE_ERRORS},
    auth=write_auth,
    summary="Publish a version",
)
def publish(request, slug: str, payload: VersionIn):
    """Freeze the draft into the next numbered version. Refused with 409 when a rule about
    publishing does not hold (a model with designated approvers is published once every one
    of them has approved the draft as it is now), with 403 when you may not edit the model."""
    version = services.publish_version(
        framework=selectors.visible_framework(user=request.auth, slug=slug, whole=True),
        actor=request.auth,
        note=payload.note,
    )
    return Status(201, _version_out(version))


@router.post(
    "/frameworks/{slug}/status",
    response={200: FrameworkOut, **WRITE_ERRORS},
    auth=write_auth,
    summary="Change the status",
)
def change_status(request, slug: str, payload: StatusIn):
    services.set_status(
        framework=selectors.visible_framework(user=request.auth, slug=slug, whole=True),
        actor=request.auth,
        status=payload.status,
    )
    return full(selectors.framework_tree(user=request.auth, slug=slug), request.auth)


class SharingIn(InSchema):
    visibility: Literal["private", "organization", "public"]
    organization: str | None = Field(None, max_length=100, description="slug; empty to leave")


@router.post(
    "/frameworks/{slug}/sharing",
    response={200: FrameworkOut, **WRITE_ERRORS},
    auth=write_auth,
    summary="Share a framework",
)
def share(request, slug: str, payload: SharingIn):
    """Private, shared with an organization you own or edit for, or public."""
    services.share_framework(
        framework=selectors.visible_framework(user=request.auth, slug=slug, whole=True),
        actor=request.auth,
        visibility=payload.visibility,
        organization=payload.organization,
    )
    return full(selectors.framework_tree(user=request.auth, slug=slug), request.auth)


@router.get("/frameworks/{slug}/diff", response={200: DiffOut, **ERRORS}, summary="What changed")
def diff(request, slug: str, query: Query[DiffQuery]):
    """`from` and `to` are a version number, `draft`, or `source:SLUG` (the version of a source
    the model was built from). Without `from`: the latest version, or the first source."""
    user = current_user(request)
    framework = selectors.visible_framework(user=user, slug=slug)
    before = query.from_ or diffs.default_before(framework)
    result = diffs.compare(
        diffs.resolve_side(user=user, slug=slug, ref=before),
        diffs.resolve_side(user=user, slug=slug, ref=query.to),
    )
    return {
        "before": result.before,
        "after": result.after,
        "summary": result.summary,
        "changes": [
            {
                **change.__dict__,
                "fields": {
                    k: [{"op": op, "text": t} for op, t in runs]
                    for k, runs in change.fields.items()
                },
            }
            for change in result.changes
        ],
    }
