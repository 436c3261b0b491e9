"""Which competency names are the same, and how alike the rest are."""

import pytest

from cmc.frameworks.names import name_key, same_name, similarity


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Adaptability & Flexibility", "Flexibility & Adaptability"),
        ("Adaptability & Flexibility", "Adaptability/Flexibility"),
        ("Critical & Analytic Thinking", "Critical & Analytical Thinking"),
        ("Planning and Organizing", "Planning & Organizing"),
        ("Basic Computer Skills", "basic computer skill"),
    ],
)
def test_names_that_say_the_same_are_one(a, b):
    assert same_name(a, b)
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(
    ("a", "b", "score"),
    [
        ("Science", "Science & Technology", 0.75),
        ("Customer Focus", "Marketing & Customer Focus", 0.83),
        ("Planning & Organizing", "Planning, Organizing & Scheduling", 0.83),
        ("Communication", "Communication – Listening & Speaking", 0.67),
        ("Reading", "Writing", 0.0),
    ],
)
def test_names_that_share_words_are_alike_to_a_degree(a, b, score):
    assert not same_name(a, b)
    assert similarity(a, b) == score


def test_a_name_of_small_words_only_matches_nothing():
    assert not same_name("and", "the")
    assert similarity("and", "Reading") == 0.0
