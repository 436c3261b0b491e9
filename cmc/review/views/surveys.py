"""Pages of validation surveys: a model's surveys and opening one (editors), the results with
their charts and files, closing, and the respondent's page behind their personal link."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cmc.core.errors import Conflict, InvalidInput, Problem
from cmc.core.http import attachment
from cmc.frameworks.selectors import (
    editable_framework,
    may_edit,
    version_numbers,
)

from .. import survey_files
from ..selectors import survey_results as results_selectors
from ..selectors import surveys as selectors
from ..services import surveys as services
from .survey_forms import (
    FREQUENCY,
    IMPORTANCE,
    open_form_values,
    parse_open_form,
    parse_response_form,
    steps_of,
)


@require_http_methods(["GET", "POST"])
def surveys_page(request, slug: str):
    """A model's surveys, and the form that opens one (its editors only)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    framework = editable_framework(user=request.user, slug=slug)
    problems, values = [], open_form_values(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        try:
            survey, links = services.open_survey(
                framework=framework, actor=request.user, **parse_open_form(request.POST)
            )
        except InvalidInput as error:
            problems = error.problems
        else:
            context = {"framework": framework, "survey": survey, "links": links}
            return render(request, "review/surveys/opened.html", context, status=201)
    context = {
        "framework": framework,
        "surveys": selectors.surveys_of(framework=framework, user=request.user),
        "versions": version_numbers(framework),
        "values": values,
        "problems": problems,
        "group_fields": [(k, label, values[k]) for k, label in selectors.GROUP_KINDS.items()],
    }
    return render(request, "review/surveys/list.html", context, status=422 if problems else 200)


def _editable_survey(request, survey_id: int):
    return selectors.editable_survey(user=request.user, survey_id=survey_id)


@require_GET
def survey_results_page(request, survey_id: int):
    """Tables and charts of the results, filtered by respondent group."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    survey = _editable_survey(request, survey_id)
    return render(request, "review/surveys/results.html", results_context(request, survey))


def results_context(request, survey, **invitations) -> dict:
    """What the survey's page shows: its results filtered by respondent group, and its
    invitees with the forms that invite more and send new links (`invitations` carries
    their problems, a refusal and the typed addresses when one was refused)."""
    filters = {kind: request.GET.get(kind, "") for kind in selectors.GROUP_KINDS}
    results = results_selectors.survey_results(survey, filters=filters)
    competencies = {item.identifier: item for item in results.competencies}
    sections = [
        (competencies[identifier], [b for b in results.behaviors if b.competency_code == code])
        for identifier, code in _competency_order(results)
    ]
    context = {
        "framework": survey.framework,
        "survey": survey,
        "results": results,
        "sections": sections,
        "filter_fields": [
            (kind, selectors.GROUP_KINDS[kind], choices, filters.get(kind, ""))
            for kind, choices in survey.asked.items()
        ],
        "filtered": query_string(request),
        "invitees": selectors.invitations_of(survey),
        "takes_people": not survey.closed_at and survey.deadline > timezone.now(),
        "invite_problems": invitations.get("problems", []),
        "invite_refused": invitations.get("refused", ""),
        "invite_typed": invitations.get("typed", ""),
    }
    return context


def _competency_order(results) -> list:
    return [(item.identifier, item.competency_code) for item in results.competencies]


def query_string(request) -> str:
    """The group filters of the page, to carry to its downloads."""
    kept = request.GET.copy()
    for name in list(kept):
        if name not in selectors.GROUP_KINDS:
            del kept[name]
    return kept.urlencode()


@require_GET
def survey_download(request, survey_id: int, fmt: str):
    if fmt not in survey_files.CONTENT_TYPES:
        raise Http404("No such download: results.json, results.xlsx or results.csv.")
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    survey = _editable_survey(request, survey_id)
    filters = {kind: request.GET.get(kind, "") for kind in selectors.GROUP_KINDS}
    results = results_selectors.survey_results(survey, filters=filters)
    return attachment(
        survey_files.render(results, fmt),
        survey_files.CONTENT_TYPES[fmt],
        survey_files.filename(results, fmt),
    )


@require_POST
def survey_close(request, survey_id: int):
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("review:survey_results", args=[survey_id]))
    survey = _editable_survey(request, survey_id)
    try:
        services.close_survey(survey=survey, actor=request.user)
    except Conflict as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The survey is closed; its links take no more answers.")
    return redirect("review:survey_results", survey_id=survey.pk)


@require_http_methods(["GET", "POST"])
def survey_respond(request, token: str):
    """The respondent's page: about you, then the model tier by tier, then submit."""
    try:
        state = selectors.link_state(token)
    except Http404:  # the respondent has no account: say plainly what is wrong with the link
        context = {"message": selectors.BAD_LINK}
        return render(request, "review/surveys/bad_link.html", context, status=404)
    steps = steps_of(state.invitation.survey)
    step = _step(request, len(steps))
    problems: list[Problem] = []
    saved = None
    if request.method == "POST" and not state.refusal:
        go = request.POST.get("go", "save")
        try:
            services.save_response(
                token=token, submit=go == "submit", **parse_response_form(request.POST, steps[step])
            )
        except InvalidInput as error:
            problems = error.problems
            if request.htmx:  # shown in the form's status line, which HTMX swaps
                return render(request, "review/surveys/_problems.html", {"problems": problems})
        except Conflict as error:
            messages.error(request, str(error))
            return _respond_redirect(request, token, step)
        else:
            if go in ("next", "back", "submit"):
                target = step + {"next": 1, "back": -1, "submit": 0}[go]
                return _respond_redirect(request, token, max(0, min(target, len(steps) - 1)))
            saved = timezone.localtime()
            if request.htmx:
                return render(request, "review/surveys/_saved.html", {"moment": saved})
        state = selectors.link_state(token)
    return _respond_page(request, state, steps, step, problems, saved)


def _respond_page(request, state, steps, step, problems, saved):
    answers = selectors.ratings_of(state.response)
    context = {
        "survey": state.invitation.survey, "state": state, "steps": steps, "step": step,
        "current": steps[step], "answers": answers, "problems": problems, "saved": saved,
        "group": state.response.group if state.response else {},
        "importance_scale": IMPORTANCE, "frequency_scale": FREQUENCY,
        "rated": sum(1 for a in answers.values() if a["importance"] is not None),
        "total": sum(len(s.items) for s in steps),
    }  # fmt: skip
    status = 422 if problems else 200
    return render(request, "review/surveys/respond.html", context, status=status)


def _step(request, count: int) -> int:
    raw = request.POST.get("step") if request.method == "POST" else request.GET.get("step")
    number = int(raw) if raw and raw.isdigit() else 0
    return min(number, count - 1)


def _respond_redirect(request, token: str, step: int):
    url = reverse("review:survey_respond", kwargs={"token": token}) + f"?step={step}"
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def framework_panel(request, framework, competency=None) -> str:
    """Under a framework's tree: what its latest closed survey validated, if any."""
    statement = selectors.validated_statement(framework)
    if not statement:
        return ""
    return render_to_string("review/surveys/_panel.html", {"statement": statement}, request)


def tools_link(request, framework, competency=None) -> str:
    """In "This model": the surveys, for those who may edit the model."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not may_edit(framework=framework, actor=user):
        return ""
    url = reverse("review:surveys", kwargs={"slug": framework.slug})
    return render_to_string("review/surveys/_tool.html", {"url": url}, request)
