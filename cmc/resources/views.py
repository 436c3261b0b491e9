"""The resources pages: search with facets, a resource's page, the submit and edit forms, the
moderation queue, the import page and the models in action. Thin doors onto `selectors` and
`services`."""

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from cmc.core.errors import InvalidInput
from cmc.core.http import attachment

from . import importing, selectors, services, tabular
from .forms import ImportForm, ModerationForm, ResourceForm, initial_of
from .vocab import KINDS, USES


@require_GET
def index(request):
    """Search resources: words, facets, sort and pages; HTMX swaps only the results."""
    context = {"kinds": KINDS, "sorts": ("relevance", "newest", "title")}
    status = 200
    try:
        context["page"] = selectors.search_resources(user=request.user, raw=request.GET)
        context["params"] = context["page"].params
    except InvalidInput as error:
        context["problems"], status = error.problems, 400
        context["params"] = {k: request.GET.get(k, "") for k in ("q", "sort")}
    template = "resources/_results.html" if request.htmx else "resources/index.html"
    return render(request, template, context, status=status)


@require_GET
def detail(request, identifier):
    view = selectors.resource_view(user=request.user, identifier=identifier)
    return render(
        request, "resources/detail.html", {"view": view, "moderation_form": ModerationForm()}
    )


@login_required
@require_http_methods(["GET", "POST"])
def submit(request):
    form = ResourceForm(request.POST or None)
    saved = _save(
        request, form, lambda data: services.submit_resource(actor=request.user, data=data)
    )
    if saved is not None:
        messages.success(request, "Thank you: the resource waits for a moderator.")
        return redirect(saved.get_absolute_url())
    return _form_page(request, form, None)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, identifier):
    resource = selectors.editable_resource(user=request.user, identifier=identifier)
    view = selectors.resource_view(user=request.user, identifier=identifier)
    form = ResourceForm(request.POST or None, initial=initial_of(view))
    saved = _save(
        request, form,
        lambda data: services.update_resource(actor=request.user, resource=resource, data=data),
    )  # fmt: skip
    if saved is not None:
        messages.success(request, "The resource was saved.")
        return redirect(saved.get_absolute_url())
    return _form_page(request, form, resource)


def _save(request, form: ResourceForm, write):
    """The written resource, or None with the problems put beside the form's fields."""
    if request.method != "POST" or not form.is_valid():
        return None
    data = form.to_input()
    if not form.is_valid():  # an alignment line that could not be read
        return None
    try:
        return write(data)
    except InvalidInput as error:
        form.add_problems(error.problems)
        return None


def _form_page(request, form, resource):
    status = 422 if form.is_bound and form.errors else 200
    return render(
        request, "resources/form.html", {"form": form, "resource": resource}, status=status
    )


@staff_member_required
@require_GET
def moderation(request):
    return render(
        request,
        "resources/moderation.html",
        {
            "pending": selectors.moderation_queue(user=request.user),
            "decided": selectors.recent_decisions(user=request.user),
            "form": ModerationForm(),
        },
    )


@staff_member_required
@require_POST
def moderate(request, identifier):
    resource = selectors.visible_resource(user=request.user, identifier=identifier)
    decision = request.POST.get("decision", "")
    try:
        services.moderate_resource(
            actor=request.user, resource=resource, decision=decision,
            reason=request.POST.get("reason", ""),
        )  # fmt: skip
    except InvalidInput as error:
        for problem in error.problems:
            messages.error(request, f"{resource.title}: the {problem.field} {problem.message}.")
    else:
        done = "published" if decision == "published" else "rejected"
        messages.success(request, f"{resource.title}: {done}.")
    return redirect(request.POST.get("next") or "resources:moderation")


@login_required
@require_GET
def mine(request):
    return render(
        request, "resources/mine.html", {"resources": selectors.submissions_of(user=request.user)}
    )


@staff_member_required
@require_http_methods(["GET", "POST"])
def import_page(request):
    """Upload a file of resources: its kind and columns are checked at once, then it is
    imported in the background and the page follows it."""
    form = ImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            held = importing.queue_import(
                actor=request.user, name=upload.name,
                data=upload.read(settings.CMC_MAX_IMPORT_BYTES + 1),
                publish=form.cleaned_data["publish"],
            )  # fmt: skip
        except InvalidInput as error:
            problems = error.problems
        else:
            return redirect("resources:import_status", identifier=held.identifier)
    return _import_page(request, form, problems)


def _import_page(request, form, problems):
    status = 422 if problems or form.errors else 200
    context = {"form": form, "problems": problems, "columns": tabular.COLUMNS}
    return render(request, "resources/import.html", context, status=status)


@staff_member_required
@require_GET
def import_status(request, identifier):
    """How an import goes: its progress while it runs, then the resources it wrote, or every
    problem that stopped it beside the form to send the mended file."""
    held = selectors.resource_import(user=request.user, identifier=identifier)
    if request.htmx and held.state != held.State.QUEUED:
        return HttpResponseClientRefresh()  # the poll ends: the whole page says how it went
    if held.state == held.State.FAILED:
        form = ImportForm(initial={"publish": held.publish})
        return _import_page(request, form, held.problem_list())
    return render(request, "resources/import_status.html", {"held": held})


@require_GET
def template(request, fmt):
    if fmt not in tabular.CONTENT_TYPES:
        raise Http404("The template comes as .csv or .xlsx.")
    return attachment(
        tabular.template(fmt), tabular.CONTENT_TYPES[fmt], f"resources-template.{fmt}"
    )


@require_GET
def models_in_action(request):
    return render(
        request,
        "resources/models_in_action.html",
        {"groups": selectors.models_in_action(user=request.user), "uses": USES},
    )
