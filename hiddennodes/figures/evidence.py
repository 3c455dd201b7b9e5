"""The answer's pictures: where ink adds evidence for a class (red) and where it takes it away (blue), over the
class's mean digit, with the 3x3 grid whose cells the sentence beside it names."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from hiddennodes.data.datasets import IMAGE_SHAPE
from hiddennodes.figures.attributions import SCALE
from hiddennodes.figures.grid import TileGrid
from hiddennodes.interpret.regions import BANDS


def evidence_figure(evidence: np.ndarray, mean_digit: np.ndarray, limit: float, title: str) -> Figure:
    """One class's evidence map on the scale ``[-limit, limit]`` (shared by every class, so their strengths compare),
    the class's mean digit as an outline and the grid's cell borders as faint lines."""
    grid = TileGrid(1, 1, tile=1.6, title_lines=1, title_size=10, margins=(0.05, 0.05, 0.05, 0.05))
    grid.image(0, 0, np.asarray(evidence).reshape(IMAGE_SHAPE), cmap=SCALE, vmin=-limit, vmax=limit)
    x, y = grid.corner(0, 0)
    height, width = IMAGE_SHAPE
    axes = grid.axes
    axes.contour(x + np.arange(width) + 0.5, y + np.arange(height) + 0.5, np.asarray(mean_digit).reshape(IMAGE_SHAPE),
                 levels=[0.35 * float(np.max(mean_digit) or 1)], colors="0.15", linewidths=0.8)
    for edge in (BANDS[1][0], BANDS[2][0]):  # the borders between the bands
        axes.plot([x, x + width], [y + edge, y + edge], color="0.55", linewidth=0.5, linestyle=(0, (2, 2)))
        axes.plot([x + edge, x + edge], [y, y + height], color="0.55", linewidth=0.5, linestyle=(0, (2, 2)))
    grid.title(0, 0, title)
    return grid.finish()
