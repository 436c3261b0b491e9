"""A change someone proposed (a reviewer's proposal, a user's suggestion) applied to the
model's draft, through the frameworks app's own edits: so the draft's revisions, lineage
(an edited copy becomes "edited"), left-out records and search entries follow as for any
edit. The caller records which proposal or suggestion the change came from."""

import uuid

from cmc.core.errors import Conflict
from cmc.frameworks.models import Competency, Framework, KeyBehavior, Tier
from cmc.frameworks.services import (
    add_behavior,
    add_competency,
    leave_out_behavior,
    leave_out_competency,
    update_behavior,
    update_competency,
)

from ..models import Action, ItemKind

GONE = (
    "The draft no longer has this {kind} (it was removed or replaced since); nothing was changed."
)


def _draft_item(framework: Framework, kind: str, identifier: uuid.UUID):
    rows = {
        ItemKind.TIER: Tier.objects.filter(framework=framework),
        ItemKind.COMPETENCY: Competency.objects.filter(framework=framework).select_related(
            "framework", "tier"
        ),
        ItemKind.BEHAVIOR: KeyBehavior.objects.filter(
            competency__framework=framework
        ).select_related("competency__framework", "competency__tier"),
    }[kind]
    found = rows.filter(identifier=identifier).first()
    if found is None:
        raise Conflict(GONE.format(kind=ItemKind(kind).label.lower()))
    return found


def apply_change(
    *, framework: Framework, actor, kind: str, identifier: uuid.UUID, action: str,
    title: str, text: str,
) -> uuid.UUID | None:  # fmt: skip
    """Apply one change to the draft; returns the identifier of the item changed or added
    (None for a removal). Refused (PermissionDenied) unless the actor may edit the model."""
    item = _draft_item(framework, kind, identifier)
    if action == Action.EDIT:
        if kind == ItemKind.COMPETENCY:
            name = title or item.name
            update_competency(
                actor=actor, competency=item, name=name, definition=text, revision=item.revision
            )
        else:
            update_behavior(
                actor=actor, behavior=item, title=title, text=text, revision=item.revision
            )
        return item.identifier
    if action == Action.REMOVE:
        if kind == ItemKind.COMPETENCY:
            leave_out_competency(actor=actor, competency=item)
        else:
            leave_out_behavior(actor=actor, behavior=item)
        return None
    if action == Action.ADD:
        if kind == ItemKind.TIER:
            return add_competency(actor=actor, tier=item, name=title, definition=text).identifier
        return add_behavior(actor=actor, competency=item, text=text, title=title).identifier
    raise Conflict(f"'{action}' changes nothing in the draft.")
