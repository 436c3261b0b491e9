"""Aligning outside statements to a competency: pick a scheme among the registered statement
sources, search it (live with HTMX, a plain form without), choose a statement, the competency
or one of its key behaviors, and a strength; remove an alignment."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cmc.core.errors import InvalidInput
from cmc.frameworks import alignment_files, selectors, services, statements

RESULTS = 20


@login_required
@require_http_methods(["GET", "POST"])
def align_statement(request, slug: str, code: str):
    selectors.editable_framework(user=request.user, slug=slug)  # 404 unseen, 403 read-only
    framework = selectors.framework_tree(user=request.user, slug=slug)
    tier, competency = selectors.find_competency(framework, code)
    values = request.POST if request.method == "POST" else request.GET
    sources = statements.sources()
    scheme = values.get("scheme") or (sources[0].scheme if sources else "")
    query = values.get("q", "").strip()[:200]
    problems = []
    if request.method == "POST":
        try:
            link = services.align_statement(
                actor=request.user,
                framework=framework,
                scheme=scheme,
                code=values.get("code", ""),
                competency=competency.code,
                behavior=values.get("target", ""),
                strength=values.get("strength", ""),
            )
        except InvalidInput as error:
            problems = error.problems
        else:
            messages.success(request, f"Aligned “{link.text or link.code}” to {link.target_label}.")
            return redirect(competency.get_absolute_url())
    context = {
        "framework": framework,
        "tier": tier,
        "competency": competency,
        "sources": sources,
        "scheme": scheme,
        "query": query,
        "chosen": values.get("code", ""),
        "target": values.get("target", ""),
        "strength": values.get("strength", "major"),
        "strengths": services.STRENGTHS,
        "found": statements.search(scheme, query, limit=RESULTS) if query else [],
        "problems": problems,
    }
    if request.htmx and request.method == "GET":
        return render(request, "frameworks/_statement_results.html", context)
    return render(request, "frameworks/align.html", context, status=422 if problems else 200)


@login_required
@require_POST
def remove_alignment(request, slug: str, identifier):
    link = selectors.visible_alignment(user=request.user, identifier=identifier)
    if link.framework.slug != slug:
        raise Http404("No such alignment.")
    back = (
        link.competency.get_absolute_url() if link.competency else link.framework.get_absolute_url()
    )
    services.remove_alignment(actor=request.user, alignment=link)  # PermissionDenied: 403
    messages.success(request, f"Removed the alignment of “{link.text or link.code}”.")
    return redirect(back)


@require_GET
def alignments_download(request, slug: str, fmt: str):
    """Every alignment of a framework the visitor may see, as CSV or XLSX."""
    if fmt not in alignment_files.TYPES:
        raise Http404("Alignments download as csv or xlsx.")
    framework = selectors.visible_framework(user=request.user, slug=slug, whole=True)
    body = alignment_files.render(selectors.alignment_list(framework=framework), fmt)
    response = HttpResponse(body, content_type=alignment_files.TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{framework.slug}-alignments.{fmt}"'
    return response
