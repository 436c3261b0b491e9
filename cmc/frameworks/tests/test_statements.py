"""The registry of statement sources that alignment pages search."""

from cmc.frameworks import statements
from cmc.frameworks.statements import Statement, StatementSource

SKILLS = [Statement("test", "s1", "Welding"), Statement("test", "s2", "Reading blueprints")]


def _source():
    return StatementSource(
        scheme="test",
        label="Test skills",
        search=lambda q, limit: [s for s in SKILLS if q.lower() in s.text.lower()][:limit],
        find=lambda code: next((s for s in SKILLS if s.code == code), None),
    )


def test_a_registered_source_is_searched_and_found_by_scheme():
    statements.register(_source())
    try:
        assert statements.search("test", "weld") == [SKILLS[0]]
        assert statements.find("test", "s2") == SKILLS[1]
        assert statements.find("test", "nope") is None
        assert statements.source("test").label == "Test skills"
        assert "Test skills" in [s.label for s in statements.sources()]
    finally:
        statements._sources.pop("test")


def test_an_unknown_scheme_finds_nothing():
    assert statements.search("nope", "weld") == []
    assert statements.find("nope", "s1") is None
