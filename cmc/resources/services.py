"""Every write to resources: submitting, editing, moderating and importing them. Each checks
who acts, cleans everything first (`cleaning`), then writes in one transaction: the resource,
its tags, its alignments (through the one alignment service of `cmc.frameworks`) and its
search entry."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from cmc.core.actors import is_system, person
from cmc.core.errors import InvalidInput, Problem
from cmc.frameworks import panels
from cmc.frameworks.models import Scheme
from cmc.frameworks.services import align, remove_alignment

from . import search
from .cleaning import Cleaner, CleanResource, ResourceInput
from .models import Resource, ResourceTag
from .vocab import SUBMISSIONS_PER_HOUR

DECISIONS = ("published", "rejected")
RESOURCE_DETAIL = "The resource is not valid; nothing was written."
IMPORT_DETAIL = "The file is not valid; nothing was written."


def is_staff(actor) -> bool:
    return is_system(actor) or bool(getattr(actor, "is_staff", False))


def submit_resource(*, actor, data: ResourceInput, publish: bool = False) -> Resource:
    """A signed-in person submits a resource: it waits for moderation (pending) unless staff
    publish it at once. A person may submit SUBMISSIONS_PER_HOUR an hour."""
    _require_signed_in(actor)
    if publish and not is_staff(actor):
        raise PermissionDenied("Only staff may publish a resource without moderation.")
    _require_within_rate(actor)
    clean = _clean_one(actor, data)
    with transaction.atomic():
        resource = Resource(submitted_by=person(actor), **clean.fields)
        if publish:
            _decide(resource, actor, "published", "")
        resource.save()
        write_links(resource, clean, actor)
    return resource


def update_resource(*, actor, resource: Resource, data: ResourceInput) -> Resource:
    """Its submitter or staff change a resource; a submitter's change to a published or
    rejected resource goes back to the moderation queue."""
    if not Resource.objects.editable_by(actor).filter(pk=resource.pk).exists():
        raise PermissionDenied("You may not change this resource.")
    clean = _clean_one(actor, data)
    with transaction.atomic():
        locked = Resource.objects.select_for_update().get(pk=resource.pk)
        for name, value in clean.fields.items():
            setattr(locked, name, value)
        if not is_staff(actor) and locked.status != "pending":
            locked.status, locked.reason = "pending", ""
            locked.decided_by, locked.decided_at = None, None
        locked.save()
        write_links(locked, clean, actor, replace=True)
    return locked


def moderate_resource(*, actor, resource: Resource, decision: str, reason: str = "") -> Resource:
    """Staff publish or reject a resource (a rejection needs its reason, which the submitter
    sees); who decided and when is recorded."""
    if not is_staff(actor):
        raise PermissionDenied("Only staff may moderate resources.")
    reason = (reason or "").strip()
    problems = []
    if decision not in DECISIONS:
        problems.append(Problem("moderation", "decision", f"'{decision}' is not one of: published, rejected"))  # fmt: skip
    if decision == "rejected" and not reason:
        problems.append(Problem("moderation", "reason", "is required to reject a resource"))
    if len(reason) > 2000:
        problems.append(Problem("moderation", "reason", "is longer than 2000 characters"))
    if problems:
        raise InvalidInput(problems, "The decision is not valid; nothing was written.")
    with transaction.atomic():
        locked = Resource.objects.select_for_update().get(pk=resource.pk)
        _decide(locked, actor, decision, reason)
        locked.save()
        _frameworks_changed(locked)
    return locked


def import_resources(
    *, actor, rows: list[tuple[str, ResourceInput]], publish: bool
) -> list[Resource]:
    """Staff (or the command line, or the reference content) import resources given in
    memory: every row is checked first, and only when none has a problem are they all
    written, in one transaction. `rows` pairs each resource with where it came from ("file.csv,
    row 3"). Files are imported row by row by `importing.import_file`."""
    require_importer(actor)
    cleaner = Cleaner(actor)
    cleaned, problems = [], []
    for where, data in rows:
        clean, found = cleaner.clean(data, where=where)
        problems += found
        cleaned.append(clean)
    if problems:
        raise InvalidInput(problems, IMPORT_DETAIL)
    with transaction.atomic():
        written = [write_imported(clean, actor, publish=publish) for clean in cleaned]
        frameworks_changed({t.framework.pk: t.framework for c in cleaned for t in c.targets})
    return written


def require_importer(actor) -> None:
    if not is_staff(actor):
        raise PermissionDenied("Only staff may import resources.")


def write_imported(clean: CleanResource, actor, *, publish: bool) -> Resource:
    """One resource of an import, cleaned already (the caller holds the transaction)."""
    resource = Resource(submitted_by=person(actor), **clean.fields)
    if publish:
        _decide(resource, actor, "published", "")
    resource.save()
    write_links(resource, clean, actor, notify=False)
    return resource


def frameworks_changed(frameworks: dict) -> None:
    """The pages of these frameworks ({pk: framework}), which list the resources aligned to
    them, say something else now: told once each."""
    for framework in frameworks.values():
        panels.changed(framework)


def _require_signed_in(actor) -> None:
    if not is_system(actor) and person(actor) is None:
        raise PermissionDenied("Sign in to submit a resource.")


def _require_within_rate(actor) -> None:
    if is_staff(actor):
        return
    since = timezone.now() - timedelta(hours=1)
    recent = Resource.objects.filter(submitted_by=actor, created_at__gte=since).count()
    if recent >= SUBMISSIONS_PER_HOUR:
        raise InvalidInput([Problem("resource", "submission", f"you have submitted {recent} "
                                    "resources in the last hour, the most allowed; try again later")], RESOURCE_DETAIL)  # fmt: skip


def _clean_one(actor, data: ResourceInput) -> CleanResource:
    clean, problems = Cleaner(actor).clean(data, where="resource")
    if problems:
        raise InvalidInput(problems, RESOURCE_DETAIL)
    return clean


def _decide(resource: Resource, actor, decision: str, reason: str) -> None:
    resource.status = decision
    resource.reason = reason if decision == "rejected" else ""
    resource.decided_by = person(actor)
    resource.decided_at = timezone.now()


def write_links(
    resource: Resource, clean: CleanResource, actor, *, replace: bool = False, notify: bool = True
) -> None:
    """The resource's tags, alignments and search entry, as the cleaned input says."""
    if replace:
        resource.tags.all().delete()
        _remove_alignments(resource, actor)
    ResourceTag.objects.bulk_create(
        ResourceTag(resource=resource, name=name, value=value)
        for name, values in clean.tags.items()
        for value in values
    )
    for target in clean.targets:
        # The actor may change this resource (checked by the caller): they speak for it.
        align(
            actor=actor,
            framework=target.framework,
            tier=target.tier,
            competency=target.competency,
            scheme=Scheme.RESOURCE,
            code=resource.identifier,
            text=resource.title,
            url=f"{settings.CMC_SITE_URL}{resource.get_absolute_url()}",
            method="" if person(actor) else "resources import",
            statement_checked=True,
        )
    search.index_resource(resource)
    if notify:
        _frameworks_changed(resource)


def _remove_alignments(resource: Resource, actor) -> None:
    """The resource's alignments the actor could have seen and sent again: links to frameworks
    the actor may not see are kept (an editor cannot send back what they were not shown)."""
    from cmc.frameworks.models import Alignment, Framework

    links = Alignment.objects.filter(
        scheme=Scheme.RESOURCE,
        code=resource.identifier,
        framework__in=Framework.objects.visible_to(actor),
    )
    for link in links:
        remove_alignment(actor=actor, alignment=link, statement_checked=True)
        panels.changed(link.framework)


def _frameworks_changed(resource: Resource) -> None:
    """The framework pages that list this resource say something else now."""
    from cmc.frameworks.models import Framework

    framework_ids = _aligned_framework_ids(resource)
    for framework in Framework.objects.filter(pk__in=framework_ids).only("pk"):
        panels.changed(framework)


def _aligned_framework_ids(resource: Resource) -> set[int]:
    from cmc.frameworks.models import Alignment

    return set(
        Alignment.objects.filter(scheme=Scheme.RESOURCE, code=resource.identifier).values_list(
            "framework_id", flat=True
        )
    )
