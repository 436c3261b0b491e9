"""The survey statistics against values worked out by hand."""

import math

import pytest

from cmc.review.selectors.survey_statistics import Agreement, Summary, agreement, summarize

# Student's t, 97.5th percentile, from the tables: 2 and 3 degrees of freedom.
T_2 = 4.302652729749464
T_3 = 3.182446305284263


def test_three_ratings_give_mean_4_sd_1_and_the_t_interval():
    summary = summarize([3, 4, 5])
    half = T_2 * 1 / math.sqrt(3)  # t(2) · sd / √n
    assert summary.n == 3
    assert summary.mean == 4
    assert summary.sd == 1
    assert summary.ci95 == pytest.approx((4 - half, 4 + half), abs=1e-9)
    assert summary.ci95 == pytest.approx((1.515862, 6.484138), abs=1e-6)
    assert summary.share_important == pytest.approx(2 / 3)


def test_four_ratings():
    # mean 10/4 = 2.5; squared deviations 2.25 + .25 + .25 + 6.25 = 9, over n - 1 = 3: var 3
    summary = summarize([1, 2, 2, 5])
    assert summary.mean == 2.5
    assert summary.sd == pytest.approx(math.sqrt(3), abs=1e-12)
    half = T_3 * math.sqrt(3) / 2
    assert summary.ci95 == pytest.approx((2.5 - half, 2.5 + half), abs=1e-9)
    assert summary.share_important == 0.25


def test_one_rating_has_a_mean_but_no_spread_or_interval():
    assert summarize([4]) == Summary(1, 4, None, None, 1.0)


def test_no_ratings():
    assert summarize([]) == Summary(0, None, None, None, None)


def test_kruskal_wallis_of_two_groups_without_ties():
    # Ranks 1, 2 | 3, 4: H = 12 / (4 · 5) · (3² / 2 + 7² / 2) − 3 · 5 = 2.4, on 1 degree of
    # freedom, whose chi-square tail is erfc(√(H / 2)).
    result = agreement({"Employer": [1, 2], "Worker": [4, 5]})
    assert result.groups == 2
    assert result.kruskal_p == pytest.approx(math.erfc(math.sqrt(1.2)), abs=1e-12)
    assert result.max_gap == 3.0


def test_groups_without_ratings_are_left_out_and_one_group_is_no_comparison():
    assert agreement({"Employer": [4, 5], "Worker": []}) == Agreement(1, None, None)


def test_identical_ratings_have_no_p_value_and_no_gap():
    assert agreement({"Employer": [4, 4], "Worker": [4]}) == Agreement(2, None, 0.0)
