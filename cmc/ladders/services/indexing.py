"""Keeping a lattice's search entries in step with it."""

from cmc.core import search

from ..models import Lattice
from ..search import COLLECTION


def index_lattice(*, lattice: Lattice) -> int:
    """Rebuild the lattice's search entries: the lattice and each of its positions."""
    url = lattice.get_absolute_url()
    entries = [
        search.Entry(
            kind="lattice",
            object_id=lattice.pk,
            title=lattice.name,
            url=url,
            body=lattice.description,
            context="Career lattice",
        )  # fmt: skip
    ]
    for position in lattice.positions.all():
        body = " ".join(
            filter(
                None,
                [
                    position.occupation_code,
                    position.education,
                    position.experience,
                    *position.credentials,
                ],
            )  # fmt: skip
        )
        entries.append(
            search.Entry(
                kind="position",
                object_id=position.pk,
                title=position.title,
                url=f"{url}#position-{position.key}",
                body=body,
                context=f"{lattice.name}: level {position.level}, {position.track}",
            )  # fmt: skip
        )
    return search.index(collection=COLLECTION, scope_id=lattice.pk, entries=entries)


def unindex_lattice(*, lattice: Lattice) -> int:
    return search.remove(collection=COLLECTION, scope_id=lattice.pk)
