"""Full-text search behind one interface: SQLite FTS5 or PostgreSQL tsvector, chosen by the
database in use. Callers pass a queryset of the frameworks the user may see; hits never leave it."""

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MAX_TERMS = 12
_START, _STOP = "\x02", "\x03"
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Hit:
    kind: str
    object_id: int
    framework_id: int
    tier_number: int | None
    title: str
    context: str
    url: str
    snippet: SafeString
    rank: float


@dataclass
class Results:
    query: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    framework_counts: dict[int, int] = field(default_factory=dict)
    tier_counts: dict[int, int] = field(default_factory=dict)


# English stop words (PostgreSQL's english dictionary drops the same ones), left out of
# every query so that both engines find the same entries.
STOP_WORDS = frozenset(
    {
        "i",
        "me",
        "my",
        "myself",
        "we",
        "our",
        "ours",
        "ourselves",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "he",
        "him",
        "his",
        "himself",
        "she",
        "her",
        "hers",
        "herself",
        "it",
        "its",
        "itself",
        "they",
        "them",
        "their",
        "theirs",
        "themselves",
        "what",
        "which",
        "who",
        "whom",
        "this",
        "that",
        "these",
        "those",
        "am",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "have",
        "has",
        "had",
        "having",
        "do",
        "does",
        "did",
        "doing",
        "a",
        "an",
        "the",
        "and",
        "but",
        "if",
        "or",
        "because",
        "as",
        "until",
        "while",
        "of",
        "at",
        "by",
        "for",
        "with",
        "about",
        "against",
        "between",
        "into",
        "through",
        "during",
        "before",
        "after",
        "above",
        "below",
        "to",
        "from",
        "up",
        "down",
        "in",
        "out",
        "on",
        "off",
        "over",
        "under",
        "again",
        "further",
        "then",
        "once",
        "here",
        "there",
        "when",
        "where",
        "why",
        "how",
        "all",
        "any",
        "both",
        "each",
        "few",
        "more",
        "most",
        "other",
        "some",
        "such",
        "no",
        "nor",
        "not",
        "only",
        "own",
        "same",
        "so",
        "than",
        "too",
        "very",
        "s",
        "t",
        "can",
        "will",
        "just",
        "don",
        "should",
        "now",
    }
)


def terms(query: str) -> list[str]:
    """The words of a query, lower-cased, each once, stop words left out; punctuation and
    operators are never passed to the engine."""
    words = dict.fromkeys(w.lower() for w in _WORD.findall(query) if w.lower() not in STOP_WORDS)
    return list(words)[:MAX_TERMS]


def highlight(text: str) -> SafeString:
    """Escape an engine snippet, then turn its sentinel marks into <mark> elements."""
    escaped = escape(text)
    return mark_safe(escaped.replace(_START, "<mark>").replace(_STOP, "</mark>"))


class _SQLiteEngine:
    """FTS5: the match is ranked and joined once; facet counts and the page of hits are both
    read from it in one statement (facet rows first, told apart by their first column)."""

    def expression(self, words: list[str]) -> str:
        return " ".join(f'"{word}"*' for word in words)

    def fetch(self, cursor, expression, visible, filters, limit, offset):
        (visible_sql, visible_params), (filter_sql, filter_params) = visible, filters
        cursor.execute(
            f"""
            WITH m AS MATERIALIZED (
                SELECT e.id, e.framework_id, e.tier_number, bm25(core_search_fts, 4.0, 1.0) AS rank
                FROM core_search_fts JOIN core_searchentry e ON e.id = core_search_fts.rowid
                WHERE core_search_fts MATCH %s AND e.framework_id IN ({visible_sql})
            )
            SELECT 0, NULL, NULL, framework_id, tier_number, NULL, NULL, NULL, COUNT(*), NULL
            FROM m GROUP BY framework_id, tier_number
            UNION ALL
            SELECT * FROM (
                SELECT 1, e.kind, e.object_id, e.framework_id, e.tier_number, e.title, e.context,
                       e.url, CASE WHEN e.body = '' THEN e.title ELSE e.body END, top.rank
                FROM (
                    SELECT id, rank FROM m WHERE 1 = 1 {filter_sql}
                    ORDER BY rank, id LIMIT %s OFFSET %s
                ) top JOIN core_searchentry e ON e.id = top.id
                ORDER BY top.rank, top.id
            )""",
            [expression, *visible_params, *filter_params, limit, offset],
        )
        rows = cursor.fetchall()
        facets = [(r[3], r[4], r[8]) for r in rows if r[0] == 0]
        # A compound SELECT does not promise the order of its parts: sort the page again.
        hits = sorted((r[1:] for r in rows if r[0] == 1), key=lambda r: r[-1])
        return facets, hits

    def snippet(self, text: str, words: list[str]) -> str:
        return cut_snippet(text, words)


class _PostgresEngine:
    """tsvector with a GIN index: facet counts, then the page of hits with ts_headline. The
    text search configuration `cmc_english` is English with accents folded (core migration
    0002), as FTS5's remove_diacritics folds them."""

    def expression(self, words: list[str]) -> str:
        return " & ".join(f"{word}:*" for word in words)

    def fetch(self, cursor, expression, visible, filters, limit, offset):
        (visible_sql, visible_params), (filter_sql, filter_params) = visible, filters
        cursor.execute(
            f"""
            SELECT e.framework_id, e.tier_number, COUNT(*)
            FROM core_searchentry e
            WHERE e.document @@ to_tsquery('cmc_english', %s) AND e.framework_id IN ({visible_sql})
            GROUP BY e.framework_id, e.tier_number""",
            [expression, *visible_params],
        )
        facets = cursor.fetchall()
        if not facets:
            return facets, []
        cursor.execute(
            f"""
            SELECT m.kind, m.object_id, m.framework_id, m.tier_number, m.title, m.context, m.url,
                   ts_headline('cmc_english', CASE WHEN m.body = '' THEN m.title ELSE m.body END, q,
                               'StartSel=' || chr(2) || ', StopSel=' || chr(3)
                               || ', MaxWords=35, MinWords=12'),
                   m.rank
            FROM (
                SELECT e.*, q, ts_rank(e.document, q) AS rank
                FROM core_searchentry e, to_tsquery('cmc_english', %s) q
                WHERE e.document @@ q AND e.framework_id IN ({visible_sql}) {filter_sql}
                ORDER BY rank DESC, e.id LIMIT %s OFFSET %s
            ) m ORDER BY m.rank DESC, m.id""",
            [expression, *visible_params, *filter_params, limit, offset],
        )
        return facets, cursor.fetchall()

    def snippet(self, text: str, words: list[str]) -> str:
        return text  # ts_headline has marked it already


_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "es", "ed", "ly", "s")


def _fold(word: str) -> str:
    """The word lower-cased without accents, as the full-text engines compare words."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _stem(word: str) -> str:
    """A light English stem, enough to find in a text the words that the full-text engine's
    stemmer matched (hazards ~ hazard, planning ~ plan), so that the snippet marks them."""
    word = _fold(word)
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]  # planning -> plann -> plan
    return word


def cut_snippet(text: str, words: list[str], size: int = 30) -> str:
    """About `size` words of text around the first match, each word that starts with a query
    term (or shares its stem) wrapped in sentinel marks (escaped and turned into <mark> by
    highlight)."""
    tokens = re.split(r"(\W+)", text)
    folded = [_fold(w) for w in words]
    stems = [_stem(w) for w in words]
    hits = {
        i
        for i, t in enumerate(tokens)
        if t
        and (
            any(_fold(t).startswith(w) for w in folded)
            or any(_stem(t).startswith(s) for s in stems)
        )
    }
    start = max(0, min(hits, default=0) - size // 2)
    start -= start % 2  # stay on a word, not on the separator after it
    end = min(len(tokens), start + size * 2)
    marked = [
        f"{_START}{t}{_STOP}" if i in hits else t for i, t in enumerate(tokens[start:end], start)
    ]
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(tokens) else ""
    return prefix + "".join(marked).strip() + suffix


def _engine():
    return _PostgresEngine() if connection.vendor == "postgresql" else _SQLiteEngine()


def search(
    query: str,
    *,
    frameworks: QuerySet,
    framework_id: int | None = None,
    tier_number: int | None = None,
    limit: int = 20,
    offset: int = 0,
) -> Results:
    """Rank the entries matching every word of `query` (prefixes too) within `frameworks`.

    Facet counts cover the whole match over the visible frameworks, before the framework and tier
    filters, so that a user sees where else the words occur."""
    results = Results(query=query)
    words = terms(query)
    if not words:
        return results
    engine = _engine()
    filter_sql, filter_params = "", []
    if framework_id is not None:
        filter_sql += " AND framework_id = %s"
        filter_params.append(framework_id)
    if tier_number is not None:
        filter_sql += " AND tier_number = %s"
        filter_params.append(tier_number)
    with connection.cursor() as cursor:
        facets, rows = engine.fetch(
            cursor,
            engine.expression(words),
            frameworks.values("id").query.sql_with_params(),
            (filter_sql, filter_params),
            limit,
            offset,
        )
    _count_facets(results, facets, framework_id, tier_number)
    results.hits = [_hit(row, engine.snippet(row[7] or "", words)) for row in rows]
    return results


def _count_facets(results: Results, rows, framework_id, tier_number) -> None:
    frameworks: Counter[int] = Counter()
    tiers: Counter[int] = Counter()
    total = 0
    for fw_id, tier, count in rows:
        frameworks[fw_id] += count
        if tier is not None and (framework_id is None or fw_id == framework_id):
            tiers[tier] += count
        if (framework_id is None or fw_id == framework_id) and (
            tier_number is None or tier == tier_number
        ):
            total += count
    results.framework_counts = dict(frameworks.most_common())
    results.tier_counts = dict(sorted(tiers.items()))
    results.total = total


def _hit(row, snip: str) -> Hit:
    kind, object_id, framework_id, tier_number, title, context, url, _, rank = row
    return Hit(
        kind=kind,
        object_id=object_id,
        framework_id=framework_id,
        tier_number=tier_number,
        title=title,
        context=context,
        url=url,
        snippet=highlight(snip),
        rank=float(rank),
    )
