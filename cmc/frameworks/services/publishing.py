"""Writes for the life of a framework: publishing immutable versions and changing status."""

from collections.abc import Mapping

from django.db import transaction
from django.db.models import Max

from cmc.core.actors import person
from cmc.core.errors import Conflict, InvalidInput, Problem

from .. import publishing as rules
from ..documents import renders
from ..models import TRANSITIONS, Framework, FrameworkVersion, Status, StatusChange
from ..selectors import document_with_lineage, require_editable


def publish_version(
    *, framework: Framework, actor, note: str = "", status: str | None = None,
    choices: Mapping[str, Mapping] | None = None,
) -> FrameworkVersion:  # fmt: skip
    """Freeze the framework as it is now into the next numbered version (who, when, why),
    moving it to `status` first when one is given. Every check other apps registered with
    `frameworks.publishing` (designated approvers, for one) must pass; nothing is written
    when one refuses. Then, in the same transaction, every app records what follows from the
    publication (the review app its publication record), each with the `choices` the caller
    made for it by the hook's name."""
    require_editable(framework=framework, actor=actor)
    if status is not None and status != framework.status:
        _check_transition(framework, status)
    with transaction.atomic():
        # Lock the framework row so that two publishers never take the same number.
        Framework.objects.select_for_update().filter(pk=framework.pk).first()
        rules.run_checks(framework=framework, actor=actor)
        if status is not None and status != framework.status:
            _change_status(framework, actor, status)
        last = framework.versions.aggregate(n=Max("number"))["n"] or 0
        renders.schedule(framework)  # the cover names the version
        version = FrameworkVersion.objects.create(
            framework=framework,
            number=last + 1,
            note=note.strip(),
            status=framework.status,
            published_by=person(actor),
            snapshot=document_with_lineage(framework),
        )
        renders.schedule_version(version)
        rules.run_after(framework=framework, version=version, actor=actor, choices=choices)
        return version


def set_status(*, framework: Framework, actor, status: str) -> StatusChange:
    """Move the framework to another status, recording who and when."""
    require_editable(framework=framework, actor=actor)
    _check_transition(framework, status)
    with transaction.atomic():
        change = _change_status(framework, actor, status)
        renders.schedule(framework)
    return change


def _check_transition(framework: Framework, status: str) -> None:
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


def _change_status(framework: Framework, actor, status: str) -> StatusChange:
    change = StatusChange.objects.create(
        framework=framework,
        from_status=framework.status,
        to_status=status,
        changed_by=person(actor),
    )
    framework.status = status
    framework.save(update_fields=["status", "updated_at"])
    return change
