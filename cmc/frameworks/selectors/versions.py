"""Reads of published versions: the latest, one by number, and a version as a loaded tree."""

from django.db.models import Q
from django.http import Http404

from cmc.accounts.models import Membership, Organization
from cmc.core.actors import SYSTEM

from .. import snapshots
from ..models import TRANSITIONS, Framework, FrameworkVersion, Status, Visibility
from .frameworks import framework_tree, may_edit, may_manage, visible_framework
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


def versions_page(framework: Framework, *, user) -> dict:
    """What the versions page shows a user: the versions and status changes, what the user may
    do (edit: publish and move the status; manage: decide who sees the model), the statuses
    that may follow, and where the model may be shared."""
    can_edit = may_edit(framework=framework, actor=user)
    can_manage = can_edit and may_manage(framework=framework, actor=user)
    return {
        "framework": framework,
        "versions": framework.versions.select_related("published_by"),
        "changes": framework.status_changes.select_related("changed_by").order_by("-changed_at"),
        "can_edit": can_edit,
        "can_manage": can_manage,
        "organizations": _sharing_choices(framework, user) if can_manage else [],
        "visibilities": Visibility.choices,
        "next_statuses": [(s, Status(s).label) for s in sorted(TRANSITIONS[framework.status])],
    }


def _sharing_choices(framework: Framework, user):
    """The organizations a model may be shared with: its own, and those the user edits for."""
    editing = Membership.objects.editing(user).values("organization")
    return Organization.objects.filter(
        Q(pk__in=editing) | Q(pk=framework.organization_id)
    ).order_by("name")
