"""The editor's pages for review rounds: open one, follow it, close it, refine the model from
its proposals, and download its report."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cmc.core.errors import Conflict, InvalidInput, Problem
from cmc.core.http import attachment
from cmc.frameworks.selectors import version_numbers

from .. import reports
from ..selectors import rounds as selectors
from ..services import refinement
from ..services import rounds as services


def _emails(text: str) -> list[str]:
    return [e for e in text.replace(",", "\n").replace(";", "\n").split() if e.strip()]


def _date(text: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            [Problem("round", "deadline", f"'{text}' is not a date (YYYY-MM-DD)")]
        ) from None


@login_required
@require_http_methods(["GET", "POST"])
def rounds_page(request, slug: str):
    framework, rounds = selectors.rounds_of(user=request.user, slug=slug)
    problems, opened, form = [], None, request.POST
    if request.method == "POST":
        try:
            opened = services.open_round(
                framework=framework, actor=request.user,
                reviewers=_emails(form.get("reviewers", "")),
                version=int(form["version"]) if form.get("version", "").isdigit() else None,
                deadline=_date(form.get("deadline", "")), title=form.get("title", ""),
                message=form.get("message", ""),
            )  # fmt: skip
        except InvalidInput as error:
            problems = error.problems
    if opened:
        return render(
            request,
            "review/round_opened.html",
            {"framework": framework, "opened": opened},
            status=201,
        )
    context = {
        "framework": framework,
        "rounds": rounds,
        "versions": sorted(version_numbers(framework), reverse=True),
        "problems": problems,
        "form": form,
    }
    return render(request, "review/rounds.html", context, status=422 if problems else 200)


@login_required
@require_GET
def round_page(request, pk: int):
    review_round = selectors.editable_round(user=request.user, pk=pk)
    context = {
        "round": review_round,
        "framework": review_round.framework,
        "summary": selectors.round_summary(review_round),
    }
    return render(request, "review/round.html", context)


@login_required
@require_POST
def round_close(request, pk: int):
    review_round = selectors.editable_round(user=request.user, pk=pk)
    try:
        services.close_round(
            review_round=review_round, actor=request.user, note=request.POST.get("note", "")
        )
    except Conflict as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            "The round is closed. Reviewers now see everyone's input; refine the model from the proposals.",
        )
    return redirect("review:round", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def refine_page(request, pk: int):
    review_round = selectors.editable_round(user=request.user, pk=pk)
    problems, conflict = [], ""
    if request.method == "POST":
        data = request.POST
        try:
            refinement.resolve(
                review_round=review_round, actor=request.user, decision=data.get("decision", ""),
                proposals=data.getlist("proposal"), title=data.get("title", ""),
                text=data.get("text", ""), reason=data.get("reason", ""),
            )  # fmt: skip
        except InvalidInput as error:
            problems = error.problems
        except Conflict as error:
            conflict = str(error)
        else:
            messages.success(request, "Resolved and recorded.")
            return redirect(f"{request.path}#item-{data.get('item', '')}")
    context = {
        "round": review_round,
        "framework": review_round.framework,
        "groups": selectors.proposals_by_item(review_round),
        "problems": problems,
        "conflict": conflict,
    }
    status = 422 if problems else 409 if conflict else 200
    return render(request, "review/refine.html", context, status=status)


@login_required
@require_GET
def round_report(request, pk: int, fmt: str):
    if fmt not in reports.CONTENT_TYPES:
        raise Http404("The report comes as pdf or xlsx.")
    review_round = selectors.editable_round(user=request.user, pk=pk)
    data = reports.render(review_round, fmt)
    return attachment(data, reports.CONTENT_TYPES[fmt], reports.filename(review_round, fmt))
