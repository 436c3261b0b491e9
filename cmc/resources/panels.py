"""What resources show on a framework's pages: the resources aligned to a competency, under
its key behaviors, and a short list of those aligned to the framework, with a link to all of
them in the search."""

from django.template.loader import render_to_string

from cmc.frameworks import panels

from . import selectors

FRAMEWORK_LIST = 5


def competency_panel(request, framework, competency) -> str:
    if competency is None:
        return ""
    found = selectors.aligned_resources(
        user=request.user, framework=framework, competency=competency
    )
    if not found:
        return ""
    return render_to_string(
        "resources/_competency_panel.html",
        {"resources": found, "competency": competency, "framework": framework},
    )


def framework_panel(request, framework, competency=None) -> str:
    # One more than is shown: whether to say there are more, without counting them all.
    found = selectors.aligned_resources(
        user=request.user, framework=framework, limit=FRAMEWORK_LIST + 1
    )
    if not found:
        return ""
    return render_to_string(
        "resources/_framework_panel.html",
        {
            "resources": found[:FRAMEWORK_LIST],
            "more": len(found) > FRAMEWORK_LIST,
            "framework": framework,
        },
    )


def register_panels() -> None:
    panels.register("competency", "resources", competency_panel, order=30)
    panels.register("framework", "resources", framework_panel, order=30)
