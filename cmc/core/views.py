"""Site-wide pages: home, search, and the error pages."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cmc.core import search as search_engine
from cmc.frameworks.models import Framework

from .forms import SearchForm

PAGE_SIZE = 20


@require_GET
def search(request):
    form = SearchForm(request.GET or None)
    visible = Framework.objects.visible_to(request.user)
    context = {"form": form, "results": None}
    if form.is_valid() and form.cleaned_data["q"]:
        data = form.cleaned_data
        page = data.get("page") or 1
        results = search_engine.search(
            data["q"],
            frameworks=visible,
            framework_id=data.get("framework"),
            tier_number=data.get("tier"),
            limit=PAGE_SIZE,
            offset=(page - 1) * PAGE_SIZE,
        )
        names = dict(visible.filter(pk__in=results.framework_counts).values_list("pk", "name"))
        context.update(
            results=results,
            page=Paginator(range(results.total), PAGE_SIZE).get_page(page),
            framework_facets=[
                (pk, names.get(pk, "?"), n) for pk, n in results.framework_counts.items()
            ],
        )
    template = "core/_results.html" if request.htmx else "core/search.html"
    return render(request, template, context)


def forbidden(request, exception=None):
    message = str(exception) if exception and str(exception) else ""
    return render(request, "403.html", {"exception": message}, status=403)


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
