"""Is a difference real? Intervals over repeated runs, and paired tests on the same test items.

Kept apart from ``classification`` and ``calibration`` so the train stage, which
needs only the interval, does not rerun whenever a metric elsewhere changes.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np


def mean_interval(values: Sequence[float], level: float = 0.95) -> dict:
    """Mean, sample standard deviation and the ``level`` confidence interval of the
    mean (Student's t) of repeated runs; one run has no spread and no interval."""
    values = np.asarray(values, dtype=np.float64)
    mean = float(values.mean())
    if len(values) < 2:
        return {"mean": round(mean, 6)}
    from scipy import stats

    std = float(values.std(ddof=1))
    half = float(stats.t.ppf((1 + level) / 2, len(values) - 1)) * std / np.sqrt(len(values))
    return {"mean": round(mean, 6), "std": round(std, 6), "ci95": {"low": round(mean - half, 6), "high": round(mean + half, 6)}}


def mcnemar(correct_a: np.ndarray, correct_b: np.ndarray) -> dict:
    """McNemar's exact test of two classifiers on the same items: do they differ
    more than chance allows on the items only one of them gets right?

    Returns:
        ``only_a`` and ``only_b`` (items only that classifier gets right) and the
        two-sided ``p_value`` of the exact binomial test on them.
    """
    from scipy import stats

    correct_a, correct_b = np.asarray(correct_a, dtype=bool), np.asarray(correct_b, dtype=bool)
    only_a, only_b = int(np.sum(correct_a & ~correct_b)), int(np.sum(~correct_a & correct_b))
    p_value = 1.0 if only_a + only_b == 0 else float(stats.binomtest(only_a, only_a + only_b, 0.5).pvalue)
    return {"only_a": only_a, "only_b": only_b, "p_value": p_value}
