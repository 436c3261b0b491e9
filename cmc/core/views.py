"""Site-wide pages: home, search, and the error pages."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cmc.core import search as search_engine

from .forms import SearchForm

PAGE_SIZE = 20


@require_GET
def search(request):
    """Every registered collection, searched as the visitor may see it."""
    form = SearchForm(request.GET or None)
    context = {"form": form, "results": None}
    if form.is_valid() and form.cleaned_data["q"]:
        data = form.cleaned_data
        page = data.get("page") or 1
        scope, facet = form.filters()
        results = search_engine.search(
            data["q"],
            user=request.user,
            scope=scope,
            facet=facet,
            limit=PAGE_SIZE,
            offset=(page - 1) * PAGE_SIZE,
        )
        context.update(
            results=results,
            page=Paginator(range(results.total), PAGE_SIZE).get_page(page),
            facet_lists=search_engine.facet_lists(
                results, user=request.user, scope=scope, facet=facet
            ),
            filter_query=search_engine.filter_query(scope, facet),
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
