"""“Suggest a change” on a public model's competencies and key behaviors, following one's
suggestion, and the editors' triage queue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cmc.accounts.addresses import client_address
from cmc.core.errors import Conflict, InvalidInput
from cmc.frameworks.selectors import visible_framework

from ..links import absolute
from ..selectors import suggestions as selectors
from ..services import suggestions as services


@require_http_methods(["GET", "POST"])
def suggest_page(request, slug: str, item):
    framework = visible_framework(user=request.user, slug=slug, whole=True)
    found = selectors.target(framework, item)
    problems, limited, data = [], "", request.POST
    refused = selectors.why_no_suggestions(framework)
    if refused:
        context = {"framework": framework, "target": found, "refused": refused, "form": {}}
        return render(request, "review/suggest.html", context, status=409)
    if request.method == "POST":
        try:
            made = services.suggest(
                framework=framework, actor=request.user, item=found.identifier,
                action=data.get("action", ""), title=data.get("title", ""),
                text=data.get("text", ""), comment=data.get("comment", ""),
                name=data.get("name", ""), email=data.get("email", ""),
                address=client_address(request),
            )  # fmt: skip
        except InvalidInput as error:
            problems = error.problems
        except services.RateLimited as error:
            limited = str(error)
        else:
            return _made(request, framework, made)
    context = {"framework": framework, "target": found, "problems": problems,
               "limited": limited, "form": data}  # fmt: skip
    status = 429 if limited else 422 if problems else 200
    return render(request, "review/suggest.html", context, status=status)


def _made(request, framework, made):
    if not made.token:
        messages.success(request, "Thank you: your suggestion went to the model's editors.")
        return redirect("review:suggestion_mine", identifier=made.suggestion.identifier)
    link = absolute(reverse("review:suggestion_follow", kwargs={"token": made.token}))
    context = {"framework": framework, "suggestion": made.suggestion, "link": link}
    return render(request, "review/suggestion_made.html", context, status=201)


@require_GET
def suggestion_follow(request, token: str):
    suggestion = selectors.followed(token=token)
    response = render(request, "review/suggestion.html", {"suggestion": suggestion})
    response["Referrer-Policy"] = "no-referrer"
    return response


@login_required
@require_GET
def suggestion_mine(request, identifier):
    suggestion = selectors.followed(user=request.user, identifier=identifier)
    return render(request, "review/suggestion.html", {"suggestion": suggestion})


@login_required
@require_GET
def my_suggestions(request):
    return render(
        request, "review/my_suggestions.html", {"suggestions": selectors.mine(request.user)}
    )


@login_required
@require_GET
def triage_page(request, slug: str):
    framework, grouped = selectors.triage(user=request.user, slug=slug)
    return render(request, "review/triage.html", {"framework": framework, "grouped": grouped})


@login_required
@require_POST
def suggestion_decide(request, identifier):
    suggestion = selectors.editable_suggestion(user=request.user, identifier=identifier)
    op, data = request.POST.get("op", ""), request.POST
    try:
        if op in {"allow", "remove"}:
            services.moderate(suggestion=suggestion, actor=request.user, allow=op == "allow")
        elif op == "accept":
            services.accept_suggestion(suggestion=suggestion, actor=request.user)
        elif op == "decline":
            services.decline_suggestion(
                suggestion=suggestion, actor=request.user, reason=data.get("reason", "")
            )
        else:
            services.reply(suggestion=suggestion, actor=request.user, text=data.get("text", ""))
    except InvalidInput as error:
        for problem in error.problems:
            messages.error(request, f"Nothing was changed: {problem}")
    except Conflict as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Done.")
    url = reverse("review:triage", kwargs={"slug": suggestion.framework.slug})
    return redirect(f"{url}#s-{suggestion.identifier}")
