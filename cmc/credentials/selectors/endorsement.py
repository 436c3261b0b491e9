"""Reads of endorsement: a body's criteria and reviews for its members; the endorsed
credentials the public sees, with why."""

import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import Http404

from cmc.accounts.models import Membership, Organization
from cmc.frameworks.models import Framework

from ..models import Credential, Criterion, Decision, Rating, Review, ReviewEvent, Score

RUNNING = (Membership.Role.OWNER, Membership.Role.EDITOR)


def bodies_of(*, user) -> QuerySet[Organization]:
    """The organizations the user belongs to: the bodies they may review for."""
    if user is None or not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(memberships__user=user).order_by("name")


def body_for_member(*, user, slug: str) -> Organization:
    """The body with this slug if the user is a member; 404 for everyone else."""
    found = bodies_of(user=user).filter(slug=slug).first()
    if found is None:
        raise Http404("No such endorsing body among yours.")
    return found


def is_runner(*, body: Organization, user) -> bool:
    """Whether the user may define the body's criteria, open reviews and decide."""
    if user is None or not user.is_authenticated:
        return False
    return Membership.objects.filter(organization=body, user=user, role__in=RUNNING).exists()


def reviews_of(*, body: Organization) -> QuerySet[Review]:
    """The body's reviews, newest first, with what each is about."""
    return body.endorsement_reviews.select_related("credential", "framework", "decided_by")


def review_for_member(*, user, identifier: uuid.UUID) -> Review:
    """One review, for a member of its body; 404 for everyone else."""
    found = (
        Review.objects.select_related("body", "credential", "framework", "opened_by", "decided_by")
        .filter(identifier=identifier, body__in=bodies_of(user=user))
        .first()
    )
    if found is None:
        raise Http404("No such review among your bodies'.")
    return found


@dataclass
class CriterionRow:
    criterion: Criterion
    scores: list[Score] = field(default_factory=list)

    @property
    def met(self) -> bool:
        """Met when a reviewer says so and none says it is not met."""
        ratings = {s.rating for s in self.scores}
        return Rating.MET in ratings and Rating.NOT_MET not in ratings


@dataclass
class ReviewSheet:
    review: Review
    rows: list[CriterionRow]
    events: list[ReviewEvent]


def review_sheet(*, review: Review) -> ReviewSheet:
    """The body's criteria with every reviewer's score, and the review's history."""
    scores = defaultdict(list)
    for found in review.scores.select_related("reviewer", "criterion"):
        scores[found.criterion_id].append(found)
    rows = [
        CriterionRow(criterion, scores.get(criterion.pk, []))
        for criterion in review.body.endorsement_criteria.order_by("position")
    ]
    events = list(review.events.select_related("actor"))
    return ReviewSheet(review, rows, events)


@dataclass
class Endorsed:
    """An endorsed credential as the public sees it, with why."""

    credential: Credential
    body: Organization
    framework: Framework
    summary: str
    decided_at: object
    met: list[str]
    criteria: list[str]
    source_seed: str
    source_section: str
    source_quote: str


def _endorsed(reviews) -> list[Endorsed]:
    reviews = list(reviews.select_related("credential", "body", "framework"))
    scores = defaultdict(list)
    for found in Score.objects.filter(review__in=reviews).select_related("criterion"):
        scores[(found.review_id, found.criterion_id)].append(found)
    criteria = defaultdict(list)
    for criterion in Criterion.objects.filter(body__in={r.body_id for r in reviews}):
        criteria[criterion.body_id].append(criterion)
    shown = []
    for review in reviews:
        mine = sorted(criteria[review.body_id], key=lambda c: c.position)
        met = [c.name for c in mine if CriterionRow(c, scores[(review.pk, c.pk)]).met]
        shown.append(
            Endorsed(
                review.credential,
                review.body,
                review.framework,
                review.summary,
                review.decided_at,
                met,
                [c.name for c in mine],
                review.source_seed,
                review.source_section,
                review.source_quote,
            )  # fmt: skip
        )
    return shown


def endorsed_for_framework(*, framework: Framework, reader) -> list[Endorsed]:
    """The visible credentials endorsed against a framework the caller has found visible."""
    return _endorsed(
        Review.objects.filter(
            framework=framework,
            decision=Decision.ENDORSED,
            credential__in=Credential.objects.visible_to(reader),
        ).order_by("credential__name")
    )


def endorsements_of(*, credential: Credential, reader) -> list[Endorsed]:
    """Where a credential the caller has found visible is endorsed (visible frameworks)."""
    return _endorsed(
        Review.objects.filter(
            credential=credential,
            decision=Decision.ENDORSED,
            framework__in=Framework.objects.visible_to(reader),
        ).order_by("framework__name")
    )


def endorsed_by_framework(*, reader) -> list[tuple[Framework, list[Endorsed]]]:
    """Every visible framework with endorsed credentials the reader may see, each with them."""
    found = _endorsed(
        Review.objects.filter(
            decision=Decision.ENDORSED,
            framework__in=Framework.objects.visible_to(reader),
            credential__in=Credential.objects.visible_to(reader),
        ).order_by("framework__name", "credential__name")
    )
    groups: dict[int, tuple[Framework, list[Endorsed]]] = {}
    for row in found:
        groups.setdefault(row.framework.pk, (row.framework, []))[1].append(row)
    return list(groups.values())


def criteria_of(*, body: Organization) -> QuerySet[Criterion]:
    """The body's criteria in order."""
    return body.endorsement_criteria.order_by("position")


def criterion_of(*, body: Organization, pk: int) -> Criterion:
    """One of the body's criteria, or 404."""
    found = body.endorsement_criteria.filter(pk=pk).first()
    if found is None:
        raise Http404("No such criterion.")
    return found
