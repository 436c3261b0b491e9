"""Readable exports (PDF, Word, the pyramid PNG) rendered ahead of the request.

Laying out a model of a few hundred key behaviors takes WeasyPrint about a second, some sixty
times the model's HTML page. So whenever a model changes (its content, sharing or status, or a
new version), `schedule` queues `render_ahead` on the background task queue for a few seconds
later; the delay lets a burst of edits in the builder end in one rendering. Downloads are then
served ready-made from `RenderedExport`, on any app server. A download that comes before the
rendering makes the file there and then, and keeps it for the next one.

Each kept file carries the stamp of the state it shows (`stamp_of`), so a stale file is never
served."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django_tasks import task

from .models import Framework, FrameworkVersion, RenderedExport

log = logging.getLogger(__name__)

AHEAD = ("pdf", "docx", "png")


def stamp_of(framework: Framework) -> str:
    """The state a readable export shows: the framework's last change (content, sharing,
    status) and its latest version, which the cover names."""
    latest = FrameworkVersion.objects.filter(framework_id=framework.pk).aggregate(n=Max("number"))
    return f"{framework.updated_at.timestamp():.6f}/v{latest['n'] or 0}"


def kept(framework: Framework, fmt: str, stamp: str) -> bytes | None:
    content = (
        RenderedExport.objects.filter(framework_id=framework.pk, format=fmt, stamp=stamp)
        .values_list("content", flat=True)
        .first()
    )
    return None if content is None else bytes(content)


def keep(framework: Framework, fmt: str, stamp: str, data: bytes) -> None:
    """Keep `data` as the framework's file in `fmt`, replacing the one kept before."""
    values = {"stamp": stamp, "content": data}
    try:
        with transaction.atomic():
            RenderedExport.objects.update_or_create(
                framework_id=framework.pk, format=fmt, defaults=values
            )
    except IntegrityError:  # another process kept one at the same moment
        RenderedExport.objects.filter(framework_id=framework.pk, format=fmt).update(**values)


def readable(framework: Framework, fmt: str, *, tree) -> bytes:
    """The framework as it is now in `fmt` (one of AHEAD): the kept file when it shows this
    state, else one made now (from `tree()`, the loaded tree) and kept."""
    from .exports import export

    stamp = stamp_of(framework)
    data = kept(framework, fmt, stamp)
    if data is None:
        data = export(tree(), fmt)
        keep(framework, fmt, stamp, data)
    return data


@task()
def render_ahead(framework_id: int, stamp: str) -> str:
    """Make and keep the readable exports of a framework, unless it changed again since it
    was queued (a later task then renders the later state) or they are kept already."""
    from .exports import export
    from .selectors import framework_tree

    framework = Framework.objects.filter(pk=framework_id).first()
    if framework is None:
        return "deleted"
    if stamp_of(framework) != stamp:
        return "superseded"
    have = set(
        RenderedExport.objects.filter(framework=framework, stamp=stamp).values_list(
            "format", flat=True
        )
    )
    missing = [fmt for fmt in AHEAD if fmt not in have]
    if not missing:
        return "ready"
    tree = framework_tree(user=None, slug=framework.slug, include_private=True)
    for fmt in missing:
        keep(framework, fmt, stamp, export(tree, fmt))
    return "rendered " + ", ".join(missing)


def schedule(framework: Framework) -> None:
    """Queue the rendering of the framework's readable exports for a few seconds after the
    current transaction commits. A queue that cannot be reached costs nothing but speed: the
    first download then renders."""
    pk = framework.pk

    def enqueue():
        current = Framework.objects.filter(pk=pk).only("id", "updated_at").first()
        if current is None:
            return
        queued = render_ahead
        if queued.get_backend().supports_defer:
            later = timezone.now() + timedelta(seconds=settings.CMC_RENDER_AHEAD_SECONDS)
            queued = queued.using(run_after=later)
        queued.enqueue(pk, stamp_of(current))

    transaction.on_commit(enqueue, robust=True)
