"""The review app's routes of the JSON API, one module per part: rounds (open, read, close, and
refinement: proposals item by item, resolutions), reviewing (a reviewer's input by their
personal link), suggestions, and surveys (validation surveys). One router mounts them all."""

from ninja import Router

from . import reviewing, rounds, suggestions, surveys

router = Router()
router.add_router("", rounds.router)
router.add_router("", reviewing.router)
router.add_router("", suggestions.router)
router.add_router("", surveys.router)
