"""What the review app shows on a framework's pages (see cmc.frameworks.panels): the
development process for its editors, "validated with N employers" for everyone once a
publication records it, and "Suggest a change" beside a competency and each key behavior."""

from datetime import datetime
from functools import lru_cache

from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html

from cmc.frameworks import panels

from .selectors import approvals, process
from .selectors.suggestions import takes_suggestions
from .selectors.validation import SITE_SURVEY


def _roles(request, framework) -> tuple[bool, bool]:
    """Whether the visitor edits the framework, and whether they approve it: one query for
    both, once per request; none for a visitor who is not signed in."""
    if not request.user.is_authenticated:
        return False, False
    memo = request.__dict__.setdefault("_review_roles", {})
    if framework.pk not in memo:
        memo[framework.pk] = approvals.roles(framework=framework, user=request.user)
    return memo[framework.pk]


def _published(framework) -> dict:
    """What the last publication through the process recorded (its version number and the
    validation), kept in the cache under the panels' stamp: a publication changes the stamp."""
    key = f"review-published:{framework.pk}:{panels.stamp(framework)}"
    found = cache.get(key)
    if found is None:
        publication = approvals.latest_publication(framework)
        found = (
            {"version": publication.version.number, "validation": publication.validation}
            if publication
            else {}
        )
        cache.set(key, found, 24 * 3600)
    return found


def framework_panel(request, framework, competency=None) -> str:
    published = _published(framework)
    validation = published.get("validation", {})
    steps = process.process_steps(framework) if _roles(request, framework)[0] else None
    when = validation.get("when")
    context = {"framework": framework, "steps": steps, "validation": validation,
               "version": published.get("version"),
               "from_survey": str(validation.get("reference") or "").startswith(SITE_SURVEY),
               "validated_on": datetime.fromisoformat(when).date() if when else None}  # fmt: skip
    return render_to_string("review/panels/framework.html", context, request)


def tools_panel(request, framework, competency=None) -> str:
    editor, approver = _roles(request, framework)
    if not (editor or approver):
        return ""
    return render_to_string(
        "review/panels/tools.html", {"framework": framework, "editor": editor}, request
    )


def competency_panel(request, framework, competency=None) -> str:
    if competency is None or not takes_suggestions(framework):
        return ""
    context = {"framework": framework, "competency": competency}
    return render_to_string("review/panels/competency.html", context, request)


_PLACEHOLDER = "00000000-0000-0000-0000-000000000000"


@lru_cache(maxsize=256)
def _suggest_url(slug: str) -> str:
    """The suggestion form's address for a model, with a placeholder for the item: reversed
    once per model, not once per item of a page that may list thousands."""
    return reverse("review:suggest", kwargs={"slug": slug, "item": _PLACEHOLDER})


def suggest_link(framework, kind: str, item) -> str:
    """ "Suggest a change" beside a competency or key behavior of a model that takes
    suggestions, to the form for that item; the item's name is there for screen readers. Built
    from the row the page loaded (no query), the same for every reader."""
    if not takes_suggestions(framework):
        return ""
    url = _suggest_url(framework.slug).replace(_PLACEHOLDER, str(item.identifier))
    if kind == "competency":
        name = f"the competency {item.code} {item.name}"
    else:
        said = f"{item.title}: {item.text}" if item.title else item.text
        # Cut at 80 characters (Truncator would weigh every character, for every item).
        name = f"the key behavior “{said if len(said) <= 80 else said[:79].rstrip() + '…'}”"
    return format_html(
        '<a class="suggest-link" href="{}">Suggest a change<span class="visually-hidden"> to {}'
        "</span></a>",
        url,
        name,
    )


def register() -> None:
    panels.register("framework", "review", framework_panel, order=40)
    panels.register("tools", "review", tools_panel, order=40)
    panels.register("competency", "review", competency_panel, order=90)
    panels.register_item("suggest", suggest_link, order=50)
