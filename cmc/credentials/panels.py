"""What the credentials app shows on a framework's pages (see cmc.frameworks.panels): the
credentials aligned to a competency, the endorsed credentials of a framework with why, and
links to the credentials aligned to it and the pathways laid on it."""

from django.template.loader import render_to_string

from . import selectors


def competency_panel(request, framework, competency) -> str:
    rows = selectors.credentials_aligned_to(
        framework=framework, competency=competency, reader=request.user
    )
    if not rows:
        return ""
    return render_to_string(
        "credentials/_competency_panel.html", {"rows": rows, "competency": competency}, request
    )


def framework_panel(request, framework, competency=None) -> str:
    # One query when nothing is endorsed: the page's cost stays the same at any size.
    endorsed = selectors.endorsed_for_framework(framework=framework, reader=request.user)
    if not endorsed:
        return ""
    context = {"endorsed": endorsed, "framework": framework}
    return render_to_string("credentials/_framework_panel.html", context, request)


def tools_link(request, framework, competency=None) -> str:
    return render_to_string("credentials/_tools_link.html", {"framework": framework}, request)
