"""What the builder says after a change: what changed and where focus goes (Done), or why the
change was refused, beside the field of the form that sent it (Failed).

With HTMX the answer carries a `cmc:changed` event (fired after the swap has settled) that
static/js/site.js turns into a polite announcement and a move of focus to the element named;
without JavaScript the page comes back at the same place."""

from dataclasses import dataclass, field

from django_htmx.http import trigger_client_event

from cmc.core.errors import EditConflict, InvalidInput
from cmc.core.forms import sentence

# The forms whose fields a refusal is shown beside, and the form field each problem names.
FIELD_FORMS = {"edit", "add-behavior", "edit-behavior", "rename", "add-competency"}
FORM_FIELDS = {
    "competency name": "name",
    "tier name": "name",
    "definition": "definition",
    "behavior text": "text",
    "behavior title": "title",
}
# The id of each form's fields, to move focus to the first one refused.
FIELD_IDS = {
    "edit": "edit-{name}-{competency}",
    "add-behavior": "nb-{name}-{competency}",
    "edit-behavior": "b-{name}-{behavior}",
    "rename": "tier-{name}",
    "add-competency": "new-competency-{name}",
}


@dataclass
class Done:
    """A change made: the words the live region says, and the id of the element that focus
    returns to (the control that acted, or the item changed)."""

    message: str
    focus: str


@dataclass
class Failed:
    """A change refused. `form` is the form that sent it ("edit", "add-behavior",
    "edit-behavior", "rename", "add-competency"; "card" or "tier" for a button's action),
    for which competency or key behavior (their pk); `values` what was typed, `errors` what is
    wrong by form field, `message` what is wrong beyond the fields, `conflict` both texts of
    an edit that clashed."""

    form: str
    competency: int | None = None
    behavior: int | None = None
    values: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)
    message: str = ""
    conflict: EditConflict | None = None

    @property
    def focus(self) -> str:
        """The first field refused, else the heading of the card or tier that failed."""
        if self.errors and self.form in FIELD_IDS:
            name = next(iter(self.errors))
            return FIELD_IDS[self.form].format(
                name=name, competency=self.competency, behavior=self.behavior
            )
        return f"name-{self.competency}" if self.competency else "tier-heading"

    @property
    def said(self) -> str:
        """What the live region says."""
        words = " ".join([*self.errors.values(), self.message]).strip()
        return f"Not saved: {words}" if words else "Not saved."


def failed(error: Exception, *, form: str, post, competency=None, behavior=None) -> Failed:
    """The refusal of a change sent by `form`: each problem beside its field where the form
    has that field, the rest (and conflicts) as the form's or the card's message."""
    where = form if form in FIELD_FORMS else ("card" if competency else "tier")
    result = Failed(
        form=where,
        competency=competency.pk if competency else None,
        behavior=behavior.pk if behavior else None,
    )
    if isinstance(error, EditConflict):
        result.form, result.conflict = ("card" if competency else "tier"), error
        return result
    if where in FIELD_FORMS:
        names = {"name", "definition", "title", "text"}
        result.values = {name: post.get(name, "") for name in names if name in post}
    problems = error.problems if isinstance(error, InvalidInput) else []
    others = []
    for problem in problems:
        name = FORM_FIELDS.get(problem.field)
        if where in FIELD_FORMS and name in result.values and name not in result.errors:
            result.errors[name] = sentence(problem)
        else:
            others.append(sentence(problem))
    result.message = " ".join(others) if problems else str(error)
    return result


def tell(response, outcome: Done | Failed | None):
    """The answer to an HTMX request, with what to announce and where focus goes."""
    if outcome is None:
        return response
    said = outcome.said if isinstance(outcome, Failed) else outcome.message
    return trigger_client_event(
        response, "cmc:changed", {"message": said, "focus": outcome.focus}, after="settle"
    )
