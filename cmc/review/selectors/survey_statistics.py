"""The statistics of a validation survey's ratings, as plain functions of lists of numbers.

Ratings are 1-5. The mean's 95% confidence interval uses Student's t with n - 1 degrees of
freedom (few respondents rate a model, so the normal approximation would be too narrow).
Agreement across respondent groups is the Kruskal-Wallis H test: ratings are ordinal and
groups small and unequal, which rules out a one-way ANOVA's assumptions; beside it the largest
gap between two groups' means says how big any disagreement is."""

import math
import statistics
from dataclasses import dataclass

IMPORTANT = 4  # "important" (4) or "very important" (5)


@dataclass(frozen=True)
class Summary:
    n: int
    mean: float | None
    sd: float | None
    ci95: tuple[float, float] | None
    share_important: float | None


def summarize(values: list[float]) -> Summary:
    """n, mean, sample standard deviation, the mean's 95% t interval, and the share of values
    of 4 or more. The spread and the interval need two values, the mean one."""
    n = len(values)
    if n == 0:
        return Summary(0, None, None, None, None)
    mean = statistics.fmean(values)
    share = sum(1 for v in values if v >= IMPORTANT) / n
    if n < 2:
        return Summary(n, mean, None, None, share)
    sd = statistics.stdev(values)
    from scipy import stats as scipy_stats  # 60 MiB: loaded by the first survey, not every process

    half = float(scipy_stats.t.ppf(0.975, n - 1)) * sd / math.sqrt(n)
    return Summary(n, mean, sd, (mean - half, mean + half), share)


@dataclass(frozen=True)
class Agreement:
    """How one kind of respondent group (segment, region, role) agrees on an item: the
    Kruskal-Wallis p-value (None when fewer than two groups answered, or every rating is the
    same) and the largest difference between two groups' means."""

    groups: int
    kruskal_p: float | None
    max_gap: float | None


def agreement(by_group: dict[str, list[float]]) -> Agreement:
    """Compare the groups that rated the item (see Agreement)."""
    samples = [values for values in by_group.values() if values]
    if len(samples) < 2:
        return Agreement(len(samples), None, None)
    means = [statistics.fmean(values) for values in samples]
    gap = max(means) - min(means)
    if len({v for values in samples for v in values}) < 2:
        return Agreement(len(samples), None, gap)  # all ties: H is undefined, and no gap
    from scipy import stats as scipy_stats

    return Agreement(len(samples), float(scipy_stats.kruskal(*samples).pvalue), gap)
