"""The experiments side by side, drawn by the compare stage, and one params value swept, drawn by ``hiddennodes-sweep``."""

from __future__ import annotations

from typing import Mapping

import numpy as np
from matplotlib.figure import Figure


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
    labels = [f"{name}\n{table[name]['num_inputs']}→{table[name]['hidden_units']}→10" if table[name]["hidden_units"]
              else f"{name}\n{table[name]['num_inputs']}→10" for name in names]
    axes.set_xticks(positions, labels)
    axes.set_ylim(0, 1.05)
    axes.set_ylabel("accuracy")
    axes.legend(loc="upper left", fontsize=8)
    axes.set_title(title)
    return figure
