"""The random forest's importance of each pixel, the selected pixels ringed (stage select_pixels)."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from hiddennodes.data.datasets import IMAGE_SHAPE


def pixel_importance_figure(importances: np.ndarray, selected: np.ndarray, title: str) -> Figure:
    """Random-forest importance of each pixel as a 28x28 map, chosen pixels ringed."""
    figure = Figure(figsize=(6, 5.4), layout="constrained")
    axes = figure.add_subplot()
    image = axes.imshow(importances.reshape(IMAGE_SHAPE), cmap="viridis")
    rows, columns = np.divmod(np.asarray(selected), IMAGE_SHAPE[1])
    axes.scatter(columns, rows, s=28, facecolors="none", edgecolors="red", linewidths=0.9, label=f"{len(selected)} chosen")
    axes.set_title(title, fontsize=10)
    axes.set_xticks([])
    axes.set_yticks([])
    axes.legend(loc="lower right", fontsize=8)
    figure.colorbar(image, ax=axes, label="importance")
    return figure
