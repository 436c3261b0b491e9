"""API routes for building models: derive and blend, item edits, versions, status and diffs.
Thin doors onto the same services as the pages and the command line."""

from typing import Literal
from uuid import UUID

from django.http import Http404
from ninja import Field, Query, Router, Status

from cmc.accounts.auth import current_user, write_auth

from . import diffs, editing, publishing, selectors, services
from .api import ERRORS, WRITE_ERRORS, full
from .derive import derive_framework
from .models import Competency, Framework, KeyBehavior
from .schemas import CompetencyDetailOut, FrameworkOut, InSchema, Schema

router = Router(tags=["build a model"])


class DeriveIn(InSchema):
    sources: list[str] = Field(..., min_length=1, max_length=10)
    name: str = Field(..., min_length=1, max_length=200)
    visibility: Literal["private", "public"] = "private"


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


class CompetencyEditIn(InSchema):
    name: str = Field(..., min_length=1, max_length=300)
    definition: str = Field("", max_length=10_000)
    revision: int = Field(..., ge=1)


class BehaviorEditIn(InSchema):
    title: str = Field("", max_length=300)
    text: str = Field(..., min_length=1, max_length=10_000)
    revision: int = Field(..., ge=1)


class BehaviorNewIn(InSchema):
    title: str = Field("", max_length=300)
    text: str = Field(..., min_length=1, max_length=10_000)


class CompetencyNewIn(InSchema):
    name: str = Field(..., min_length=1, max_length=300)
    definition: str = Field("", max_length=10_000)


class ItemOut(Schema):
    identifier: UUID
    revision: int
    origin: str


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


def _editable(request, slug: str) -> Framework:
    """The framework a write names, if the caller may see it; the service decides whether they
    may change it (403) or not see it at all (404)."""
    return selectors.visible_framework(user=request.auth, slug=slug, whole=True)


@router.post(
    "/frameworks/derive",
    response={201: FrameworkOut, **WRITE_ERRORS},
    auth=write_auth,
    summary="Build a model from frameworks",
)
def derive(request, payload: DeriveIn):
    """A new private draft built from one framework, or blended from several, with lineage."""
    visible = {
        f.slug: f
        for f in Framework.objects.visible_to(request.auth).filter(slug__in=payload.sources)
    }
    missing = [s for s in payload.sources if s not in visible]
    if missing:
        raise Http404(f"No framework '{missing[0]}'.")
    framework = derive_framework(
        actor=request.auth,
        sources=[visible[s] for s in payload.sources],
        name=payload.name,
        visibility=payload.visibility,
    )
    return Status(201, full(selectors.framework_tree(user=request.auth, slug=framework.slug)))


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
    framework = selectors.visible_framework(user=current_user(request), slug=slug)
    version = framework.versions.filter(number=number).first()
    if version is None:
        raise Http404(f"No version {number}.")
    return version.snapshot


@router.post(
    "/frameworks/{slug}/versions",
    response={201: VersionOut, **WRITE_ERRORS},
    auth=write_auth,
    summary="Publish a version",
)
def publish(request, slug: str, payload: VersionIn):
    version = publishing.publish_version(
        framework=_editable(request, slug), actor=request.auth, note=payload.note
    )
    return Status(201, _version_out(version))


@router.post(
    "/frameworks/{slug}/status",
    response={200: FrameworkOut, **WRITE_ERRORS},
    auth=write_auth,
    summary="Change the status",
)
def change_status(request, slug: str, payload: StatusIn):
    publishing.set_status(
        framework=_editable(request, slug), actor=request.auth, status=payload.status
    )
    return full(selectors.framework_tree(user=request.auth, slug=slug))


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
        framework=_editable(request, slug),
        actor=request.auth,
        visibility=payload.visibility,
        organization=payload.organization,
    )
    return full(selectors.framework_tree(user=request.auth, slug=slug))


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


def _competency(request, identifier) -> Competency:
    found = (
        Competency.objects.visible_to(request.auth)
        .select_related("framework", "tier")
        .filter(identifier=identifier)
        .first()
    )
    if found is None:
        raise Http404("No such competency.")
    return found


def _behavior(request, identifier) -> KeyBehavior:
    found = (
        KeyBehavior.objects.visible_to(request.auth)
        .select_related("competency__framework", "competency__tier")
        .filter(identifier=identifier)
        .first()
    )
    if found is None:
        raise Http404("No such key behavior.")
    return found


# Read, edit and leave out share one path, so they share one router (one Allow header).
@router.get(
    "/competencies/{identifier}",
    response={200: CompetencyDetailOut, **ERRORS},
    summary="One competency",
    tags=["frameworks"],
)
def get_competency(request, identifier: UUID):
    competency = selectors.competency_detail(user=current_user(request), identifier=identifier)
    return {
        "identifier": competency.identifier,
        "code": competency.code,
        "name": competency.name,
        "definition": competency.definition,
        "url": competency.get_absolute_url(),
        "framework": competency.framework,
        "tier": competency.tier,
        "behaviors": competency.behavior_list,
    }


@router.patch(
    "/competencies/{identifier}",
    response={200: ItemOut, **WRITE_ERRORS},
    auth=write_auth,
    summary="Edit a competency",
)
def edit_competency(request, identifier: UUID, payload: CompetencyEditIn):
    """Send the revision you started from; a newer one answers 409 with the current text."""
    return editing.update_competency(
        actor=request.auth, competency=_competency(request, identifier), **payload.dict()
    )


@router.delete(
    "/competencies/{identifier}",
    response={204: None, **WRITE_ERRORS},
    auth=write_auth,
    summary="Leave a competency out",
)
def leave_out_competency(request, identifier: UUID):
    editing.leave_out_competency(actor=request.auth, competency=_competency(request, identifier))
    return Status(204, None)


@router.post(
    "/competencies/{identifier}/behaviors",
    response={201: ItemOut, **WRITE_ERRORS},
    auth=write_auth,
    summary="Add a key behavior",
)
def add_behavior(request, identifier: UUID, payload: BehaviorNewIn):
    behavior = editing.add_behavior(
        actor=request.auth, competency=_competency(request, identifier), **payload.dict()
    )
    return Status(201, behavior)


@router.post(
    "/frameworks/{slug}/tiers/{number}/competencies",
    response={201: ItemOut, **WRITE_ERRORS},
    auth=write_auth,
    summary="Add a competency",
)
def add_competency(request, slug: str, number: int, payload: CompetencyNewIn):
    tier = _editable(request, slug).tiers.filter(number=number).first()
    if tier is None:
        raise Http404(f"No tier {number}.")
    return Status(201, editing.add_competency(actor=request.auth, tier=tier, **payload.dict()))


@router.patch(
    "/behaviors/{identifier}",
    response={200: ItemOut, **WRITE_ERRORS},
    auth=write_auth,
    summary="Edit a key behavior",
)
def edit_behavior(request, identifier: UUID, payload: BehaviorEditIn):
    return editing.update_behavior(
        actor=request.auth, behavior=_behavior(request, identifier), **payload.dict()
    )


@router.delete(
    "/behaviors/{identifier}",
    response={204: None, **WRITE_ERRORS},
    auth=write_auth,
    summary="Leave a key behavior out",
)
def leave_out_behavior(request, identifier: UUID):
    editing.leave_out_behavior(actor=request.auth, behavior=_behavior(request, identifier))
    return Status(204, None)


class ReadingOut(Schema):
    source: str = Field(description="the source framework that reads so")
    value: str


class BlendChoiceOut(Schema):
    id: int
    item: Literal["competency", "tier"]
    competency: UUID | None = Field(description="the competency's identifier, for a competency")
    code: str | None = Field(description="the competency's code, for a competency")
    tier: int = Field(description="the tier's number")
    field: str = Field(description="what the sources disagree on: name or definition")
    options: list[ReadingOut]
    chosen: str | None = Field(description="the reading taken, or null while open")
    revision: int = Field(description="the item's revision, to send back when choosing")


class ChoiceIn(InSchema):
    option: int = Field(ge=0, description="which reading to take: its place in `options`, from 0")
    revision: int = Field(description="the item's revision as you saw it")


def _choice_out(choice) -> dict:
    item = choice.competency or choice.tier
    competency = choice.competency
    return {
        "id": choice.pk,
        "item": "competency" if competency else "tier",
        "competency": competency.identifier if competency else None,
        "code": competency.code if competency else None,
        "tier": (competency.tier if competency else choice.tier).number,
        "field": choice.field,
        "options": choice.options,
        "chosen": choice.chosen,
        "revision": item.revision,
    }


@router.get(
    "/frameworks/{slug}/blend-choices",
    response={200: list[BlendChoiceOut], **ERRORS},
    summary="Where blended sources differ",
)
def list_blend_choices(request, slug: str):
    """Every place where the sources of a blended model disagree, open or chosen."""
    framework = selectors.visible_framework(user=current_user(request), slug=slug)
    return [_choice_out(c) for c in selectors.blend_choices(framework)]


@router.post(
    "/frameworks/{slug}/blend-choices/{choice_id}",
    response={200: BlendChoiceOut, **WRITE_ERRORS},
    auth=write_auth,
    summary="Choose a reading",
)
def choose_reading(request, slug: str, choice_id: int, payload: ChoiceIn):
    """Take one source's reading. Send the item's revision: if someone changed the item since,
    the answer is 409 with both texts, and nothing changes."""
    framework = _editable(request, slug)
    choice = next((c for c in selectors.blend_choices(framework) if c.pk == choice_id), None)
    if choice is None:
        raise Http404("No such choice.")
    editing.resolve_blend_choice(actor=request.auth, choice=choice, **payload.dict())
    choice.refresh_from_db()
    return _choice_out(choice)
