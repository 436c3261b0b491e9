"""Full-text search behind one interface: SQLite FTS5 or PostgreSQL tsvector, chosen by the
database in use, over the collections that apps register (see registry). Hits never leave what
each collection's visibility rule lets the user see.

registry  what can be found: Collection, register, unregister, get, collections
index     writing entries: Entry, Rows (entries the database makes), index, remove
query     reading them: search, Results, Hit
facets    the facet lists of the search page
words     query terms and snippets
matching  the match of one collection as a subquery, for an app's own faceted counts
engines   the FTS5 and PostgreSQL statements
"""

from .facets import FacetLink, FacetList, facet_lists, filter_query
from .index import Entry, Rows, index, remove
from .matching import match_sql, snippet
from .query import Hit, Key, Results, search
from .registry import Collection, collections, get, register, unregister
from .words import MAX_TERMS, cut_snippet, highlight, terms

__all__ = [
    "MAX_TERMS",
    "Collection",
    "Entry",
    "FacetLink",
    "FacetList",
    "Hit",
    "Key",
    "Results",
    "Rows",
    "collections",
    "cut_snippet",
    "facet_lists",
    "filter_query",
    "get",
    "highlight",
    "index",
    "match_sql",
    "register",
    "remove",
    "search",
    "snippet",
    "terms",
    "unregister",
]
