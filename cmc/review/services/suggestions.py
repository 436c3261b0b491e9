"""Suggestions from a model's users: made on a public page (anonymous ones rate-limited per
address and held for moderation), then moderated, accepted into the next draft, declined
with a reason, or answered, by the model's editors."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from cmc.core.actors import person
from cmc.core.errors import Conflict, InvalidInput, Problem
from cmc.frameworks.models import Framework
from cmc.frameworks.selectors import require_editable

from ..links import new_secret
from ..models import Action, Suggestion, SuggestionReply
from ..selectors.suggestions import target, why_no_suggestions
from .changes import apply_change

MAX_TEXT = 10_000


class RateLimited(Exception):
    """Too many suggestions from one address: nothing was written."""


@dataclass
class Made:
    suggestion: Suggestion
    token: str  # the anonymous suggester's personal link secret ("" when signed in)


def _clean(value: str, field: str, limit: int = MAX_TEXT) -> str:
    value = (value or "").replace("\x00", "").strip()
    if len(value) > limit:
        raise InvalidInput([Problem("suggestion", field, f"is longer than {limit:,} characters")])
    return value


def _limit(address: str | None) -> None:
    since = timezone.now() - timedelta(hours=1)
    recent = Suggestion.objects.filter(
        suggested_by__isnull=True, address=address, created_at__gte=since
    )
    most = settings.CMC_SUGGESTIONS_PER_HOUR
    if address is None or recent.count() >= most:
        raise RateLimited(
            f"You have sent {most} suggestion{'s' if most != 1 else ''} in the last hour; "
            "please wait a while, or sign in."
        )


def suggest(
    *, framework: Framework, actor, item, action: str, title: str = "", text: str = "",
    comment: str = "", name: str = "", email: str = "", address: str | None = None,
) -> Made:  # fmt: skip
    """Suggest a change to a competency or key behavior of a model the actor may see and that
    takes suggestions (selectors.suggestions.why_no_suggestions). A signed-in person's
    suggestion goes straight to the editors; an anonymous one is held for moderation, limited
    per address (settings.CMC_SUGGESTIONS_PER_HOUR), and followed by a personal link."""
    if not Framework.objects.visible_to(actor).filter(pk=framework.pk).exists():
        raise PermissionDenied("You may not see this model.")
    if refused := why_no_suggestions(framework):
        raise Conflict(refused)
    found = target(framework, item)
    if action not in {Action.EDIT, Action.REMOVE, Action.ADD}:
        raise InvalidInput([Problem("suggestion", "action", "choose edit, remove or add")])
    if action == Action.ADD and found.kind != "competency":
        raise InvalidInput(
            [
                Problem(
                    "suggestion",
                    "action",
                    "add a new key behavior to a competency, not to a behavior",
                )
            ]
        )
    title, text, comment = (
        _clean(title, "title", 300),
        _clean(text, "text"),
        _clean(comment, "comment"),
    )
    if action != Action.REMOVE and not text and not title:
        raise InvalidInput([Problem("suggestion", "text", "is empty; write the text you suggest")])
    if action == Action.REMOVE and not comment:
        raise InvalidInput([Problem("suggestion", "comment", "say why it should be removed")])
    signed_in = person(actor) is not None
    email = _email(email)
    if not signed_in:
        _limit(address)
    raw, hashed = ("", "") if signed_in else new_secret()
    with transaction.atomic():
        made = Suggestion.objects.create(
            framework=framework, item_kind=found.kind, item_identifier=found.identifier,
            item_label=f"{found.ref}: {found.label}"[:2000], action=action, title=title,
            text=text, comment=comment, suggested_by=person(actor), name=_clean(name, "name", 200),
            email=email, token_hash=hashed, address=None if signed_in else address,
            state=Suggestion.State.OPEN if signed_in else Suggestion.State.HELD,
        )  # fmt: skip
    return Made(made, raw)


def _email(value: str) -> str:
    value = (value or "").strip()
    if value:
        try:
            validate_email(value)
        except ValidationError:
            raise InvalidInput(
                [Problem("suggestion", "email", f"'{value}' is not an email address")]
            ) from None
    return value


def _decide(suggestion: Suggestion, actor, state: str, reason: str = "", applied=None):
    suggestion.state, suggestion.reason = state, reason
    suggestion.decided_by, suggestion.decided_at = person(actor), timezone.now()
    suggestion.applied_identifier = applied
    suggestion.save(
        update_fields=["state", "reason", "decided_by", "decided_at", "applied_identifier"]
    )
    return suggestion


def _locked(suggestion: Suggestion, actor, *states) -> Suggestion:
    require_editable(framework=suggestion.framework, actor=actor)
    locked = (
        Suggestion.objects.select_for_update().select_related("framework").get(pk=suggestion.pk)
    )
    if locked.state not in states:
        raise Conflict(f"This suggestion is {locked.get_state_display().lower()} already.")
    return locked


def moderate(*, suggestion: Suggestion, actor, allow: bool) -> Suggestion:
    """Let a held suggestion through to the queue, or remove it (spam, abuse)."""
    with transaction.atomic():
        locked = _locked(suggestion, actor, Suggestion.State.HELD)
        state = Suggestion.State.OPEN if allow else Suggestion.State.REMOVED
        return _decide(locked, actor, state, "" if allow else "removed by a moderator")


def accept_suggestion(*, suggestion: Suggestion, actor) -> Suggestion:
    """Apply the suggested change to the model's draft (its next version) and say so."""
    with transaction.atomic():
        locked = _locked(suggestion, actor, Suggestion.State.OPEN)
        kind = locked.item_kind if locked.action != Action.ADD else "competency"
        applied = apply_change(
            framework=locked.framework, actor=actor, kind=kind,
            identifier=locked.item_identifier, action=locked.action, title=locked.title,
            text=locked.text,
        )  # fmt: skip
        return _decide(locked, actor, Suggestion.State.ACCEPTED, applied=applied)


def decline_suggestion(*, suggestion: Suggestion, actor, reason: str) -> Suggestion:
    """Decline a suggestion, saying why (the suggester reads the reason)."""
    reason = _clean(reason, "reason")
    if not reason:
        raise InvalidInput([Problem("suggestion", "reason", "say why the suggestion is declined")])
    with transaction.atomic():
        locked = _locked(suggestion, actor, Suggestion.State.OPEN)
        return _decide(locked, actor, Suggestion.State.DECLINED, reason)


def reply(*, suggestion: Suggestion, actor, text: str) -> SuggestionReply:
    """An editor answers a suggestion; the suggester reads it where they follow it."""
    require_editable(framework=suggestion.framework, actor=actor)
    text = _clean(text, "reply")
    if not text:
        raise InvalidInput([Problem("suggestion", "reply", "is empty; write your answer")])
    current = Suggestion.objects.filter(pk=suggestion.pk).values_list("state", flat=True).first()
    if current in {Suggestion.State.HELD, Suggestion.State.REMOVED}:
        raise Conflict("Let the suggestion through moderation before answering it.")
    return SuggestionReply.objects.create(suggestion=suggestion, text=text, author=person(actor))
