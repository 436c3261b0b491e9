"""Pages for a model's life: its versions and status, what changed, and its worksheets."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cmc.accounts.models import Membership, Organization
from cmc.core.http import attachment

from . import diffs, publishing, services, worksheets
from .models import Framework, Status, Visibility
from .selectors import editable_framework, framework_tree, visible_framework
from .services import Conflict, InvalidInput


def _editable(request, slug: str) -> Framework:
    return editable_framework(user=request.user, slug=slug)


# What each published version offers for download, as it was frozen.
VERSION_FORMATS = [
    ("pdf", "PDF"),
    ("docx", "Word"),
    ("xlsx", "XLSX"),
    ("csv", "CSV"),
    ("json", "JSON"),
]


@require_GET
def versions(request, slug: str):
    framework = visible_framework(user=request.user, slug=slug, whole=True)
    can_edit = services.may_edit(framework=framework, actor=request.user)
    context = {
        "framework": framework,
        "versions": framework.versions.select_related("published_by"),
        "changes": framework.status_changes.select_related("changed_by").order_by("-changed_at"),
        "can_edit": can_edit,
        "organizations": Organization.objects.filter(
            pk__in=Membership.objects.editing(request.user).values("organization")
        ).order_by("name")
        if can_edit
        else [],
        "visibilities": Visibility.choices,
        "version_formats": VERSION_FORMATS,
        "next_statuses": [
            (s, Status(s).label) for s in sorted(publishing.TRANSITIONS[framework.status])
        ],
    }
    return render(request, "frameworks/versions.html", context)


@login_required
@require_POST
def publish(request, slug: str):
    framework = _editable(request, slug)
    version = publishing.publish_version(
        framework=framework, actor=request.user, note=request.POST.get("note", "")[:5000]
    )
    messages.success(request, f"Version {version.number} is published and frozen.")
    return redirect("frameworks:versions", slug=slug)


@login_required
@require_POST
def change_status(request, slug: str):
    framework = _editable(request, slug)
    try:
        change = publishing.set_status(
            framework=framework, actor=request.user, status=request.POST.get("status", "")
        )
    except (InvalidInput, Conflict) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"The model is now {change.get_to_status_display().lower()}.")
    return redirect("frameworks:versions", slug=slug)


@login_required
@require_POST
def share(request, slug: str):
    framework = _editable(request, slug)
    try:
        services.share_framework(
            framework=framework,
            actor=request.user,
            visibility=request.POST.get("visibility", ""),
            organization=request.POST.get("organization", ""),
        )
    except InvalidInput as error:
        messages.error(
            request, "; ".join(f"{p.field.capitalize()}: {p.message}" for p in error.problems)
        )
    else:
        messages.success(request, f"Sharing saved: {framework.get_visibility_display().lower()}.")
    return redirect("frameworks:versions", slug=slug)


@require_GET
def diff(request, slug: str):
    """Any two states of a model side by side: versions, the draft, or a source."""
    framework = visible_framework(user=request.user, slug=slug, whole=True)
    choices = diffs.side_choices(framework)
    before, after = request.GET.get("from", ""), request.GET.get("to", "draft")
    result, problem = None, ""
    try:
        before = before or diffs.default_before(framework)
        result = diffs.compare(
            diffs.resolve_side(user=request.user, slug=slug, ref=before),
            diffs.resolve_side(user=request.user, slug=slug, ref=after),
        )
    except Http404 as error:
        problem = str(error)
    context = {
        "framework": framework,
        "choices": choices,
        "before": before,
        "after": after,
        "diff": result,
        "problem": problem,
    }
    return render(request, "frameworks/diff.html", context, status=404 if problem else 200)


@require_http_methods(["GET", "POST"])
def worksheets_page(request, slug: str):
    framework = visible_framework(user=request.user, slug=slug, whole=True)
    problems = []
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        upload = request.FILES.get("file")
        try:
            saved = worksheets.upload(
                framework=framework,
                actor=request.user,
                kind=request.POST.get("kind", ""),
                name=upload.name if upload else "",
                data=upload.read(worksheets.max_bytes() + 1) if upload else b"",
            )
        except InvalidInput as error:
            problems = error.problems
        else:
            messages.success(
                request,
                f"{saved.entry_count} entries from {saved.filename} are kept with this model.",
            )
            return redirect("frameworks:worksheets", slug=slug)
    context = {
        "framework": framework,
        "kinds": worksheets.KINDS.values(),
        "uploads": worksheets.uploads_for(framework=framework, user=request.user),
        "problems": problems,
    }
    return render(request, "frameworks/worksheets.html", context, status=422 if problems else 200)


@require_GET
def worksheet_download(request, slug: str, kind: str, fmt: str):
    if kind not in worksheets.KINDS or fmt not in worksheets.CONTENT_TYPES:
        raise Http404("No such worksheet.")
    framework = framework_tree(user=request.user, slug=slug)
    data = worksheets.render(framework, kind, fmt, columns=request.GET.getlist("column"))
    return attachment(
        data, worksheets.CONTENT_TYPES[fmt], worksheets.filename(framework, kind, fmt)
    )
