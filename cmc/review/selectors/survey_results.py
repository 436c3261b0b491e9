"""The results of a validation survey: per key behavior and per competency, importance and
frequency summarized, the share who need it at entry, per respondent group, agreement across
groups, and the behaviors below the editor's thresholds flagged for removal."""

import statistics
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from ..models import GROUP_KINDS, Survey, SurveyRating
from .survey_statistics import Agreement, Summary, agreement, summarize
from .surveys import SurveyItem, survey_items


@dataclass(frozen=True)
class GroupResult:
    choice: str
    n: int
    mean: float | None


@dataclass(frozen=True)
class ItemResult:
    """One key behavior or competency. A competency's figures are over respondents: each
    respondent's mean importance (and frequency) across the competency's behaviors they rated,
    so that no respondent counts more than once; its distribution counts every rating of its
    behaviors."""

    kind: str  # "behavior" or "competency"
    identifier: uuid.UUID
    label: str
    tier_number: int
    competency_code: str
    importance: Summary
    frequency: Summary
    needed_at_entry: float | None
    distribution: tuple[int, ...]
    by_group: dict[str, list[GroupResult]] = field(default_factory=dict)
    agreement: dict[str, Agreement] = field(default_factory=dict)
    reasons: tuple[str, ...] = ()

    @property
    def flagged(self) -> bool:
        return bool(self.reasons)


@dataclass(frozen=True)
class SurveyResults:
    survey: Survey
    respondents: int
    filters: dict[str, str]
    behaviors: list[ItemResult]
    competencies: list[ItemResult]

    @property
    def flagged(self) -> list[ItemResult]:
        return [item for item in self.behaviors if item.flagged]


@dataclass
class _Answers:
    """The ratings of one respondent: their group answers and their ratings by behavior."""

    group: dict
    ratings: dict[uuid.UUID, tuple] = field(default_factory=dict)


def survey_results(survey: Survey, *, filters: dict[str, str] | None = None) -> SurveyResults:
    """The survey's results over the respondents who saved any rating (submitted or not yet),
    only those whose group answers match `filters` ({kind: choice}) if given. The caller has
    checked that the reader may see them (selectors.surveys.editable_survey)."""
    filters = {k: v for k, v in (filters or {}).items() if k in survey.groups and v}
    answers = [a for a in _answers(survey) if all(a.group.get(k) == v for k, v in filters.items())]
    items = survey_items(survey)
    behaviors = [_behavior_result(survey, item, answers) for item in items]
    competencies = [
        _competency_result(survey, group, answers) for group in _by_competency(items).values()
    ]
    return SurveyResults(survey, len(answers), filters, behaviors, competencies)


def _answers(survey: Survey) -> list[_Answers]:
    rows = SurveyRating.objects.filter(response__invitation__survey=survey).values_list(
        "response_id", "response__group", "behavior", "importance", "frequency", "needed_at_entry"
    )
    answers: dict[int, _Answers] = {}
    for response_id, group, behavior, importance, frequency, needed in rows.order_by("id"):
        found = answers.setdefault(response_id, _Answers(group or {}))
        found.ratings[behavior] = (importance, frequency, needed)
    return list(answers.values())


def _by_competency(items: list[SurveyItem]) -> dict[uuid.UUID, list[SurveyItem]]:
    grouped: dict[uuid.UUID, list[SurveyItem]] = defaultdict(list)
    for item in items:
        grouped[item.competency_identifier].append(item)
    return grouped


def _score(answer: _Answers, identifiers: list[uuid.UUID], index: int) -> float | None:
    """One respondent's mean rating (importance 0, frequency 1) over the given behaviors."""
    values = [answer.ratings[i][index] for i in identifiers if i in answer.ratings]
    values = [v for v in values if v is not None]
    return statistics.fmean(values) if values else None


def _item_result(survey, *, kind, identifier, label, item, answers, identifiers) -> ItemResult:
    importance = [(a, _score(a, identifiers, 0)) for a in answers]
    importance = [(a, v) for a, v in importance if v is not None]
    frequency = [v for a in answers if (v := _score(a, identifiers, 1)) is not None]
    needed = [a.ratings[i][2] for a in answers for i in identifiers if i in a.ratings]
    needed = [v for v in needed if v is not None]
    pooled = [a.ratings[i][0] for a in answers for i in identifiers if i in a.ratings]
    by_group, agreed = _groups(survey, importance)
    return ItemResult(
        kind=kind, identifier=identifier, label=label, tier_number=item.tier_number,
        competency_code=item.competency_code,
        importance=summarize([v for _, v in importance]), frequency=summarize(frequency),
        needed_at_entry=sum(needed) / len(needed) if needed else None,
        distribution=tuple(pooled.count(score) for score in range(1, 6)),
        by_group=by_group, agreement=agreed,
    )  # fmt: skip


def _groups(survey: Survey, scored: list[tuple[_Answers, float]]):
    by_group: dict[str, list[GroupResult]] = {}
    agreed: dict[str, Agreement] = {}
    for kind in GROUP_KINDS:
        if kind not in survey.groups:
            continue
        values = {
            choice: [v for a, v in scored if a.group.get(kind) == choice]
            for choice in survey.groups[kind]
        }
        by_group[kind] = [
            GroupResult(choice, len(vs), statistics.fmean(vs) if vs else None)
            for choice, vs in values.items()
        ]
        agreed[kind] = agreement(values)
    return by_group, agreed


def _behavior_result(survey: Survey, item: SurveyItem, answers: list[_Answers]) -> ItemResult:
    result = _item_result(
        survey, kind="behavior", identifier=item.identifier,
        label=_label(item), item=item, answers=answers, identifiers=[item.identifier],
    )  # fmt: skip
    return _flag(survey, result)


def _competency_result(survey, items: list[SurveyItem], answers) -> ItemResult:
    first = items[0]
    return _item_result(
        survey, kind="competency", identifier=first.competency_identifier,
        label=first.competency_name, item=first, answers=answers,
        identifiers=[i.identifier for i in items],
    )  # fmt: skip


def _flag(survey: Survey, result: ItemResult) -> ItemResult:
    """The behavior with the reasons it falls below the editor's thresholds, if it does."""
    summary = result.importance
    if summary.n == 0:
        return result
    reasons = []
    if summary.mean < survey.min_mean_importance:
        reasons.append(
            f"mean importance {summary.mean:.2f} is below {survey.min_mean_importance:g}"
        )
    if summary.share_important < survey.min_share_important:
        reasons.append(
            f"{summary.share_important:.0%} rate it important or higher, "
            f"below {survey.min_share_important:.0%}"
        )
    return ItemResult(**{**result.__dict__, "reasons": tuple(reasons)})


RAW_COLUMNS = [
    "respondent", "submitted", *GROUP_KINDS.values(), "tier", "competency code", "competency",
    "behavior identifier", "key behavior", "importance", "frequency", "needed at entry",
]  # fmt: skip


def response_rows(survey: Survey) -> list[list]:
    """The raw responses, one row per rating, in the model's order within each respondent.
    Respondents are numbered (R1, R2...) in the order they first saved: never named."""
    items = {item.identifier: item for item in survey_items(survey)}
    order = {identifier: n for n, identifier in enumerate(items)}
    ratings = (
        SurveyRating.objects.filter(response__invitation__survey=survey)
        .select_related("response")
        .order_by("response_id")
    )
    numbers: dict[int, int] = {}
    rows = []
    for rating in sorted(ratings, key=lambda r: (r.response_id, order.get(r.behavior, 0))):
        number = numbers.setdefault(rating.response_id, len(numbers) + 1)
        item = items.get(rating.behavior)
        group = rating.response.group or {}
        submitted = rating.response.submitted_at
        rows.append([
            f"R{number}", submitted.strftime("%Y-%m-%d %H:%M") if submitted else "",
            *(group.get(kind, "") for kind in GROUP_KINDS),
            item.tier_number if item else "", item.competency_code if item else "",
            item.competency_name if item else "", str(rating.behavior),
            _label(item) if item else "", rating.importance, rating.frequency,
            {True: "yes", False: "no", None: ""}[rating.needed_at_entry],
        ])  # fmt: skip
    return rows


def _label(item: SurveyItem) -> str:
    return f"{item.title}: {item.text}" if item.title else item.text
