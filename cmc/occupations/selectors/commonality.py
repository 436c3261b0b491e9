"""Commonality analysis: the skills, knowledge, abilities and work activities several
occupations share (the guide's first step in building an industry model)."""

from dataclasses import dataclass

from cmc.core.errors import InvalidInput, Problem

from ..models import Domain, ElementRating, Occupation
from .occupations import _resolve
from .profile import SHOWN_DOMAINS

MAX_OCCUPATIONS = 30
DEFAULT_THRESHOLD = 3.0


@dataclass(frozen=True)
class SharedElement:
    element_id: str
    name: str
    domain: str
    domain_label: str
    important_in: int  # how many of the occupations rate it at or above the threshold
    rated_in: int
    mean_importance: float | None
    mean_level: float | None
    important_for: tuple[str, ...]  # the codes of those occupations


@dataclass(frozen=True)
class Commonality:
    occupations: list[Occupation]
    min_importance: float
    rows: list[SharedElement]


def parse_codes(text) -> list[str]:
    """Codes from "A,B C" or a list of such strings, in order, each once."""
    parts = [text] if isinstance(text, str) else list(text or [])
    codes = [code for part in parts for code in str(part).replace(",", " ").split()]
    return list(dict.fromkeys(codes))


def commonality(codes, *, min_importance: float = DEFAULT_THRESHOLD) -> Commonality:
    """For the occupations the codes name: every rated element with in how many of them it is
    important (importance >= min_importance), its mean importance and level across them; most
    shared first, then by mean importance. InvalidInput names unknown codes."""
    codes = parse_codes(codes)
    problems = _check(codes, min_importance)
    found = _resolve(codes)
    problems += [
        Problem("codes", code, "is not the code of a loaded occupation")
        for code in codes
        if code not in found
    ]
    if problems:
        raise InvalidInput(problems)
    occupations = list({row.code: row for row in found.values()}.values())
    rows = ElementRating.objects.filter(
        occupation_id__in=[o.code for o in occupations], domain__in=SHOWN_DOMAINS
    ).values_list("element_id", "element__name", "domain", "occupation_id", "importance", "level")
    gathered: dict[str, dict] = {}
    for element, name, domain, code, importance, level in rows:
        entry = gathered.setdefault(
            element, {"name": name, "domain": domain, "im": [], "lv": [], "for": []}
        )
        if importance is not None:
            entry["im"].append(importance)
            if importance >= min_importance:
                entry["for"].append(code)
        if level is not None:
            entry["lv"].append(level)
    labels = dict(Domain.choices)
    shared = [
        SharedElement(
            element, e["name"], e["domain"], labels[e["domain"]], len(e["for"]), len(e["im"]),
            _mean(e["im"]), _mean(e["lv"]), tuple(sorted(e["for"])),
        )
        for element, e in gathered.items()
    ]  # fmt: skip
    shared.sort(key=lambda s: (-s.important_in, -(s.mean_importance or 0), s.element_id))
    return Commonality(occupations, min_importance, shared)


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def _check(codes: list[str], min_importance) -> list[Problem]:
    problems = []
    if not codes:
        problems.append(Problem("codes", "codes", "choose at least one occupation"))
    if len(codes) > MAX_OCCUPATIONS:
        problems.append(Problem("codes", "codes", f"choose at most {MAX_OCCUPATIONS} occupations"))
    if not 1 <= min_importance <= 5:
        problems.append(Problem("min_importance", "min_importance", "must be between 1 and 5"))
    return problems
