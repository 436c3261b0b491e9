"""The four workshop worksheets of a model: their kinds, columns and rows.

Every worksheet says what it is about (a block above the table: the credential, employer,
course or respondent, as its kind asks), lists the model down the side (tier rows, then each
competency and its key behaviors, each with a short reference such as `3.4` or `3.4/2`) and
the kind's input columns across, with headings people may rename. Under the headings, a row
says what each column takes (see `answers`). The files are written by `sheetfiles.render`; a
filled-in worksheet is uploaded back (see `uploads`)."""

from dataclasses import dataclass

from django.conf import settings

from cmc.core.errors import InvalidInput, Problem
from cmc.core.text import xml_text
from cmc.frameworks.models import Framework
from cmc.frameworks.selectors import latest_version

from .answers import HOURS, RATING, TEXT, YES_NO, YES_PARTLY_NO, Answer


@dataclass(frozen=True)
class Column:
    """An input column: its heading, the kind of answer it takes, and what the results read
    it as (`role`: importance, at_hire, covered, taught, hours, required; "" for none)."""

    heading: str
    answer: Answer = TEXT
    role: str = ""


@dataclass(frozen=True)
class WorksheetKind:
    kind: str
    title: str
    purpose: str
    inputs: tuple[Column, ...]
    about: tuple[str, ...]  # the ABOUT fields its sheet asks for, in order
    required: tuple[str, ...] = ()  # those an upload must give

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(column.heading for column in self.inputs)

    def typed(self, headings: list[str]) -> list[Column]:
        """Columns of the user's own headings: each takes the kind of answer of the column
        at its place, and one past them is free text."""
        defaults = list(self.inputs)
        return [
            Column(heading, defaults[i].answer if i < len(defaults) else TEXT)
            for i, heading in enumerate(headings)
        ]

    def roles(self, codes: list[str]) -> dict[str, int]:
        """Where each role is among an upload's columns (by their kinds of answer): the first
        column of the role's kind."""
        found = {}
        for column in self.inputs:
            if column.role and column.answer.code in codes:
                found[column.role] = codes.index(column.answer.code)
        return found


KINDS = {
    k.kind: k
    for k in (
        WorksheetKind(
            "credential",
            "Credential competency identification",
            "For one credential (certificate, certification, license or degree), mark which "
            "competencies and key behaviors it covers and how each is assessed.",
            (
                Column("Covered by the credential?", YES_PARTLY_NO, "covered"),
                Column("How it is assessed"),
                Column("Notes"),
            ),
            ("credential", "respondent"),
            ("credential",),
        ),
        WorksheetKind(
            "curriculum",
            "Curriculum analysis",
            "For one course, mark where each competency and key behavior is taught and for "
            "how many hours.",
            (
                Column("Taught in the course?", YES_PARTLY_NO, "taught"),
                Column("Hours", HOURS, "hours"),
                Column("Where it is taught (unit or week)"),
                Column("Notes"),
            ),
            ("course", "course_hours", "respondent"),
            ("course",),
        ),
        WorksheetKind(
            "employer",
            "Employer analysis",
            "For your organization, rate how important each competency and key behavior is and "
            "whether it is needed at hire (no: learned on the job).",
            (
                Column("Importance", RATING, "importance"),
                Column("Needed at hire?", YES_NO, "at_hire"),
                Column("Notes"),
            ),
            ("employer", "respondent"),
            ("employer",),
        ),
        WorksheetKind(
            "gap",
            "Gap analysis",
            "Mark what the job requires, then name the action that closes each gap. The gap "
            "itself (required, but covered by no course and no credential in the uploaded "
            "worksheets) is worked out on the results page.",
            (
                Column("Required for the job?", YES_NO, "required"),
                Column("Gap to close"),
                Column("Action and who owns it"),
            ),
            ("employer", "course", "credential", "respondent"),
        ),  # fmt: skip
    )
}
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
REF, ITEM, IDENTIFIER = "Ref", "Competency or key behavior", "Identifier"
# The row under the headings that says what each column takes, and the block above them that
# says what the sheet is about.
NOTE, ABOUT_HEADING = "What to write", "About this worksheet"
MAX_COLUMNS = 12


def max_bytes() -> int:
    return settings.CMC_MAX_IMPORT_BYTES


@dataclass
class Row:
    """One line of a worksheet: a tier heading (no ref) or an item."""

    ref: str
    text: str
    kind: str  # tier, competency, behavior
    identifier: str = ""


def rows_of(framework: Framework) -> list[Row]:
    """The model down the side, tier 1 first, for a framework whose tree is loaded."""
    rows: list[Row] = []
    for tier in framework.tier_list:
        rows.append(Row("", xml_text(f"Tier {tier.number}: {tier.name}"), "tier"))
        for competency in tier.competency_list:
            label = competency.name + (
                f": {competency.definition}" if competency.definition else ""
            )
            rows.append(
                Row(
                    xml_text(competency.code),
                    xml_text(label),
                    "competency",
                    str(competency.identifier),
                )
            )
            for n, behavior in enumerate(competency.behavior_list, start=1):
                text = f"{behavior.title}: {behavior.text}" if behavior.title else behavior.text
                rows.append(
                    Row(
                        xml_text(f"{competency.code}/{n}"),
                        xml_text(text),
                        "behavior",
                        str(behavior.identifier),
                    )
                )
    return rows


def kind_of(kind: str) -> WorksheetKind:
    if kind not in KINDS:
        raise InvalidInput(
            [Problem("worksheet", "kind", f"'{kind}' is not one of {', '.join(KINDS)}")]
        )
    return KINDS[kind]


def version_label(framework: Framework) -> str:
    latest = latest_version(framework)
    return f"version {latest.number}" if latest else "draft"
