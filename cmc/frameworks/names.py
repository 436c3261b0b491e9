"""When two competency names mean the same: the words that count, and how alike two names are.

"Adaptability & Flexibility", "Flexibility and Adaptability" and "Adaptability/Flexibility" are
one name: case, punctuation, "&"/"and", small words, word order and simple inflections
("Analytic"/"Analytical", "Skill"/"Skills") do not count. Names that share some of their words
("Customer Focus", "Marketing & Customer Focus") are alike to a degree, from 0 to 1.
"""

import re

SMALL_WORDS = frozenset({"a", "an", "and", "the", "of", "or", "to", "for", "in", "on", "with"})
# Longest first: the first ending that leaves a stem of four letters or more is taken off.
ENDINGS = ("ational", "ation", "ical", "ness", "ing", "ies", "al", "ed", "es", "s")


def stem(word: str) -> str:
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)] + ("ic" if ending == "ical" else "")
    return word


def name_words(name: str) -> frozenset[str]:
    """The stems of a name's words that count."""
    words = re.sub(r"[\W_]+", " ", name.replace("&", " and ")).casefold().split()
    return frozenset(stem(w) for w in words if w not in SMALL_WORDS)


def same_name(a: str, b: str) -> bool:
    """Whether two names say the same thing (see the module's docstring)."""
    first, second = name_words(a), name_words(b)
    return bool(first) and first == second


def name_key(name: str) -> tuple[str, ...]:
    """What names that are the same share: their stems, sorted."""
    return tuple(sorted(name_words(name)))


def similarity(a: str, b: str) -> float:
    """How alike two names are, from 0 to 1: the mean of the share of words they have in common
    (Jaccard) and the share of the shorter name found in the longer (containment)."""
    first, second = name_words(a), name_words(b)
    if not first or not second:
        return 0.0
    common = len(first & second)
    jaccard = common / len(first | second)
    containment = common / min(len(first), len(second))
    return round((jaccard + containment) / 2, 2)
