"""A 2-D map of the hidden activations with thumbnails: drawn by the embed stage."""

from __future__ import annotations

from typing import Sequence

import numpy as np
from matplotlib.figure import Figure

from hiddennodes.data.datasets import IMAGE_SHAPE
from hiddennodes.figures.colours import CLASS_COLOURS


def embedding_figure(
    coordinates: np.ndarray,
    labels: np.ndarray,
    class_names: Sequence[str],
    thumbnails: np.ndarray,
    thumbnail_indices: np.ndarray,
    axis_names: tuple[str, str],
    title: str,
) -> Figure:
    """A 2-D map of every item coloured by class, with the images of a spread
    of items drawn at their places (framed in their class's colour), as the
    study and scikit-learn's manifold example do."""
    from matplotlib.offsetbox import AnnotationBbox, OffsetImage

    figure = Figure(figsize=(10, 9.5), layout="constrained")
    axes = figure.add_subplot()
    for label, name in enumerate(class_names):
        chosen = labels == label
        axes.scatter(coordinates[chosen, 0], coordinates[chosen, 1], s=1, alpha=0.35, color=CLASS_COLOURS(label), label=name, rasterized=True)
    for index, image in zip(thumbnail_indices, thumbnails):
        box = AnnotationBbox(
            OffsetImage(np.asarray(image).reshape(IMAGE_SHAPE), cmap="gray_r", zoom=0.55, norm=None),
            coordinates[index], frameon=True, pad=0.05,
            bboxprops={"edgecolor": CLASS_COLOURS(int(labels[index])), "linewidth": 1.2},
        )
        axes.add_artist(box)
    axes.set_xlabel(axis_names[0])
    axes.set_ylabel(axis_names[1])
    legend = axes.legend(markerscale=10, fontsize=8, loc="upper right", framealpha=0.9)
    for handle in legend.legend_handles:
        handle.set_alpha(1)
    axes.set_title(title)
    return figure

