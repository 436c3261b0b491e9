"""The review schedule of a model, and the dashboard of reviews due for the models one edits."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from cmc.core.errors import InvalidInput
from cmc.frameworks.selectors import may_edit, visible_framework

from ..selectors import schedule as selectors
from ..services import schedule as services


@login_required
@require_GET
def dashboard(request):
    rows = selectors.dashboard(user=request.user)
    return render(request, "review/dashboard.html", {"rows": rows})


def _number(text: str):
    return int(text) if (text or "").strip().isdigit() else text


@login_required
@require_http_methods(["GET", "POST"])
def schedule_page(request, slug: str):
    framework = visible_framework(user=request.user, slug=slug, whole=True)
    if not may_edit(framework=framework, actor=request.user):
        raise PermissionDenied("Only the model's editors change its review schedule.")
    problems = []
    if request.method == "POST":
        data = request.POST
        try:
            if data.get("record"):
                services.record_review(
                    framework=framework,
                    actor=request.user,
                    kind=data["record"],
                    note=data.get("note", ""),
                )
            else:
                services.set_schedule(
                    framework=framework, actor=request.user,
                    informal_months=_number(data.get("informal_months", "")),
                    formal_months=_number(data.get("formal_months", "")),
                )  # fmt: skip
        except InvalidInput as error:
            problems = error.problems
        else:
            messages.success(request, "The review schedule is updated.")
            return redirect("review:schedule", slug=slug)
    context = {
        "framework": framework,
        "months": selectors.months_of(framework),
        "dues": selectors.due_dates(framework),
        "problems": problems,
    }
    return render(request, "review/schedule.html", context, status=422 if problems else 200)
