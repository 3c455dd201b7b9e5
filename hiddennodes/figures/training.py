"""How a trained network did on the test set: drawn by the evaluate stage (with ``grid``'s mistakes)."""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
from matplotlib.figure import Figure


def confusion_figure(matrix: np.ndarray, class_names: Sequence[str], title: str) -> Figure:
    """Counts of true (rows) against predicted (columns) classes."""
    figure = Figure(figsize=(7, 6), layout="constrained")
    axes = figure.add_subplot()
    import seaborn as sns  # imported here: it takes seconds, and only this figure uses it

    sns.heatmap(
        matrix, annot=True, fmt="d", cmap="Blues", cbar=False, ax=axes,
        xticklabels=class_names, yticklabels=class_names, annot_kws={"fontsize": 7},
    )
    axes.set_xlabel("predicted")
    axes.set_ylabel("true")
    axes.set_title(title)
    return figure


def learning_curves_figure(history: Mapping[str, tuple[np.ndarray, np.ndarray]], best_epoch: int, title: str) -> Figure:
    """Loss and accuracy per epoch for training and validation.

    Args:
        history: ``{"train/loss": (epochs, values), "eval/loss": ..., "train/accuracy": ..., "eval/accuracy": ...}``.
        best_epoch: the 1-based epoch whose weights were kept, marked on both panels.
    """
    figure = Figure(figsize=(10, 3.8), layout="constrained")
    for index, metric in enumerate(("loss", "accuracy")):
        axes = figure.add_subplot(1, 2, index + 1)
        for split, label in (("train", "training"), ("eval", "validation")):
            key = f"{split}/{metric}"
            if key in history:
                epochs, values = history[key]
                axes.plot(epochs, values, marker=".", label=label)
        axes.axvline(best_epoch, color="grey", linestyle="--", linewidth=1, label=f"kept: epoch {best_epoch}")
        axes.set_xlabel("epoch")
        axes.set_ylabel(metric)
        axes.legend()
    figure.suptitle(title)
    return figure


def confused_pairs_figure(cells: Sequence[Mapping[tuple[int, int], np.ndarray]], class_names: Sequence[str], title: str) -> Figure:
    """For each confused pair (a, b), the study's 2x2 grid of montages: true
    class in rows, predicted class in columns."""
    figure = Figure(figsize=(4.2 * len(cells), 4.6), layout="constrained")
    panels = figure.subfigures(1, len(cells), squeeze=False)[0]
    for panel, pair in zip(panels, cells):
        _, b = list(pair)[3]  # cells are (a, a), (a, b), (b, a), (b, b)
        grid = panel.subplots(2, 2)
        for (actual, predicted), sheet in pair.items():
            axes = grid[int(actual == b), int(predicted == b)]
            axes.imshow(sheet, cmap="gray_r", vmin=0, vmax=1)
            axes.set_xticks([])
            axes.set_yticks([])
            axes.set_title(f"{class_names[actual]} read as {class_names[predicted]}", fontsize=8,
                           color="black" if actual == predicted else "firebrick")
    figure.suptitle(title)
    return figure

