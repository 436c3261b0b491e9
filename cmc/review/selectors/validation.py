"""Where a model's validation with employers (step 5 of the process) stands. The survey part
answers it: by registering its function (provide_validation), or as `validation_state` in its
own selectors module; the steps, the process page and a publication's record read it here."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from cmc.frameworks.models import Framework


@dataclass(frozen=True)
class ValidationState:
    """What the validation survey (step 5) says about a framework: whether it is done, by
    whom and when, a line for people, and how many employers took part (for the public
    page's "validated with N employers on DATE")."""

    done: bool = False
    started: bool = False
    by: tuple[str, ...] = ()
    when: datetime | None = None
    summary: str = "not started"
    employers: int | None = None
    reference: str = ""

    def as_record(self) -> dict:
        return {
            "done": self.done,
            "by": list(self.by),
            "when": self.when.isoformat() if self.when else None,
            "summary": self.summary,
            "employers": self.employers,
            "reference": self.reference,
        }


NOT_STARTED = ValidationState()
# How a validation made by this site's own survey is referred to (its panel shows it itself).
SITE_SURVEY = "validation survey"
_validation: list[Callable[[Framework], ValidationState]] = []


def provide_validation(state: Callable[[Framework], ValidationState]) -> None:
    """The survey part names the function that says where a framework's validation stands
    (registered in the app's ready(); the last one registered answers)."""
    _validation[:] = [state]


def validation_state(framework: Framework) -> ValidationState:
    """Where the framework's validation with employers (step 5) stands: done, by whom, when;
    "not started" until a survey part provides the answer, either by registering it
    (provide_validation) or as `validation_state` in the survey part's own selectors module
    (cmc.review.selectors.surveys)."""
    provider = _validation[0] if _validation else _survey_module_state()
    if provider is None:
        return NOT_STARTED
    return _as_state(provider(framework))


def _survey_module_state():
    try:
        from . import surveys  # the survey part, once it is in the app
    except ImportError:
        return None
    found = getattr(surveys, "validation_state", None)
    return found if callable(found) else None


def _as_state(answer) -> ValidationState:
    """The survey part's answer as a ValidationState: one already, a dict, or any object with
    done, by and when (and optionally started, summary, employers, reference)."""
    if isinstance(answer, ValidationState):
        return answer
    if answer is None:
        return NOT_STARTED
    get = (
        answer.get
        if isinstance(answer, dict)
        else (lambda name, default=None: getattr(answer, name, default))
    )
    if get("status") is not None and get("done") is None:  # the survey part's own state
        status = get("status")
        if status == "not started":
            return NOT_STARTED
        return ValidationState(
            done=status == "closed",
            started=status != "not started",
            when=get("closed_at"),
            summary=f"{status}, {get('respondents', 0)} respondents",
            employers=get("employers"),
            reference=f"{SITE_SURVEY} {get('survey_id')}",
        )
    done, by = bool(get("done", False)), get("by", ()) or ()
    by = (by,) if isinstance(by, str) else tuple(str(b) for b in by)
    when = get("when")
    summary = get("summary") or (
        "done" if done else "under way" if get("started") else "not started"
    )
    return ValidationState(
        done=done, started=bool(get("started", done)), by=by, when=when, summary=summary,
        employers=get("employers"), reference=str(get("reference", "") or ""),
    )  # fmt: skip
