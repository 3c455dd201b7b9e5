"""A convolutional network's first-layer filters and what they respond to: drawn by the interpret stage."""

from __future__ import annotations

from typing import Sequence

import numpy as np
from matplotlib.figure import Figure

from hiddennodes.data.datasets import IMAGE_SHAPE


def _mosaic(tiles: np.ndarray, columns: int, gap: int = 1) -> np.ndarray:
    """(n, h, w) tiles on a grid, NaN between them (drawn as the background)."""
    count, height, width = tiles.shape
    rows = -(-count // columns)
    mosaic = np.full((rows * (height + gap) - gap, columns * (width + gap) - gap), np.nan)
    for index, tile in enumerate(tiles):
        row, column = divmod(index, columns)
        mosaic[row * (height + gap) : row * (height + gap) + height, column * (width + gap) : column * (width + gap) + width] = tile
    return mosaic


def filters_figure(kernels: np.ndarray, tuning: np.ndarray, class_names: Sequence[str], title: str) -> Figure:
    """Every first-layer kernel as an image, all on one colour scale centred on 0, each titled with the class whose
    images its map responds to most.

    One scale for all, as for the hidden nodes' weights: a darker red really is a larger weight, so a filter that
    barely reads the image looks pale instead of being stretched to full contrast.
    """
    from matplotlib import colormaps

    kernels = np.asarray(kernels, dtype=np.float64)
    count = len(kernels)
    columns = min(count, 8)
    rows = -(-count // columns)
    limit = float(np.abs(kernels).max()) or 1.0
    figure = Figure(figsize=(1.2 * columns + 1.2, 1.45 * rows + 0.9), layout="constrained")
    axes_grid = figure.subplots(rows, columns, squeeze=False)
    colours = colormaps["RdBu_r"]
    shown = None
    for index, axes in enumerate(axes_grid.ravel()):
        axes.set_xticks([])
        axes.set_yticks([])
        if index >= count:
            axes.set_axis_off()
            continue
        shown = axes.imshow(kernels[index], cmap=colours, vmin=-limit, vmax=limit, interpolation="nearest")
        axes.set_title(f"filter {index + 1}\n{class_names[int(np.argmax(tuning[index]))]}", fontsize=8)
    figure.colorbar(shown, ax=axes_grid, shrink=0.7, label="weight (one scale for all)")
    figure.suptitle(title)
    return figure


def filter_responses_figure(tunings: Sequence[np.ndarray], class_names: Sequence[str], title: str) -> Figure:
    """Each convolutional layer's mean feature-map response per filter (rows) and class (columns), a panel a layer;
    each row scaled to its own largest value, so what a filter prefers shows whatever its overall strength."""
    figure = Figure(figsize=(4.2 * len(tunings) + 0.6, min(2 + 0.2 * max(len(tuning) for tuning in tunings), 10)), layout="constrained")
    panels = figure.subplots(1, len(tunings), squeeze=False)[0]
    rotation = 30 if len(max(class_names, key=len)) > 2 else 0
    shown = None
    for layer, (axes, tuning) in enumerate(zip(panels, tunings), start=1):
        tuning = np.asarray(tuning, dtype=np.float64)
        scaled = tuning / np.maximum(tuning.max(axis=1, keepdims=True), 1e-12)
        shown = axes.imshow(scaled, aspect="auto", cmap="magma", vmin=0, vmax=1, interpolation="nearest")
        axes.set_xticks(range(len(class_names)), class_names, rotation=rotation, fontsize=7)
        if len(tuning) <= 40:
            axes.set_yticks(range(len(tuning)), [str(index + 1) for index in range(len(tuning))], fontsize=6)
        axes.set_ylabel(f"layer {layer}: filter")
        axes.set_title(f"layer {layer}: {len(tuning)} filters", fontsize=9)
    figure.colorbar(shown, ax=panels, shrink=0.7, label="mean response to the class's test images, over the filter's largest")
    figure.suptitle(title)
    return figure


def filter_lit_figure(kernels: np.ndarray, lit: np.ndarray, tuning: np.ndarray, class_names: Sequence[str], title: str) -> Figure:
    """A row per first-layer filter: its kernel, then the test images its map responds to most (most first).

    Args:
        kernels: (filters, k, k). lit: (filters, images, 784) in [0, 1]. tuning: (filters, classes).
    """
    kernels = np.asarray(kernels, dtype=np.float64)
    lit = np.asarray(lit, dtype=np.float64)
    count, shown = len(lit), lit.shape[1]
    height = 0.55 * count + 0.9
    figure = Figure(figsize=(0.55 * (shown + 1) + 2.2, height), layout="constrained")
    left, right = figure.subplots(1, 2, width_ratios=(IMAGE_SHAPE[1], shown * (IMAGE_SHAPE[1] + 2) - 2))
    limit = float(np.abs(kernels).max()) or 1.0
    # Each kernel blown up to the digits' size (a block of pixels per weight), so the rows line up with theirs.
    size = kernels.shape[1]
    block = IMAGE_SHAPE[0] // size
    blown = np.full((count, *IMAGE_SHAPE), np.nan)
    margin = (IMAGE_SHAPE[0] - block * size) // 2
    blown[:, margin : margin + block * size, margin : margin + block * size] = np.kron(kernels, np.ones((block, block)))
    left.imshow(_mosaic(blown, 1, gap=2), cmap="RdBu_r", vmin=-limit, vmax=limit, interpolation="nearest")
    left.set_yticks([row * (IMAGE_SHAPE[0] + 2) + IMAGE_SHAPE[0] / 2 for row in range(count)],
                    [f"filter {index + 1}: {class_names[int(np.argmax(tuning[index]))]}" for index in range(count)], fontsize=7)
    left.set_xticks([])
    left.set_title("kernel", fontsize=8)
    right.imshow(_mosaic(lit.reshape(count * shown, *IMAGE_SHAPE), shown, gap=2), cmap="gray_r", vmin=0, vmax=1,
                 interpolation="nearest")
    right.set_xticks([])
    right.set_yticks([])
    right.set_title(f"the {shown} test images its map responds to most (mean response), most first", fontsize=8)
    figure.suptitle(title)
    return figure
