"""How lattices are found in the site's search: one collection, scoped by lattice (seen by
those who may see the lattice), with the lattice and each of its positions as entries."""

from cmc.core.search import Collection, register

from .models import Lattice

COLLECTION = "lattices"


def visible(user):
    """The lattices whose entries the user may find."""
    return Lattice.objects.visible_to(user)


def lattice_names(user, ids) -> dict[int, str]:
    return dict(visible(user).filter(pk__in=ids).values_list("pk", "name"))


LATTICES = Collection(
    name=COLLECTION,
    kinds={"lattice": "Career lattice", "position": "Position in a career lattice"},
    visible=visible,
    scope_labels=lattice_names,
    scope_param="lattice",
    scope_heading="Career lattices",
)


def register_collection() -> None:
    register(LATTICES)
