"""Pages of occupations: search, an occupation's page, commonality analysis."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from cmc.core.errors import InvalidInput, Problem
from cmc.core.http import attachment
from cmc.frameworks.selectors import editable_framework, may_edit, visible_framework

from . import exports, selectors, services


@require_GET
def index(request):
    query = request.GET.get("q", "").strip()[:200]
    onet = selectors.dataset("onet")
    context = {
        "query": query,
        "results": selectors.search_occupations(query, limit=50) if query else [],
        "loaded": onet is not None,
        "release": onet.release if onet else "",
    }
    template = "occupations/_results.html" if request.htmx else "occupations/index.html"
    return render(request, template, context)


@require_GET
def occupation(request, code: str):
    try:
        profile = selectors.occupation_profile(code, reader=request.user)
    except Http404 as error:
        # The site's 404 page says nothing of why; this one names the code and offers a search.
        return render(
            request,
            "occupations/not_found.html",
            {"message": str(error), "query": code},
            status=404,
        )
    context = {
        "profile": profile,
        "wage_rows": selectors.wage_table(profile.wages),
        "oews_loaded": selectors.dataset("oews") is not None,
    }
    return render(request, "occupations/occupation.html", context)


def _threshold(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return selectors.DEFAULT_THRESHOLD


def _tier(value) -> int:
    # Anything but 4 or 5 is refused by the service with its own words.
    return int(value) if value in ("4", "5") else 0


@require_http_methods(["GET", "POST"])
def commonality(request):
    source = request.POST if request.method == "POST" else request.GET
    codes = selectors.parse_codes(source.getlist("codes"))
    threshold = _threshold(source.get("min_importance"))
    table, problems = None, []
    if codes:
        try:
            table = selectors.commonality(codes, min_importance=threshold)
        except InvalidInput as error:
            problems = error.problems
    if request.method == "POST" and table is not None:
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        try:
            framework = services.start_framework_from_commonality(
                actor=request.user, codes=codes, element_ids=request.POST.getlist("element"),
                name=request.POST.get("name", ""), tier=_tier(request.POST.get("tier")),
                min_importance=threshold,
            )  # fmt: skip
        except InvalidInput as error:
            problems = error.problems
        else:
            messages.success(request, f"The draft framework {framework.name} was started.")
            return redirect("frameworks:detail", slug=framework.slug)
    context = {
        "codes": " ".join(codes),
        "threshold": threshold,
        "table": table,
        "problems": problems,
        "query": "&".join(f"codes={c}" for c in codes) + f"&min_importance={threshold}",
    }
    return render(request, "occupations/commonality.html", context, status=422 if problems else 200)


@require_GET
def commonality_download(request):
    codes = selectors.parse_codes(request.GET.getlist("codes"))
    try:
        table = selectors.commonality(
            codes, min_importance=_threshold(request.GET.get("min_importance"))
        )
    except InvalidInput as error:
        return render(
            request,
            "occupations/commonality.html",
            {"problems": error.problems, "codes": " ".join(codes)},
            status=422,
        )
    onet = selectors.dataset("onet")
    data = exports.commonality_xlsx(table, release=onet.release if onet else "O*NET")
    return attachment(data, exports.CONTENT_TYPE, "commonality.xlsx")


@require_http_methods(["GET", "POST"])
def framework_occupations(request, slug: str):
    """The occupations a framework names: listed for readers; editors change the list and start
    tiers 6 to 9 from one of them."""
    framework = visible_framework(user=request.user, slug=slug, whole=True)
    editable = may_edit(framework=framework, actor=request.user)
    problems = []
    if request.method == "POST":
        framework = editable_framework(user=request.user, slug=slug)
        try:
            message = _framework_action(request, framework)
        except InvalidInput as error:
            problems = error.problems
        else:
            messages.success(request, message)
            return redirect("occupations:framework", slug=slug)
    context = {
        "framework": framework,
        "editable": editable,
        "links": selectors.occupations_of(framework=framework),
        "mapping": services.TIER_MAPPING,
        "problems": problems,
    }
    return render(request, "occupations/framework.html", context, status=422 if problems else 200)


def _framework_action(request, framework) -> str:
    action = request.POST.get("action")
    code = request.POST.get("code", "").strip()
    if action == "add":
        try:
            link = services.add_occupation(actor=request.user, framework=framework, code=code)
        except Http404 as error:
            raise InvalidInput([Problem("occupation", "code", str(error))]) from None
        return f"{link.title} ({link.code}) is named by this model."
    if action == "remove":
        services.remove_occupation(actor=request.user, framework=framework, code=code)
        return f"{code} is no longer named by this model."
    if action == "start":
        try:
            started = services.start_tiers_from_occupation(
                actor=request.user, framework=framework, code=code
            )
        except Http404 as error:
            raise InvalidInput([Problem("occupation", "code", str(error))]) from None
        return started.summary()
    raise InvalidInput([Problem("form", "action", "choose add, remove or start")])
