"""What each hidden node and each class respond to: drawn by the interpret stages."""

from __future__ import annotations

from typing import Sequence

import numpy as np
from matplotlib.figure import Figure

from hiddennodes.figures.grid import WEIGHT_PERCENTILE, TileGrid, scale_bar, clipped_limit, image_grid_figure


def tuning_heatmap_figure(tuning: np.ndarray, class_names: Sequence[str], title: str) -> Figure:
    """Mean activation of each node (rows) per class (columns), nodes sorted by
    preferred class and then by strength, so class-specific groups stand out."""
    tuning = np.asarray(tuning)
    preferred = tuning.argmax(axis=1)
    order = np.lexsort((-tuning.max(axis=1), preferred))
    figure = Figure(figsize=(7, min(2 + 0.18 * len(tuning), 14)), layout="constrained")
    axes = figure.add_subplot()
    shown = axes.imshow(tuning[order], aspect="auto", cmap="magma", interpolation="nearest")
    axes.set_xticks(range(len(class_names)), class_names, rotation=30 if len(max(class_names, key=len)) > 2 else 0)
    if len(order) <= 40:
        axes.set_yticks(range(len(order)), [f"node {node}" for node in order], fontsize=7)
    else:
        axes.set_ylabel(f"{len(order)} nodes, sorted by preferred class")
        axes.set_yticks([])
    axes.set_xlabel("class")
    figure.colorbar(shown, ax=axes, label="mean activation on test images")
    axes.set_title(title)
    return figure


def node_gallery_figure(
    weights: np.ndarray,
    preferred: np.ndarray,
    top_images: np.ndarray,
    silent_images: np.ndarray,
    row_labels: Sequence[str],
    title: str,
    weights_word: str = "weights",
) -> Figure:
    """One row per node: its weights (one diverging scale for all rows, clipped at the
    weights' ``WEIGHT_PERCENTILE``th percentile of sizes), its preferred input, the
    images that drive it most, and images that leave it silent."""
    nodes, top_count = top_images.shape[:2]
    silent_count = silent_images.shape[1]
    columns = 2 + top_count + silent_count
    label_lines = max((len(words.splitlines()) for words in row_labels), default=1)
    grid = TileGrid(nodes, columns, 1.1, title_lines=1, title_size=8, gap=0.12, margins=(1.5, 0.1, 0.8, 0.1))
    limit = clipped_limit(weights)
    for row in range(nodes):
        tiles = [(weights[row], {"cmap": "RdBu_r", "vmin": -limit, "vmax": limit}, weights_word)]
        tiles.append((preferred[row], {"cmap": "gray_r", "vmin": 0, "vmax": 1}, "preferred"))
        tiles += [(image, {"cmap": "gray_r", "vmin": 0, "vmax": 1}, "drives most" if k == 0 else "") for k, image in enumerate(top_images[row])]
        tiles += [(image, {"cmap": "gray_r", "vmin": 0, "vmax": 1}, "silent" if k == 0 else "") for k, image in enumerate(silent_images[row])]
        for column, (image, scale, label) in enumerate(tiles):
            grid.image(row, column, image, **scale)
            if row == 0 and label:
                grid.title(row, column, label)
        grid.row_label(row, row_labels[row], size=7 if label_lines < 4 else 6.5)
    figure = grid.finish()
    figure.suptitle(f"{title}\n({weights_word} from blue to red, clipped at ±{limit:.3g}, the {WEIGHT_PERCENTILE}th percentile of their sizes)")
    return figure


def class_preferred_figure(images: np.ndarray, probabilities: np.ndarray, class_names: Sequence[str], title: str) -> Figure:
    """The input each class prefers, one tile per class, titled with the
    probability the network gives that class for it. One grey scale for all
    tiles, from 0 to the darkest pixel of any of them (the ink cost keeps them
    faint, so a [0, 1] scale would hide their shapes)."""
    titles = [f"{name}\np = {probabilities[label, label]:.2f}" for label, name in enumerate(class_names)]
    darkest = float(np.max(images)) or 1.0
    return image_grid_figure(images, titles, f"{title}\n(black = {darkest:.2f}, the darkest pixel of any tile)",
                             columns=min(len(class_names), 10), tile=1.4, value_range=(0.0, darkest))



def class_carriers_figure(
    row_labels: Sequence[str],
    carrier_weights: np.ndarray,
    carrier_titles: Sequence[Sequence[str]],
    preferred: np.ndarray,
    examples: Sequence[np.ndarray | None],
    example_titles: Sequence[str],
    limit: float,
    title: str,
    weights_word: str = "weight",
) -> Figure:
    """What carries each class, a row per class: the input the class prefers, the weight images of the nodes that add
    most to its score (on one diverging scale from ``-limit`` to ``limit`` for the whole figure, larger weights
    clipped), and one of its images taken for another class (or an empty tile when none is). More than five classes
    are set in two columns of rows, so that ten fit one screen.

    Args:
        row_labels: per class, the words beside its row (its name and accuracy).
        carrier_weights: (classes, carriers, 784) pixel-space weights; ``carrier_titles`` the same shape in words.
        preferred: (classes, 784) each class's preferred input, each drawn from white to its own darkest pixel (the ink
            cost leaves some faint, and their shapes are what the row shows).
        examples: per class, a [0, 1] image or None; ``example_titles`` what it was taken for.
    """
    classes, carriers = np.asarray(carrier_weights).shape[:2]
    columns = carriers + 2
    halves = 2 if classes > 5 else 1
    rows = -(-classes // halves)
    # Each half's columns, with an empty column between the halves where the second half's row labels go.
    grid = TileGrid(rows, halves * (columns + 1) - 1, 0.9, title_lines=2, title_size=7.5, gap=0.1, margins=(1.1, 0.1, 0.6, 0.9))
    weights_scale = {"cmap": "RdBu_r", "vmin": -limit, "vmax": limit}
    for label in range(classes):
        half, row = divmod(label, rows)
        first = half * (columns + 1)
        darkest = float(np.max(preferred[label])) or 1.0
        tiles = [(preferred[label], {"cmap": "gray_r", "vmin": 0, "vmax": darkest}, "preferred\ninput" if row == 0 else "")]
        tiles += [(carrier_weights[label, k], weights_scale, carrier_titles[label][k]) for k in range(carriers)]
        tiles.append((examples[label], {"cmap": "gray_r", "vmin": 0, "vmax": 1}, example_titles[label]))
        for column, (image, scale, words) in enumerate(tiles):
            if image is not None:
                grid.image(row, first + column, image, **dict(scale))
            grid.title(row, first + column, words)
        grid.row_label(row, row_labels[label], column=first, size=9)
    figure = grid.finish()
    bar = scale_bar(figure, grid.axes, weights_scale, shrink=0.6, extend="both", location="bottom", aspect=40, pad=0.02)
    bar.set_label(f"{weights_word}, clipped at ±{limit:.3g}\n(the {WEIGHT_PERCENTILE}th percentile of their sizes)", fontsize=8)
    figure.suptitle(title, fontsize=11)
    return figure
