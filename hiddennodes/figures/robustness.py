"""Accuracy as the test digits are changed, and what the changes look like: drawn by the robustness stage."""

from __future__ import annotations

from typing import Mapping

import numpy as np
from matplotlib.figure import Figure

from hiddennodes.data.datasets import IMAGE_SHAPE
from hiddennodes.figures.colours import CLASS_COLOURS


def robustness_figure(curves: Mapping[str, Mapping[str, np.ndarray]], severities: Mapping[str, np.ndarray],
                      units: Mapping[str, str], title: str) -> Figure:
    """Accuracy against severity, one panel per change and one line per experiment.

    Args:
        curves: ``{experiment: {change: accuracies}}``, level 0 (no change) first.
        severities: ``{change: values}`` for the x axes, level 0 first.
        units: ``{change: unit}`` for the x labels.
    """
    changes = list(severities)
    columns = 3
    rows = int(np.ceil(len(changes) / columns))
    figure = Figure(figsize=(11, 3.1 * rows + 0.6), layout="constrained")
    grid = figure.subplots(rows, columns, squeeze=False, sharey=True)
    for axes, change in zip(grid.flat, changes):
        for index, (experiment, by_change) in enumerate(curves.items()):
            axes.plot(severities[change], by_change[change], marker="o", markersize=3, color=CLASS_COLOURS(index), label=experiment)
        axes.set_title(change, fontsize=10)
        axes.set_xlabel(units[change], fontsize=8)
        axes.set_ylim(0, 1.02)
        axes.grid(alpha=0.3)
    for axes in grid.flat[len(changes):]:
        axes.set_axis_off()
    for axes in grid[:, 0]:
        axes.set_ylabel("test accuracy")
    grid.flat[0].legend(fontsize=7, loc="lower left")
    figure.suptitle(title)
    return figure


def changed_examples_figure(examples: Mapping[str, np.ndarray], severities: Mapping[str, np.ndarray],
                            units: Mapping[str, str], title: str) -> Figure:
    """What each level of each change looks like: a row per change, a column per level (the first unchanged)."""
    changes = list(examples)
    columns = len(next(iter(examples.values())))
    figure = Figure(figsize=(1.25 * columns + 1.6, 1.3 * len(changes) + 0.6), layout="constrained")
    grid = figure.subplots(len(changes), columns, squeeze=False)
    for row, change in enumerate(changes):
        for column, axes in enumerate(grid[row]):
            axes.imshow(np.asarray(examples[change][column]).reshape(IMAGE_SHAPE), cmap="gray_r", vmin=0, vmax=1)
            axes.set_xticks([])
            axes.set_yticks([])
            axes.set_title(f"{severities[change][column]:g}", fontsize=7)
        grid[row, 0].set_ylabel(f"{change}\n({units[change]})", fontsize=7)
    figure.suptitle(title)
    return figure

