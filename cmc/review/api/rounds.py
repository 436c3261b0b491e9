"""Review rounds in the JSON API, for a model's editors: open one, read it, close it, then
read its proposals item by item and resolve them. Thin doors onto the same services as the
pages and the command line."""

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from ninja import Router, Status
from pydantic import Field

from cmc.accounts.auth import current_user, write_auth
from cmc.core.api import WRITE_ERRORS, InSchema, Schema
from cmc.frameworks.selectors import editable_framework

from ..selectors import rounds as round_selectors
from ..services import refinement
from ..services import rounds as round_services
from .reviewing import ProposalOut, proposal_out

router = Router(tags=["review"])


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
         "proposals": [{**proposal_out(p), "reviewer": p.reviewer.email,
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
