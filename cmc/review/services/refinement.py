"""Refinement (the guide's step 4): the editor resolves the proposals of a closed round, item
by item; accepted and merged changes are applied to the draft, every resolution recorded."""

import uuid

from django.db import transaction

from cmc.core.actors import person
from cmc.core.errors import Conflict, InvalidInput, Problem
from cmc.frameworks.selectors import require_editable

from ..models import Action, Proposal, Resolution, ReviewRound
from .changes import apply_change

MAX_TEXT = 10_000


def _proposals(review_round: ReviewRound, keys: list) -> list[Proposal]:
    try:
        wanted = {uuid.UUID(str(k)) for k in keys}
    except ValueError:
        raise InvalidInput(
            [Problem("resolution", "proposals", "name proposals by their identifiers")]
        ) from None
    found = list(
        review_round.proposals.filter(identifier__in=wanted).select_for_update().order_by("id")
    )
    if not wanted or len(found) != len(wanted):
        raise InvalidInput(
            [Problem("resolution", "proposals", "name one or more proposals of this round")]
        )
    return found


def _check(found: list[Proposal], decision: str) -> None:
    where = "resolution"
    if len({p.item_identifier for p in found}) > 1:
        raise InvalidInput(
            [Problem(where, "proposals", "are about different items; resolve each item apart")]
        )
    if any(p.action == Action.KEEP for p in found):
        raise InvalidInput(
            [Problem(where, "proposals", "include a “keep”, which changes nothing to resolve")]
        )
    if Resolution.objects.filter(proposals__in=found).exists():
        raise Conflict("One of these proposals was resolved already; reload the page.")
    actions = {p.action for p in found}
    if decision == Resolution.Decision.ACCEPTED and len(found) != 1:
        raise InvalidInput(
            [Problem(where, "proposals", "accept one proposal at a time; merge several")]
        )
    if decision == Resolution.Decision.MERGED and (
        len(found) < 2 or len(actions) != 1 or Action.REMOVE in actions
    ):
        raise InvalidInput(
            [
                Problem(
                    where,
                    "proposals",
                    "merge two or more edits, or two or more additions, of one item",
                )
            ]
        )


def resolve(
    *,
    review_round: ReviewRound,
    actor,
    decision: str,
    proposals: list,
    title: str = "",
    text: str = "",
    reason: str = "",
) -> Resolution:
    """Accept one proposal (applied to the draft as proposed), reject proposals (with a
    reason; nothing applied), or merge several edits or additions of one item into one text
    (applied). Only once the round is closed; each proposal is resolved once."""
    require_editable(framework=review_round.framework, actor=actor)
    if decision not in Resolution.Decision.values:
        raise InvalidInput(
            [Problem("resolution", "decision", "choose accepted, rejected or merged")]
        )
    if review_round.is_open:
        raise Conflict(
            "Close the round before resolving its proposals: reviewers may still change them."
        )
    reason = (reason or "").strip()[:MAX_TEXT]
    title, text = (title or "").strip()[:300], (text or "").strip()[:MAX_TEXT]
    if decision == Resolution.Decision.REJECTED and not reason:
        raise InvalidInput([Problem("resolution", "reason", "say why the proposal is rejected")])
    if decision == Resolution.Decision.MERGED and not (title or text):
        raise InvalidInput([Problem("resolution", "text", "write the merged text")])
    with transaction.atomic():
        found = _proposals(review_round, proposals)
        _check(found, decision)
        first = found[0]
        if decision == Resolution.Decision.ACCEPTED:
            title, text = first.title, first.text
        applied = None
        if decision != Resolution.Decision.REJECTED:
            applied = apply_change(
                framework=review_round.framework, actor=actor, kind=first.item_kind,
                identifier=first.item_identifier, action=first.action, title=title, text=text,
            )  # fmt: skip
        resolution = Resolution.objects.create(
            round=review_round,
            item_kind=first.item_kind,
            item_identifier=first.item_identifier,
            decision=decision,
            action=first.action,
            title=title if decision != Resolution.Decision.REJECTED else "",
            text=text if decision != Resolution.Decision.REJECTED else "",
            reason=reason,
            applied_identifier=applied,
            resolved_by=person(actor),
        )
        resolution.proposals.set(found)
    return resolution
