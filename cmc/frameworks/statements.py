"""Where outside statements come from: the schemes a person can pick from when aligning.

An alignment (models/alignments.py) links a statement of some scheme to a framework's item. The
apps that hold statements (occupations: O*NET elements and tasks; interchange: ESCO skills;
credentials, resources...) register a `StatementSource` in their `AppConfig.ready()`, so that the
alignment pages and API can search and name statements without the frameworks app knowing those
apps:

    statements.register(StatementSource(scheme="esco", label="ESCO skills",
                                        search=search_skills, find=find_skill))

`search(query, limit)` returns the best matching `Statement`s; `find(code)` returns the one
statement with that code, or None.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Statement:
    scheme: str
    code: str
    text: str
    url: str = ""
    # What kind of statement it is within its scheme ("skill", "knowledge", "task"...).
    kind: str = ""
    # A longer description, shown beside the text where there is room.
    detail: str = ""


@dataclass(frozen=True)
class StatementSource:
    scheme: str
    label: str
    search: Callable[[str, int], list[Statement]]
    find: Callable[[str], Statement | None]


_sources: dict[str, StatementSource] = {}


def register(source: StatementSource) -> None:
    """Add (or replace, by scheme) a source of statements."""
    _sources[source.scheme] = source


def sources() -> list[StatementSource]:
    """Every registered source, by label."""
    return sorted(_sources.values(), key=lambda source: source.label)


def source(scheme: str) -> StatementSource | None:
    return _sources.get(scheme)


def find(scheme: str, code: str) -> Statement | None:
    """The statement a scheme knows by that code, or None (also for an unknown scheme)."""
    found = _sources.get(scheme)
    return found.find(code) if found else None


def search(scheme: str, query: str, *, limit: int = 20) -> list[Statement]:
    """The statements of one scheme that best match the query ([] for an unknown scheme)."""
    found = _sources.get(scheme)
    return found.search(query, limit) if found else []
