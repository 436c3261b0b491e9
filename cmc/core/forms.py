from django import forms

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
