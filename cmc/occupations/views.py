"""Pages of occupations: search, an occupation's page, commonality analysis."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import selectors


@require_GET
def index(request):
    query = request.GET.get("q", "").strip()
    results = selectors.search_occupations(query, limit=50) if query else []
    return render(request, "occupations/index.html", {"query": query, "results": results})


@require_GET
def occupation(request, code: str):
    found = selectors.find_occupation(code)
    return render(request, "occupations/occupation.html", {"occupation": found})
