"""Suggestions in the JSON API: anyone suggests a change to a model they may see (held for
moderation without an account); its editors read them and triage them. Thin doors onto the
same services as the pages."""

from datetime import datetime
from typing import Literal
from uuid import UUID

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from ninja import Router, Status
from ninja.errors import HttpError
from pydantic import Field

from cmc.accounts.addresses import client_address
from cmc.accounts.auth import current_user, write_auth
from cmc.core.api import ERRORS, WRITE_ERRORS, InSchema, Schema
from cmc.frameworks.selectors import visible_framework

from ..links import absolute
from ..selectors import suggestions as suggestion_selectors
from ..services import suggestions as suggestion_services

router = Router(tags=["review"])


class SuggestionIn(InSchema):
    item: UUID
    action: Literal["edit", "remove", "add"]
    title: str = Field("", max_length=300)
    text: str = Field("", max_length=10_000)
    comment: str = Field("", max_length=10_000)
    name: str = Field("", max_length=200)
    email: str = Field("", max_length=254)


class SuggestionOut(Schema):
    identifier: UUID
    item: UUID
    item_kind: str
    item_label: str
    action: str
    title: str
    text: str
    comment: str
    state: str
    reason: str
    created_at: datetime
    replies: list[str]


class SuggestionMadeOut(SuggestionOut):
    follow_link: str = Field(
        description="the anonymous suggester's personal link; empty when signed in"
    )


def _suggestion_out(s) -> dict:
    return {"identifier": s.identifier, "item": s.item_identifier, "item_kind": s.item_kind,
            "item_label": s.item_label, "action": s.action, "title": s.title, "text": s.text,
            "comment": s.comment, "state": s.state, "reason": s.reason,
            "created_at": s.created_at, "replies": [r.text for r in s.replies.all()]}  # fmt: skip


@router.get(
    "/frameworks/{slug}/suggestions",
    response={200: list[SuggestionOut], **WRITE_ERRORS},
    summary="Suggestions on a model",
)
def list_suggestions(request, slug: str):
    """Every suggestion on the model, newest first; for its editors (the triage queue)."""
    _, grouped = suggestion_selectors.triage(user=current_user(request), slug=slug)
    rows = sorted(
        (s for group in grouped.values() for s in group), key=lambda s: s.created_at, reverse=True
    )
    return [_suggestion_out(s) for s in rows]


def _anyone(request):
    """No token and no session: a person who is not signed in (their suggestion is held)."""
    return AnonymousUser()


# A signed-in session must pass the CSRF check (django_auth); without one, anyone may suggest.
ANYONE = [*write_auth, _anyone]


@router.post(
    "/frameworks/{slug}/suggestions",
    response={201: SuggestionMadeOut, 429: ERRORS[404], **WRITE_ERRORS},
    auth=ANYONE,
    summary="Suggest a change",
)
def make_suggestion(request, slug: str, payload: SuggestionIn):
    """Suggest a change to a competency or key behavior of a model you may see. Without an
    account the suggestion is held for moderation, limited per address, and followed by the
    personal link in the answer. A private model and the reference content shipped with the
    site take no suggestions (409)."""
    user = request.auth
    framework = visible_framework(user=user, slug=slug, whole=True)
    try:
        made = suggestion_services.suggest(
            framework=framework, actor=user, item=payload.item, action=payload.action,
            title=payload.title, text=payload.text, comment=payload.comment,
            name=payload.name, email=payload.email, address=client_address(request),
        )  # fmt: skip
    except suggestion_services.RateLimited as error:
        raise HttpError(429, str(error)) from None
    link = ""
    if made.token:
        link = absolute(reverse("review:suggestion_follow", kwargs={"token": made.token}))
    return Status(201, {**_suggestion_out(made.suggestion), "follow_link": link})


class DecisionIn(InSchema):
    op: Literal["allow", "remove", "accept", "decline", "reply"]
    reason: str = Field("", max_length=10_000)
    text: str = Field("", max_length=10_000)


@router.post(
    "/suggestions/{identifier}/decision",
    response={200: SuggestionOut, **WRITE_ERRORS},
    auth=write_auth,
    summary="Triage a suggestion",
)
def decide_suggestion(request, identifier: UUID, payload: DecisionIn):
    """Let a held suggestion through or remove it; accept an open one into the draft,
    decline it with a reason, or reply to it."""
    found = suggestion_selectors.editable_suggestion(user=request.auth, identifier=identifier)
    actor = request.auth
    if payload.op in {"allow", "remove"}:
        suggestion_services.moderate(suggestion=found, actor=actor, allow=payload.op == "allow")
    elif payload.op == "accept":
        suggestion_services.accept_suggestion(suggestion=found, actor=actor)
    elif payload.op == "decline":
        suggestion_services.decline_suggestion(suggestion=found, actor=actor, reason=payload.reason)
    else:
        suggestion_services.reply(suggestion=found, actor=actor, text=payload.text)
    return _suggestion_out(
        suggestion_selectors.editable_suggestion(user=actor, identifier=identifier)
    )
