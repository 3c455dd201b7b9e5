"""Intervals over repeated runs and McNemar's test, against values worked out by hand."""

import numpy as np
import pytest

from hiddennodes.evaluate.stats import mcnemar, mean_interval


def test_mean_interval_of_three_runs_by_hand():
    result = mean_interval([0.8, 0.9, 1.0])
    # mean 0.9, sample sd 0.1, t(0.975, 2 degrees of freedom) = 4.302653: half-width 4.302653 * 0.1 / sqrt(3) = 0.248414
    assert result["mean"] == pytest.approx(0.9) and result["std"] == pytest.approx(0.1)
    assert result["ci95"]["low"] == pytest.approx(0.9 - 0.248414, abs=1e-6)
    assert result["ci95"]["high"] == pytest.approx(0.9 + 0.248414, abs=1e-6)
    assert result["ci95"]["low"] < result["mean"] < result["ci95"]["high"]
    assert mean_interval([0.87]) == {"mean": 0.87}


def test_mcnemar_exact_by_hand():
    correct_a = np.array([True] * 10 + [False] * 2 + [True] * 50 + [False] * 5)
    correct_b = np.array([False] * 10 + [True] * 2 + [True] * 50 + [False] * 5)
    result = mcnemar(correct_a, correct_b)
    # Only 12 items differ, 10 against 2: p = 2 * (C(12,0) + C(12,1) + C(12,2)) / 2^12 = 2 * 79 / 4096
    assert (result["only_a"], result["only_b"]) == (10, 2)
    assert result["p_value"] == pytest.approx(158 / 4096)
    assert mcnemar(correct_a, correct_a)["p_value"] == 1.0
    assert mcnemar(correct_b, correct_a)["p_value"] == pytest.approx(result["p_value"])
