"""The forms of the resources pages. They only shape input: every rule is the service's
(`cleaning`), whose problems are put back beside the fields they name."""

from django import forms

from .cleaning import AlignmentRef, ResourceInput, parse_alignment, split_list
from .industries import INDUSTRIES
from .vocab import KINDS, USES

FIELD_OF = {"industries": "industries", "states": "states", "uses": "uses"}


class ResourceForm(forms.Form):
    kind = forms.ChoiceField(choices=[("", "Choose a kind")] + list(KINDS.items()), required=False)
    title = forms.CharField(max_length=300, required=False)
    organization = forms.CharField(max_length=300, required=False, label="Organization")
    url = forms.CharField(
        max_length=1000, required=False, label="Web address",
        help_text="Starting with https:// or http://",
    )  # fmt: skip
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), required=False)
    industries = forms.MultipleChoiceField(
        choices=[(name, name) for name in INDUSTRIES], required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    states = forms.CharField(
        max_length=400, required=False, label="States",
        help_text="Two-letter codes separated by semicolons, such as WA; OR",
    )  # fmt: skip
    audience = forms.CharField(max_length=300, required=False)
    format = forms.CharField(max_length=200, required=False)
    cost = forms.CharField(max_length=200, required=False)
    date = forms.CharField(
        max_length=10, required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text="YYYY-MM-DD",
    )  # fmt: skip
    uses = forms.MultipleChoiceField(
        choices=list(USES.items()), required=False, widget=forms.CheckboxSelectMultiple,
        label="Uses of a model (for a case study)",
    )  # fmt: skip
    alignments = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000,
        help_text="One a line: a framework's slug (advanced-manufacturing), with a tier number "
        "(advanced-manufacturing:4) or a tier and a competency code (advanced-manufacturing:4:4.1)",
    )  # fmt: skip

    def to_input(self) -> ResourceInput:
        data = self.cleaned_data
        refs: list[AlignmentRef] = []
        for part in split_list(data.get("alignments", "")):
            ref = parse_alignment(part)
            if ref is None or not ref.framework:
                self.add_error(
                    "alignments", f"'{part[:100]}' is not slug, slug:tier or slug:tier:code"
                )
            else:
                refs.append(ref)
        return ResourceInput(
            **{name: data.get(name, "") for name in
               ("kind", "title", "organization", "url", "description", "audience", "format", "cost")},
            industries=list(data.get("industries") or []),
            states=split_list(data.get("states", "")),
            uses=list(data.get("uses") or []),
            date=data.get("date") or None,
            alignments=refs,
        )  # fmt: skip

    def add_problems(self, problems) -> None:
        """The service's problems beside the fields they name (the others above the form)."""
        for problem in problems:
            name = problem.field if problem.field in self.fields else None
            self.add_error(name, problem.message)


def initial_of(view) -> dict:
    """A resource's current values, as the form shows them."""
    resource = view.resource
    lines = []
    for link in view.alignments:
        tier = link.tier.number if link.tier_id else ""
        code = link.competency.code if link.competency_id else ""
        lines.append(str(AlignmentRef(link.framework.slug, tier or None, code)))
    return {
        "kind": resource.kind, "title": resource.title, "organization": resource.organization,
        "url": resource.url, "description": resource.description, "industries": view.industries,
        "states": "; ".join(view.states), "audience": resource.audience, "format": resource.format,
        "cost": resource.cost, "date": resource.date.isoformat() if resource.date else "",
        "uses": [use for use, _ in view.uses], "alignments": "\n".join(lines),
    }  # fmt: skip


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(choices=[("published", "Publish"), ("rejected", "Reject")])
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000,
        help_text="Required to reject; the submitter sees it",
    )  # fmt: skip


class ImportForm(forms.Form):
    file = forms.FileField(label="The file (.csv or .xlsx)")
    publish = forms.BooleanField(
        required=False, label="Publish them at once (else they wait for moderation)"
    )
