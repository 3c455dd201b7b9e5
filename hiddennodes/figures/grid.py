"""Images on a grid, one colour scale for them all: drawn by the overview, evaluate and interpret stages."""

from __future__ import annotations

from typing import Sequence

import numpy as np
from matplotlib import colormaps
from matplotlib.figure import Figure

from hiddennodes.datasets import IMAGE_SHAPE

# Weight images are drawn on a scale clipped at this percentile of the weights' sizes: a few extreme weights
# would otherwise set the scale and leave every other stroke pale.
WEIGHT_PERCENTILE = 99


def clipped_limit(weights: np.ndarray, percentile: float = WEIGHT_PERCENTILE) -> float:
    """The colour scale's end for weight images: ``percentile`` of the absolute values of the weights that are not 0
    (a network on a few selected pixels has 0 everywhere else), 1 when all are 0."""
    sizes = np.abs(np.asarray(weights, dtype=np.float64)).ravel()
    sizes = sizes[sizes > 0]
    return float(np.percentile(sizes, percentile)) if len(sizes) else 1.0


def image_grid_figure(
    images: np.ndarray,
    titles: Sequence[str] | None,
    title: str,
    columns: int,
    symmetric: bool = False,
    row_labels: Sequence[str] | None = None,
    tile: float = 1.25,
    limit: float | None = None,
    colorbar_label: str = "weight",
) -> Figure:
    """28x28 images in a grid on one shared colour scale (``tile`` inches each).

    One scale for the whole figure, so a brighter tile really is a larger value
    (as scikit-learn's MNIST filter example does); ``symmetric`` centres it on 0
    with a diverging map, for weights that can be negative, from ``-limit`` to
    ``limit`` (default: the largest absolute value; larger values are clipped).
    """
    images = np.asarray(images).reshape(len(images), *IMAGE_SHAPE)
    height, width = IMAGE_SHAPE
    rows = int(np.ceil(len(images) / columns))
    figure = Figure(figsize=(tile * columns + 0.8, (tile + 0.05) * rows + 0.7), layout="constrained")
    if symmetric:
        limit = limit or float(np.abs(images).max()) or 1.0
        scale = {"cmap": "RdBu_r", "vmin": -limit, "vmax": limit}
    else:
        scale = {"cmap": "gray_r", "vmin": float(images.min()), "vmax": float(images.max()) or 1.0}
    if titles is None and row_labels is None:
        # One image of all tiles, a pixel of background between them: hundreds of
        # separate axes take seconds each to lay out and draw.
        mosaic = np.full((rows * (height + 1) - 1, columns * (width + 1) - 1), np.nan)
        for index, image in enumerate(images):
            row, column = divmod(index, columns)
            top, left = row * (height + 1), column * (width + 1)
            mosaic[top:top + height, left:left + width] = image
        axes = figure.add_subplot()
        colours = colormaps[scale.pop("cmap")].with_extremes(bad="white")
        shown = axes.imshow(mosaic, cmap=colours, interpolation="nearest", **scale)
        axes.set_xticks([])
        axes.set_yticks([])
        axes.set_xlabel(f"{len(images)} tiles, left to right and top to bottom")
        if symmetric:
            figure.colorbar(shown, ax=axes, shrink=0.6, label=colorbar_label, extend="both" if limit < np.abs(images).max() else "neither")
        figure.suptitle(title)
        return figure
    grid = figure.subplots(rows, columns, squeeze=False)
    for index, axes in enumerate(grid.flat):
        axes.set_xticks([])
        axes.set_yticks([])
        if index >= len(images):
            axes.set_axis_off()
            continue
        shown = axes.imshow(images[index], **scale)
        if titles is not None:
            axes.set_title(titles[index], fontsize=7)
        if row_labels is not None and index % columns == 0:
            axes.set_ylabel(row_labels[index // columns], fontsize=8)
    if symmetric:
        figure.colorbar(shown, ax=grid, shrink=0.6, label=colorbar_label, extend="both" if limit < np.abs(images).max() else "neither")
    figure.suptitle(title)
    return figure

