"""Files of big models made in the background, never inside a request a worker's timeout could
end. A download of a model of more than CMC_BACKGROUND_DOWNLOAD_BEHAVIORS key behaviors in an
exchange format (JSON, CSV, XLSX, CASE, CTDL-ASN), or in a readable format (PDF, Word, PNG)
whose file is not kept ready (see frameworks.documents.renders), is prepared: a row of
`PreparedDownload` for the reader who asked, and the task `make_download` on the queue. The
task reports how far it has got on the row (the progress page and the API poll it) and ends
with the file on the row, or why it could not be made. A reader who asks again for the same
state of the model gets the same row; rows are forgotten a day after they were made. The
file is given only to its reader, and only while they may still see the model. Small models
download at once, as before; `cmc export` always writes directly."""

import io
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django_tasks import task

from cmc.core.actors import person
from cmc.core.uploads import KEEP_FOR, RowProgress, queue
from cmc.frameworks import documents
from cmc.frameworks.documents.renders import stamp_of, version_stamp
from cmc.frameworks.models import Framework, FrameworkVersion, KeyBehavior
from cmc.frameworks.selectors import visible_framework

from . import exports, formats
from .models import PreparedDownload

EXCHANGE = (*formats.CONTENT_TYPES, *exports.PACKAGES)
STOPPED = (
    "The file could not be made: the work stopped on an unexpected error. Ask for it again, "
    "and tell the site's administrators if it happens again."
)
UNSEEN = "The file was not made: you may no longer see this model."
LABELS = {
    "json": "JSON",
    "csv": "CSV",
    "xlsx": "XLSX spreadsheet",
    "case": "CASE 1.1 package",
    "ctdl": "CTDL-ASN graph",
    "pdf": "PDF",
    "docx": "Word document",
    "png": "pyramid as PNG",
}


def behavior_count(framework: Framework, version: FrameworkVersion | None = None) -> int:
    """How many key behaviors the draft (or the published `version`) has."""
    if version is not None:  # the snapshot is the document the JSON format writes
        return sum(
            len(competency.get("behaviors", []))
            for tier in version.snapshot.get("framework", {}).get("tiers", [])
            for competency in tier.get("competencies", [])
        )
    return KeyBehavior.objects.filter(competency__framework_id=framework.pk).count()


def in_background(framework: Framework, fmt: str, *, version=None) -> bool:
    """Whether a download of the framework (or `version`) in `fmt` is made in the background:
    a big model in an exchange format, or in a readable format not kept ready."""
    if fmt not in EXCHANGE and fmt not in documents.AHEAD:
        return False
    if behavior_count(framework, version) <= settings.CMC_BACKGROUND_DOWNLOAD_BEHAVIORS:
        return False
    if fmt in documents.AHEAD:
        stamp = _stamp(framework, version)
        return documents.renders.kept(framework, fmt, stamp, version) is None
    return True


def _stamp(framework: Framework, version) -> str:
    return stamp_of(framework) if version is None else version_stamp(version)


def prepare(*, framework: Framework, fmt: str, reader, version=None) -> PreparedDownload:
    """The reader's file of the framework (or `version`) in `fmt` as the model is now: the
    one asked for before, made or being made, or a new one queued (after the current
    transaction commits). Files older than a day are forgotten."""
    forget_old()
    who = person(reader)
    stamp = _stamp(framework, version)
    found = (
        PreparedDownload.objects.filter(
            framework_id=framework.pk, version=version, format=fmt, stamp=stamp, reader=who
        )
        .exclude(state=PreparedDownload.State.FAILED)
        .defer("data")
        .first()
    )
    if found is not None:
        return found
    made = PreparedDownload.objects.create(
        framework_id=framework.pk,
        version=version,
        format=fmt,
        reader=who,
        stamp=stamp,
        filename=exports.filename(framework, fmt, version),
    )
    queue(make_download, made)
    return made


def forget_old() -> None:
    """Delete the files made longer ago than KEEP_FOR."""
    PreparedDownload.objects.filter(created_at__lt=timezone.now() - KEEP_FOR).delete()


@task()
def make_download(download_id: int) -> str:
    """Make a prepared download's file (the background task `prepare` queues); a second run
    (a worker retried) finds it made and stops."""
    download = (
        PreparedDownload.objects.select_related("framework", "version", "reader")
        .filter(pk=download_id)
        .first()
    )
    if download is None:
        return "gone"
    return finish(download=download).state


def finish(*, download: PreparedDownload) -> PreparedDownload:
    """Make the file (the task's work): the data on the row and the row done, or the row
    failed saying so (and the error raised again for the worker to log)."""
    if download.state != PreparedDownload.State.QUEUED:
        return download
    try:
        download.data = _made(download, RowProgress(download))
    except (Http404, PermissionDenied):
        return _failed(download, UNSEEN)
    except Exception:
        _failed(download, STOPPED)
        raise
    download.state, download.stage = PreparedDownload.State.DONE, ""
    download.size = len(download.data)
    download.save()
    return download


def _failed(download: PreparedDownload, problem: str) -> PreparedDownload:
    download.state, download.problem, download.stage = PreparedDownload.State.FAILED, problem, ""
    download.save()
    return download


def _made(download: PreparedDownload, progress: RowProgress) -> bytes:
    """The file, made as its reader may see the model (nobody: as everyone sees it)."""
    framework, fmt, version = download.framework, download.format, download.version
    reader = download.reader
    if fmt in formats.CONTENT_TYPES:
        out = io.BytesIO()
        progress("Writing the rows")
        exports.export_to(
            framework, fmt, out, reader=reader, version=version,
            on_progress=lambda done, total: progress("Writing the rows", done, total),
        )  # fmt: skip
        return out.getvalue()
    progress(_STAGES.get(fmt, "Making the file"))
    return exports.export(framework, fmt, reader=reader, version=version)


_STAGES = {
    "case": "Making the CASE package",
    "ctdl": "Making the CTDL-ASN graph",
    "pdf": "Laying out the PDF",
    "docx": "Writing the Word document",
    "png": "Drawing the pyramid",
}


def prepared(*, user, identifier, slug: str | None = None) -> PreparedDownload:
    """A prepared download of `user`'s (without its file), made less than a day ago, of a
    model they may still see (and whose slug is `slug`, when given); 404 otherwise."""
    try:
        key = identifier if isinstance(identifier, uuid.UUID) else uuid.UUID(identifier)
    except ValueError:
        raise Http404(f"'{identifier}' is not a UUID.") from None
    found = (
        PreparedDownload.objects.select_related("framework", "version")
        .defer("data")
        .filter(identifier=key, reader=person(user))
        .filter(created_at__gte=timezone.now() - KEEP_FOR)
        .first()
    )
    if found is None or (slug is not None and found.framework.slug != slug):
        raise Http404("No such download: it was made for someone else, or more than a day ago.")
    visible_framework(user=user, slug=found.framework.slug)  # 404 when no longer seen
    return found


def file_of(download: PreparedDownload) -> bytes:
    """The file of a prepared download that is done."""
    return bytes(
        PreparedDownload.objects.filter(pk=download.pk).values_list("data", flat=True).get()
    )
