"""Endorsement pages: the public list of endorsed credentials; for a body's members its
criteria, its reviews, and each review's scores, decision and history."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cmc.core.errors import Conflict, InvalidInput, Problem
from cmc.frameworks import selectors as framework_selectors

from .. import selectors, services
from ..forms import CriterionForm, DecisionForm, ScoreForm
from .common import record


@require_GET
def endorsement_index(request):
    """Every visible framework with endorsed credentials, each credential with why."""
    context = {
        "groups": selectors.endorsed_by_framework(reader=request.user),
        "bodies": selectors.bodies_of(user=request.user),
    }
    return render(request, "credentials/endorsements.html", context)


def _body_context(request, body, **extra) -> dict:
    return {
        "body": body,
        "criteria": selectors.criteria_of(body=body),
        "reviews": selectors.reviews_of(body=body),
        "runner": selectors.is_runner(body=body, user=request.user),
        "credentials": selectors.credential_choices(user=request.user),
        "frameworks": framework_selectors.framework_list(
            user=request.user, filters=framework_selectors.FrameworkFilters()
        ).only("slug", "name"),
        "criterion_form": CriterionForm(),
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def body_page(request, slug: str):
    """A body's criteria (its owners and editors change them) and its reviews."""
    body = selectors.body_for_member(user=request.user, slug=slug)
    if request.method == "GET":
        return render(request, "credentials/body.html", _body_context(request, body))
    action = request.POST.get("action", "")
    form, summary = CriterionForm(request.POST), []
    try:
        if action == "defaults":
            services.ensure_default_criteria(actor=request.user, body=body)
        elif action == "add-criterion":
            services.add_criterion(actor=request.user, body=body, **form.data_for_service())
        elif action == "remove-criterion":
            criterion = selectors.criterion_of(body=body, pk=record(request.POST.get("criterion")))
            services.remove_criterion(actor=request.user, criterion=criterion)
        elif action == "open-review":
            review = _open(request, body)
            return redirect(review.get_absolute_url())
        else:
            raise Http404("No such action.")
    except (InvalidInput, Conflict) as error:
        problems = getattr(error, "problems", [Problem("criterion", "criterion", str(error))])
        summary = form.show(problems)
        context = _body_context(request, body, criterion_form=form, summary=summary)
        return render(request, "credentials/body.html", context, status=422)
    messages.success(request, "Saved.")
    return redirect("credentials:body", slug=slug)


def _open(request, body):
    problems = []
    credential = framework = None
    try:
        credential = selectors.visible_credential(
            user=request.user, slug=request.POST.get("credential", "")
        )
    except Http404:
        problems.append(Problem("review", "credential", "choose a credential you can see"))
    try:
        framework = framework_selectors.visible_framework(
            user=request.user, slug=request.POST.get("framework", ""), whole=True
        )
    except Http404:
        problems.append(Problem("review", "framework", "choose a framework you can see"))
    if problems:
        raise InvalidInput(problems)
    return services.open_review(
        actor=request.user, body=body, credential=credential, framework=framework
    )


def _review(request, identifier: str):
    try:
        wanted = uuid.UUID(identifier)
    except ValueError:
        raise Http404("No such review.") from None
    return selectors.review_for_member(user=request.user, identifier=wanted)


def _review_context(request, review, **extra) -> dict:
    return {
        "sheet": selectors.review_sheet(review=review),
        "review": review,
        "runner": selectors.is_runner(body=review.body, user=request.user),
        "score_form": ScoreForm(),
        "decision_form": DecisionForm(
            initial={"decision": review.decision, "summary": review.summary}
        ),  # fmt: skip
        **extra,
    }


@login_required
@require_GET
def review_page(request, identifier: str):
    review = _review(request, identifier)
    return render(request, "credentials/review.html", _review_context(request, review))


@login_required
@require_POST
def review_score(request, identifier: str):
    review = _review(request, identifier)
    form = ScoreForm(request.POST)
    criterion = selectors.criterion_of(body=review.body, pk=record(request.POST.get("criterion")))
    try:
        services.score(actor=request.user, review=review, criterion=criterion,
                       **form.data_for_service())  # fmt: skip
    except InvalidInput as error:
        context = _review_context(request, review, score_form=form,
                                  summary=form.show(error.problems),
                                  scoring=criterion.pk)  # fmt: skip
        return render(request, "credentials/review.html", context, status=422)
    messages.success(request, f"Your score of “{criterion.name}” was recorded.")
    return redirect(review.get_absolute_url())


@login_required
@require_POST
def review_decide(request, identifier: str):
    review = _review(request, identifier)
    if not selectors.is_runner(body=review.body, user=request.user):
        raise PermissionDenied(f"Only the owners and editors of {review.body.name} decide.")
    form = DecisionForm(request.POST)
    try:
        services.decide(actor=request.user, review=review, **form.data_for_service())
    except InvalidInput as error:
        context = _review_context(request, review, decision_form=form,
                                  summary=form.show(error.problems))  # fmt: skip
        return render(request, "credentials/review.html", context, status=422)
    messages.success(request, "The decision was recorded.")
    return redirect(review.get_absolute_url())
