"""Pages for workshop worksheets: the four blank ones of a model, and filled-in ones kept with it."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from cmc.core.errors import InvalidInput
from cmc.core.http import attachment
from cmc.frameworks.selectors import framework_tree, visible_framework

from . import selectors, services, worksheets


@require_http_methods(["GET", "POST"])
def worksheets_page(request, slug: str):
    framework = visible_framework(user=request.user, slug=slug, whole=True)
    problems = []
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        upload = request.FILES.get("file")
        try:
            saved = services.upload(
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
            return redirect("analysis:worksheets", slug=slug)
    context = {
        "framework": framework,
        "kinds": worksheets.KINDS.values(),
        "uploads": selectors.uploads_for(framework=framework, user=request.user),
        "problems": problems,
    }
    return render(request, "analysis/worksheets.html", context, status=422 if problems else 200)


@require_GET
def worksheet_download(request, slug: str, kind: str, fmt: str):
    if kind not in worksheets.KINDS or fmt not in worksheets.CONTENT_TYPES:
        raise Http404("No such worksheet.")
    framework = framework_tree(user=request.user, slug=slug)
    data = worksheets.render(framework, kind, fmt, columns=request.GET.getlist("column"))
    return attachment(
        data, worksheets.CONTENT_TYPES[fmt], worksheets.filename(framework, kind, fmt)
    )
