"""What follows an O*NET import: the site's search entries for every occupation."""

from itertools import groupby

from cmc.core.search import Entry, index, remove

from ..models import AlternateTitle, Dataset, Occupation
from ..search import COLLECTION, PAGE


def _entries():
    """One entry per occupation, its alternate titles read alongside in code order (both
    streamed, so only one occupation's titles are held at a time)."""
    titles = AlternateTitle.objects.order_by("occupation_id", "pk").values_list(
        "occupation_id", "title", "short_title"
    )
    grouped = groupby(titles.iterator(chunk_size=1000), key=lambda row: row[0])
    pending = next(grouped, None)
    occupations = Occupation.objects.order_by("code").values_list(
        "pk", "code", "title", "description"
    )
    for pk, code, title, description in occupations.iterator(chunk_size=500):
        while pending is not None and pending[0] < code:
            pending = next(grouped, None)
        alternates = []
        if pending is not None and pending[0] == code:
            alternates = [f"{alt} {short}".strip() for _, alt, short in pending[1]]
            pending = next(grouped, None)
        yield Entry(
            kind="occupation",
            object_id=pk,
            title=f"{title} ({code})",
            url=PAGE.format(code=code),
            body=" ".join([description, *alternates]),
            context=f"O*NET-SOC {code}",
        )


def index_occupations() -> int:
    """Replace the search entries of the imported release with one entry per occupation (its
    title; its alternate titles and description as the body); returns how many."""
    scope = Dataset.objects.filter(name="onet").first()
    if scope is None:
        return 0
    return index(collection=COLLECTION, scope_id=scope.pk, entries=_entries())


def unindex_occupations() -> None:
    scope = Dataset.objects.filter(name="onet").first()
    if scope is not None:
        remove(collection=COLLECTION, scope_id=scope.pk)
