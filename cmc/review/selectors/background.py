"""The background information of a model (step 1 of the process): the documents, links,
models and O*NET occupations it draws on, and the models one may pick from."""

from django.http import Http404

from cmc.frameworks.models import Framework

from ..models import BackgroundItem
from .approvals import require_process_reader


def background_items(framework: Framework) -> list[BackgroundItem]:
    """The framework's background items, without the documents' content."""
    return list(framework.background_items.select_related("added_by", "model").defer("content"))


def background_item(framework: Framework, identifier) -> BackgroundItem:
    """One background item of the framework (without a document's content), or 404."""
    item = framework.background_items.defer("content").filter(identifier=identifier).first()
    if item is None:
        raise Http404("No such background item.")
    return item


def background_document(*, user, framework: Framework, identifier) -> BackgroundItem:
    """A document attached to a framework the user may edit, with its content; 404 if none."""
    require_process_reader(framework=framework, user=user)
    item = framework.background_items.filter(
        identifier=identifier, kind=BackgroundItem.Kind.DOCUMENT
    ).first()
    if item is None:
        raise Http404("No such document.")
    return item


def models_to_draw_on(*, user, exclude: Framework) -> list[Framework]:
    """The models the user may see, to pick one as background (its name and slug only)."""
    return list(
        Framework.objects.visible_to(user)
        .exclude(pk=exclude.pk)
        .only("slug", "name")
        .order_by("name")
    )
