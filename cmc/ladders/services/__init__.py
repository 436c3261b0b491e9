"""Every write of lattices.

lattices   a lattice's own fields and sharing, its positions and moves
importing  a lattice document, checked first, written in one transaction
checks     the checks every door's input goes through
"""

from .importing import check_document, import_lattice
from .lattices import (
    add_position,
    add_transition,
    create_lattice,
    delete_lattice,
    remove_position,
    remove_transition,
    update_lattice,
    update_position,
    update_transition,
)

__all__ = [
    "add_position",
    "add_transition",
    "check_document",
    "create_lattice",
    "delete_lattice",
    "import_lattice",
    "remove_position",
    "remove_transition",
    "update_lattice",
    "update_position",
    "update_transition",
]
