"""ESCO pages: the start page with its search and the tops of both hierarchies, and one
concept's page. ESCO is public reference data: everyone may read it."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import selectors
from .forms import ConceptSearchForm

PAGE_SIZE = 25


@require_GET
def esco_index(request):
    form = ConceptSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.Filters(**{k: v or d for k, v, d in _filter_values(data)})
    page_number = data.get("page") or 1
    searching = any(v for k, v in data.items() if k != "page")
    found = (
        selectors.search_concepts(filters, limit=PAGE_SIZE, offset=(page_number - 1) * PAGE_SIZE)
        if searching
        else None
    )
    context = {
        "form": form,
        "found": found,
        "searching": searching,
        "page": Paginator(range(found.total), PAGE_SIZE).get_page(page_number) if found else None,
        "query": request.GET.copy(),
    }
    if request.htmx:
        return render(request, "interchange/esco/_results.html", context)
    context.update(
        release=selectors.release(),
        counts=selectors.kind_counts(),
        skill_tops=selectors.tops("skill"),
        occupation_tops=selectors.tops("occupation"),
    )
    return render(request, "interchange/esco/index.html", context)


def _filter_values(data: dict):
    for name, default in (
        ("q", ""),
        ("kind", None),
        ("skill_type", ""),
        ("reuse_level", ""),
        ("collection", ""),
    ):
        yield name, data.get(name), default


@require_GET
def esco_concept(request, key: str):
    page = selectors.concept_page(selectors.concept(key), reader=request.user)
    return render(request, "interchange/esco/concept.html", {"page": page, "c": page.concept})
