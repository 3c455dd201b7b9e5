"""A sweep of one params key: accuracy and training time against its values (``hiddennodes-sweep``)."""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter


def sweep_figure(rows: Sequence[Mapping], key: str, best: Mapping, title: str) -> Figure:
    """Validation and test accuracy, and training seconds, against a swept params value; the validation-best run marked.

    A numeric key spanning two orders of magnitude or more (widths 1 to 850) gets a logarithmic axis;
    any other values (activations, optimizers) are placed side by side in order.
    """
    values = [row[key] for row in rows]
    numeric = all(isinstance(value, (int, float)) and not isinstance(value, bool) for value in values)
    positions = np.array(values, dtype=float) if numeric else np.array([sorted(set(map(str, values))).index(str(value)) for value in values], dtype=float)
    if not numeric and max(len(str(value)) for value in values) > 12:
        return recipe_figure(rows, key, best, title)
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


def recipe_figure(rows: Sequence[Mapping], key: str, best: Mapping, title: str) -> Figure:
    """A sweep of several keys at once: one line per recipe, ordered by what the choice is made on (the mean validation
    accuracy over seeds, where they were repeated), with validation and test accuracy (and the test's 95% interval)
    and the training seconds; the chosen recipe in bold."""
    from hiddennodes.evaluate.sweep import choice_metric

    metric = choice_metric(rows)  # what best_row chose on
    test = "test_accuracy_mean" if metric == "val_accuracy_mean" else "test_accuracy"
    ordered = sorted(rows, key=lambda row: row.get(metric, -np.inf))
    positions = np.arange(len(ordered))
    figure = Figure(figsize=(12, 1.6 + 0.28 * len(ordered)), layout="constrained")
    accuracy_axes, seconds_axes = figure.subplots(1, 2, sharey=True, width_ratios=(3, 1))
    accuracy_axes.plot([row.get(metric, np.nan) for row in ordered], positions, "o", label="validation" + (" (mean over seeds)" if metric.endswith("mean") else ""))
    accuracy_axes.plot([row.get(test, np.nan) for row in ordered], positions, "s", markersize=4, label="test" + (" (mean over seeds)" if metric.endswith("mean") else ""))
    for position, row in zip(positions, ordered):
        interval = row.get("test_accuracy_ci95")
        if interval:
            accuracy_axes.plot([interval["low"], interval["high"]], [position, position], color="tab:orange", alpha=0.5, linewidth=2)
    accuracy_axes.set_yticks(positions, [str(row[key]) for row in ordered], fontsize=8)
    for label, row in zip(accuracy_axes.get_yticklabels(), ordered):
        if row is best:
            label.set_fontweight("bold")
    accuracy_axes.set_xlabel("accuracy (bars: the test's 95% interval over seeds)")
    accuracy_axes.legend(fontsize=8, loc="lower right")
    seconds_axes.barh(positions, [row.get("training_seconds", np.nan) for row in ordered], color="tab:green", alpha=0.7)
    seconds_axes.set_xlabel("training seconds (first seed)")
    for axes in (accuracy_axes, seconds_axes):
        axes.grid(alpha=0.3, axis="x")
    figure.suptitle(title, fontsize=10)
    return figure


def apart(widths: np.ndarray, share: float = 0.06) -> list[str]:
    """Tick labels for widths on a base-2 axis, each left blank where it would touch the one labelled before it (closer
    than ``share`` of the axis's span)."""
    span = max(np.log2(widths.max() / widths.min()), 1.0)
    labels, last = [], -np.inf
    for width in widths:
        near = (np.log2(width) - last) / span < share
        labels.append("" if near else f"{width:g}")
        last = last if near else np.log2(width)
    return labels


def width_figure(sweep: Mapping) -> Figure:
    """The width sweep behind a run's width (the width_sweep stage's summary): on the left validation accuracy against
    width over every swept width, on the right the widths near the best, each with the 95% interval of its mean over
    seeds where they were repeated; the run's width and the sweep's best marked, the test's means beside them in grey."""
    key, rows = sweep["key"], sorted(sweep["rows"], key=lambda row: row[sweep["key"]])
    repeated = all("val_accuracy_mean" in row for row in rows)
    widths = np.array([row[key] for row in rows], dtype=float)
    validation = np.array([row["val_accuracy_mean" if repeated else "val_accuracy"] for row in rows])
    test = np.array([row["test_accuracy_mean" if repeated else "test_accuracy"] for row in rows])
    best = validation[list(widths).index(sweep["best"])] if sweep["best"] in widths else validation.max()
    near = validation >= best - 0.01  # the right panel: widths within a point of the best
    figure = Figure(figsize=(10, 3.4), layout="constrained")
    for axes, keep in zip(figure.subplots(1, 2), (np.ones_like(near), near)):
        if repeated:
            low = np.array([row["val_accuracy_ci95"]["low"] if "val_accuracy_ci95" in row else np.nan for row in rows])
            high = np.array([row["val_accuracy_ci95"]["high"] if "val_accuracy_ci95" in row else np.nan for row in rows])
            axes.fill_between(widths[keep], low[keep], high[keep], color="tab:blue", alpha=0.18, linewidth=0,
                              label="validation: 95% interval over seeds")
        axes.plot(widths[keep], validation[keep], "o-", color="tab:blue", markersize=4,
                  label="validation" + (" (mean over seeds)" if repeated else ""))
        axes.plot(widths[keep], test[keep], "s--", color="grey", markersize=3, linewidth=1, label="test (not chosen on)")
        axes.axvline(sweep["chosen"], color="black", linewidth=1.2, label=f"this run: {sweep['chosen']}")
        if sweep["best"] != sweep["chosen"]:
            axes.axvline(sweep["best"], color="tab:red", linestyle="--", linewidth=1, label=f"best on validation: {sweep['best']}")
        axes.set_xscale("log", base=2)
        axes.set_xticks(widths[keep], apart(widths[keep]), fontsize=8)
        axes.minorticks_off()
        axes.margins(x=0.06)
        axes.yaxis.set_major_formatter(PercentFormatter(1.0))
        axes.set_xlabel(f"hidden nodes ({key})")
        axes.grid(alpha=0.3)
    left, right = figure.axes
    left.set_ylabel("accuracy")
    left.set_title("every swept width", fontsize=9)
    right.set_title("within a point of the best", fontsize=9)
    right.legend(fontsize=7, loc="lower right")
    return figure
