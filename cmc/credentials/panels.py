"""What the credentials app shows on a framework's pages (see cmc.frameworks.panels): the
credentials aligned to a competency, the endorsed credentials of a framework with why, and
the pathways laid on it."""

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
    endorsed = selectors.endorsed_for_framework(framework=framework, reader=request.user)
    pathways = list(selectors.pathway_list(user=request.user, framework=framework.slug))
    if not endorsed and not pathways:
        return ""
    context = {"endorsed": endorsed, "pathways": pathways, "framework": framework}
    return render_to_string("credentials/_framework_panel.html", context, request)


def tools_link(request, framework, competency=None) -> str:
    return render_to_string("credentials/_tools_link.html", {"framework": framework}, request)
