"""What a worksheet's cells take: the kind of answer each input column declares (a rating on
a stated scale, yes or no, yes/partly/no, hours, free text), and what each sheet says it is
about (the credential, employer, course and respondent).

A column's kind is written in the sheet itself, on the row under the headings ("What to
write"), so a renamed or moved column keeps it; `declared` reads it back. Every value of an
uploaded sheet is checked by its column's kind (`Answer.check`), and a value that does not
fit is named with what the column takes ("'banana' is not a rating from 1 to 5")."""

import math
import re
from dataclasses import dataclass

MAX_TEXT = 5000
# Where a problem with what an upload itself says it is about (the page's form, the API's
# fields, the command's options) is located.
FORM = "upload"
MAX_HOURS = 100_000


def _shown(value: str) -> str:
    return value if len(value) <= 40 else value[:39] + "…"


@dataclass(frozen=True)
class Answer:
    """A kind of answer: `code` is what an upload keeps of it, `says` what the sheet writes
    under the column's heading, `what` how a refusal names it."""

    code: str
    says: str
    what: str

    def check(self, value: str) -> tuple[str, str]:
        """The value as kept (normalised), and "" or the message that refuses it."""
        if len(value) > MAX_TEXT:
            return value, f"is longer than {MAX_TEXT} characters"
        return value, ""


@dataclass(frozen=True)
class Rating(Answer):
    low: int = 1
    high: int = 5

    def check(self, value: str) -> tuple[str, str]:
        number = _number(value)
        if number is None or number != int(number) or not self.low <= number <= self.high:
            return value, f"'{_shown(value)}' is not {self.what}"
        return str(int(number)), ""


@dataclass(frozen=True)
class Choice(Answer):
    choices: tuple[str, ...] = ()

    def check(self, value: str) -> tuple[str, str]:
        word = value.strip().lower()
        if word not in self.choices:
            return value, f"'{_shown(value)}' is not {self.what}"
        return word, ""


@dataclass(frozen=True)
class Hours(Answer):
    def check(self, value: str) -> tuple[str, str]:
        number = _number(value)
        if number is None or number < 0:
            return value, f"'{_shown(value)}' is not {self.what}"
        if number > MAX_HOURS:
            return value, f"'{_shown(value)}' is more than {MAX_HOURS:,} hours"
        return str(int(number)) if number.is_integer() else str(number), ""


def _number(value: str) -> float | None:
    try:
        number = float(value.strip())
    except ValueError:
        return None
    return number if math.isfinite(number) else None


RATING = Rating(
    "rating 1-5", "A rating from 1 (low) to 5 (high)", "a rating from 1 to 5", low=1, high=5
)
YES_NO = Choice("yes/no", "yes or no", "yes or no", choices=("yes", "no"))
YES_PARTLY_NO = Choice(
    "yes/partly/no", "yes, partly or no", "yes, partly or no", choices=("yes", "partly", "no")
)
HOURS = Hours("hours", "Hours: a number, 0 or more", "a number of hours (0 or more)")
TEXT = Answer("text", "Free text", "free text")
ANSWERS = {a.code: a for a in (RATING, YES_NO, YES_PARTLY_NO, HOURS, TEXT)}


def _plain(text: str) -> str:
    text = text.replace("\u2013", "-").replace("\u2014", "-").lower().strip().rstrip(".")
    return re.sub(r"\s+", " ", text)


_DECLARED = {_plain(a.says): a for a in ANSWERS.values()} | {
    _plain(a.code): a for a in ANSWERS.values()
}


def declared(text: str) -> Answer | None:
    """The kind of answer a "What to write" cell declares; free text when blank, None when it
    names no kind this site knows."""
    if not text.strip():
        return TEXT
    return _DECLARED.get(_plain(text))


def known() -> str:
    """The declarations a "What to write" cell may hold, for a refusal to list."""
    return "; ".join(f"'{a.says}'" for a in ANSWERS.values())


def of_code(code: str) -> Answer:
    """The kind of answer an upload kept by its code (free text for one it no longer knows)."""
    return ANSWERS.get(code, TEXT)


@dataclass(frozen=True)
class About:
    """One thing a worksheet says it is about: `name` is the upload's field and the form's,
    `label` the sheet's, `hint` what to write."""

    name: str
    label: str
    hint: str
    answer: Answer = TEXT
    longest: int = 200

    def check(self, value: str) -> tuple[str, str]:
        value = value.strip()
        if not value:
            return "", ""
        if self.answer is HOURS:
            return HOURS.check(value)
        if len(value) > self.longest:
            return value, f"is longer than {self.longest} characters"
        return value, ""


ABOUT = {
    a.name: a
    for a in (
        About("credential", "Credential", "the credential's name"),
        About("employer", "Employer", "the organization"),
        About("course", "Course", "the course's name"),
        About("course_hours", "Course hours", "the course's hours in all: a number", HOURS),
        About("respondent", "Respondent", "name and role (optional)"),
    )
}
ABOUT_BY_LABEL = {_plain(a.label): a for a in ABOUT.values()}


def about_of_label(text: str) -> About | None:
    """The field a label cell of a sheet's "About this worksheet" block names."""
    return ABOUT_BY_LABEL.get(_plain(text).rstrip(":").strip())
