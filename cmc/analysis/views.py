"""Pages for workshop worksheets: the four blank ones of a model, filled-in ones kept with it
(each on a page of its own), and what they add up to, with the gap and its report."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from cmc.core.errors import InvalidInput
from cmc.core.http import attachment
from cmc.frameworks.selectors import framework_tree, visible_framework

from . import reports, selectors, services, sheetfiles, worksheets
from .answers import ABOUT, ANSWERS, FORM, of_code

LABELS = {field.label: name for name, field in ABOUT.items()}


def _anchored(problems) -> tuple[list[dict], dict[str, str]]:
    """The error summary's items (each linking to its field) and the messages shown beside
    the upload form's fields: a problem with what the form says, or with a field the sheet
    and the form may both give, sits beside that field; the file's own beside the file."""
    summary, beside = [], {}
    for problem in problems:
        name = problem.field if problem.where == FORM else LABELS.get(problem.field)
        if name in ABOUT:
            beside.setdefault(name, problem.message)
            text = f"{ABOUT[name].label}: {problem.message}"
            if problem.where != FORM:
                text = f"{problem.where}, {text}"
            summary.append({"anchor": f"id_{name}", "text": text})
        else:
            summary.append({"anchor": "id_file", "text": str(problem)})
    return summary, beside


@require_http_methods(["GET", "POST"])
def worksheets_page(request, slug: str):
    framework = visible_framework(user=request.user, slug=slug, whole=True)
    problems, about, kind = [], {}, ""
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        upload = request.FILES.get("file")
        about = {name: request.POST.get(name, "") for name in ABOUT}
        kind = request.POST.get("kind", "")
        try:
            saved = services.upload(
                framework=framework,
                actor=request.user,
                kind=kind,
                name=upload.name if upload else "",
                data=upload.read(worksheets.max_bytes() + 1) if upload else b"",
                about=about,
            )
        except InvalidInput as error:
            problems = error.problems
        else:
            messages.success(
                request,
                f"{saved.entry_count} entries from {saved.filename} are kept with this model.",
            )
            return redirect("analysis:upload", slug=slug, identifier=saved.identifier)
    summary, beside = _anchored(problems)
    context = {
        "framework": framework,
        "kinds": worksheets.KINDS.values(),
        "about_fields": [
            {"field": field, "value": about.get(name, ""), "error": beside.get(name, "")}
            for name, field in ABOUT.items()
        ],
        "chosen_kind": kind,
        "uploads": selectors.uploads_for(framework=framework, user=request.user),
        "problems": problems,
        "summary": summary,
        "file_problems": sum(1 for item in summary if item["anchor"] == "id_file"),
    }
    return render(request, "analysis/worksheets.html", context, status=422 if problems else 200)


@require_GET
def worksheet_download(request, slug: str, kind: str, fmt: str):
    if kind not in worksheets.KINDS or fmt not in worksheets.CONTENT_TYPES:
        raise Http404("No such worksheet.")
    framework = framework_tree(user=request.user, slug=slug)
    about = {name: request.GET.get(name, "") for name in ABOUT}
    data = sheetfiles.render(
        framework, kind, fmt, columns=request.GET.getlist("column"), about=about
    )
    return attachment(
        data, worksheets.CONTENT_TYPES[fmt], sheetfiles.filename(framework, kind, fmt)
    )


@require_GET
def upload_page(request, slug: str, identifier):
    framework = visible_framework(user=request.user, slug=slug, whole=True)
    upload = selectors.upload_for(framework=framework, user=request.user, identifier=identifier)
    if upload is None:
        raise Http404("No such upload.")
    types = upload.column_types or [None] * len(upload.columns)
    columns = [
        {"heading": heading, "says": of_code(code).says if code in ANSWERS else ""}
        for heading, code in zip(upload.columns, types, strict=False)
    ]
    context = {
        "framework": framework,
        "upload": upload,
        "about": [
            (field.label, getattr(upload, name)) for name, field in ABOUT.items()
            if getattr(upload, name) not in ("", None)
        ],
        "columns": columns,
    }  # fmt: skip
    return render(request, "analysis/upload.html", context)


def _results(request, slug: str):
    """The results at the threshold asked for, and the problem with it (the default is used
    while the field says what is wrong)."""
    framework = framework_tree(user=request.user, slug=slug)
    asked = request.GET.get("threshold", "")
    try:
        threshold, problem = selectors.threshold_of(asked), None
    except InvalidInput as error:
        threshold, problem = selectors.DEFAULT_THRESHOLD, error.problems[0]
    results = selectors.results_for(framework=framework, user=request.user, threshold=threshold)
    return framework, results, asked, problem


@require_GET
def results_page(request, slug: str):
    framework, results, asked, problem = _results(request, slug)
    context = {
        "framework": framework,
        "results": results,
        "asked": asked if asked else f"{results.threshold:g}",
        "problem": problem,
        "query": f"?threshold={results.threshold:g}",
    }
    return render(request, "analysis/results.html", context, status=422 if problem else 200)


@require_GET
def gap_report(request, slug: str):
    framework, results, asked, problem = _results(request, slug)
    if problem:
        where = reverse("analysis:results", args=[slug])
        return redirect(f"{where}?{urlencode({'threshold': asked})}")
    return attachment(reports.gap_xlsx(results), reports.CONTENT_TYPE, reports.filename(results))
