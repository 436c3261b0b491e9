from dataclasses import dataclass, field

from django import forms

from cmc.core.errors import Problem
from cmc.core.search import Key, collections


class SearchForm(forms.Form):
    """The search page's query, page and filters; each registered collection brings the
    filter parameters of its scope and of its facet number."""

    q = forms.CharField(label="Search", required=False, max_length=200, strip=True)
    page = forms.IntegerField(
        required=False, min_value=1, max_value=10_000, widget=forms.HiddenInput
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope_params = {c.scope_param: c.name for c in collections()}
        self.facet_params = {c.facet_param: c.name for c in collections() if c.facet_param}
        for name in self.scope_params:
            self.fields[name] = forms.IntegerField(
                required=False, min_value=1, max_value=2**53, widget=forms.HiddenInput
            )
        for name in self.facet_params:
            self.fields[name] = forms.IntegerField(
                required=False, min_value=1, max_value=99, widget=forms.HiddenInput
            )
        self.order_fields(["q", *self.scope_params, *self.facet_params, "page"])

    def filters(self) -> tuple[Key | None, Key | None]:
        """The scope and the facet number asked for (the first of each if several are)."""
        data = self.cleaned_data
        scopes = [(c, data[p]) for p, c in self.scope_params.items() if data.get(p)]
        facets = [(c, data[p]) for p, c in self.facet_params.items() if data.get(p)]
        return (scopes[0] if scopes else None), (facets[0] if facets else None)

    def filter_inputs(self) -> list[tuple[str, str]]:
        """The filters given, as they were typed, to keep them when the query changes."""
        names = [*self.scope_params, *self.facet_params]
        return [(name, self[name].value()) for name in names if self[name].value()]


# Messages that go on from the field's name ("is empty; ...", "must be ..."); the others are
# whole sentences of their own ("choose at least one framework").
_GOES_ON = ("is ", "are ", "has ", "have ", "must ", "cannot ", "can ", "was ", "were ")


def sentence(problem: Problem, label: str = "") -> str:
    """A problem in plain words for a page, beside its field or in the error summary: "Name
    is empty; name the new model." or "Choose at least one framework to start from." (where it
    is goes without saying on the page of the form)."""
    label = label or problem.field.replace("_", " ")
    message = problem.message.strip().rstrip(".")
    if message.startswith(_GOES_ON):
        text = f"{label} {message}"
    elif message[:1] in "'\"‘“":
        text = f"{label}: {message}"
    else:
        text = message
    return f"{text[:1].upper()}{text[1:]}."


@dataclass
class Refusal:
    """A refused form as a page shows it: the error summary's entries (`text`, and the id of
    the field it links to as `anchor`), and the message beside each field, by field name."""

    summary: list[dict] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)


def refusal(problems: list[Problem], anchors: dict[str, str]) -> Refusal:
    """The problems of an InvalidInput for a page whose fields have the ids `anchors` (by the
    field a Problem names); a problem of no field there is in the summary alone."""
    shown = Refusal()
    for problem in problems:
        text = sentence(problem)
        anchor = anchors.get(problem.field, "")
        shown.summary.append({"text": text, "anchor": anchor})
        if anchor and problem.field not in shown.errors:
            shown.errors[problem.field] = text
    return shown
