"""What the uploaded worksheets add up to, per competency of a model (and per key behavior
where one was rated), and the gap: what the job requires that nothing covers.

Read from the uploads a user may see, in a fixed number of queries whatever their number:

- employer importance: n, mean and sd (sample standard deviation) of the ratings of employer
  worksheets, one per worksheet;
- courses: the curriculum worksheets' courses that teach it (taught yes or partly, or hours
  given), with their hours. A course covers a competency when it teaches the competency or
  one of its key behaviors; its hours are those written on the competency, or else the sum
  of those on its key behaviors;
- credentials: the credential worksheets' credentials that cover it, fully (yes on the
  competency, or on every one of its key behaviors) or partly;
- required: the mean importance is at or above the threshold (on the competency or one of its
  key behaviors), or a gap worksheet marks it required for the job;
- gap: required, and covered by no course and no credential.

A course or a credential whose worksheet was uploaded more than once counts once, as its latest
upload says; every employer worksheet is one more respondent."""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from cmc.core.errors import InvalidInput, Problem
from cmc.frameworks.models import Framework

from ..answers import HOURS, RATING, YES_NO, YES_PARTLY_NO
from ..models import WorksheetEntry
from ..worksheets import KINDS, version_label
from .uploads import uploads_for

DEFAULT_THRESHOLD = 4.0


def threshold_of(text) -> float:
    """The importance at or above which a competency is required: a number on the rating's
    scale (4 when none is given); InvalidInput naming `threshold` otherwise."""
    text = "" if text is None else str(text).strip()
    if not text:
        return DEFAULT_THRESHOLD
    try:
        value = float(text)
    except ValueError:
        value = None
    if value is None or not RATING.low <= value <= RATING.high:
        raise InvalidInput(
            [Problem("results", "threshold", f"'{text[:40]}' is not a number from "
                     f"{RATING.low} to {RATING.high}")]
        )  # fmt: skip
    return value


@dataclass
class Importance:
    n: int = 0
    mean: float | None = None
    sd: float | None = None


@dataclass
class CourseCover:
    name: str
    hours: float | None


@dataclass
class CredentialCover:
    name: str
    extent: str  # fully, partly


@dataclass
class ItemResult:
    """One competency (or key behavior) and what the uploads say of it."""

    kind: str
    identifier: str
    ref: str
    name: str
    importance: Importance
    marked_required: int
    courses: list[CourseCover]
    credentials: list[CredentialCover]
    required_because: list[str] = field(default_factory=list)
    behaviors: list["ItemResult"] = field(default_factory=list)
    tier_number: int = 0
    tier_name: str = ""

    @property
    def required(self) -> bool:
        return bool(self.required_because)

    @property
    def covered(self) -> bool:
        return bool(self.courses or self.credentials)

    @property
    def gap(self) -> bool:
        return self.required and not self.covered

    @property
    def course_hours(self) -> float | None:
        hours = [c.hours for c in self.courses if c.hours is not None]
        return sum(hours) if hours else None

    @property
    def covered_by(self) -> list[str]:
        """Who covers it, in words: "WLD 101 (12 hours)", "Welding certificate (partly)"."""
        courses = [
            c.name if c.hours is None else f"{c.name} ({c.hours:g} hours)" for c in self.courses
        ]
        return courses + [
            c.name if c.extent == "fully" else f"{c.name} (partly)" for c in self.credentials
        ]


@dataclass
class Results:
    framework: Framework
    version: str
    threshold: float
    uploads: dict[str, int]  # kind: how many uploads of it were read
    competencies: list[ItemResult]

    @property
    def gaps(self) -> list[ItemResult]:
        return [c for c in self.competencies if c.gap]

    @property
    def tiers(self) -> list[tuple[int, str, list[ItemResult]]]:
        grouped: dict[tuple[int, str], list[ItemResult]] = {}
        for item in self.competencies:
            grouped.setdefault((item.tier_number, item.tier_name), []).append(item)
        return [(number, name, items) for (number, name), items in grouped.items()]


@dataclass
class _Answers:
    """What the uploads say, by item identifier (str)."""

    ratings: dict = field(default_factory=lambda: defaultdict(list))
    required: dict = field(default_factory=lambda: defaultdict(int))
    courses: dict = field(default_factory=dict)  # key: (name, {item: {"taught", "hours"}})
    credentials: dict = field(default_factory=dict)  # key: (name, {item: answer})


def _roles(upload) -> dict[str, str]:
    """Column heading: role, for one upload (by the kinds its columns declared, or for an
    upload kept before they did, by the worksheet kind's own columns at their places)."""
    sheet = KINDS[upload.kind]
    codes = upload.column_types or [c.answer.code for c in sheet.typed(upload.columns)]
    return {upload.columns[i][:200]: role for role, i in sheet.roles(codes).items()}


def _checked(answer, value: str):
    kept, message = answer.check(value)
    return None if message else kept


def _collect(uploads, entries) -> _Answers:
    by_upload = defaultdict(list)
    for upload_id, item, column, value in entries:
        by_upload[upload_id].append((str(item), column, value))
    said = _Answers()
    for upload in uploads:  # oldest first: a later upload of a course or credential wins
        roles, rows = _roles(upload), by_upload[upload.pk]
        answers = defaultdict(dict)
        for item, column, value in rows:
            if role := roles.get(column):
                answers[item][role] = value
        if upload.kind == "employer":
            for item, got in answers.items():
                rating = _checked(RATING, got.get("importance", ""))
                if rating is not None:
                    said.ratings[item].append(int(rating))
        elif upload.kind == "gap":
            for item, got in answers.items():
                if _checked(YES_NO, got.get("required", "")) == "yes":
                    said.required[item] += 1
        elif upload.kind == "curriculum":
            name = upload.course or upload.filename
            said.courses[name.casefold()] = (name, _course_answers(answers))
        elif upload.kind == "credential":
            name = upload.credential or upload.filename
            covered = {
                item: _checked(YES_PARTLY_NO, got.get("covered", ""))
                for item, got in answers.items()
            }
            said.credentials[name.casefold()] = (name, covered)
    return said


def _course_answers(answers: dict) -> dict:
    kept = {}
    for item, got in answers.items():
        hours = _checked(HOURS, got.get("hours", ""))
        kept[item] = {
            "taught": _checked(YES_PARTLY_NO, got.get("taught", "")),
            "hours": float(hours) if hours is not None else None,
        }
    return kept


def _teaches(got: dict | None) -> bool:
    if not got or got["taught"] == "no":
        return False
    return got["taught"] in ("yes", "partly") or (got["hours"] or 0) > 0


def _courses(said: _Answers, item: str, parts: list[str]) -> list[CourseCover]:
    found = []
    for name, answers in said.courses.values():
        direct, taught = answers.get(item), [answers.get(p) for p in parts]
        if not _teaches(direct) and not any(_teaches(t) for t in taught):
            continue
        hours = direct["hours"] if direct and direct["hours"] is not None else None
        if hours is None:
            given = [t["hours"] for t in taught if _teaches(t) and t["hours"] is not None]
            hours = sum(given) if given else None
        found.append(CourseCover(name, hours))
    return sorted(found, key=lambda c: c.name.casefold())


def _extent(direct: str | None, parts: list[str | None]) -> str | None:
    if direct in ("yes", "partly"):
        return "fully" if direct == "yes" else "partly"
    if direct is None and parts and all(p == "yes" for p in parts):
        return "fully"
    return "partly" if any(p in ("yes", "partly") for p in parts) else None


def _credentials(said: _Answers, item: str, parts: list[str]) -> list[CredentialCover]:
    found = []
    for name, answers in said.credentials.values():
        extent = _extent(answers.get(item), [answers.get(p) for p in parts])
        if extent:
            found.append(CredentialCover(name, extent))
    return sorted(found, key=lambda c: c.name.casefold())


def _importance(ratings: list[int]) -> Importance:
    if not ratings:
        return Importance()
    sd = statistics.stdev(ratings) if len(ratings) > 1 else None
    return Importance(len(ratings), statistics.fmean(ratings), sd)


def _item(said: _Answers, kind: str, identifier: str, ref: str, name: str, parts=()):
    return ItemResult(
        kind, identifier, ref, name, _importance(said.ratings.get(identifier, [])),
        said.required.get(identifier, 0), _courses(said, identifier, list(parts)),
        _credentials(said, identifier, list(parts)),
    )  # fmt: skip


def _required_because(item: ItemResult, threshold: float) -> list[str]:
    because = []
    mean = item.importance.mean
    if mean is not None and mean >= threshold:
        because.append(f"importance {mean:.1f} (n={item.importance.n})")
    for behavior in item.behaviors:
        mean = behavior.importance.mean
        if mean is not None and mean >= threshold:
            because.append(f"key behavior {behavior.ref}: importance {mean:.1f}")
    marked = item.marked_required + sum(b.marked_required for b in item.behaviors)
    if marked:
        because.append(f"marked required in {marked} gap worksheet{'s' if marked > 1 else ''}")
    return because


def results_for(*, framework: Framework, user, threshold: float = DEFAULT_THRESHOLD) -> Results:
    """Per competency of a framework whose tree is loaded (`framework_tree`), what the
    worksheets the user may see add up to, and whether it is a gap at `threshold`."""
    seen = uploads_for(framework=framework, user=user).select_related(None)
    uploads = list(
        seen.order_by("uploaded_at", "id").only(
            "id", "framework", "kind", "columns", "column_types", "course", "credential", "filename"
        )
    )
    entries = WorksheetEntry.objects.filter(upload__in=seen.values("pk")).values_list(
        "upload_id", "item_identifier", "column", "value"
    )
    said = _collect(uploads, entries if uploads else [])
    competencies = []
    for tier in framework.tier_list:
        for competency in tier.competency_list:
            parts = [
                (str(b.identifier), f"{competency.code}/{n}", b.title or b.text)
                for n, b in enumerate(competency.behavior_list, start=1)
            ]
            item = _item(said, "competency", str(competency.identifier), competency.code,
                         competency.name, [p[0] for p in parts])  # fmt: skip
            item.tier_number, item.tier_name = tier.number, tier.name
            for identifier, ref, text in parts:
                behavior = _item(said, "behavior", identifier, ref, text)
                if behavior.importance.n or behavior.marked_required:
                    behavior.required_because = _required_because(behavior, threshold)
                    item.behaviors.append(behavior)
            item.required_because = _required_because(item, threshold)
            competencies.append(item)
    counts = {kind: sum(1 for u in uploads if u.kind == kind) for kind in KINDS}
    return Results(framework, version_label(framework), threshold, counts, competencies)
