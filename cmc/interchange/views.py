"""Downloads (a model, or one of its published versions, in every export format) and imports
of other systems' frameworks (upload, preview of the mapping, confirm)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from cmc.core.errors import InvalidInput, Problem
from cmc.core.http import attachment
from cmc.frameworks.selectors import visible_framework, visible_version

from . import exports, selectors, services
from .formats.outline import ROLE_LABELS


@require_GET
def framework_download(request, slug: str, fmt: str):
    if fmt not in exports.CONTENT_TYPES:
        raise Http404("No such format.")
    framework = visible_framework(user=request.user, slug=slug)
    data = exports.export(framework, fmt, reader=request.user)
    return attachment(data, exports.CONTENT_TYPES[fmt], exports.filename(framework, fmt))


@require_GET
def version_download(request, slug: str, number: int, fmt: str):
    """A published version as it was frozen, in any export format."""
    if fmt not in exports.CONTENT_TYPES:
        raise Http404("No such format.")
    framework, version = visible_version(user=request.user, slug=slug, number=number)
    data = exports.export(framework, fmt, reader=request.user, version=version)
    return attachment(data, exports.CONTENT_TYPES[fmt], exports.filename(framework, fmt, version))


@require_http_methods(["GET", "POST"])
def import_start(request):
    """Upload a CASE package or a CTDL-ASN graph: checked at once, then previewed."""
    problems = []
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        upload = request.FILES.get("file")
        try:
            pending = services.hold_upload(
                actor=request.user,
                fmt=request.POST.get("format", ""),
                name=upload.name if upload else "",
                data=upload.read(settings.CMC_MAX_IMPORT_BYTES + 1) if upload else b"",
            )
        except InvalidInput as error:
            problems = error.problems
        else:
            return redirect("imports:preview", identifier=pending.identifier)
    context = {"formats": services.FORMATS.items(), "problems": problems}
    return render(request, "interchange/import.html", context, status=422 if problems else 200)


@login_required
@require_http_methods(["GET", "POST"])
def import_preview(request, identifier: str):
    """The levels of an upload, each with the role it will take; confirming queues the import,
    and the page then follows it until the framework is written (or says what stopped it)."""
    pending = selectors.pending_upload(user=request.user, identifier=identifier)
    if pending.state in (pending.State.QUEUED, pending.State.DONE):
        if request.method == "POST":
            return redirect("imports:preview", identifier=identifier)
        return render(request, "interchange/status.html", {"pending": pending})
    found = services.read(fmt=pending.format, data=bytes(pending.data), name=pending.filename)
    problems = [Problem(*p) for p in pending.problems]
    chosen = dict(pending.chosen)
    if request.method == "POST":
        chosen = {lv.key: request.POST.get(f"role-{lv.key}", lv.role) for lv in found.levels()}
        try:
            services.queue_upload(actor=request.user, pending=pending, chosen=chosen,
                                  public=request.POST.get("public") == "on")  # fmt: skip
        except InvalidInput as error:
            problems = error.problems
        else:
            return redirect("imports:preview", identifier=identifier)
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
