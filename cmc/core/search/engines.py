"""The two full-text engines behind search, chosen by the database in use.

Each reads, for a match expression, the facet rows (collection, scope id, facet, count) of
the whole match within what the user may see, and one page of hit rows (collection, kind,
object id, scope id, facet, title, context, url, snippet text, rank), best first."""

from dataclasses import dataclass

from django.db import connection

from .words import cut_snippet


@dataclass(frozen=True)
class Where:
    """What a statement keeps of the match: the entries the user may see (a condition on the
    entry `e`) and the filters (a condition on its collection, scope_id and facet), each with
    its parameters. `only` names the collection searched when there is one: the statement then
    does not carry each entry's collection, which keeps the counting of a large match narrow."""

    visible: str
    visible_params: list
    filters: str
    filter_params: list
    only: str | None

    def counted(self, table: str = "") -> tuple[str, str, list]:
        """The collection column of a facet row, the grouping, and the parameter they need."""
        if self.only is not None:
            return "%s", f"{table}scope_id, {table}facet", [self.only]
        return f"{table}collection", f"{table}collection, {table}scope_id, {table}facet", []


class SQLiteEngine:
    """FTS5: the match is ranked and joined once; facet counts and the page of hits are both
    read from it in one statement (facet rows first, told apart by their first column). The
    CROSS JOIN keeps SQLite's planner on the match first: left free, it may walk every entry
    of a collection by the scope index and probe the full-text index once per entry."""

    def expression(self, words: list[str]) -> str:
        return " ".join(f'"{word}"*' for word in words)

    def fetch(self, cursor, expression: str, where: Where, limit: int, offset: int):
        collection, grouping, params = where.counted()
        carried = "" if where.only else "e.collection, "
        cursor.execute(
            f"""
            WITH m AS MATERIALIZED (
                SELECT e.id, {carried}e.scope_id, e.facet, bm25(core_search_fts, 4.0, 1.0) AS rank
                FROM core_search_fts CROSS JOIN core_searchentry e ON e.id = core_search_fts.rowid
                WHERE core_search_fts MATCH %s AND {where.visible}
            )
            SELECT 0, {collection}, NULL, NULL, scope_id, facet, NULL, NULL, NULL, NULL, COUNT(*)
            FROM m GROUP BY {grouping}
            UNION ALL
            SELECT * FROM (
                SELECT 1, e.collection, e.kind, e.object_id, e.scope_id, e.facet, e.title,
                       e.context, e.url, CASE WHEN e.body = '' THEN e.title ELSE e.body END,
                       top.rank
                FROM (
                    SELECT id, rank FROM m WHERE 1 = 1 {where.filters}
                    ORDER BY rank, id LIMIT %s OFFSET %s
                ) top JOIN core_searchentry e ON e.id = top.id
                ORDER BY top.rank, top.id
            )""",
            [expression, *where.visible_params, *params, *where.filter_params, limit, offset],
        )
        rows = cursor.fetchall()
        facets = [(r[1], r[4], r[5], r[10]) for r in rows if r[0] == 0]
        # A compound SELECT does not promise the order of its parts: sort the page again.
        hits = sorted((r[1:] for r in rows if r[0] == 1), key=lambda r: r[-1])
        return facets, hits

    def snippet(self, text: str, words: list[str]) -> str:
        return cut_snippet(text, words)

    def match(self, expression: str, collection: str) -> tuple[str, list]:
        """The match of one collection as (object_id, score), best score highest (see
        matching.match_sql); the CROSS JOIN keeps the planner on the match first."""
        return (
            "SELECT e.object_id AS object_id, -bm25(core_search_fts, 4.0, 1.0) AS score "
            "FROM core_search_fts CROSS JOIN core_searchentry e ON e.id = core_search_fts.rowid "
            "WHERE core_search_fts MATCH %s AND e.collection = %s",
            [expression, collection],
        )


class PostgresEngine:
    """tsvector with a GIN index: facet counts, then the page of hits with ts_headline. The
    text search configuration `cmc_english` is English with accents folded (core migration
    0002), as FTS5's remove_diacritics folds them."""

    def expression(self, words: list[str]) -> str:
        return " & ".join(f"{word}:*" for word in words)

    def fetch(self, cursor, expression: str, where: Where, limit: int, offset: int):
        collection, grouping, params = where.counted("e.")
        cursor.execute(
            f"""
            SELECT {collection}, e.scope_id, e.facet, COUNT(*)
            FROM core_searchentry e
            WHERE e.document @@ to_tsquery('cmc_english', %s) AND {where.visible}
            GROUP BY {grouping}""",
            [*params, expression, *where.visible_params],
        )
        facets = cursor.fetchall()
        if not facets:
            return facets, []
        cursor.execute(
            f"""
            SELECT m.collection, m.kind, m.object_id, m.scope_id, m.facet, m.title, m.context,
                   m.url,
                   ts_headline('cmc_english', CASE WHEN m.body = '' THEN m.title ELSE m.body END, q,
                               'StartSel=' || chr(2) || ', StopSel=' || chr(3)
                               || ', MaxWords=35, MinWords=12'),
                   m.rank
            FROM (
                SELECT e.*, q, ts_rank(e.document, q) AS rank
                FROM core_searchentry e, to_tsquery('cmc_english', %s) q
                WHERE e.document @@ q AND {where.visible} {where.filters}
                ORDER BY rank DESC, e.id LIMIT %s OFFSET %s
            ) m ORDER BY m.rank DESC, m.id""",
            [expression, *where.visible_params, *where.filter_params, limit, offset],
        )
        return facets, cursor.fetchall()

    def snippet(self, text: str, words: list[str]) -> str:
        return text  # ts_headline has marked it already

    def match(self, expression: str, collection: str) -> tuple[str, list]:
        """The match of one collection as (object_id, score), best score highest."""
        return (
            "SELECT e.object_id AS object_id, ts_rank(e.document, q) AS score "
            "FROM core_searchentry e, to_tsquery('cmc_english', %s) q "
            "WHERE e.document @@ q AND e.collection = %s",
            [expression, collection],
        )


def engine():
    return PostgresEngine() if connection.vendor == "postgresql" else SQLiteEngine()
