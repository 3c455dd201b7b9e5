"""Attribution figures: which pixels push a class score up (red) or down (blue), over the picture's ink."""

from __future__ import annotations

from typing import Sequence

import numpy as np
from matplotlib.figure import Figure

from hiddennodes.data.datasets import IMAGE_SHAPE
from hiddennodes.figures.grid import TileGrid, scale_bar

CLIP_PERCENTILE = 99.5  # of the attributions' magnitudes: the colour scale's end, so a few extreme pixels do not wash out the rest


def colour_limit(values: np.ndarray) -> float:
    """The shared colour scale's end: the ``CLIP_PERCENTILE``th percentile of the magnitudes."""
    magnitudes = np.abs(np.asarray(values)).ravel()
    return float(np.percentile(magnitudes, CLIP_PERCENTILE)) or 1.0


SCALE = "RdBu_r"


def _draw(grid: TileGrid, row: int, column: int, attribution: np.ndarray, limit: float, ink: np.ndarray | None):
    """One attribution in its tile on the shared scale, with the picture's strokes as a thin outline (so the colours
    can be read against the ink)."""
    shown = grid.image(row, column, attribution, cmap=SCALE, vmin=-limit, vmax=limit)
    if ink is not None:
        x, y = grid.corner(row, column)
        height, width = IMAGE_SHAPE
        grid.axes.contour(x + np.arange(width) + 0.5, y + np.arange(height) + 0.5, np.asarray(ink).reshape(IMAGE_SHAPE),
                          levels=[0.35], colors="0.15", linewidths=0.6)
    return shown


def class_attribution_figure(class_mean: np.ndarray, class_names: Sequence[str], mean_digits: np.ndarray, title: str) -> Figure:
    """Each class's mean attribution toward itself, over its class's mean digit's outline, on one colour scale."""
    count = len(class_names)
    columns = min(count, 5)
    rows = -(-count // columns)
    limit = colour_limit(class_mean)
    grid = TileGrid(rows, columns, tile=1.75, title_lines=1, title_size=10, gap=0.25,
                    margins=(0.1, 1.1, 0.15 + 0.2 * len(title.splitlines()), 0.1))
    for index in range(count):
        row, column = divmod(index, columns)
        _draw(grid, row, column, class_mean[index], limit, mean_digits[index])
        grid.title(row, column, str(class_names[index]))
    figure = grid.finish()
    scale_bar(figure, grid.axes, {"cmap": SCALE, "vmin": -limit, "vmax": limit}, shrink=0.8,
              label=f"score up (red) or down (blue); clipped at the {CLIP_PERCENTILE:g}th percentile")
    figure.suptitle(title, fontsize=11)
    return figure


def attribution_rows_figure(images: np.ndarray, first: np.ndarray, second: np.ndarray, row_titles: Sequence[str],
                            first_titles: Sequence[str], second_titles: Sequence[str], title: str) -> Figure:
    """One row per picture: the picture, then two of its attributions (toward two classes) over its outline, on one scale."""
    rows = len(images)
    if rows == 0:
        figure = Figure(figsize=(7.2, 2.85), layout="constrained")
        axes = figure.add_subplot()
        axes.text(0.5, 0.5, "nothing to show", ha="center", va="center")
        axes.set_axis_off()
        figure.suptitle(title, fontsize=11)
        return figure
    limit = colour_limit(np.concatenate([first, second]))
    grid = TileGrid(rows, 3, tile=1.6, title_lines=1, title_size=9, gap=0.3,
                    margins=(0.1, 1.0, 0.15 + 0.2 * len(title.splitlines()), 0.1))
    for row in range(rows):
        grid.image(row, 0, images[row], cmap="gray_r", vmin=0, vmax=1)
        grid.title(row, 0, row_titles[row])
        _draw(grid, row, 1, first[row], limit, images[row])
        grid.title(row, 1, first_titles[row])
        _draw(grid, row, 2, second[row], limit, images[row])
        grid.title(row, 2, second_titles[row])
    figure = grid.finish()
    scale_bar(figure, grid.axes, {"cmap": SCALE, "vmin": -limit, "vmax": limit}, shrink=0.6,
              label="pushes the score up (red) or down (blue)")
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
