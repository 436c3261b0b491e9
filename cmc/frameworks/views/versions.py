"""Pages for a model's life: its versions and status, sharing, and what changed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from cmc.core.errors import Conflict, InvalidInput
from cmc.core.forms import Refusal, refusal
from cmc.frameworks import diffs, selectors, services
from cmc.frameworks.selectors import editable_framework, visible_framework
from cmc.frameworks.services import publishing


def _editable(request, slug: str):
    return editable_framework(user=request.user, slug=slug)


# What each published version offers for download, as it was frozen.
VERSION_FORMATS = [
    ("pdf", "PDF"),
    ("docx", "Word"),
    ("xlsx", "XLSX"),
    ("csv", "CSV"),
    ("json", "JSON"),
    ("case", "CASE 1.1"),
    ("ctdl", "CTDL-ASN"),
]


@require_GET
def versions(request, slug: str):
    framework = visible_framework(user=request.user, slug=slug, whole=True)
    return _versions_page(request, framework)


def _versions_page(request, framework, *, refused=None, sharing=None, status=200, **publish):
    """The versions page; after a refused sharing, with the problems beside its fields and
    the choices as they were sent (`sharing`); after a refused publication, with its reason
    beside the publish form (`publish`: publish_refused, problems, note)."""
    context = selectors.versions_page(framework, user=request.user)
    context.update(publish)
    context["version_formats"] = VERSION_FORMATS
    context["refused"] = refused or Refusal()
    context["sharing"] = sharing or {
        "visibility": framework.visibility,
        "organization": framework.organization.slug if framework.organization else "",
    }
    return render(request, "frameworks/versions.html", context, status=status)


@login_required
@require_POST
def publish(request, slug: str):
    framework = _editable(request, slug)
    note = request.POST.get("note", "")[:5000]
    try:
        version = publishing.publish_version(framework=framework, actor=request.user, note=note)
    except (InvalidInput, Conflict) as error:
        # A check another app keeps (its designated approvers, say) refused: the page again,
        # with the reason beside the form and the note as it was typed.
        invalid = isinstance(error, InvalidInput)
        return _versions_page(
            request, framework, status=422 if invalid else 409, note=note,
            problems=error.problems if invalid else [],
            publish_refused="" if invalid else str(error),
        )  # fmt: skip
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
    sent = {
        "visibility": request.POST.get("visibility", ""),
        "organization": request.POST.get("organization", ""),
    }
    try:
        services.share_framework(framework=framework, actor=request.user, **sent)
    except InvalidInput as error:
        refused = refusal(error.problems, SHARING_FIELDS)
        return _versions_page(request, framework, refused=refused, sharing=sent, status=422)
    messages.success(request, f"Sharing saved: {framework.get_visibility_display().lower()}.")
    return redirect("frameworks:versions", slug=slug)


# The sharing form's fields, by the field a problem names.
SHARING_FIELDS = {"visibility": "visibility-private", "organization": "id_organization"}


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
