"""A reviewer's pages, opened by their personal link (no account): the model tier by tier,
a mark on any competency or key behavior, saved as they go (HTMX, or a plain form post)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from cmc.core.errors import Conflict, InvalidInput

from ..selectors import rounds as selectors
from ..services import rounds as services


def _reviewer(token: str):
    return selectors.reviewer_by_token(token)


@require_GET
def review_start(request, token: str):
    reviewer = _reviewer(token)
    tree = selectors.round_tree(reviewer.round)
    context = {
        "token": token,
        "reviewer": reviewer,
        "round": reviewer.round,
        "state": selectors.link_state(reviewer),
        "expires": selectors.link_expires(reviewer.round),
        "progress": selectors.reviewer_progress(reviewer, tree),
        "tree": tree,
    }
    response = render(request, "review/review_start.html", context)
    response["Referrer-Policy"] = "no-referrer"  # the link's secret stays out of other sites' logs
    return response


@require_GET
def review_tier(request, token: str, number: int):
    reviewer = _reviewer(token)
    context = {
        "token": token,
        "reviewer": reviewer,
        "round": reviewer.round,
        "state": selectors.link_state(reviewer),
        **selectors.review_tier(reviewer, number),
    }
    response = render(request, "review/review_tier.html", context)
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_POST
def review_save(request, token: str):
    """Save a mark or an addition; HTMX gets the item's fragment back, a plain post goes back
    to the item on its tier page."""
    reviewer = _reviewer(token)
    data = request.POST
    item, tier = data.get("item", ""), data.get("tier", "")
    problems, conflict = [], ""
    try:
        if data.get("withdraw"):
            services.withdraw_proposal(reviewer=reviewer, proposal=data["withdraw"])
        else:
            services.save_proposal(
                reviewer=reviewer, item=item, action=data.get("action", ""),
                title=data.get("title", ""), text=data.get("text", ""),
                comment=data.get("comment", ""), proposal=data.get("proposal") or None,
            )  # fmt: skip
    except InvalidInput as error:
        problems = error.problems
    except Conflict as error:
        conflict = str(error)
    if request.htmx and not conflict:
        return _fragment(request, token, reviewer, item, data.get("part", "mark"), problems)
    if problems or conflict:
        for text in [str(p) for p in problems] + ([conflict] if conflict else []):
            messages.error(request, f"Not saved: {text}")
    elif not request.htmx:
        messages.success(request, "Saved.")
    url = reverse("review:review_tier", kwargs={"token": token, "number": tier or 1})
    return redirect(f"{url}#item-{item}") if not request.htmx else _refresh(url)


def _refresh(url: str):
    from django.http import HttpResponse

    response = HttpResponse(status=204)
    response["HX-Redirect"] = url
    return response


def _fragment(request, token, reviewer, item, part, problems):
    try:
        entry = selectors.item_entry(reviewer, item)
    except (ValueError, KeyError):
        entry = None
    if entry is None:
        return render(request, "review/_problems.html", {"problems": problems}, status=422)
    template = "review/_adds.html" if part == "adds" else "review/_mark.html"
    context = {"token": token, "entry": entry, "state": "open", "problems": problems,
               "tier_number": entry["item"].tier}  # fmt: skip
    return render(request, template, context, status=422 if problems else 200)


@require_POST
def review_finish(request, token: str):
    reviewer = _reviewer(token)
    try:
        services.finish_review(reviewer=reviewer)
    except Conflict as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            "Thank you: your review is marked as finished. You may still change it until the round closes.",
        )
    return redirect("review:review_start", token=token)
