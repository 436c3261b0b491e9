"""The page forms: they draw the inputs and carry what was typed; the services check it (so a
page and the API refuse the same input with the same words)."""

from django import forms

from cmc.core.errors import Problem

from .models import CredentialKind, Decision, Rating, Visibility

TRISTATE = [("", "Not stated"), ("yes", "Yes"), ("no", "No")]
STRENGTHS = [
    ("exact", "Exact match"),
    ("major", "Major alignment"),
    ("minor", "Minor alignment"),
    ("related", "Related"),
]


def _text(label, *, long=False, help_text="", max_length=300):
    widget = forms.Textarea(attrs={"rows": 4}) if long else forms.TextInput()
    return forms.CharField(
        label=label, required=False, help_text=help_text, widget=widget, max_length=20_000
    )


class ServiceForm(forms.Form):
    """A form whose checking is the service's: `problems` become errors beside the fields."""

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        if "organization" in self.fields:
            self.fields["organization"].choices = [("", "None")] + [
                (o.slug, o.name) for o in organizations
            ]

    def data_for_service(self) -> dict:
        return {name: self.data.get(name, "") for name in self.fields}

    def show(self, problems: list[Problem]) -> list[dict]:
        """Put each problem beside its field; the error summary's entries (text, anchor)."""
        self.is_valid()  # so that errors can be added
        summary = []
        for problem in problems:
            if problem.field in self.fields:
                self.add_error(problem.field, problem.message)
                anchor = f"id_{problem.field}"
                label = self.fields[problem.field].label
            else:
                anchor, label = "", problem.field.replace("_", " ").capitalize()
            summary.append({"text": f"{label}: {problem.message}", "anchor": anchor})
        return summary


class CredentialForm(ServiceForm):
    name = _text("Name")
    slug = _text("Short name for the address", help_text="Letters, digits and hyphens; leave "
                 "empty to make one from the name.")  # fmt: skip
    kind = forms.ChoiceField(label="Kind", choices=[("", "Choose…"), *CredentialKind.choices],
                             required=False)  # fmt: skip
    issuer = _text("Issuer")
    accreditation_body = _text("Accreditation body", help_text="For example ANSI.")
    accreditation_standard = _text("Accreditation standard", help_text="For example ISO/IEC 17024.")
    national_portability = forms.ChoiceField(label="Nationally portable", choices=TRISTATE,
                                             required=False)  # fmt: skip
    third_party_validation = forms.ChoiceField(label="Validated by a third party",
                                               choices=TRISTATE, required=False)  # fmt: skip
    assessment_type = _text("Assessment", help_text="How holders are assessed: an exam, a "
                            "performance test, a portfolio…")  # fmt: skip
    renewal = _text("Renewal", help_text="For example: every three years, with 30 hours of "
                    "continuing education.")  # fmt: skip
    typical_hours = _text("Typical hours of preparation", help_text="A whole number.")
    typical_cost = _text("Typical cost in dollars", help_text="For example 250 or 1,200.00.")
    url = _text("Web address", help_text="The issuer's page for the credential (http or https).")
    description = _text("Description", long=True)
    visibility = forms.ChoiceField(label="Who may see it", choices=Visibility.choices,
                                   required=False)  # fmt: skip
    organization = forms.ChoiceField(label="Organization it is shared with", required=False)


def tristate(value) -> str:
    return "" if value is None else ("yes" if value else "no")


def credential_initial(credential) -> dict:
    initial = {name: getattr(credential, name) for name in CredentialForm.base_fields
               if hasattr(credential, name) and name != "organization"}  # fmt: skip
    initial["national_portability"] = tristate(credential.national_portability)
    initial["third_party_validation"] = tristate(credential.third_party_validation)
    initial["typical_hours"] = "" if credential.typical_hours is None else credential.typical_hours
    initial["typical_cost"] = "" if credential.typical_cost is None else credential.typical_cost
    initial["organization"] = credential.organization.slug if credential.organization else ""
    return initial


class PathwayForm(ServiceForm):
    name = _text("Name")
    slug = _text("Short name for the address", help_text="Letters, digits and hyphens; leave "
                 "empty to make one from the name.")  # fmt: skip
    framework = forms.ChoiceField(label="Framework whose tiers it stands on", required=False)
    description = _text("Description", long=True)
    visibility = forms.ChoiceField(label="Who may see it", choices=Visibility.choices,
                                   required=False)  # fmt: skip
    organization = forms.ChoiceField(label="Organization it is shared with", required=False)

    def __init__(self, *args, frameworks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].choices = [("", "Choose…")] + [
            (f.slug, f.name) for f in frameworks
        ]


class StepForm(ServiceForm):
    stage = _text("Stage", help_text="For example Foundational, Core Technical.")
    credential = forms.ChoiceField(label="Credential", required=False)
    tier_from = forms.ChoiceField(label="From tier", required=False)
    tier_to = forms.ChoiceField(label="To tier", required=False)
    education = _text("Education beside it", help_text="For example High School Diploma.")
    career = _text("Career step beside it", help_text="For example Helper/Operator.")
    note = _text("Note", long=True)

    def __init__(self, *args, credentials=(), tiers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["credential"].choices = [("", "None (a stage only)")] + [
            (c.slug, c.name) for c in credentials
        ]
        numbers = [("", "—")] + [(str(t.number), f"{t.number}: {t.name}") for t in tiers]
        self.fields["tier_from"].choices = numbers
        self.fields["tier_to"].choices = numbers


class ScoreForm(ServiceForm):
    rating = forms.ChoiceField(label="Rating", choices=[("", "Choose…"), *Rating.choices],
                               required=False)  # fmt: skip
    evidence = _text("Evidence", long=True)


class DecisionForm(ServiceForm):
    decision = forms.ChoiceField(label="Decision", choices=[("", "Choose…"), *Decision.choices],
                                 required=False)  # fmt: skip
    summary = _text("Why (what the public reads beside an endorsed credential)", long=True)


class CriterionForm(ServiceForm):
    name = _text("Criterion")
    description = _text("What it asks", long=True)
