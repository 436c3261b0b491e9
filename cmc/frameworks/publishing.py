"""Writes for the life of a framework: publishing immutable versions and changing status."""

from django.db import transaction
from django.db.models import Max

from . import renders
from .models import Framework, FrameworkVersion, Status, StatusChange
from .services import Conflict, InvalidInput, require_editable
from .trees import Problem

# Which status may follow which: a draft is approved, an approved model is archived or reopened
# as a draft, an archived one can only be reopened.
TRANSITIONS = {
    Status.DRAFT: {Status.APPROVED},
    Status.APPROVED: {Status.ARCHIVED, Status.DRAFT},
    Status.ARCHIVED: {Status.DRAFT},
}


def document_of(framework: Framework) -> dict:
    """The framework as it is now, in the JSON document form versions are kept in (with the
    lineage of every item)."""
    from .diffs import document_with_lineage

    return document_with_lineage(framework)


def publish_version(*, framework: Framework, actor, note: str = "") -> FrameworkVersion:
    """Freeze the framework as it is now into the next numbered version (who, when, why).
    `actor` None is the system (reference content)."""
    if actor is not None:
        require_editable(framework=framework, actor=actor)
    with transaction.atomic():
        # Lock the framework row so that two publishers never take the same number.
        Framework.objects.select_for_update().filter(pk=framework.pk).first()
        last = framework.versions.aggregate(n=Max("number"))["n"] or 0
        renders.schedule(framework)  # the cover names the version
        version = FrameworkVersion.objects.create(
            framework=framework,
            number=last + 1,
            note=note.strip(),
            status=framework.status,
            published_by=actor,
            snapshot=document_of(framework),
        )
        renders.schedule_version(version)
        return version


def latest_version(framework: Framework) -> FrameworkVersion | None:
    return framework.versions.order_by("-number").first()


def set_status(*, framework: Framework, actor, status: str) -> StatusChange:
    """Move the framework to another status, recording who and when. `actor` None is the
    system (the command line)."""
    if actor is not None:
        require_editable(framework=framework, actor=actor)
    if status not in Status.values:
        raise InvalidInput([Problem("framework", "status", f"'{status}' is not a status")])
    if status == framework.status:
        raise Conflict(f"The framework is {framework.get_status_display().lower()} already.")
    if status not in TRANSITIONS[framework.status]:
        current = framework.get_status_display().lower()
        article = "An" if current[0] in "aeiou" else "A"
        raise Conflict(
            f"{article} {current} framework cannot become {Status(status).label.lower()}."
        )
    with transaction.atomic():
        change = StatusChange.objects.create(
            framework=framework, from_status=framework.status, to_status=status, changed_by=actor
        )
        framework.status = status
        framework.save(update_fields=["status", "updated_at"])
        renders.schedule(framework)
    return change
