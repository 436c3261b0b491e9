import pytest

from cmc.core.actors import SYSTEM
from cmc.factories import UserFactory, welding_tree
from cmc.frameworks.services import save_framework_tree
from cmc.resources.cleaning import AlignmentRef, ResourceInput


@pytest.fixture
def welding(db):
    """A public framework to align to: tiers 1 and 2, competencies 1.1, 1.2 and 2.1."""
    return save_framework_tree(tree=welding_tree(), where="test", actor=SYSTEM, visibility="public")


@pytest.fixture
def owner(db):
    return UserFactory(username="owner")


@pytest.fixture
def staff(db):
    return UserFactory(username="moderator", is_staff=True)


def resource_input(**fields) -> ResourceInput:
    values = {
        "kind": "curriculum",
        "title": "Welding safety course",
        "organization": "Example College",
        "url": "https://example.org/welding",
        "description": "Hands-on training in welding hazards and safe shop practice.",
        "industries": ["Advanced Manufacturing"],
        "states": ["WA", "or"],
        "alignments": [AlignmentRef("welding", 1, "1.1")],
    }
    values.update(fields)
    return ResourceInput(**values)
