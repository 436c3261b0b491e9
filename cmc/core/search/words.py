"""Words: a query cut into the terms both engines are given, and the snippet of a hit with its
matching words marked (escaped first, then <mark>)."""

import re
import unicodedata

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MAX_TERMS = 12
START, STOP = "\x02", "\x03"
_WORD = re.compile(r"\w+", re.UNICODE)

# English stop words (PostgreSQL's english dictionary drops the same ones), left out of
# every query so that both engines find the same entries.
STOP_WORDS = frozenset(
    [
        "i", "me", "my", "myself", "we", "our", "ours", "ourselves", "you", "your", "yours",
        "yourself", "yourselves", "he", "him", "his", "himself", "she", "her", "hers", "herself",
        "it", "its", "itself", "they", "them", "their", "theirs", "themselves", "what", "which",
        "who", "whom", "this", "that", "these", "those", "am", "is", "are", "was", "were", "be",
        "been", "being", "have", "has", "had", "having", "do", "does", "did", "doing", "a", "an",
        "the", "and", "but", "if", "or", "because", "as", "until", "while", "of", "at", "by", "for",
        "with", "about", "against", "between", "into", "through", "during", "before", "after",
        "above", "below", "to", "from", "up", "down", "in", "out", "on", "off", "over", "under",
        "again", "further", "then", "once", "here", "there", "when", "where", "why", "how", "all",
        "any", "both", "each", "few", "more", "most", "other", "some", "such", "no", "nor", "not",
        "only", "own", "same", "so", "than", "too", "very", "s", "t", "can", "will", "just", "don",
        "should", "now"
    ]
)  # fmt: skip


def terms(query: str) -> list[str]:
    """The words of a query, lower-cased, each once, stop words left out; punctuation and
    operators are never passed to the engine."""
    words = dict.fromkeys(w.lower() for w in _WORD.findall(query) if w.lower() not in STOP_WORDS)
    return list(words)[:MAX_TERMS]


def highlight(text: str) -> SafeString:
    """Escape an engine snippet, then turn its sentinel marks into <mark> elements."""
    escaped = escape(text)
    return mark_safe(escaped.replace(START, "<mark>").replace(STOP, "</mark>"))


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
        f"{START}{t}{STOP}" if i in hits else t for i, t in enumerate(tokens[start:end], start)
    ]
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(tokens) else ""
    return prefix + "".join(marked).strip() + suffix
