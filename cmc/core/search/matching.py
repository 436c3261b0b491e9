"""The match of a query as a subquery, for an app that counts and orders its own entries.

`search()` ranks the entries of every collection under one visibility rule and one facet
number. An app whose items carry several facets (a resource's kind, industries, states and
alignments) asks instead for the match of one collection as SQL, joins it to its own rows and
counts them in one statement of its own; the engine stays here, behind one interface."""

from django.utils.safestring import SafeString

from .engines import engine as current_engine
from .words import cut_snippet, highlight, terms


def match_sql(query: str, *, collection: str, kinds=()) -> tuple[str, list] | None:
    """A SELECT of `(object_id, score)` for the entries of `collection` (of `kinds` only, when
    given) that match every word of `query` (prefixes too), the higher the score the better
    the match; None when the query has no word to match. Visibility is the caller's: it joins
    the rows it may show. Narrowing by kind here keeps a large match from being joined whole."""
    words = terms(query)
    if not words:
        return None
    engine = current_engine()
    sql, params = engine.match(engine.expression(words), collection)
    if kinds:
        sql += f" AND e.kind IN ({', '.join(['%s'] * len(kinds))})"
        params = [*params, *kinds]
    return sql, params


def snippet(text: str, query: str, size: int = 30) -> SafeString:
    """About `size` words of `text` around the first word of `query` it holds, escaped, each
    matching word in <mark>; the start of the text when the query has no word."""
    return highlight(cut_snippet(text, terms(query), size))
