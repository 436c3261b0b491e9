import pytest

from cmc.frameworks.models import Framework

from .builders import people, shared_derived


@pytest.fixture
def who():
    """The five people every permission test asks about (see builders.people)."""
    return people()


@pytest.fixture
def ours(who) -> Framework:
    """ "Our Welding", derived from the welding model and shared with the organization."""
    return shared_derived(who)
