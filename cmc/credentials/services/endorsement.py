"""Endorsement: a body (an organization) defines its criteria and reviews credentials against
a framework; reviewers score each criterion with evidence, then the body decides. Every step
is recorded with who and when."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from cmc.accounts.models import Membership, Organization
from cmc.core.actors import is_system, person
from cmc.core.errors import Conflict, InvalidInput, Problem
from cmc.frameworks import panels
from cmc.frameworks.models import Framework

from ..criteria import CASE_STUDIES, DEFAULT_CRITERIA
from ..models import Credential, Criterion, Decision, Rating, Review, ReviewEvent, Score
from .common import text

DETAIL = "The review was not changed; nothing was written."
EDITING = (Membership.Role.OWNER, Membership.Role.EDITOR)


def _role(body: Organization, actor) -> str | None:
    user = person(actor)
    if user is None:
        return None
    return (
        Membership.objects.filter(organization=body, user=user).values_list("role", flat=True)
    ).first()


def _require_runner(body: Organization, actor) -> None:
    """Owners and editors of the body define criteria, open reviews and decide."""
    if not is_system(actor) and _role(body, actor) not in EDITING:
        raise PermissionDenied(f"Only the owners and editors of {body.name} may do that.")


def _require_reviewer(body: Organization, actor) -> None:
    if not is_system(actor) and _role(body, actor) is None:
        raise PermissionDenied(f"Only members of {body.name} review its credentials.")


def _record(review: Review, action: str, actor, text_: str = "", method: str = "") -> None:
    ReviewEvent.objects.create(
        review=review, action=action, text=text_, actor=person(actor), method=method
    )


def ensure_default_criteria(*, actor, body: Organization) -> list[Criterion]:
    """The body's criteria; the seeds' four (see criteria.py) when it has defined none."""
    _require_runner(body, actor)
    with transaction.atomic():
        if not body.endorsement_criteria.exists():
            for position, default in enumerate(DEFAULT_CRITERIA, start=1):
                Criterion.objects.create(
                    body=body,
                    position=position,
                    name=default.name,
                    description=default.description,
                    source_seed=CASE_STUDIES,
                    source_section=default.section,
                    source_quote=default.quote,
                )
    return list(body.endorsement_criteria.order_by("position"))


def add_criterion(*, actor, body: Organization, name: str, description: str = "") -> Criterion:
    """A criterion of the body's own, after its others."""
    _require_runner(body, actor)
    problems: list[Problem] = []
    data = {"name": name, "description": description}
    name = text(problems, "criterion", data, "name", 200, required=True)
    description = text(problems, "criterion", data, "description", 5000)
    if name and body.endorsement_criteria.filter(name__iexact=name).exists():
        problems.append(Problem("criterion", "name", f"'{name}' is already a criterion"))
    if problems:
        raise InvalidInput(problems, detail="The criterion was not added.")
    with transaction.atomic():
        last = body.endorsement_criteria.order_by("-position").first()
        return Criterion.objects.create(
            body=body,
            name=name,
            description=description,
            position=(last.position + 1) if last else 1,
        )


def remove_criterion(*, actor, criterion: Criterion) -> None:
    """Remove a criterion no reviewer has scored yet (scores are the history of reviews)."""
    _require_runner(criterion.body, actor)
    if criterion.scores.exists():
        raise Conflict(f"Reviewers have scored '{criterion.name}'; it stays with their scores.")
    criterion.delete()


def open_review(
    *, actor, body: Organization, credential: Credential, framework: Framework, method: str = ""
) -> Review:
    """Start the body's review of a credential against a framework (the one already open for
    the same pair is returned)."""
    _require_runner(body, actor)
    ensure_default_criteria(actor=actor, body=body)
    with transaction.atomic():
        review, created = Review.objects.get_or_create(
            body=body,
            credential=credential,
            framework=framework,
            defaults={"opened_by": person(actor)},
        )
        if created:
            _record(review, "opened", actor, method=method)
    return review


def score(*, actor, review: Review, criterion: Criterion, rating: str, evidence: str) -> Score:
    """A reviewer's rating of one criterion, with the evidence; scoring again replaces the
    reviewer's earlier score and both stay in the history."""
    _require_reviewer(review.body, actor)
    if is_system(actor):
        raise PermissionDenied("Scores are given by people.")
    problems: list[Problem] = []
    if criterion.body_id != review.body_id:
        problems.append(Problem("score", "criterion", "is not one of this body's criteria"))
    if rating not in Rating.values:
        allowed = ", ".join(Rating.values)
        problems.append(Problem("score", "rating", f"must be one of {allowed}"))
    evidence = text(problems, "score", {"evidence": evidence}, "evidence", 10_000, required=True)
    if problems:
        raise InvalidInput(problems, detail=DETAIL)
    with transaction.atomic():
        found, _ = Score.objects.update_or_create(
            review=review,
            criterion=criterion,
            reviewer=actor,
            defaults={"rating": rating, "evidence": evidence},
        )
        label = Rating(rating).label.lower()
        _record(review, "scored", actor, f"{criterion.name}: {label}. {evidence}")
    return found


def decide(*, actor, review: Review, decision: str, summary: str, method: str = "") -> Review:
    """The body's decision, with why; deciding again is recorded as a new step of the history."""
    _require_runner(review.body, actor)
    problems: list[Problem] = []
    if decision not in Decision.values:
        allowed = ", ".join(Decision.values)
        problems.append(Problem("review", "decision", f"must be one of {allowed}"))
    summary = text(problems, "review", {"summary": summary}, "summary", 10_000, required=True)
    if problems:
        raise InvalidInput(problems, detail=DETAIL)
    with transaction.atomic():
        locked = Review.objects.select_for_update().get(pk=review.pk)
        locked.decision, locked.summary = decision, summary
        locked.decided_by, locked.decided_at = person(actor), timezone.now()
        locked.save()
        _record(locked, "decided", actor, f"{Decision(decision).label}. {summary}", method)
    panels.changed(locked.framework)
    return locked
