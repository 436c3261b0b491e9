"""Opening and closing review rounds, and reviewers' input through their personal links."""

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from cmc.core.actors import person
from cmc.core.errors import Conflict, InvalidInput, Problem
from cmc.frameworks.models import Framework
from cmc.frameworks.selectors import require_editable

from ..links import absolute, new_secret
from ..models import Action, ItemKind, Proposal, Reviewer, ReviewRound
from ..selectors.rounds import items_of, link_state, round_tree
from .mail import send_later

MAX_REVIEWERS = 200
MAX_TEXT = 10_000
DEFAULT_DAYS = 14


@dataclass
class Invitee:
    reviewer: Reviewer
    link: str


@dataclass
class OpenedRound:
    round: ReviewRound
    invitees: list[Invitee]


def _emails(values: list[str]) -> list[str]:
    problems, seen = [], []
    for n, raw in enumerate(values, start=1):
        email = (raw or "").strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            problems.append(Problem(f"reviewer {n}", "email", f"'{raw}' is not an email address"))
            continue
        if email not in seen:
            seen.append(email)
    if not values:
        problems.append(Problem("round", "reviewers", "invite at least one reviewer by email"))
    if len(seen) > MAX_REVIEWERS:
        problems.append(Problem("round", "reviewers", f"invite at most {MAX_REVIEWERS} reviewers"))
    if problems:
        raise InvalidInput(problems)
    return seen


def _version(framework: Framework, number: int | None):
    versions = framework.versions.order_by("-number")
    found = versions.filter(number=number).first() if number else versions.first()
    if found is None:
        message = (
            f"has no version {number}" if number else "has no published version; publish one first"
        )
        raise InvalidInput([Problem("round", "version", f"{framework.name} {message}")])
    return found


def _deadline(deadline: date | None) -> date:
    today = timezone.localdate()
    if deadline is None:
        return today + timedelta(days=DEFAULT_DAYS)
    if deadline < today:
        raise InvalidInput(
            [Problem("round", "deadline", f"{deadline:%B %-d, %Y} has passed; choose a later day")]
        )
    return deadline


def open_round(
    *,
    framework: Framework,
    actor,
    reviewers: list[str],
    version: int | None = None,
    deadline: date | None = None,
    title: str = "",
    message: str = "",
) -> OpenedRound:
    """Open a review round on a published version (the latest unless `version` names one)
    and invite each reviewer by email with a personal link; the links come back for the
    editor, and are never shown again (only their hashes are kept)."""
    require_editable(framework=framework, actor=actor)
    emails = _emails(reviewers)
    found = _version(framework, version)
    deadline = _deadline(deadline)
    title = (title or "").strip()[:200] or f"Review of version {found.number}"
    with transaction.atomic():
        review_round = ReviewRound.objects.create(
            framework=framework,
            version=found,
            title=title,
            message=(message or "").strip()[:MAX_TEXT],
            deadline=deadline,
            opened_by=person(actor),
        )
        invitees = [_invite(review_round, email) for email in emails]
    return OpenedRound(review_round, invitees)


def _invite(review_round: ReviewRound, email: str) -> Invitee:
    raw, hashed = new_secret()
    reviewer = Reviewer.objects.create(round=review_round, email=email, token_hash=hashed)
    link = absolute(reverse("review:review_start", kwargs={"token": raw}))
    send_later(
        template="invitation",
        context={"round": review_round, "link": link, "framework": review_round.framework},
        to=[email],
        subject=f"Your review of {review_round.framework.name}",
    )
    return Invitee(reviewer, link)


def close_round(*, review_round: ReviewRound, actor, note: str = "") -> ReviewRound:
    """Close a round, for good: reviewers can no longer change their input and now see
    everyone's; who closed it and when is recorded."""
    require_editable(framework=review_round.framework, actor=actor)
    with transaction.atomic():
        locked = ReviewRound.objects.select_for_update().get(pk=review_round.pk)
        if not locked.is_open:
            raise Conflict(
                f"The round “{locked.title}” was closed on {locked.closed_at:%B %-d, %Y}; closing is final."
            )
        locked.closed_at = timezone.now()
        locked.closed_by = person(actor)
        locked.close_note = (note or "").strip()[:MAX_TEXT]
        locked.save(update_fields=["closed_at", "closed_by", "close_note"])
    return locked


def _writable(reviewer: Reviewer) -> None:
    state = link_state(reviewer)
    if state == "closed":
        raise Conflict("This round is closed: your input is kept and can no longer change.")
    if state == "expired":
        raise Conflict("This review link has expired.")


def _clean(value: str, where: str, name: str, limit: int) -> str:
    value = (value or "").replace("\x00", "").strip()
    if len(value) > limit:
        raise InvalidInput([Problem(where, name, f"is longer than {limit:,} characters")])
    return value


ALLOWED = {
    ItemKind.TIER: {Action.ADD},
    ItemKind.COMPETENCY: {Action.KEEP, Action.EDIT, Action.REMOVE, Action.ADD},
    ItemKind.BEHAVIOR: {Action.KEEP, Action.EDIT, Action.REMOVE},
}


def save_proposal(
    *,
    reviewer: Reviewer,
    item: uuid.UUID | str,
    action: str,
    title: str = "",
    text: str = "",
    comment: str = "",
    proposal: uuid.UUID | str | None = None,
) -> Proposal:
    """A reviewer's mark on an item of the version (keep, edit with the proposed text,
    remove) or an addition under it (a competency under a tier, a key behavior under a
    competency); marking an item again changes the one mark. `proposal` names an addition of
    the reviewer's own to change. The personal link is the reviewer's authority: it writes
    only their own input, and only while the round is open."""
    _writable(reviewer)
    found = _item(reviewer, item)
    where = found.ref
    if action not in {a.value for a in ALLOWED[found.kind]}:
        allowed = ", ".join(sorted(ALLOWED[found.kind]))
        raise InvalidInput([Problem(where, "action", f"choose one of: {allowed}")])
    title = _clean(title, where, "title", 300)
    text = _clean(text, where, "text", MAX_TEXT)
    comment = _clean(comment, where, "comment", MAX_TEXT)
    _needs_text(found, action, title, text)
    values = {
        "item_kind": found.kind,
        "action": action,
        "title": title,
        "text": text,
        "comment": comment,
    }
    with transaction.atomic():
        Reviewer.objects.filter(pk=reviewer.pk).update(last_seen_at=timezone.now())
        if action == Action.ADD:
            return _save_addition(reviewer, found.identifier, proposal, values)
        return _save_mark(reviewer, found.identifier, values)


def _save_mark(reviewer: Reviewer, item: uuid.UUID, values: dict) -> Proposal:
    mark = reviewer.proposals.exclude(action=Action.ADD).filter(item_identifier=item).first()
    if mark is not None:
        for name, value in values.items():
            setattr(mark, name, value)
        mark.save()
        return mark
    try:
        with transaction.atomic():
            return Proposal.objects.create(
                round_id=reviewer.round_id, reviewer=reviewer, item_identifier=item, **values
            )
    except IntegrityError:  # the same mark saved twice at once: the other one won
        raise Conflict(
            "Your mark was saved from another window at the same moment; reload the page."
        ) from None


def _item(reviewer: Reviewer, identifier):
    try:
        key = uuid.UUID(str(identifier))
    except ValueError:
        key = None
    found = items_of(round_tree(reviewer.round)).get(key) if key else None
    if found is None:
        raise InvalidInput(
            [Problem("proposal", "item", f"'{identifier}' is no item of the version under review")]
        )
    return found


def _needs_text(found, action: str, title: str, text: str) -> None:
    if action == Action.EDIT and (title, text) == (found.title, found.text):
        raise InvalidInput([Problem(found.ref, "text", "is unchanged; write the text you propose")])
    if action == Action.EDIT and not (title if found.kind == ItemKind.COMPETENCY else text):
        name = "name" if found.kind == ItemKind.COMPETENCY else "text"
        raise InvalidInput([Problem(found.ref, name, "is empty; write the text you propose")])
    if action == Action.ADD and not (title if found.kind == ItemKind.TIER else text):
        name = "name" if found.kind == ItemKind.TIER else "text"
        raise InvalidInput([Problem(found.ref, name, "is empty; write the new item's text")])


def _save_addition(reviewer: Reviewer, item: uuid.UUID, proposal, values: dict) -> Proposal:
    if proposal is None:
        return Proposal.objects.create(
            round_id=reviewer.round_id, reviewer=reviewer, item_identifier=item, **values
        )
    # Only an addition of the reviewer's own: another's is not found, whatever its identifier.
    mine = reviewer.proposals.filter(identifier=str(proposal), action=Action.ADD).first()
    if mine is None:
        raise InvalidInput([Problem("proposal", "proposal", "is none of your additions")])
    for name, value in values.items():
        setattr(mine, name, value)
    mine.item_identifier = item
    mine.save()
    return mine


def withdraw_proposal(*, reviewer: Reviewer, proposal: uuid.UUID | str) -> None:
    """Take back one of the reviewer's own marks or additions while the round is open."""
    _writable(reviewer)
    try:
        key = uuid.UUID(str(proposal))
    except ValueError:
        key = None
    deleted, _ = reviewer.proposals.filter(identifier=key).delete() if key else (0, {})
    if not deleted:
        raise InvalidInput([Problem("proposal", "proposal", "is none of your marks or additions")])


def finish_review(*, reviewer: Reviewer) -> Reviewer:
    """The reviewer says they are done (they may still change their input until the round
    closes)."""
    _writable(reviewer)
    reviewer.finished_at = timezone.now()
    reviewer.save(update_fields=["finished_at"])
    return reviewer


def replace_input(*, reviewer: Reviewer, proposals: list[dict]) -> list[Proposal]:
    """Replace the reviewer's whole input with `proposals` (each: item, action, title, text,
    comment): every entry is checked first, and only when all are good is the input written,
    in one transaction. Sending the same input again changes nothing."""
    _writable(reviewer)
    items = items_of(round_tree(reviewer.round))
    problems, rows, marked = [], [], set()
    for n, entry in enumerate(proposals, start=1):
        try:
            rows.append(_checked(entry, items, f"proposal {n}", marked))
        except InvalidInput as error:
            problems += error.problems
    if problems:
        raise InvalidInput(problems)
    with transaction.atomic():
        Reviewer.objects.filter(pk=reviewer.pk).update(last_seen_at=timezone.now())
        reviewer.proposals.all().delete()
        return [
            Proposal.objects.create(round_id=reviewer.round_id, reviewer=reviewer, **row)
            for row in rows
        ]


def _checked(entry: dict, items: dict, where: str, marked: set) -> dict:
    try:
        found = items.get(uuid.UUID(str(entry.get("item"))))
    except ValueError:
        found = None
    if found is None:
        raise InvalidInput(
            [
                Problem(
                    where, "item", f"'{entry.get('item')}' is no item of the version under review"
                )
            ]
        )
    action = entry.get("action", "")
    if action not in {a.value for a in ALLOWED[found.kind]}:
        allowed = ", ".join(sorted(ALLOWED[found.kind]))
        raise InvalidInput(
            [Problem(where, "action", f"choose one of: {allowed} for a {found.kind}")]
        )
    if action != Action.ADD:
        if found.identifier in marked:
            raise InvalidInput([Problem(where, "item", "is marked twice; give one mark per item")])
        marked.add(found.identifier)
    title = _clean(entry.get("title", ""), where, "title", 300)
    text = _clean(entry.get("text", ""), where, "text", MAX_TEXT)
    comment = _clean(entry.get("comment", ""), where, "comment", MAX_TEXT)
    _needs_text(found, action, title, text)
    return {"item_identifier": found.identifier, "item_kind": found.kind, "action": action,
            "title": title, "text": text, "comment": comment}  # fmt: skip
