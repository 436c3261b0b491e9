"""The review routes of the JSON API: review rounds (open, read, close), a reviewer's input by
their personal link, proposals and their resolutions, and suggestions. Thin doors onto the
same services as the pages and the command line."""

from datetime import date, datetime
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
from cmc.frameworks.selectors import editable_framework, visible_framework

from .links import absolute
from .selectors import rounds as round_selectors
from .selectors import suggestions as suggestion_selectors
from .services import refinement
from .services import rounds as round_services
from .services import suggestions as suggestion_services

router = Router(tags=["review"])
TOKEN_ERRORS = {400: ERRORS[400], 404: ERRORS[404], 409: WRITE_ERRORS[409], 422: ERRORS[422]}


class RoundIn(InSchema):
    reviewers: list[str] = Field(min_length=1, max_length=round_services.MAX_REVIEWERS)
    version: int | None = Field(
        None, ge=1, description="the version to review; the latest if left out"
    )
    deadline: date | None = Field(None, description="two weeks from today if left out")
    title: str = Field("", max_length=200)
    message: str = Field("", max_length=10_000)


class ReviewerOut(Schema):
    identifier: UUID
    email: str
    invited_at: datetime
    last_seen_at: datetime | None
    finished_at: datetime | None


class RoundOut(Schema):
    id: int
    identifier: UUID
    framework: str
    title: str
    version: int
    deadline: date
    opened_at: datetime
    opened_by: str | None
    closed_at: datetime | None
    closed_by: str | None
    close_note: str
    links_expire: datetime


class RoundDetailOut(RoundOut):
    reviewers: list[ReviewerOut]
    responded: int
    proposals: dict[str, int]
    resolutions: dict[str, int]


class InviteeOut(Schema):
    email: str
    link: str


class RoundOpenedOut(RoundOut):
    invitees: list[InviteeOut]


def _name(user) -> str | None:
    return user.get_username() if user else None


def _round_out(r) -> dict:
    return {
        "id": r.pk, "identifier": r.identifier, "framework": r.framework.slug, "title": r.title,
        "version": r.version.number, "deadline": r.deadline, "opened_at": r.opened_at,
        "opened_by": _name(r.opened_by), "closed_at": r.closed_at,
        "closed_by": _name(r.closed_by), "close_note": r.close_note,
        "links_expire": round_selectors.link_expires(r),
    }  # fmt: skip


@router.get(
    "/frameworks/{slug}/rounds",
    response={200: list[RoundOut], **WRITE_ERRORS},
    summary="A model's review rounds",
)
def list_review_rounds(request, slug: str):
    """The model's rounds, newest first; for its editors."""
    _, rounds = round_selectors.rounds_of(user=current_user(request), slug=slug)
    return [_round_out(r) for r in rounds]


@router.post(
    "/frameworks/{slug}/rounds",
    response={201: RoundOpenedOut, **WRITE_ERRORS},
    auth=write_auth,
    summary="Open a review round",
)
def open_review_round(request, slug: str, payload: RoundIn):
    """Open a round on a published version and invite each reviewer by email; the answer
    lists each invitee's personal link, shown this once (only its hash is kept)."""
    framework = editable_framework(user=request.auth, slug=slug)
    opened = round_services.open_round(
        framework=framework, actor=request.auth, reviewers=[str(e) for e in payload.reviewers],
        version=payload.version, deadline=payload.deadline, title=payload.title,
        message=payload.message,
    )  # fmt: skip
    invitees = [{"email": i.reviewer.email, "link": i.link} for i in opened.invitees]
    return Status(201, {**_round_out(opened.round), "invitees": invitees})


def _detail(review_round) -> dict:
    summary = round_selectors.round_summary(review_round)
    return {
        **_round_out(review_round),
        "reviewers": summary["reviewers"],
        "responded": summary["responded"],
        "proposals": summary["by_action"],
        "resolutions": summary["by_decision"],
    }


@router.get(
    "/rounds/{round_id}", response={200: RoundDetailOut, **WRITE_ERRORS}, summary="One review round"
)
def get_review_round(request, round_id: int):
    """A round with its reviewers and counts; for the model's editors."""
    return _detail(round_selectors.editable_round(user=current_user(request), pk=round_id))


class CloseIn(InSchema):
    note: str = Field("", max_length=10_000)


@router.post(
    "/rounds/{round_id}/close",
    response={200: RoundDetailOut, **WRITE_ERRORS},
    auth=write_auth,
    summary="Close a review round",
)
def close_review_round(request, round_id: int, payload: CloseIn | None = None):
    """Final: reviewers can no longer change their input, and now see everyone's."""
    review_round = round_selectors.editable_round(user=request.auth, pk=round_id)
    closed = round_services.close_round(
        review_round=review_round, actor=request.auth, note=payload.note if payload else ""
    )
    return _detail(round_selectors.editable_round(user=request.auth, pk=closed.pk))


class ProposalIn(InSchema):
    item: UUID = Field(
        description="the identifier of a tier, competency or key behavior of the version"
    )
    action: Literal["keep", "edit", "remove", "add"]
    title: str = Field("", max_length=300)
    text: str = Field("", max_length=10_000)
    comment: str = Field("", max_length=10_000)


class ProposalOut(Schema):
    identifier: UUID
    item: UUID
    item_kind: str
    action: str
    title: str
    text: str
    comment: str
    saved_at: datetime


class ReviewInputIn(InSchema):
    proposals: list[ProposalIn] = Field(max_length=5000)


class ReviewInputOut(Schema):
    round: str
    framework: str
    version: int
    deadline: date
    state: Literal["open", "closed"]
    link_expires: datetime
    proposals: list[ProposalOut]


def _proposal_out(p) -> dict:
    return {"identifier": p.identifier, "item": p.item_identifier, "item_kind": p.item_kind,
            "action": p.action, "title": p.title, "text": p.text, "comment": p.comment,
            "saved_at": p.saved_at}  # fmt: skip


def _input_out(reviewer) -> dict:
    r = reviewer.round
    return {"round": r.title, "framework": r.framework.slug, "version": r.version.number,
            "deadline": r.deadline, "state": round_selectors.link_state(reviewer),
            "link_expires": round_selectors.link_expires(r),
            "proposals": [_proposal_out(p) for p in reviewer.proposals.order_by("id")]}  # fmt: skip


@router.get(
    "/review-input/{token}",
    response={200: ReviewInputOut, **TOKEN_ERRORS},
    summary="A reviewer's own input",
)
def get_review_input(request, token: str):
    """What the reviewer of this personal link has marked so far (their own input only)."""
    return _input_out(round_selectors.reviewer_by_token(token))


@router.put(
    "/review-input/{token}",
    response={200: ReviewInputOut, **TOKEN_ERRORS},
    summary="Save a reviewer's input",
)
def put_review_input(request, token: str, payload: ReviewInputIn):
    """Replace the reviewer's whole input: one mark per item (keep, edit, remove) and any
    additions; every entry is checked before anything is written. Only while the round is
    open; the link writes only its own reviewer's input."""
    reviewer = round_selectors.reviewer_by_token(token)
    round_services.replace_input(reviewer=reviewer, proposals=[p.dict() for p in payload.proposals])
    return _input_out(reviewer)


class RoundProposalOut(ProposalOut):
    reviewer: str
    resolved: bool


class ResolutionOut(Schema):
    id: int
    decision: str
    action: str
    title: str
    text: str
    reason: str
    proposals: list[UUID]
    applied_identifier: UUID | None
    resolved_by: str | None
    resolved_at: datetime


class ItemProposalsOut(Schema):
    item: UUID
    item_kind: str
    ref: str
    label: str
    counts: dict[str, int]
    proposals: list[RoundProposalOut]
    resolutions: list[ResolutionOut]


def _resolution_out(r) -> dict:
    return {"id": r.pk, "decision": r.decision, "action": r.action, "title": r.title,
            "text": r.text, "reason": r.reason,
            "proposals": [p.identifier for p in r.proposal_list],
            "applied_identifier": r.applied_identifier, "resolved_by": _name(r.resolved_by),
            "resolved_at": r.resolved_at}  # fmt: skip


@router.get(
    "/rounds/{round_id}/proposals",
    response={200: list[ItemProposalsOut], **WRITE_ERRORS},
    summary="A round's proposals, item by item",
)
def list_round_proposals(request, round_id: int):
    """Every proposal of the round grouped by item, with counts and resolutions; for the
    model's editors."""
    review_round = round_selectors.editable_round(user=current_user(request), pk=round_id)
    groups = round_selectors.proposals_by_item(review_round)
    return [
        {"item": g.item.identifier, "item_kind": g.item.kind, "ref": g.item.ref,
         "label": g.item.label, "counts": g.counts,
         "proposals": [{**_proposal_out(p), "reviewer": p.reviewer.email,
                        "resolved": p not in g.waiting and p.action != "keep"}
                       for p in g.proposals],
         "resolutions": [_resolution_out(r) for r in g.resolutions]}
        for g in groups
    ]  # fmt: skip


class ResolutionIn(InSchema):
    decision: Literal["accepted", "rejected", "merged"]
    proposals: list[UUID] = Field(min_length=1, max_length=500)
    title: str = Field("", max_length=300)
    text: str = Field("", max_length=10_000)
    reason: str = Field("", max_length=10_000)


@router.post(
    "/rounds/{round_id}/resolutions",
    response={201: ResolutionOut, **WRITE_ERRORS},
    auth=write_auth,
    summary="Resolve proposals",
)
def resolve_round_proposals(request, round_id: int, payload: ResolutionIn):
    """Accept one proposal (applied to the draft), merge several edits or additions of one
    item into one text (applied), or reject proposals with a reason; the round must be
    closed."""
    review_round = round_selectors.editable_round(user=request.auth, pk=round_id)
    resolution = refinement.resolve(
        review_round=review_round, actor=request.auth, decision=payload.decision,
        proposals=payload.proposals, title=payload.title, text=payload.text,
        reason=payload.reason,
    )  # fmt: skip
    resolution.proposal_list = list(resolution.proposals.all())
    return Status(201, _resolution_out(resolution))


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
