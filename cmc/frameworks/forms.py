from django import forms

from .models import Kind, Status


class FrameworkFilterForm(forms.Form):
    kind = forms.ChoiceField(choices=[("", "Any kind"), *Kind.choices], required=False)
    status = forms.ChoiceField(choices=[("", "Any status"), *Status.choices], required=False)
    industry = forms.CharField(required=False, max_length=200)
    q = forms.CharField(label="Name contains", required=False, max_length=200)
