import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    """Framework pages are cached by framework id and last change; ids are reused after a
    test's rollback, so every test starts with an empty cache."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def reference(db):
    """The shipped reference frameworks, loaded as `cmc load-reference` loads them."""
    from cmc.frameworks.reference import load_reference

    return load_reference()
