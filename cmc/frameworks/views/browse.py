"""Framework pages: the home page, the list, one framework, one tier, one competency."""

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from cmc.core.pictures import model_pyramid_svg
from cmc.frameworks import panels, selectors
from cmc.frameworks.forms import FrameworkFilterForm

PAGE_CACHE_SECONDS = 24 * 3600


@require_GET
def home(request):
    framework, count = selectors.home_framework(user=request.user)
    context = {"framework_count": count}
    if framework is not None:
        context["framework"] = framework
        context["pyramid"] = selectors.pyramid_tiers(framework)
    return render(request, "frameworks/home.html", context)


@require_GET
def framework_index(request):
    form = FrameworkFilterForm(request.GET or None)
    filters = (
        selectors.FrameworkFilters(**form.cleaned_data)
        if form.is_valid()
        else selectors.FrameworkFilters()
    )
    frameworks = list(selectors.framework_list(user=request.user, filters=filters))
    context = {
        "form": form,
        "frameworks": frameworks,
        "facets": selectors.facet_counts(user=request.user),
        "filters": filters,
    }
    template = "frameworks/_list.html" if request.htmx else "frameworks/list.html"
    return render(request, template, context)


def _framework_context(request, slug: str) -> dict:
    framework = selectors.framework_page(user=request.user, slug=slug)
    return {
        "framework": framework,
        "model_pyramid": model_pyramid_svg(
            framework.name, selectors.pyramid_rows(selectors.skeleton(framework))
        ),
        "counts": selectors.tree_counts(framework),
        # The body is the same for every reader (and cached): it names only the sources
        # that all of them may see.
        "named": selectors.named_sources(framework, selectors.EVERY_READER),
    }


def _cache_key(framework) -> str:
    """What names a framework's cached pages and parts: its last change and its panels' stamp
    (the tree carries other apps' item actions), so that every app server agrees on what is
    current."""
    return _key_of(framework.pk, framework.updated_at.timestamp())


def _key_of(pk: int, changed: float) -> str:
    return f"framework-page:{pk}:{changed}:{panels.stamp_of(pk)}"


@require_GET
def framework_detail(request, slug: str):
    # The tree part of the page is the same for everyone who may see the framework, and the
    # whole page is the same for every visitor who is not signed in. Both are kept under keys
    # that name the framework's last change and its panels' stamp.
    anonymous = not request.user.is_authenticated and "messages" not in request.COOKIES
    # The page kept for visitors, found with one light query (most requests end here).
    public = selectors.public_change(slug=slug) if anonymous else None
    if public is not None and (page := cache.get(f"{_key_of(*public)}:anonymous")) is not None:
        return HttpResponse(page)
    framework = selectors.visible_framework(user=request.user, slug=slug)
    key = _cache_key(framework)
    anonymous_key = f"{key}:anonymous"
    body = cache.get(key)
    if body is None:
        body = render_to_string(
            "frameworks/_detail_body.html", _framework_context(request, slug), request
        )
        cache.set(key, body, PAGE_CACHE_SECONDS)
    context = {
        "framework": framework,
        "body": mark_safe(body),  # rendered by our own template
        "can_edit": request.user.is_authenticated
        and selectors.may_edit(framework=framework, actor=request.user),
        "has_content": framework.has_content,
        "tools": panels.render_panels("tools", request, framework),
        "panels": panels.render_panels("framework", request, framework),
    }
    response = render(request, "frameworks/detail.html", context)
    if anonymous:
        cache.set(anonymous_key, response.content, PAGE_CACHE_SECONDS)
    return response


def _page_number(request) -> int:
    """The page asked for (?page=, 1 by default); 404 for anything but a page number."""
    asked = request.GET.get("page", "1")
    if not asked.isdigit() or len(asked) > 6:
        raise Http404("No such page of this tier.")
    return int(asked)


@require_GET
def tier_detail(request, slug: str, number: int):
    # A page of the tier's competencies with their key behaviors, the same for everyone who
    # may see the framework: kept, like the framework page's tree, under its key. Asked by
    # HTMX (a tier in outline on the framework page being opened), only that page's
    # competencies, to stand in for their outline.
    framework = selectors.visible_framework(user=request.user, slug=slug)
    page = _page_number(request)
    part = "open" if request.htmx else "page"
    key = f"{_cache_key(framework)}:tier:{number}:{page}:{part}"
    kept = cache.get(key)
    if kept is None:
        found = selectors.tier_page(user=request.user, slug=slug, number=number, page=page)
        context = {
            "framework": found.framework,
            "tier": found.tier,
            "page": found.page,
            "named": selectors.named_sources(found.framework, selectors.EVERY_READER),
        }
        if request.htmx:
            body = render_to_string("frameworks/_tier_open.html", context, request)
        else:
            context["page_range"] = found.page.paginator.get_elided_page_range(page)
            context["pyramid"] = selectors.pyramid_tiers(found.framework)
            body = render_to_string("frameworks/_tier_body.html", context, request)
        kept = {"title": f"Tier {found.tier.number}: {found.tier.name}", "body": body}
        cache.set(key, kept, PAGE_CACHE_SECONDS)
    if request.htmx:
        response = HttpResponse(kept["body"])
    else:
        context = {"framework": framework, "title": kept["title"], "body": mark_safe(kept["body"])}
        response = render(request, "frameworks/tier.html", context)
    # One address, two answers: a cache between must not give one for the other.
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
def competency_detail(request, slug: str, code: str):
    framework = selectors.framework_tree(user=request.user, slug=slug)
    tier, competency = selectors.find_competency(framework, code)
    context = {
        "framework": framework,
        "tier": tier,
        "competency": competency,
        "named": selectors.named_sources(framework, request.user),
        "alignments": selectors.alignments_for_item(framework=framework, item=competency),
        "can_edit": request.user.is_authenticated
        and selectors.may_edit(framework=framework, actor=request.user),
        "panels": panels.render_panels("competency", request, framework, competency),
    }
    return render(request, "frameworks/competency.html", context)
