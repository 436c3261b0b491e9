"""A reviewer's input in the JSON API, by their personal link (no account): what they have
marked so far, and saving it. Only their own input, and only while the round is open."""

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from ninja import Router
from pydantic import Field

from cmc.core.api import ERRORS, WRITE_ERRORS, InSchema, Schema

from ..selectors import rounds as round_selectors
from ..services import rounds as round_services

router = Router(tags=["review"])
TOKEN_ERRORS = {400: ERRORS[400], 404: ERRORS[404], 409: WRITE_ERRORS[409], 422: ERRORS[422]}


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


def proposal_out(p) -> dict:
    return {"identifier": p.identifier, "item": p.item_identifier, "item_kind": p.item_kind,
            "action": p.action, "title": p.title, "text": p.text, "comment": p.comment,
            "saved_at": p.saved_at}  # fmt: skip


def _input_out(reviewer) -> dict:
    r = reviewer.round
    return {"round": r.title, "framework": r.framework.slug, "version": r.version.number,
            "deadline": r.deadline, "state": round_selectors.link_state(reviewer),
            "link_expires": round_selectors.link_expires(r),
            "proposals": [proposal_out(p) for p in reviewer.proposals.order_by("id")]}  # fmt: skip


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
