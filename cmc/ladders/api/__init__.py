"""The lattices routes of the JSON API, one module per part: lattices (list, read, create,
change, delete), positions (positions and the moves between them), paths (routes between
positions, and the lattice as a file). One router mounts them all."""

from ninja import Router

from . import lattices, paths, positions

router = Router()
router.add_router("", lattices.router)
router.add_router("", paths.router)
router.add_router("", positions.router)
