"""A sweep of one params key: accuracy and training time against its values (``hiddennodes-sweep``)."""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
from matplotlib.figure import Figure


def sweep_figure(rows: Sequence[Mapping], key: str, best: Mapping, title: str) -> Figure:
    """Validation and test accuracy, and training seconds, against a swept params value; the validation-best run marked.

    A numeric key spanning two orders of magnitude or more (widths 1 to 850) gets a logarithmic axis;
    any other values (activations, optimizers) are placed side by side in order.
    """
    values = [row[key] for row in rows]
    numeric = all(isinstance(value, (int, float)) and not isinstance(value, bool) for value in values)
    positions = np.array(values, dtype=float) if numeric else np.array([sorted(set(map(str, values))).index(str(value)) for value in values], dtype=float)
    figure = Figure(figsize=(11, 4.2), layout="constrained")
    accuracy_axes, seconds_axes = figure.subplots(1, 2)
    best_position = positions[[index for index, row in enumerate(rows) if row is best][0]]
    for metric, label in (("val_accuracy", "validation"), ("test_accuracy", "test")):
        accuracy_axes.plot(positions, [row.get(metric, np.nan) for row in rows], marker="o", markersize=4, label=label)
    intervals = [row.get("test_accuracy_ci95") for row in rows]
    if any(intervals):
        low = [interval["low"] if interval else np.nan for interval in intervals]
        high = [interval["high"] if interval else np.nan for interval in intervals]
        accuracy_axes.fill_between(positions, low, high, alpha=0.2, color="tab:orange", label="test, 95% interval over seeds")
    accuracy_axes.axvline(best_position, color="grey", linestyle="--", linewidth=1, label=f"best on validation: {best[key]}")
    accuracy_axes.set_ylabel("accuracy")
    accuracy_axes.legend(fontsize=8)
    seconds_axes.plot(positions, [row.get("training_seconds", np.nan) for row in rows], marker="o", markersize=4, color="tab:green")
    seconds_axes.axvline(best_position, color="grey", linestyle="--", linewidth=1)
    seconds_axes.set_ylabel("training seconds")
    for axes in (accuracy_axes, seconds_axes):
        axes.set_xlabel(key)
        axes.grid(alpha=0.3)
        if numeric and min(positions) > 0 and max(positions) / min(positions) >= 100:
            axes.set_xscale("log")
        if not numeric:
            names = sorted(set(map(str, values)))
            axes.set_xticks(range(len(names)), names)
    figure.suptitle(title)
    return figure
