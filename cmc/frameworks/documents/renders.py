"""Readable exports (PDF, Word, the pyramid PNG) rendered ahead of the request.

Laying out a model's PDF and Word file takes many times its HTML page (a few tenths of a second
for a few hundred key behaviors, seconds for tens of thousands). So whenever a model changes (its content, sharing or status, or a
new version), `schedule` queues `render_ahead` on the background task queue for a few seconds
later; the delay lets a burst of edits in the builder end in one rendering. Downloads are then
served ready-made from `RenderedExport`, on any app server. A download that comes before the
rendering makes the file there and then, and keeps it for the next one.

Each kept file carries the stamp of the state it shows (`stamp_of`), so a stale file is never
served. A published version never changes: its files are rendered once, after publishing
(`render_version_ahead`), and kept for good."""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django_tasks import task

from ..models import Framework, FrameworkVersion, RenderedExport
from . import writers
from .facts import document_of

AHEAD = ("pdf", "docx", "png")


def stamp_of(framework: Framework) -> str:
    """The state a readable export shows: the framework's last change (content, sharing,
    status) and its latest version, which the cover names."""
    latest = FrameworkVersion.objects.filter(framework_id=framework.pk).aggregate(n=Max("number"))
    return f"{framework.updated_at.timestamp():.6f}/v{latest['n'] or 0}"


def version_stamp(version: FrameworkVersion) -> str:
    return f"version {version.number}"


def _files(framework: Framework, version: FrameworkVersion | None):
    return RenderedExport.objects.filter(framework_id=framework.pk, version=version)


def kept(framework: Framework, fmt: str, stamp: str, version=None) -> bytes | None:
    content = (
        _files(framework, version)
        .filter(format=fmt, stamp=stamp)
        .values_list("content", flat=True)
        .first()
    )
    return None if content is None else bytes(content)


def keep(framework: Framework, fmt: str, stamp: str, data: bytes, version=None) -> None:
    """Keep `data` as the file in `fmt` of the framework's draft (or of `version`), replacing
    the one kept before."""
    values = {"stamp": stamp, "content": data}
    try:
        with transaction.atomic():
            RenderedExport.objects.update_or_create(
                framework_id=framework.pk, version=version, format=fmt, defaults=values
            )
    except IntegrityError:  # another process kept one at the same moment
        _files(framework, version).filter(format=fmt).update(**values)


def readable(framework: Framework, fmt: str, *, version=None) -> bytes:
    """The framework as it is now (or as `version` froze it) in `fmt`, one of AHEAD: the kept
    file when it shows this state, else one made now and kept. `framework` may be a light row
    (selectors.visible_framework)."""
    stamp = stamp_of(framework) if version is None else version_stamp(version)
    data = kept(framework, fmt, stamp, version)
    if data is None:
        data = writers.render(document_of(framework, version=version), fmt)
        keep(framework, fmt, stamp, data, version)
    return data


@task()
def render_ahead(framework_id: int, stamp: str) -> str:
    """Make and keep the readable exports of a framework, unless it changed again since it
    was queued (a later task then renders the later state) or they are kept already."""
    framework = Framework.objects.filter(pk=framework_id).first()
    if framework is None:
        return "deleted"
    if stamp_of(framework) != stamp:
        return "superseded"
    missing = _missing(framework, stamp, None)
    if not missing:
        return "ready"
    document = document_of(framework)
    for fmt in missing:
        keep(framework, fmt, stamp, writers.render(document, fmt))
    return "rendered " + ", ".join(missing)


@task()
def render_version_ahead(version_id: int) -> str:
    """Make and keep the readable exports of a published version (once: it never changes)."""
    version = FrameworkVersion.objects.select_related("framework").filter(pk=version_id).first()
    if version is None:
        return "deleted"
    framework, stamp = version.framework, version_stamp(version)
    missing = _missing(framework, stamp, version)
    if not missing:
        return "ready"
    document = document_of(framework, version=version)
    for fmt in missing:
        keep(framework, fmt, stamp, writers.render(document, fmt), version)
    return "rendered " + ", ".join(missing)


def _missing(framework: Framework, stamp: str, version) -> list[str]:
    have = set(_files(framework, version).filter(stamp=stamp).values_list("format", flat=True))
    return [fmt for fmt in AHEAD if fmt not in have]


def _later(task_):
    """The task, to run a few seconds from now where the queue can defer."""
    if not task_.get_backend().supports_defer:
        return task_
    return task_.using(
        run_after=timezone.now() + timedelta(seconds=settings.CMC_RENDER_AHEAD_SECONDS)
    )


def schedule(framework: Framework) -> None:
    """Queue the rendering of the framework's readable exports for a few seconds after the
    current transaction commits. A queue that cannot be reached costs nothing but speed: the
    first download then renders."""
    pk = framework.pk

    def enqueue():
        current = Framework.objects.filter(pk=pk).only("id", "updated_at").first()
        if current is not None:
            _later(render_ahead).enqueue(pk, stamp_of(current))

    transaction.on_commit(enqueue, robust=True)


def schedule_version(version: FrameworkVersion) -> None:
    """Queue the rendering of a version just published, once the publishing commits."""
    transaction.on_commit(lambda: _later(render_version_ahead).enqueue(version.pk), robust=True)
