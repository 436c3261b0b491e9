"""What follows an O*NET import: the site's search entries for every occupation."""

from collections import defaultdict

from django.urls import reverse

from cmc.core.search import Entry, index, remove

from ..models import AlternateTitle, Dataset, Occupation
from ..search import COLLECTION


def index_occupations() -> int:
    """Replace the search entries of the imported release with one entry per occupation (its
    title; its alternate titles and description as the body); returns how many."""
    scope = Dataset.objects.filter(name="onet").first()
    if scope is None:
        return 0
    alternates = defaultdict(list)
    for code, title, short in AlternateTitle.objects.values_list(
        "occupation_id", "title", "short_title"
    ).iterator(chunk_size=5000):
        alternates[code].append(f"{title} {short}".strip())
    entries = [
        Entry(
            kind="occupation",
            object_id=pk,
            title=f"{title} ({code})",
            url=reverse("occupations:occupation", kwargs={"code": code}),
            body=" ".join([description, *alternates.get(code, [])]),
            context=f"O*NET-SOC {code}",
        )
        for pk, code, title, description in Occupation.objects.values_list(
            "pk", "code", "title", "description"
        ).iterator(chunk_size=2000)
    ]
    return index(collection=COLLECTION, scope_id=scope.pk, entries=entries)


def unindex_occupations() -> None:
    scope = Dataset.objects.filter(name="onet").first()
    if scope is not None:
        remove(collection=COLLECTION, scope_id=scope.pk)
