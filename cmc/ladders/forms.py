"""The build page's forms as plain field descriptions: each field with its id, value and the
problems a service named for it, so that errors show beside their field and in a summary
linking to it (the same problems whichever door sent the input)."""

import re
from dataclasses import dataclass, field

from cmc.core.errors import Problem

EXPERIENCE_ROWS = 2  # blank rows offered under a move's experiences
KINDS = [("promotion", "Promotion"), ("lateral", "Lateral move")]
EXPERIENCE_KINDS = [
    ("education", "Education"),
    ("training", "Training"),
    ("credential", "Credential"),
    ("work_experience", "Work experience"),
]


def field_name(name: str) -> str:
    """A service's field ("experiences[1].text") as a form field's name ("experiences-1-text")."""
    return re.sub(r"[^a-z0-9_]+", "-", name.lower()).strip("-")


@dataclass
class Field:
    form: str
    name: str
    label: str
    value: object = ""
    kind: str = "text"  # text, textarea, number, select, multiple
    choices: list[tuple[str, str]] = field(default_factory=list)
    help: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"{self.form}-{self.name}"

    @property
    def selected(self) -> set[str]:
        values = self.value if isinstance(self.value, list | tuple) else [self.value]
        return {str(v) for v in values}


@dataclass
class Form:
    name: str
    fields: list[Field]
    problems: list[Problem] = field(default_factory=list)

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    def summary(self) -> list[tuple[str, str]]:
        """(anchor, message) of each problem, linking to its field where the form has one."""
        items = []
        for problem in self.problems:
            target = self.field(field_name(problem.field))
            label = target.label if target else problem.field
            anchor = f"#{target.id}" if target else f"#{self.name}"
            items.append((anchor, f"{label}: {problem.message}"))
        return items


def with_problems(form: Form, problems: list[Problem]) -> Form:
    form.problems = problems
    for problem in problems:
        target = form.field(field_name(problem.field))
        if target is not None:
            target.errors.append(problem.message)
    return form


def lattice_form(values: dict, frameworks, organizations, *, sharing: bool, name="lattice") -> Form:
    fields = [
        Field(name, "name", "Name", values.get("name", "")),
        Field(name, "description", "Description", values.get("description", ""), "textarea"),
        Field(
            name, "framework", "Competencies from the framework", values.get("framework", ""),
            "select", [("", "None")] + list(frameworks),
            help="The model whose competencies the positions name.",
        ),
    ]  # fmt: skip
    if sharing:
        fields += [
            Field(
                name, "visibility", "Who may see it", values.get("visibility", "private"), "select",
                [("private", "Only me"), ("organization", "My organization"), ("public", "Everyone")],
            ),
            Field(
                name, "organization", "Organization", values.get("organization", ""), "select",
                [("", "None")] + list(organizations),
            ),
        ]  # fmt: skip
    return Form(name, fields)


def position_form(values: dict, competencies, *, name: str = "add-position") -> Form:
    fields = [
        Field(name, "occupation", "O*NET-SOC occupation code", values.get("occupation", ""),
              help="For example 51-4041.00. Leave empty for a local job title; find a code below."),
        Field(name, "title", "Job title", values.get("title", ""),
              help="Leave empty to use the occupation's title."),
        Field(name, "level", "Level", values.get("level", 1), "number", help="1 is the entry level."),
        Field(name, "track", "Track", values.get("track", "Main"),
              help="Positions of one track are drawn in one column."),
        Field(name, "education", "Education required", values.get("education", "")),
        Field(name, "experience", "Experience required", values.get("experience", "")),
        Field(name, "credentials", "Credentials", values.get("credentials", ""), "textarea",
              help="One a line."),
        Field(name, "key", "Key", values.get("key", ""),
              help="A short name used in links and the API; made from the title if empty."),
    ]  # fmt: skip
    if competencies:
        fields.insert(7, Field(
            name, "competencies", "Competencies", values.get("competencies", []), "multiple",
            [(c.identifier, f"{c.code} {c.name}") for c in competencies],
        ))  # fmt: skip
    return Form(name, fields)


def move_form(values: dict, positions, experiences: list[dict], *, name: str = "add-move",
              ends: bool = True) -> Form:  # fmt: skip
    fields = []
    if ends:
        choices = [("", "Choose a position")] + [(p.key, f"{p.title} (level {p.level})") for p in positions]  # fmt: skip
        fields += [
            Field(name, "from", "From", values.get("from", ""), "select", choices),
            Field(name, "to", "To", values.get("to", ""), "select", choices),
        ]
    fields.append(Field(name, "kind", "Kind of move", values.get("kind", "promotion"), "select", KINDS))  # fmt: skip
    rows = list(experiences) + [{} for _ in range(EXPERIENCE_ROWS)]
    for n, row in enumerate(rows):
        fields += [
            Field(
                name,
                f"experiences-{n}-kind",
                f"Experience {n + 1}: kind",
                row.get("kind", "training"),
                "select",
                EXPERIENCE_KINDS,
            ),  # fmt: skip
            Field(
                name,
                f"experiences-{n}-text",
                f"Experience {n + 1}: what it is",
                row.get("text", ""),
            ),  # fmt: skip
            Field(
                name,
                f"experiences-{n}-months",
                f"Experience {n + 1}: typical months",
                row.get("months") if row.get("months") is not None else "",
                "number",
            ),  # fmt: skip
        ]
    return Form(name, fields)


def experiences_of(post) -> tuple[list[dict], list[int]]:
    """The experience rows a form sent, blank ones left out, and each kept row's number (so
    that a problem with the second kept row is shown beside the row it came from)."""
    rows, numbers = [], []
    for n in range(50):
        if f"experiences-{n}-text" not in post:
            break
        text, months = post.get(f"experiences-{n}-text", ""), post.get(f"experiences-{n}-months", "")  # fmt: skip
        if text.strip() or months.strip():
            rows.append({"kind": post.get(f"experiences-{n}-kind", ""), "text": text, "months": months})  # fmt: skip
            numbers.append(n)
    return rows, numbers


def renumbered(problems: list[Problem], numbers: list[int]) -> list[Problem]:
    def fix(name: str) -> str:
        match = re.match(r"experiences\[(\d+)\]\.(.*)", name)
        if not match or int(match[1]) >= len(numbers):
            return name
        return f"experiences[{numbers[int(match[1])]}].{match[2]}"

    return [Problem(p.where, fix(p.field), p.message) for p in problems]
