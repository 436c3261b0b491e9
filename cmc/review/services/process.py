"""Writes of the development process: background information (step 1), approvers and their
approvals, and publication (step 6): the check every door obeys and the record every door
leaves."""

import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction

from cmc.core.actors import person
from cmc.core.errors import Conflict, InvalidInput, Problem
from cmc.core.files import Guard, Limits
from cmc.frameworks import panels
from cmc.frameworks.models import Framework
from cmc.frameworks.selectors import require_editable, require_manageable
from cmc.frameworks.services import publish_version

from ..models import (
    Approval,
    Approver,
    BackgroundItem,
    Publication,
    ReviewRound,
    ReviewSchedule,
    Survey,
)
from ..selectors.approvals import approval_standing, is_approver
from ..selectors.validation import validation_state

OCCUPATION_CODE = re.compile(r"^\d{2}-\d{4}(\.\d{2})?$")
MAX_TEXT = 10_000


def _text(value: str, field: str, limit: int, *, required: bool = False) -> str:
    value = (value or "").replace("\x00", "").strip()
    if required and not value:
        raise InvalidInput([Problem("background", field, "is empty; fill it in")])
    if len(value) > limit:
        raise InvalidInput([Problem("background", field, f"is longer than {limit:,} characters")])
    return value


def _url(value: str) -> str:
    value = _text(value, "url", 500, required=True)
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        raise InvalidInput(
            [Problem("background", "url", f"'{value}' is not a web address (http:// or https://)")]
        ) from None
    return value


def document_guard() -> Guard:
    """The size limit of a background document, named as people see it."""
    limits = Limits(settings.CMC_BACKGROUND_MAX_BYTES, None, None, None, None, None)
    return Guard("the document", limits, hint="attach a smaller file, or link to it instead")


def add_document(*, framework: Framework, actor, name: str, data: bytes, content_type: str = "",
                 title: str = "", note: str = "") -> BackgroundItem:  # fmt: skip
    """Attach a document (a skill standard, a curriculum, a survey report) to step 1; refused
    past settings.CMC_BACKGROUND_MAX_BYTES."""
    require_editable(framework=framework, actor=actor)
    name = _text(name, "file", 255)
    if not data:
        raise InvalidInput([Problem("background", "file", "is empty; choose a file to attach")])
    document_guard().size(len(data))
    return _create(
        framework, actor, BackgroundItem.Kind.DOCUMENT, title or name, note,
        filename=name, content=data, size=len(data),
        content_type=_text(content_type, "file", 100) or "application/octet-stream",
    )  # fmt: skip


def add_link(*, framework: Framework, actor, url: str, title: str = "", note: str = ""):
    """Attach a web page (a published standard, an O*NET page, a report) to step 1."""
    require_editable(framework=framework, actor=actor)
    url = _url(url)
    return _create(framework, actor, BackgroundItem.Kind.LINK, title or url, note, url=url)


def add_model(*, framework: Framework, actor, model: Framework, note: str = ""):
    """Name an existing model the draft draws on (one the editor may see)."""
    require_editable(framework=framework, actor=actor)
    if model.pk == framework.pk:
        raise InvalidInput([Problem("background", "model", "is this model itself")])
    return _create(framework, actor, BackgroundItem.Kind.MODEL, model.name, note, model=model)


def add_occupation(*, framework: Framework, actor, code: str, title: str, note: str = ""):
    """Name an O*NET-SOC occupation the model covers (its code, as 47-2111.00, and title)."""
    require_editable(framework=framework, actor=actor)
    code = _text(code, "occupation code", 10, required=True)
    if not OCCUPATION_CODE.match(code):
        raise InvalidInput(
            [
                Problem(
                    "background",
                    "occupation code",
                    f"'{code}' is not an O*NET-SOC code such as 47-2111.00",
                )
            ]
        )
    title = _text(title, "occupation title", 300, required=True)
    return _create(
        framework, actor, BackgroundItem.Kind.OCCUPATION, title, note, occupation_code=code
    )


def _create(framework, actor, kind, title, note, **fields) -> BackgroundItem:
    title = _text(title, "title", 300, required=True)
    note = _text(note, "note", MAX_TEXT)
    with transaction.atomic():
        item = BackgroundItem.objects.create(
            framework=framework, kind=kind, title=title, note=note, added_by=person(actor), **fields
        )
    return item


def remove_background(*, item: BackgroundItem, actor) -> None:
    """Take a background item off the model."""
    require_editable(framework=item.framework, actor=actor)
    item.delete()


def designate_approver(*, framework: Framework, actor, username: str) -> Approver:
    """Name a person who approves the model before publication: the framework's managers
    (its owner, the owners of its organization) choose them."""
    require_manageable(framework=framework, actor=actor, action="choose who approves it")
    user = (
        get_user_model().objects.filter(username=(username or "").strip(), is_active=True).first()
    )
    if user is None:
        raise InvalidInput(
            [Problem("approver", "username", f"no active user is named '{username}'")]
        )
    try:
        with transaction.atomic():
            return Approver.objects.create(
                framework=framework, user=user, designated_by=person(actor)
            )
    except IntegrityError:
        raise Conflict(f"{user.get_username()} approves this model already.") from None


def remove_approver(*, framework: Framework, actor, username: str) -> None:
    """No longer ask this person to approve the model (their pending approval goes too)."""
    require_manageable(framework=framework, actor=actor, action="choose who approves it")
    with transaction.atomic():
        row = Approver.objects.filter(framework=framework, user__username=username).first()
        if row is None:
            raise InvalidInput(
                [Problem("approver", "username", f"'{username}' is not an approver of this model")]
            )
        Approval.objects.filter(
            framework=framework, approver=row.user, publication__isnull=True
        ).delete()
        row.delete()


def approve(*, framework: Framework, actor, note: str = "") -> Approval:
    """A designated approver approves the draft for publication."""
    if not is_approver(framework=framework, user=actor):
        raise PermissionDenied("Only the model's designated approvers approve it.")
    note = _text(note, "note", MAX_TEXT)
    changed = Framework.objects.filter(pk=framework.pk).values_list("updated_at", flat=True)[0]
    pending = Approval.objects.filter(framework=framework, approver=actor, publication=None)
    try:
        with transaction.atomic():
            # An approval of an earlier state of the draft gives way to this one.
            pending.exclude(draft_changed_at=changed).delete()
            return Approval.objects.create(
                framework=framework, approver=actor, note=note, draft_changed_at=changed
            )
    except IntegrityError:
        raise Conflict("You approved this draft already.") from None


def check_approvals(*, framework: Framework, actor=None) -> None:
    """The rule every publication of a model obeys, whatever the door (registered with
    `frameworks.publishing`): a model with designated approvers is published once every one of
    them has approved the draft as it is now. A model without approvers publishes freely."""
    standing = approval_standing(framework)
    if not standing.missing:
        return
    reasons = [f"waiting for {', '.join(standing.waiting)}"] if standing.waiting else []
    if standing.stale:
        reasons.append(f"the draft changed since {', '.join(standing.stale)} approved it")
    verb = "has" if standing.missing == 1 else "have"
    raise Conflict(
        f"This model has designated approvers: {standing.missing} of {standing.approvers} "
        f"{verb} not approved the current draft ({'; '.join(reasons)})."
    )


def publish(
    *, framework: Framework, actor, note: str = "", round: ReviewRound | None = None
) -> Publication:
    """Publish the draft from the process page: only a model with designated approvers (and
    frameworks' publish_version runs `check_approvals`, as for every publication). The
    publication is recorded by `record_publication`, as from every other door; `round` names
    the round that supports it instead of the latest closed one."""
    require_editable(framework=framework, actor=actor)
    if round is not None and round.framework_id != framework.pk:
        raise InvalidInput([Problem("publication", "round", "is a round of another model")])
    with transaction.atomic():
        Framework.objects.select_for_update().filter(pk=framework.pk).first()
        if not framework.approvers.exists():
            raise Conflict(
                "Designate at least one approver, and have them approve the draft, "
                "before publishing."
            )
        version = publish_version(
            framework=framework, actor=actor, note=note, choices={"publication": {"round": round}}
        )
    return Publication.objects.select_related("version", "round", "survey").get(version=version)


def record_publication(
    *, framework: Framework, version, actor, round: ReviewRound | None = None
) -> Publication | None:
    """What follows every publication of a model with designated approvers, whatever the door
    (registered with `frameworks.publishing`, run in publish_version's transaction once the
    version is frozen): the publication, with the round (the latest closed one unless named)
    and the latest closed validation survey that support it and what the validation says; the
    pending approvals become its own; the model gets a review schedule. A model without
    approvers is not published through the process (its step 6 asks for approvers first): its
    versions stand alone."""
    if not framework.approvers.exists():
        return None
    if round is None:
        round = (
            framework.review_rounds.filter(closed_at__isnull=False)
            .order_by("-closed_at", "-id")
            .first()
        )
    survey = (
        Survey.objects.filter(framework=framework, closed_at__isnull=False)
        .order_by("-closed_at", "-id")
        .first()
    )
    publication = Publication.objects.create(
        framework=framework, version=version, round=round, survey=survey,
        validation=validation_state(framework).as_record(), published_by=person(actor),
    )  # fmt: skip
    Approval.objects.filter(framework=framework, publication__isnull=True).update(
        publication=publication
    )
    ReviewSchedule.objects.get_or_create(framework=framework)
    transaction.on_commit(lambda: panels.changed(framework))
    return publication
