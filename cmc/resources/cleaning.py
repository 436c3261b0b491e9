"""Checking what a person sends for a resource, on every door alike: each field cleaned or a
Problem naming where and which field, and the alignments given by framework slug, tier number
and competency code resolved to the framework's items the person may see. Nothing is written
here."""

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from cmc.core.errors import Problem

from .industries import INDUSTRIES, canonical_industry
from .vocab import KINDS, STATES, USES

LIMITS = {"title": 300, "organization": 300, "audience": 300, "format": 200, "cost": 200}
MAX_DESCRIPTION = 10_000
_URL = URLValidator(schemes=["http", "https"])
_SPLIT = re.compile(r"[;\n]")


@dataclass(frozen=True)
class AlignmentRef:
    """An alignment as a person writes it: a framework's slug, and a tier number and a
    competency code of that framework when the resource is that precise."""

    framework: str
    tier: int | None = None
    competency: str = ""

    def __str__(self) -> str:
        return ":".join(str(p) for p in (self.framework, self.tier or "", self.competency)).rstrip(
            ":"
        )


@dataclass
class ResourceInput:
    """What a form, a request body or a row of a file gives for one resource."""

    kind: str = ""
    title: str = ""
    organization: str = ""
    url: str = ""
    description: str = ""
    industries: list[str] = field(default_factory=list)
    states: list[str] = field(default_factory=list)
    audience: str = ""
    format: str = ""
    cost: str = ""
    date: object = None
    uses: list[str] = field(default_factory=list)
    alignments: list[AlignmentRef] = field(default_factory=list)


@dataclass
class Target:
    """A resolved alignment: the framework and, when given, its tier and competency."""

    framework: object
    tier: object = None
    competency: object = None


@dataclass
class CleanResource:
    fields: dict
    tags: dict[str, list[str]]
    targets: list[Target] | None  # None: not resolved (a dry run before the frameworks load)


def split_list(text: str) -> list[str]:
    """A list written in one cell or box: values separated by semicolons or new lines."""
    return [part.strip() for part in _SPLIT.split(text or "") if part.strip()]


def parse_alignment(text: str) -> AlignmentRef | None:
    """`slug`, `slug:tier` or `slug:tier:code` (`slug::code` names a competency alone); None
    when the tier is not a whole number."""
    slug, _, rest = text.strip().partition(":")
    tier_text, _, code = rest.partition(":")
    tier_text = tier_text.strip()
    if tier_text and not tier_text.isdigit():
        return None
    return AlignmentRef(slug.strip(), int(tier_text) if tier_text else None, code.strip())


class Cleaner:
    """Cleans resources for one actor; frameworks are looked up once each (an import names the
    same few many times)."""

    def __init__(self, actor):
        self.actor = actor
        self._frameworks: dict[str, object | None] = {}

    def clean(self, data: ResourceInput, *, where: str) -> tuple[CleanResource | None, list]:
        problems: list[Problem] = []
        fields = self._fields(data, where, problems)
        tags = {
            "industry": self._industries(data.industries, where, problems),
            "state": self._states(data.states, where, problems),
            "use": self._uses(data.uses, where, problems),
        }
        targets = [t for ref in data.alignments if (t := self._target(ref, where, problems))]
        if problems:
            return None, problems
        return CleanResource(fields, tags, targets), []

    def _fields(self, data: ResourceInput, where: str, problems: list) -> dict:
        texts = {name: _text(getattr(data, name)) for name in (*LIMITS, "description", "url")}
        for name, text in texts.items():
            if "\x00" in text:
                problems.append(Problem(where, name, "contains a NUL character; remove it"))
        for name, most in LIMITS.items():
            if len(texts[name]) > most:
                problems.append(Problem(where, name, f"is longer than {most} characters"))
        if not texts["title"]:
            problems.append(Problem(where, "title", "is required"))
        if len(texts["description"]) > MAX_DESCRIPTION:
            problems.append(
                Problem(where, "description", f"is longer than {MAX_DESCRIPTION:,} characters")
            )
        kind = _choice(data.kind, KINDS)
        if kind is None:
            problems.append(Problem(where, "kind", _not_one(data.kind, KINDS, "kind")))
        url = texts["url"]
        if url and not _valid_url(url):
            problems.append(
                Problem(where, "url", f"'{url[:200]}' is not a web address (http:// or https://)")
            )
        return {**texts, "kind": kind or "", "date": _date(data.date, where, problems)}

    def _industries(self, values, where, problems) -> list[str]:
        found = []
        for value in values:
            name = canonical_industry(_text(value))
            if name is None:
                message = f"'{_text(value)[:100]}' is not an industry of the clearinghouse"
                problems.append(
                    Problem(where, "industries", f"{message} (one of: {', '.join(INDUSTRIES)})")
                )
            elif name not in found:
                found.append(name)
        return found

    def _states(self, values, where, problems) -> list[str]:
        found = []
        for value in values:
            code = _text(value).upper()
            if code not in STATES:
                message = f"'{_text(value)[:20]}' is not a U.S. state code"
                problems.append(
                    Problem(where, "states", f"{message} (two letters, such as WA or DC)")
                )
            elif code not in found:
                found.append(code)
        return found

    def _uses(self, values, where, problems) -> list[str]:
        found = []
        for value in values:
            use = _choice(value, USES)
            if use is None:
                problems.append(Problem(where, "uses", _not_one(value, USES, "use of a model")))
            elif use not in found:
                found.append(use)
        return found

    def _target(self, ref: AlignmentRef, where: str, problems: list) -> Target | None:
        framework = self._framework(ref.framework)
        if framework is None:
            problems.append(Problem(where, "alignments", f"no framework '{ref.framework}'"))
            return None
        tiers = {tier.number: tier for tier in framework.tier_list}
        tier = tiers.get(ref.tier) if ref.tier is not None else None
        if ref.tier is not None and tier is None:
            problems.append(
                Problem(
                    where, "alignments", f"the framework '{ref.framework}' has no tier {ref.tier}"
                )
            )
            return None
        if not ref.competency:
            return Target(framework, tier)
        within = [tier] if tier is not None else list(tiers.values())
        found = [c for t in within for c in t.competency_list if c.code == ref.competency]
        if not found:
            place = f"tier {ref.tier} of " if tier is not None else ""
            problems.append(Problem(where, "alignments", f"{place}the framework '{ref.framework}' "
                                    f"has no competency '{ref.competency}'"))  # fmt: skip
            return None
        return Target(framework, found[0].tier, found[0])

    def _framework(self, slug: str):
        if slug not in self._frameworks:
            from django.db.models import Prefetch

            from cmc.frameworks.models import Competency, Framework, Tier

            competencies = Prefetch(
                "competencies", queryset=Competency.objects.order_by("position"),
                to_attr="competency_list",
            )  # fmt: skip
            tiers = Prefetch(
                "tiers", queryset=Tier.objects.order_by("position").prefetch_related(competencies),
                to_attr="tier_list",
            )  # fmt: skip
            self._frameworks[slug] = (
                Framework.objects.visible_to(self.actor)
                .filter(slug=slug)
                .prefetch_related(tiers)
                .first()
            )
        return self._frameworks[slug]


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _choice(value, choices: dict) -> str | None:
    """The key of a choice given by its key or its label, whatever its case."""
    text = " ".join(_text(value).split()).casefold()
    for key, label in choices.items():
        if text in (key.casefold(), label.casefold()):
            return key
    return None


def _not_one(value, choices: dict, what: str) -> str:
    shown = _text(value)[:100]
    start = f"'{shown}' is not a {what}" if shown else "is required"
    return f"{start} (one of: {', '.join(choices)})"


def _valid_url(url: str) -> bool:
    try:
        _URL(url)
    except ValidationError:
        return False
    return True


def _date(value, where: str, problems: list) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        problems.append(Problem(where, "date", f"'{text[:40]}' is not a date (YYYY-MM-DD)"))
        return None
