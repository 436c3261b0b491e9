"""Credential pages: the list with filters, one credential, its forms, its alignments."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cmc.core.errors import InvalidInput, Problem
from cmc.core.http import attachment
from cmc.frameworks import selectors as framework_selectors

from .. import exports, selectors, services
from ..forms import STRENGTHS, CredentialForm, credential_initial
from .common import organizations, to_sign_in


def _filters(request) -> selectors.CredentialFilters:
    return selectors.CredentialFilters(
        kind=request.GET.get("kind", "")[:30],
        framework=request.GET.get("framework", "")[:120],
        endorsed=request.GET.get("endorsed") == "1",
        q=request.GET.get("q", "").strip()[:200],
    )


@require_GET
def credential_index(request):
    filters = _filters(request)
    context = {
        "credentials": list(selectors.credential_list(user=request.user, filters=filters)),
        "filters": filters,
        "facets": selectors.facet_counts(user=request.user),
        "frameworks": framework_selectors.framework_list(
            user=request.user, filters=framework_selectors.FrameworkFilters()
        ).only("slug", "name"),
    }
    template = "credentials/_list.html" if request.htmx else "credentials/list.html"
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
def credential_new(request):
    if not request.user.is_authenticated:
        return to_sign_in(request)
    form = CredentialForm(request.POST or None, organizations=organizations(request))
    summary = []
    if request.method == "POST":
        try:
            credential = services.create_credential(
                actor=request.user, data=form.data_for_service()
            )
        except InvalidInput as error:
            summary = form.show(error.problems)
        else:
            messages.success(request, f"{credential.name} was added.")
            return redirect(credential.get_absolute_url())
    context = {"form": form, "summary": summary, "title": "Add a credential"}
    return render(request, "credentials/form.html", context, status=422 if summary else 200)


@require_http_methods(["GET", "POST"])
def credential_edit(request, slug: str):
    if not request.user.is_authenticated:
        return to_sign_in(request)
    credential = selectors.editable_credential(user=request.user, slug=slug)
    data = request.POST if request.method == "POST" else None
    form = CredentialForm(data, initial=credential_initial(credential),
                          organizations=organizations(request))  # fmt: skip
    del form.fields["slug"]
    summary = []
    if request.method == "POST":
        try:
            services.update_credential(
                actor=request.user, credential=credential, data=form.data_for_service()
            )
        except InvalidInput as error:
            summary = form.show(error.problems)
        else:
            messages.success(request, "Your changes were saved.")
            return redirect(credential.get_absolute_url())
    context = {
        "form": form, "summary": summary, "credential": credential,
        "title": f"Change {credential.name}",
    }  # fmt: skip
    return render(request, "credentials/form.html", context, status=422 if summary else 200)


@login_required
@require_POST
def credential_delete(request, slug: str):
    credential = selectors.editable_credential(user=request.user, slug=slug)
    try:
        services.delete_credential(actor=request.user, credential=credential)
    except InvalidInput as error:
        messages.error(request, f"{credential.name} was not deleted: {error.problems[0].message}.")
        return redirect(credential.get_absolute_url())
    messages.success(request, f"{credential.name} was deleted.")
    return redirect("credentials:index")


@require_GET
def credential_detail(request, slug: str):
    credential = selectors.visible_credential(user=request.user, slug=slug)
    context = {
        "credential": credential,
        "alignments": selectors.credential_alignments(credential=credential, reader=request.user),
        "endorsements": selectors.endorsements_of(credential=credential, reader=request.user),
        "can_edit": selectors.may_change(credential, request.user),
    }
    return render(request, "credentials/detail.html", context)


@require_GET
def credential_download(request, slug: str, fmt: str):
    if fmt not in exports.FORMATS:
        raise Http404("No such format: ob3 or ctdl.")
    credential = selectors.visible_credential(user=request.user, slug=slug)
    links = selectors.credential_alignments(credential=credential, reader=request.user)
    return attachment(
        exports.export(credential, links, fmt), exports.FORMATS[fmt],
        exports.filename(credential, fmt),
    )  # fmt: skip


def _alignment_context(request, credential, framework_slug: str) -> dict:
    framework = None
    if framework_slug:
        framework = framework_selectors.framework_tree(user=request.user, slug=framework_slug)
    return {
        "credential": credential,
        "framework": framework,
        "frameworks": framework_selectors.framework_list(
            user=request.user, filters=framework_selectors.FrameworkFilters()
        ).only("slug", "name"),
        "alignments": selectors.credential_alignments(credential=credential, reader=request.user),
        "strengths": STRENGTHS,
    }


@login_required
@require_http_methods(["GET", "POST"])
def credential_alignments(request, slug: str):
    """Pick a framework, then the tier or competency and the strength."""
    credential = selectors.editable_credential(user=request.user, slug=slug)
    framework_slug = (request.POST.get("framework") or request.GET.get("framework", ""))[:120]
    problems = []
    if request.method == "POST":
        try:
            _align(request, credential, framework_slug)
        except InvalidInput as error:
            problems = error.problems
        else:
            messages.success(request, "The alignment was saved.")
            return redirect(f"{request.path}?framework={framework_slug}")
    context = {**_alignment_context(request, credential, framework_slug), "problems": problems}
    template = (
        "credentials/_align_targets.html" if request.htmx and request.method == "GET"
        else "credentials/alignments.html"
    )  # fmt: skip
    return render(request, template, context, status=422 if problems else 200)


def _align(request, credential, framework_slug: str) -> None:
    if not framework_slug:
        raise InvalidInput([Problem("alignment", "framework", "choose a framework first")])
    framework = framework_selectors.framework_tree(user=request.user, slug=framework_slug)
    target = request.POST.get("target", "")
    tier = competency = None
    if target.startswith("tier:"):
        tier = framework_selectors.find_tier(framework, _number(target[5:]))
    elif target.startswith("competency:"):
        competency = framework_selectors.find_competency(framework, target[11:])[1]
    services.align_credential(
        actor=request.user, credential=credential, framework=framework, tier=tier,
        competency=competency, strength=request.POST.get("strength", ""),
    )  # fmt: skip


def _number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise Http404("No such tier.") from None


@login_required
@require_POST
def credential_unalign(request, slug: str):
    credential = selectors.editable_credential(user=request.user, slug=slug)
    try:
        wanted = uuid.UUID(request.POST.get("alignment", ""))
    except ValueError:
        raise Http404("No such alignment.") from None
    links = selectors.credential_alignments(credential=credential, reader=request.user)
    link = next((a for a in links if a.identifier == wanted), None)
    if link is None:
        raise Http404("No such alignment.")
    services.remove_credential_alignment(actor=request.user, credential=credential, alignment=link)
    messages.success(request, f"The alignment to {link.target_label} was removed.")
    return redirect("credentials:alignments", slug=slug)
