"""The survey page's invitees: inviting more people to an open survey and sending one of them
a new personal link; the new links are shown once, as when the survey opened."""

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cmc.core.errors import Conflict, InvalidInput

from ..selectors import surveys as selectors
from ..services import survey_invitations as services
from .survey_forms import invitees_of_form
from .surveys import results_context


def _survey(request, survey_id: int):
    return selectors.editable_survey(user=request.user, survey_id=survey_id)


def _refused(request, survey, error, typed: str = ""):
    """The survey's page again, with the reason beside the invitation form."""
    if isinstance(error, InvalidInput):
        context = results_context(request, survey, problems=error.problems, typed=typed)
        return render(request, "review/surveys/results.html", context, status=422)
    context = results_context(request, survey, refused=str(error), typed=typed)
    return render(request, "review/surveys/results.html", context, status=409)


def _links_page(request, survey, links, *, renewed: bool):
    context = {"framework": survey.framework, "survey": survey, "links": links,
               "renewed": renewed}  # fmt: skip
    return render(request, "review/surveys/invited.html", context, status=201)


@require_POST
def survey_invite(request, survey_id: int):
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("review:survey_results", args=[survey_id]))
    survey = _survey(request, survey_id)
    typed = request.POST.get("invite", "")
    try:
        links = services.invite(
            survey=survey, actor=request.user, invitees=invitees_of_form(request.POST)
        )
    except (InvalidInput, Conflict) as error:
        return _refused(request, survey, error, typed)
    return _links_page(request, survey, links, renewed=False)


@require_POST
def survey_resend(request, survey_id: int, invitation_id: int):
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("review:survey_results", args=[survey_id]))
    survey = _survey(request, survey_id)
    invitation = selectors.survey_invitation(survey, pk=invitation_id)
    try:
        links = services.renew_links(survey=survey, invitations=[invitation], actor=request.user)
    except (InvalidInput, Conflict) as error:
        return _refused(request, survey, error)
    return _links_page(request, survey, links, renewed=True)
