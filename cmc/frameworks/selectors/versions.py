"""Reads of published versions: the latest, one by number, and a version as a loaded tree."""

from django.http import Http404

from cmc.core.actors import SYSTEM

from .. import snapshots
from ..models import Framework, FrameworkVersion
from .frameworks import framework_tree, visible_framework
from .trees import tree_of


def latest_version(framework: Framework) -> FrameworkVersion | None:
    """The framework's latest published version, or None."""
    return framework.versions.order_by("-number").first()


def find_version(framework: Framework, number: int | str) -> FrameworkVersion:
    """The framework's version `number` (a number, or its digits), or 404."""
    found = None
    if str(number).isdigit() and int(number) < 2**31:
        found = FrameworkVersion.objects.filter(framework_id=framework.pk, number=int(number))
        found = found.first()
    if found is None:
        raise Http404(f"{framework.name} has no version {number}.")
    return found


def version_numbers(framework: Framework) -> list[int]:
    """The numbers of the framework's published versions, in order."""
    return sorted(framework.versions.values_list("number", flat=True))


def visible_version(*, user, slug: str, number: int) -> tuple[Framework, FrameworkVersion]:
    """A published version of a framework the user may see (a light framework, as
    visible_framework gives)."""
    framework = visible_framework(user=user, slug=slug)
    return framework, find_version(framework, number)


def document_with_lineage(framework: Framework) -> dict:
    """The framework as it is now in the document form versions are frozen in, each
    competency and behavior carrying its lineage."""
    loaded = framework_tree(user=SYSTEM, slug=framework.slug)
    return snapshots.to_dict(tree_of(loaded, reader=SYSTEM), lineage=True)
