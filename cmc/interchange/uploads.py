"""Framework files imported in the background, whatever their format. The upload page holds a
file, checked whole at once (its format told from its ending and content, every problem
located), and shows what it will make: the levels of a CASE package or CTDL-ASN graph, each
with the role it takes, or the frameworks of a file of the project's own formats. Confirming
queues the task `run_import`, which imports it as its owner and reports its progress on the
row (see cmc.core.uploads); the API holds and queues a file in one step."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django_tasks import task

from cmc.core import uploads
from cmc.core.actors import person

from . import detect, native, services
from .models import PendingImport

OUTSIDE = tuple(services.FORMATS)  # case, ctdl: their levels are mapped on the preview


def hold_upload(*, actor, name: str, data: bytes, fmt: str | None = None) -> PendingImport:
    """Keep an uploaded file until its owner confirms its preview, once it is read whole and
    found right: its format (told from the file; `fmt`, when given, must be it), and every
    row or item (InvalidInput names each problem). Uploads older than a day are forgotten."""
    pending, _found = _hold(actor=actor, name=name, data=data, fmt=fmt)
    pending.save()
    return pending


def _hold(*, actor, name: str, data: bytes, fmt: str | None):
    """An unsaved upload of a checked file, and the file as read (CASE and CTDL-ASN)."""
    if person(actor) is None:
        raise PermissionDenied("Sign in to import a framework.")
    fmt = detect.detect(name, data, expected=fmt)
    found, preview = None, {}
    if fmt in OUTSIDE:
        found = services.read(fmt=fmt, data=data, name=name)
    else:
        preview = native.preview(native.read(fmt=fmt, data=data, name=name), actor)
    uploads.forget_old(PendingImport)
    pending = PendingImport(owner=person(actor), format=fmt, filename=name[:255], data=data,
                            preview=preview)  # fmt: skip
    return pending, found


def queue_upload(
    *, actor, pending: PendingImport, chosen: dict[str, str] | None = None, public: bool = False
) -> PendingImport:
    """Queue the import of a held upload, with the levels chosen on its preview (CASE and
    CTDL-ASN); levels or roles that are no choices of the preview are refused at once."""
    if pending.owner_id != getattr(person(actor), "pk", None):
        raise PermissionDenied("This upload is someone else's.")
    if pending.state == PendingImport.State.QUEUED:
        return pending  # confirmed twice (a double click): one import
    chosen = chosen or {}
    if pending.format in OUTSIDE:
        found = services.read(fmt=pending.format, data=bytes(pending.data), name=pending.filename)
        services.roles_for(found, chosen=chosen)
    return _queue(pending, chosen=chosen, public=public, dry_run=False)


def queue_file(
    *, actor, fmt: str, name: str, data: bytes, depths: dict[int, str] | None = None,
    public: bool = False, dry_run: bool = False,
) -> PendingImport:  # fmt: skip
    """Hold a file and queue its import at once (the API): what is quick to find (a file of
    another format, not JSON, not of the schema, a bad row, a level role that is no role) is
    refused now; placing and writing it are the task's. `depths` gives whole depths of a CASE
    or CTDL-ASN file their role ({2: "behavior"})."""
    pending, found = _hold(actor=actor, name=name, data=data, fmt=fmt)
    chosen = {}
    if found is not None:
        chosen = {lv.key: depths[lv.depth] for lv in found.levels() if lv.depth in (depths or {})}
        services.roles_for(found, chosen=chosen)
    pending.save()
    return _queue(pending, chosen=chosen, public=public, dry_run=dry_run)


def _queue(pending: PendingImport, *, chosen: dict, public: bool, dry_run: bool) -> PendingImport:
    with transaction.atomic():
        PendingImport.objects.filter(pk=pending.pk).update(
            state=PendingImport.State.QUEUED, chosen=chosen, public=public, dry_run=dry_run,
            problems=[], stage="", done=0, total=None,
        )  # fmt: skip
        uploads.queue(run_import, pending)
    pending.refresh_from_db()
    return pending


@task()
def run_import(pending_id: int) -> str:
    """Import a confirmed upload (the background task the queue functions queue)."""
    return uploads.run_task(
        PendingImport, pending_id, lambda pending: finish_upload(pending=pending)
    )


def finish_upload(*, pending: PendingImport) -> PendingImport:
    """Import a queued upload as its owner chose (the background task's work): the framework
    written, or every problem recorded on the row and nothing written."""
    work = _import_outside if pending.format in OUTSIDE else _import_own
    return uploads.finish(pending, lambda progress: work(pending, progress), subject="framework")


def _import_outside(pending: PendingImport, progress: uploads.Progress) -> None:
    progress("Reading the file")
    found = services.read(fmt=pending.format, data=bytes(pending.data), name=pending.filename)
    roles = services.roles_for(found, chosen=pending.chosen)
    progress(f"Writing {len(found.outline.nodes):,} items")
    imported = services.import_read(found=found, actor=pending.owner, roles=roles,
                                    public=pending.public, dry_run=pending.dry_run)  # fmt: skip
    report = imported.report
    pending.framework_slug = "" if report.dry_run else report.framework.slug
    pending.summary = "\n".join(
        [*report.lines(), f"  links to outside statements: {imported.links}"]
    )
    levels = [
        {"depth": lv.depth, "item_type": lv.kind, "count": lv.count, "example": lv.example,
         "role": roles[lv.key]}
        for lv in found.levels()
    ]  # fmt: skip
    pending.result = {"frameworks": [native.report_out(report, imported.links)], "levels": levels}


def _import_own(pending: PendingImport, progress: uploads.Progress) -> None:
    reading = "Reading the rows" if pending.format != "json" else "Reading the file"
    progress(reading)
    trees = native.read(fmt=pending.format, data=bytes(pending.data), name=pending.filename,
                        on_progress=lambda row: progress(reading, row))  # fmt: skip
    behaviors = sum(tree.behavior_count() for tree in trees)
    what = f"{len(trees)} framework{'s' if len(trees) != 1 else ''}"
    progress(f"Writing {what} ({behaviors:,} key behaviors)")
    reports = native.write(trees=trees, actor=pending.owner, where=pending.filename,
                           public=pending.public, dry_run=pending.dry_run)  # fmt: skip
    pending.framework_slug = "" if pending.dry_run else reports[0].framework.slug
    pending.summary = "\n".join(line for report in reports for line in report.lines())
    pending.result = {"frameworks": [native.report_out(r) for r in reports], "levels": []}
