from django import forms

from ..models import EscoCollection, EscoKind


class ConceptSearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=200, label="Words in a label")
    kind = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Any kind"), *EscoKind.choices],
    )
    skill_type = forms.ChoiceField(
        required=False,
        choices=[
            ("", "Any type"),
            ("skill/competence", "skill/competence"),
            ("knowledge", "knowledge"),
        ],
    )
    reuse_level = forms.ChoiceField(
        required=False,
        choices=[
            ("", "Any level"),
            *[
                (v, v)
                for v in ("transversal", "cross-sector", "sector-specific", "occupation-specific")
            ],
        ],
    )
    collection = forms.ChoiceField(
        required=False, choices=[("", "Any collection"), *EscoCollection.choices]
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000)
