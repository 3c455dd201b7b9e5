"""The experiments side by side, drawn by the compare stage, and one params value swept, drawn by ``hiddennodes-sweep``."""

from __future__ import annotations

from typing import Mapping

import numpy as np
from matplotlib.figure import Figure


def _label(name: str, row: Mapping) -> str:
    """Two lines under a bar: the name, and the shape (a sparse baseline's penalty moves to the second line to fit)."""
    if row["hidden_units"]:
        return f"{name}\n{row['num_inputs']}→{row['hidden_units']}→10"
    penalty = row.get("penalty", "l2")
    if penalty != "l2" and name.endswith(f" {penalty}"):
        return f"{name[: -len(penalty) - 1]}\n{penalty}, {row['num_inputs']}→10"
    return f"{name}\n{row['num_inputs']}→10"


def comparison_figure(table: Mapping[str, Mapping], title: str) -> Figure:
    """Train, validation and test accuracy of each experiment side by side."""
    names = list(table)
    figure = Figure(figsize=(max(8.0, 1.25 * len(names)), 4), layout="constrained")
    axes = figure.add_subplot()
    width = 0.26
    positions = np.arange(len(names))
    for offset, (key, label) in enumerate((("train_accuracy", "train"), ("val_accuracy", "validation"), ("test_accuracy", "test"))):
        values = [table[name][key] for name in names]
        bars = axes.bar(positions + (offset - 1) * width, values, width, label=label)
        if key == "test_accuracy":
            axes.bar_label(bars, fmt="%.3f", fontsize=7, padding=2)
    labels = [_label(name, table[name]) for name in names]
    axes.set_xticks(positions, labels, fontsize=8)
    axes.set_ylim(0, 1.05)
    axes.set_ylabel("accuracy")
    axes.legend(loc="upper left", fontsize=8)
    axes.set_title(title)
    return figure
