"""Attribution figures: which pixels push a class score up (red) or down (blue), over the picture's ink."""

from __future__ import annotations

from typing import Sequence

import numpy as np
from matplotlib.figure import Figure

from hiddennodes.datasets import IMAGE_SHAPE

CLIP_PERCENTILE = 99.5  # of the attributions' magnitudes: the colour scale's end, so a few extreme pixels do not wash out the rest


def colour_limit(values: np.ndarray) -> float:
    """The shared colour scale's end: the ``CLIP_PERCENTILE``th percentile of the magnitudes."""
    magnitudes = np.abs(np.asarray(values)).ravel()
    return float(np.percentile(magnitudes, CLIP_PERCENTILE)) or 1.0


def _draw(axes, attribution: np.ndarray, limit: float, ink: np.ndarray | None):
    shown = axes.imshow(np.asarray(attribution).reshape(IMAGE_SHAPE), cmap="RdBu_r", vmin=-limit, vmax=limit, interpolation="nearest")
    if ink is not None:  # the picture's strokes as a thin outline, so the colours can be read against the ink
        axes.contour(np.asarray(ink).reshape(IMAGE_SHAPE), levels=[0.35], colors="0.15", linewidths=0.6)
    axes.set_xticks([])
    axes.set_yticks([])
    return shown


def class_attribution_figure(class_mean: np.ndarray, class_names: Sequence[str], mean_digits: np.ndarray, title: str) -> Figure:
    """Each class's mean attribution toward itself, over its class's mean digit's outline, on one colour scale."""
    count = len(class_names)
    columns = min(count, 5)
    rows = -(-count // columns)
    figure = Figure(figsize=(2.0 * columns + 0.9, 2.15 * rows + 0.8), layout="constrained")
    limit = colour_limit(class_mean)
    grid = figure.subplots(rows, columns, squeeze=False)
    shown = None
    for index, axes in enumerate(grid.ravel()):
        if index >= count:
            axes.set_axis_off()
            continue
        shown = _draw(axes, class_mean[index], limit, mean_digits[index])
        axes.set_title(str(class_names[index]), fontsize=10)
    figure.colorbar(shown, ax=grid, shrink=0.8, label=f"score up (red) or down (blue); clipped at the {CLIP_PERCENTILE:g}th percentile")
    figure.suptitle(title, fontsize=11)
    return figure


def attribution_rows_figure(images: np.ndarray, first: np.ndarray, second: np.ndarray, row_titles: Sequence[str],
                            first_titles: Sequence[str], second_titles: Sequence[str], title: str) -> Figure:
    """One row per picture: the picture, then two of its attributions (toward two classes) over its outline, on one scale."""
    rows = len(images)
    figure = Figure(figsize=(7.2, 2.05 * max(rows, 1) + 0.8), layout="constrained")
    if rows == 0:
        axes = figure.add_subplot()
        axes.text(0.5, 0.5, "nothing to show", ha="center", va="center")
        axes.set_axis_off()
        figure.suptitle(title, fontsize=11)
        return figure
    limit = colour_limit(np.concatenate([first, second]))
    grid = figure.subplots(rows, 3, squeeze=False)
    shown = None
    for row in range(rows):
        grid[row, 0].imshow(np.asarray(images[row]).reshape(IMAGE_SHAPE), cmap="gray_r", vmin=0, vmax=1, interpolation="nearest")
        grid[row, 0].set_xticks([])
        grid[row, 0].set_yticks([])
        grid[row, 0].set_title(row_titles[row], fontsize=9)
        shown = _draw(grid[row, 1], first[row], limit, images[row])
        grid[row, 1].set_title(first_titles[row], fontsize=9)
        _draw(grid[row, 2], second[row], limit, images[row])
        grid[row, 2].set_title(second_titles[row], fontsize=9)
    figure.colorbar(shown, ax=grid, shrink=0.6, label="pushes the score up (red) or down (blue)")
    figure.suptitle(title, fontsize=11)
    return figure


def mistakes_figure(images: np.ndarray, toward_predicted: np.ndarray, toward_true: np.ndarray, true: Sequence[str],
                    predicted: Sequence[str], confidence: Sequence[float], title: str) -> Figure:
    """One row per confident mistake: the picture, the pixels that pushed toward its wrong answer, those toward the right one."""
    if len(images) == 0:
        title += ": none on the test digits"
    return attribution_rows_figure(images, toward_predicted, toward_true,
                                   [f"{t}, read as {p} ({100 * c:.0f}%)" for t, p, c in zip(true, predicted, confidence)],
                                   [f"toward {p} (its answer)" for p in predicted], [f"toward {t} (the right one)" for t in true], title)
