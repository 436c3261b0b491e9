"""Downloads (a model, or one of its published versions, in every export format; a big model's
made in the background, with a page that follows it) and imports of framework files (upload,
preview, confirm, then the import's progress)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRefresh

from cmc.core.errors import InvalidInput, Problem
from cmc.core.http import attachment
from cmc.frameworks.selectors import visible_framework, visible_version

from . import detect, downloads, exports, selectors, services, uploads
from .formats.outline import ROLE_LABELS


@require_GET
def framework_download(request, slug: str, fmt: str):
    """The model in any export format: at once, or (a big model) made in the background,
    followed on its own page."""
    if fmt not in exports.CONTENT_TYPES:
        raise Http404("No such format.")
    framework = visible_framework(user=request.user, slug=slug)
    return _download(request, framework, fmt, None)


@require_GET
def version_download(request, slug: str, number: int, fmt: str):
    """A published version as it was frozen, in any export format."""
    if fmt not in exports.CONTENT_TYPES:
        raise Http404("No such format.")
    framework, version = visible_version(user=request.user, slug=slug, number=number)
    return _download(request, framework, fmt, version)


def _download(request, framework, fmt: str, version):
    if downloads.in_background(framework, fmt, version=version):
        made = downloads.prepare(framework=framework, fmt=fmt, reader=request.user,
                                 version=version)  # fmt: skip
        return redirect("interchange:prepared", slug=framework.slug, identifier=made.identifier)
    data = exports.export(framework, fmt, reader=request.user, version=version)
    return attachment(data, exports.CONTENT_TYPES[fmt], exports.filename(framework, fmt, version))


@require_GET
def prepared_download(request, slug: str, identifier):
    """A big model's file being made for the reader: how far it has got (the page asks again
    every two seconds), then a link to it, or why it could not be made."""
    download = downloads.prepared(user=request.user, identifier=identifier, slug=slug)
    if request.htmx and download.state != download.State.QUEUED:
        return HttpResponseClientRefresh()  # the poll ends: the whole page offers the file
    context = {"download": download, "label": downloads.LABELS[download.format]}
    return render(request, "interchange/download.html", context)


@require_GET
def prepared_file(request, slug: str, identifier):
    """The file made for the reader, while they may still see the model."""
    download = downloads.prepared(user=request.user, identifier=identifier, slug=slug)
    if download.state != download.State.DONE:
        return redirect("interchange:prepared", slug=slug, identifier=download.identifier)
    return attachment(
        downloads.file_of(download), exports.CONTENT_TYPES[download.format], download.filename
    )


@require_http_methods(["GET", "POST"])
def import_start(request):
    """Upload a framework file (CSV, XLSX, JSON, a CASE package or a CTDL-ASN graph): its
    format told from the file, checked whole at once, then previewed."""
    problems = []
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise InvalidInput([Problem("upload", "file", "choose a file to import")])
            pending = uploads.hold_upload(
                actor=request.user,
                name=upload.name,
                data=upload.read(settings.CMC_MAX_IMPORT_BYTES + 1),
            )
        except InvalidInput as error:
            problems = error.problems
        else:
            return redirect("imports:preview", identifier=pending.identifier)
    context = {"labels": detect.LABELS, "problems": problems}
    return render(request, "interchange/import.html", context, status=422 if problems else 200)


@login_required
@require_http_methods(["GET", "POST"])
def import_preview(request, identifier: str):
    """What an upload will make (the levels of a CASE or CTDL-ASN file, each with the role it
    will take, or the frameworks of a file of the project's own formats); confirming queues
    the import, and the page then follows it until it is written (or says what stopped it)."""
    pending = selectors.pending_upload(user=request.user, identifier=identifier)
    if pending.state in (pending.State.QUEUED, pending.State.DONE):
        if request.method == "POST":
            return redirect("imports:preview", identifier=identifier)
        if request.htmx and pending.state == pending.State.DONE:
            return HttpResponseClientRefresh()  # the poll ends: the whole page says how it went
        return render(request, "interchange/status.html", {"pending": pending})
    if request.htmx:  # the import stopped while the page polled
        return HttpResponseClientRefresh()
    if pending.format in uploads.OUTSIDE:
        return _outside_preview(request, pending)
    return _own_preview(request, pending)


def _own_preview(request, pending):
    problems = pending.problem_list()
    if request.method == "POST":
        try:
            uploads.queue_upload(actor=request.user, pending=pending)
        except InvalidInput as error:
            problems = error.problems
        else:
            return redirect("imports:preview", identifier=pending.identifier)
    context = {
        "pending": pending,
        "format_label": detect.LABELS[pending.format],
        "frameworks": pending.preview.get("frameworks", []),
        "problems": problems,
    }
    return render(request, "interchange/preview_own.html", context,
                  status=422 if problems else 200)  # fmt: skip


def _outside_preview(request, pending):
    found = services.read(fmt=pending.format, data=bytes(pending.data), name=pending.filename)
    problems = pending.problem_list()
    chosen = dict(pending.chosen)
    if request.method == "POST":
        chosen = {lv.key: request.POST.get(f"role-{lv.key}", lv.role) for lv in found.levels()}
        try:
            uploads.queue_upload(actor=request.user, pending=pending, chosen=chosen,
                                 public=request.POST.get("public") == "on")  # fmt: skip
        except InvalidInput as error:
            problems = error.problems
        else:
            return redirect("imports:preview", identifier=pending.identifier)
    context = {
        "pending": pending,
        "format_label": services.FORMATS[pending.format],
        "title": found.outline.title,
        "count": len(found.outline.nodes),
        "links": len(found.outline.links),
        "levels": [(lv, chosen.get(lv.key, lv.role)) for lv in found.levels()],
        "roles": ROLE_LABELS.items(),
        "problems": problems,
    }
    return render(request, "interchange/preview.html", context, status=422 if problems else 200)
