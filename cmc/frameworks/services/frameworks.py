"""Writes to a framework's own fields: its name and description, who may see it, and deleting it.

Its editors change its fields; who may see it, and deleting it, are for its owner and the
owners of the organization it is shared with (see selectors.may_manage)."""

from django.db import transaction

from cmc.accounts.models import Membership, Organization
from cmc.core.errors import InvalidInput, Problem

from ..models import Framework, Visibility
from ..selectors import require_editable, require_manageable
from .indexing import index_framework, touch_derivations, unindex_framework

SHARING = "change who may see it"


def update_framework(*, framework: Framework, actor, **changes) -> Framework:
    """Change a framework's own fields (not its tree) if the actor may edit it; a change of
    its visibility only if the actor may also manage it."""
    require_editable(framework=framework, actor=actor)
    if changes.get("visibility") is not None:
        require_manageable(framework=framework, actor=actor, action=SHARING)
    allowed = {"name", "description", "status", "industry", "naics", "version_label", "visibility"}
    problems = [
        Problem("framework", name, "cannot be changed here")
        for name in changes
        if name not in allowed
    ]
    if changes.get("name") is not None and not changes["name"].strip():
        problems.append(Problem("framework", "name", "is empty; give the framework a name"))
    if changes.get("visibility") == Visibility.ORGANIZATION and framework.organization_id is None:
        problems.append(Problem("framework", "visibility", "share it with an organization first"))
    if problems:
        raise InvalidInput(problems)
    with transaction.atomic():
        for name, value in changes.items():
            setattr(framework, name, value)
        framework.full_clean(exclude=["slug", "identifier"])
        framework.save()
        index_framework(framework=framework)
        if "visibility" in changes:
            touch_derivations(framework=framework)
    return framework


def share_framework(
    *, framework: Framework, actor, visibility: str, organization: str | None = None
) -> Framework:
    """Who may see the framework: only its owner and those it is shared with (private), the
    members of an organization (organization), or everyone (public). `organization` is the
    slug of its organization or of one the actor owns or edits for; "" takes the framework out
    of its organization. Only for those who may manage the framework (see selectors.may_manage)."""
    require_manageable(framework=framework, actor=actor, action=SHARING)
    problems = []
    if visibility not in Visibility.values:
        problems.append(Problem("sharing", "visibility", f"'{visibility}' is not one of {', '.join(Visibility.values)}"))  # fmt: skip
    target = framework.organization
    if organization:
        target = Organization.objects.filter(slug=organization).first()
        # The organization it is shared with may stay, whoever of its managers saves the form.
        may_share = target is not None and (
            target.pk == framework.organization_id
            or Membership.objects.editing(actor).filter(organization=target).exists()
        )
        if not may_share:
            problems.append(Problem("sharing", "organization", f"you are not an owner or editor of an organization '{organization}'"))  # fmt: skip
    elif organization == "":
        target = None
    if visibility == Visibility.ORGANIZATION and target is None and not problems:
        problems.append(Problem("sharing", "organization", "choose the organization to share it with"))  # fmt: skip
    if problems:
        raise InvalidInput(problems)
    with transaction.atomic():
        framework.visibility, framework.organization = visibility, target
        framework.save(update_fields=["visibility", "organization", "updated_at"])
        index_framework(framework=framework)
        touch_derivations(framework=framework)
    return framework


def delete_framework(*, framework: Framework, actor) -> None:
    """Delete a framework and everything under it, its search entries too, if the actor may
    manage it (see selectors.may_manage)."""
    require_manageable(framework=framework, actor=actor, action="delete it")
    with transaction.atomic():
        unindex_framework(framework=framework)
        framework.delete()
