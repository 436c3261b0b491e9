"""How occupations are found in the site's search: one collection, its one scope the imported
O*NET release (public reference data: everyone may see it)."""

from cmc.core.search import Collection, register

from .models import Dataset

COLLECTION = "occupations"
# Where an occupation's page is (occupations/urls.py, mounted at /occupations/), written out so
# that indexing a release need not load the site's whole URL map (a second of a command's
# time); a test holds it equal to what `reverse` gives.
PAGE = "/occupations/{code}/"


def visible(user):
    """Every reader may find occupations: the imported release is the one scope."""
    return Dataset.objects.filter(name="onet")


def release_names(user, ids) -> dict[int, str]:
    return {
        pk: f"Occupations ({release})"
        for pk, release in visible(user).filter(pk__in=ids).values_list("pk", "release")
    }


OCCUPATIONS = Collection(
    name=COLLECTION,
    kinds={"occupation": "Occupation"},
    visible=visible,
    scope_labels=release_names,
    scope_param="release",
    scope_heading="Occupational data",
)


def register_collection() -> None:
    register(OCCUPATIONS)
