"""The checks every door's input to a lattice goes through (the page, the API, an imported
file): each collects Problems naming the field, and returns the cleaned values."""

import re
from dataclasses import dataclass, field

from django.http import Http404
from django.utils.text import slugify

from cmc.core.errors import Problem
from cmc.frameworks.models import Competency, Framework
from cmc.occupations import selectors as occupations

from ..models import Experience, Transition

ONET_CODE = re.compile(r"^\d\d-\d{4}\.\d\d$")
MAX_LEVEL, MAX_MONTHS, MAX_TEXT = 20, 600, 2000


@dataclass
class Context:
    """What a position's input is checked against: the lattice's framework's competencies
    (by code and by identifier) and whether O*NET occupations are loaded."""

    framework: Framework | None
    competencies: dict[str, str] = field(default_factory=dict)
    onet_loaded: bool = False


def context_for(framework: Framework | None) -> Context:
    competencies: dict[str, str] = {}
    if framework is not None:
        for identifier, code in Competency.objects.filter(framework=framework).values_list(
            "identifier", "code"
        ):
            competencies[str(identifier)] = str(identifier)
            competencies.setdefault(code, str(identifier))
    return Context(framework, competencies, occupations.dataset("onet") is not None)


class Collector:
    """Problems found so far, each at `where` with its field prefixed (`positions[2].level`)."""

    def __init__(self, where: str, prefix: str = ""):
        self.where, self.prefix, self.problems = where, prefix, []

    def add(self, name: str, message: str) -> None:
        self.problems.append(Problem(self.where, f"{self.prefix}{name}", message))

    def at(self, prefix: str) -> "Collector":
        inner = Collector(self.where, f"{self.prefix}{prefix}")
        inner.problems = self.problems
        return inner


def text(data: dict, name: str, out: Collector, *, required=False, limit=MAX_TEXT) -> str:
    value = data.get(name)
    if value is None:
        value = ""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        out.add(name, "must be text")
        return ""
    value = " ".join(str(value).split()) if limit <= 200 else str(value).strip()
    if required and not value:
        out.add(name, "is empty; fill it in")
    elif len(value) > limit:
        out.add(name, f"is {len(value)} characters long; at most {limit} are allowed")
    return value


def integer(data: dict, name: str, out: Collector, *, low: int, high: int, blank=False):
    value = data.get(name)
    if value in (None, "") and blank:
        return None
    try:
        number = int(str(value).strip()) if not isinstance(value, bool) else None
    except ValueError:
        number = None
    if number is None or isinstance(value, float) and value != int(value):
        out.add(
            name,
            f"'{value if value is not None else ''}' is not a whole number from {low} to {high}",
        )
        return None
    if not low <= number <= high:
        out.add(name, f"{number} is not between {low} and {high}")
        return None
    return number


def text_list(data: dict, name: str, out: Collector) -> list[str]:
    """A list of texts, or one text with one item a line (as a page's text area sends it)."""
    value = data.get(name) or []
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        out.add(name, "must be a list of texts")
        return []
    return [" ".join(v.split()) for v in value if v.strip()]


def occupation(data: dict, out: Collector, ctx: Context) -> tuple[str, str]:
    """The position's O*NET-SOC code and its title ('' for a local job title)."""
    code = text(data, "occupation", out, limit=20)
    if not code:
        return "", ""
    if not ONET_CODE.match(code):
        out.add("occupation", f"'{code}' is not an O*NET-SOC code such as 51-4041.00")
        return "", ""
    if not ctx.onet_loaded:
        return code, ""  # kept as given until O*NET is imported (cmc import-onet)
    try:
        return code, occupations.find_occupation(code).title
    except Http404 as missing:
        out.add("occupation", str(missing))
        return "", ""


def competencies(data: dict, out: Collector, ctx: Context) -> list[str]:
    """Identifiers of the framework's competencies the position names (by code or identifier)."""
    named = text_list(data, "competencies", out)
    if named and ctx.framework is None:
        out.add("competencies", "choose the lattice's framework first")
        return []
    found: list[str] = []
    for item in named:
        identifier = ctx.competencies.get(item)
        if identifier is None:
            out.add(
                "competencies",
                f"'{item}' is not a competency of the framework '{ctx.framework.slug}'",
            )
        elif identifier not in found:
            found.append(identifier)
    return found


def position(data: dict, out: Collector, ctx: Context) -> dict:
    """A position's cleaned fields (see the module's docstring)."""
    code, occupation_title = occupation(data, out, ctx)
    title = text(data, "title", out, limit=200) or occupation_title
    if not title:
        out.add("title", "is empty; give a job title or choose an occupation")
    track = text(data, "track", out, limit=100) or "Main"
    return {
        "key": slugify(text(data, "key", out, limit=60))[:60],
        "title": title,
        "occupation_code": code,
        "level": integer(data, "level", out, low=1, high=MAX_LEVEL),
        "track": track,
        "education": text(data, "education", out),
        "experience": text(data, "experience", out),
        "credentials": text_list(data, "credentials", out),
        "competencies": competencies(data, out, ctx),
    }


def experiences(items, out: Collector) -> list[dict]:
    """The cleaned experiences of a move, in order."""
    if items is None:
        return []
    if not isinstance(items, list):
        out.add("experiences", "must be a list")
        return []
    cleaned = []
    for number, item in enumerate(items):
        inner = out.at(f"experiences[{number}].")
        if not isinstance(item, dict):
            inner.add("kind", "each experience needs a kind, a text and its months")
            continue
        kind = text(item, "kind", inner, required=True, limit=20)
        if kind and kind not in Experience.Kind.values:
            inner.add("kind", f"'{kind}' is not one of {', '.join(Experience.Kind.values)}")
        cleaned.append(
            {
                "kind": kind,
                "text": text(item, "text", inner, required=True),
                "months": integer(item, "months", inner, low=0, high=MAX_MONTHS, blank=True),
            }
        )
    return cleaned


def kind(data: dict, out: Collector) -> str:
    value = text(data, "kind", out, limit=20) or Transition.Kind.PROMOTION
    if value not in Transition.Kind.values:
        out.add("kind", f"'{value}' is not one of {', '.join(Transition.Kind.values)}")
    return value
