"""What the survey pages read from their forms, and the steps of the respondent's page."""

import re
from dataclasses import dataclass, field
from datetime import date

from cmc.core.errors import InvalidInput, Problem

from ..selectors import surveys as selectors
from ..services.surveys import DEFAULT_EMPLOYER_ROLES, DEFAULT_GROUPS

ABOUT, TIER, SUBMIT = "about", "tier", "submit"
IMPORTANCE = [
    (1, "Not important"), (2, "Slightly important"), (3, "Moderately important"),
    (4, "Important"), (5, "Very important"),
]  # fmt: skip
FREQUENCY = [
    (1, "Rarely or never"), (2, "A few times a year"), (3, "Monthly"), (4, "Weekly"),
    (5, "Daily"),
]  # fmt: skip


@dataclass
class Competency:
    code: str
    name: str
    items: list = field(default_factory=list)


@dataclass
class Step:
    kind: str
    title: str
    competencies: list[Competency] = field(default_factory=list)

    @property
    def items(self) -> list:
        return [item for competency in self.competencies for item in competency.items]


def steps_of(survey) -> list[Step]:
    """About you (when groups are asked), then one step per tier, then submitting."""
    steps = [Step(ABOUT, "About you")] if survey.groups else []
    for item in selectors.survey_items(survey):
        title = f"Tier {item.tier_number}: {item.tier_name}"
        if not steps or steps[-1].title != title:
            steps.append(Step(TIER, title))
        competencies = steps[-1].competencies
        if not competencies or competencies[-1].code != item.competency_code:
            competencies.append(Competency(item.competency_code, item.competency_name))
        competencies[-1].items.append(item)
    steps.append(Step(SUBMIT, "Check and submit"))
    return steps


def _lines(text: str) -> list[str]:
    return [line.strip() for line in re.split(r"[\n;]", text or "") if line.strip()]


def open_form_values(data) -> dict:
    """The open form's fields as typed, or its defaults."""
    if data is None:
        return {
            "version": "", "invite": "", "deadline": "", "min_mean_importance": "3",
            "min_share_percent": "50", "segment": "",
            "region": "\n".join(DEFAULT_GROUPS["region"]),
            "role": "\n".join(DEFAULT_GROUPS["role"]),
            "employer_roles": "\n".join(DEFAULT_EMPLOYER_ROLES),
        }  # fmt: skip
    names = ("version", "invite", "deadline", "min_mean_importance", "min_share_percent")
    names += (*selectors.GROUP_KINDS, "employer_roles")
    return {name: data.get(name, "") for name in names}


def _number(data, name: str, kind, problems: list[Problem], message: str):
    try:
        return kind(data.get(name, "").strip())
    except ValueError:
        problems.append(Problem("survey", name, message))
        return None


def invitees_of_form(data) -> list[str]:
    """The addresses typed in an "invite" box: one a line, or separated by commas."""
    return re.split(r"[\s,;]+", data.get("invite", ""))


def parse_open_form(data) -> dict:
    """The open_survey arguments the form gives; InvalidInput for numbers and dates that
    aren't (the service checks everything else)."""
    problems: list[Problem] = []
    version = _number(data, "version", int, problems, "choose a published version")
    mean = _number(data, "min_mean_importance", float, problems, "give a number from 1 to 5")
    share = _number(data, "min_share_percent", float, problems, "give a percentage, 0 to 100")
    deadline = None
    if data.get("deadline", "").strip():
        deadline = _number(data, "deadline", date.fromisoformat, problems, "give a date")
    if problems:
        raise InvalidInput(problems)
    return {
        "version": version, "deadline": deadline, "min_mean_importance": mean,
        "min_share_important": share / 100,
        "invitees": invitees_of_form(data),
        "groups": {kind: _lines(data.get(kind, "")) for kind in selectors.GROUP_KINDS},
        "employer_roles": _lines(data.get("employer_roles", "")),
    }  # fmt: skip


def _rating(data, name: str):
    raw = data.get(name, "")
    return int(raw) if raw.isdigit() else None


def parse_response_form(data, step: Step) -> dict:
    """The save_response arguments of one step: its group answers or its ratings."""
    if step.kind == ABOUT:
        return {"group": {kind: data.get(f"group-{kind}", "") for kind in selectors.GROUP_KINDS
                          if f"group-{kind}" in data}, "ratings": []}  # fmt: skip
    ratings = []
    for item in step.items:
        entry = data.get(f"entry-{item.identifier}", "")
        ratings.append({
            "behavior": item.identifier,
            "importance": _rating(data, f"imp-{item.identifier}"),
            "frequency": _rating(data, f"freq-{item.identifier}"),
            "needed_at_entry": {"yes": True, "no": False}.get(entry),
        })  # fmt: skip
    return {"group": None, "ratings": ratings}
