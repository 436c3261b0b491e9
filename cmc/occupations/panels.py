"""The section the occupations app adds to a framework's page: the occupations it names."""

from django.template.loader import render_to_string

from cmc.frameworks import panels
from cmc.frameworks.selectors import may_edit

from . import selectors


def framework_section(request, framework, competency=None) -> str:
    """The occupations the framework names (nothing for a model that names none and that the
    reader may not change)."""
    links = selectors.occupations_of(framework=framework)
    editable = request.user.is_authenticated and may_edit(framework=framework, actor=request.user)
    if not links and not editable:
        return ""
    return render_to_string(
        "occupations/_panel.html",
        {"framework": framework, "links": links, "editable": editable},
        request=request,
    )


def register() -> None:
    panels.register("framework", "occupations", framework_section, order=20)
