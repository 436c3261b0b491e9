"""What the review app shows on a framework's pages (see cmc.frameworks.panels): the
development process for its editors, "validated with N employers" for everyone once a
publication records it, and "Suggest a change" beside a competency and each key behavior."""

from datetime import datetime

from django.template.loader import render_to_string

from cmc.frameworks import panels
from cmc.frameworks.selectors import may_edit

from .selectors import process


def _editor(request, framework) -> bool:
    return request.user.is_authenticated and may_edit(framework=framework, actor=request.user)


def framework_panel(request, framework, competency=None) -> str:
    publication = process.latest_publication(framework)
    validation = publication.validation if publication else {}
    steps = process.process_steps(framework) if _editor(request, framework) else None
    if not steps and not validation.get("employers"):
        return ""
    when = validation.get("when")
    context = {"framework": framework, "steps": steps, "validation": validation,
               "publication": publication,
               "validated_on": datetime.fromisoformat(when).date() if when else None}  # fmt: skip
    return render_to_string("review/panels/framework.html", context, request)


def tools_panel(request, framework, competency=None) -> str:
    editor = _editor(request, framework)
    approver = process.is_approver(framework=framework, user=request.user)
    if not (editor or approver):
        return ""
    return render_to_string(
        "review/panels/tools.html", {"framework": framework, "editor": editor}, request
    )  # noqa: E501


def competency_panel(request, framework, competency=None) -> str:
    if competency is None:
        return ""
    context = {"framework": framework, "competency": competency}
    return render_to_string("review/panels/competency.html", context, request)


def register() -> None:
    panels.register("framework", "review", framework_panel, order=40)
    panels.register("tools", "review", tools_panel, order=40)
    panels.register("competency", "review", competency_panel, order=90)
