"""Pathway pages: the list, the builder (the stack of steps, reordered with HTMX), the forms,
and the coverage report with its picture."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cmc.core.errors import InvalidInput
from cmc.core.http import attachment
from cmc.frameworks import selectors as framework_selectors

from .. import selectors, services
from ..forms import PathwayForm, StepForm
from .common import organizations, record, to_sign_in

PICTURE_TYPES = {"svg": "image/svg+xml", "png": "image/png"}


def _frameworks(request):
    return framework_selectors.framework_list(
        user=request.user, filters=framework_selectors.FrameworkFilters()
    ).only("slug", "name")


@require_GET
def pathway_index(request):
    framework = request.GET.get("framework", "")[:120]
    q = request.GET.get("q", "").strip()[:200]
    context = {
        "pathways": list(selectors.pathway_list(user=request.user, framework=framework, q=q)),
        "frameworks": _frameworks(request),
        "chosen": framework,
        "q": q,
    }
    return render(request, "credentials/pathways.html", context)


@require_http_methods(["GET", "POST"])
def pathway_new(request):
    if not request.user.is_authenticated:
        return to_sign_in(request)
    form = PathwayForm(request.POST or None, organizations=organizations(request),
                       frameworks=_frameworks(request))  # fmt: skip
    summary = []
    if request.method == "POST":
        try:
            pathway = services.create_pathway(actor=request.user, data=form.data_for_service())
        except InvalidInput as error:
            summary = form.show(error.problems)
        else:
            messages.success(request, f"{pathway.name} was made; add its steps below.")
            return redirect(pathway.get_absolute_url())
    context = {"form": form, "summary": summary, "title": "Build a pathway"}
    return render(request, "credentials/form.html", context, status=422 if summary else 200)


@require_http_methods(["GET", "POST"])
def pathway_edit(request, slug: str):
    if not request.user.is_authenticated:
        return to_sign_in(request)
    pathway = selectors.editable_pathway(user=request.user, slug=slug)
    initial = {
        "name": pathway.name, "description": pathway.description,
        "framework": pathway.framework.slug, "visibility": pathway.visibility,
        "organization": pathway.organization.slug if pathway.organization else "",
    }  # fmt: skip
    form = PathwayForm(request.POST if request.method == "POST" else None, initial=initial,
                       organizations=organizations(request), frameworks=_frameworks(request))  # fmt: skip
    del form.fields["slug"]
    summary = []
    if request.method == "POST":
        try:
            services.update_pathway(actor=request.user, pathway=pathway,
                                    data=form.data_for_service())  # fmt: skip
        except InvalidInput as error:
            summary = form.show(error.problems)
        else:
            messages.success(request, "Your changes were saved.")
            return redirect(pathway.get_absolute_url())
    context = {"form": form, "summary": summary, "title": f"Change {pathway.name}",
               "pathway": pathway}  # fmt: skip
    return render(request, "credentials/form.html", context, status=422 if summary else 200)


def _builder_context(request, pathway, **extra) -> dict:
    can_edit = selectors.may_change(pathway, request.user)
    context = {
        "pathway": pathway,
        "steps": selectors.steps_of(pathway=pathway, reader=request.user),
        "can_edit": can_edit,
        **extra,
    }
    if can_edit and "step_form" not in extra:
        context["step_form"] = _step_form(request, pathway, None)
    return context


def _step_form(request, pathway, data):
    tiers = selectors.tiers_of(pathway=pathway)
    return StepForm(data, credentials=selectors.credential_choices(user=request.user),
                    tiers=tiers)  # fmt: skip


@require_GET
def pathway_detail(request, slug: str):
    pathway = selectors.visible_pathway(user=request.user, slug=slug)
    return render(request, "credentials/pathway.html", _builder_context(request, pathway))


@login_required
@require_POST
def pathway_steps(request, slug: str):
    """Add a step on top of the stack."""
    pathway = selectors.editable_pathway(user=request.user, slug=slug)
    form = _step_form(request, pathway, request.POST)
    try:
        services.add_step(actor=request.user, pathway=pathway, data=form.data_for_service())
    except InvalidInput as error:
        context = _builder_context(request, pathway, step_form=form,
                                   summary=form.show(error.problems))  # fmt: skip
        return render(request, "credentials/pathway.html", context, status=422)
    messages.success(request, "The step was added on top of the stack.")
    return redirect(f"{pathway.get_absolute_url()}#steps")


@login_required
@require_POST
def pathway_step_action(request, slug: str, step: int):
    """Move a step down or up the stack, or take it out; with HTMX the stack is redrawn."""
    pathway = selectors.editable_pathway(user=request.user, slug=slug)
    found = selectors.step_of(pathway=pathway, pk=record(step))
    action = request.POST.get("action", "")
    if action in ("down", "up"):
        services.move_step(actor=request.user, step=found, offset=-1 if action == "down" else 1)
    elif action == "remove":
        services.remove_step(actor=request.user, step=found)
    else:
        raise Http404("No such action.")
    if request.htmx:
        return render(request, "credentials/_steps.html", _builder_context(request, pathway))
    return redirect(f"{pathway.get_absolute_url()}#steps")


def _coverage(request, slug: str):
    pathway = selectors.visible_pathway(user=request.user, slug=slug)
    framework = request.GET.get("framework", "")[:120]
    return selectors.coverage(pathway=pathway, reader=request.user, framework_slug=framework)


@require_GET
def pathway_coverage(request, slug: str):
    found = _coverage(request, slug)
    context = {
        "coverage": found,
        "pathway": found.pathway,
        "picture": selectors.coverage_picture(found).svg,
        "frameworks": _frameworks(request),
        "query": f"?framework={found.framework.slug}",
    }
    return render(request, "credentials/coverage.html", context)


@require_GET
def pathway_coverage_picture(request, slug: str, fmt: str):
    if fmt not in PICTURE_TYPES:
        raise Http404("No such picture format: svg or png.")
    found = _coverage(request, slug)
    picture = selectors.coverage_picture(found, caption=True, site=settings.CMC_SITE_URL)
    data = picture.svg.encode() if fmt == "svg" else picture.png(1600)
    name = f"{found.pathway.slug}-coverage-{found.framework.slug}.{fmt}"
    return attachment(data, PICTURE_TYPES[fmt], name)
