"""The customers' pictures figure: each picture as sent beside what the network was fed."""

from __future__ import annotations

from typing import Sequence

import numpy as np
from matplotlib.figure import Figure


def customer_pictures_figure(examples: Sequence[tuple[str, np.ndarray, np.ndarray, str]], title: str) -> Figure:
    """A row per picture: the picture as the customer sent it, then each 28x28 the network was fed, and the answer.

    Args:
        examples: ``(label, picture, prepared, read)`` with the picture as grey levels in [0, 1], ``prepared``
            as (k, 28, 28) ink-high images and ``read`` what was answered ("7", "4?1", "refused: ...").
    """
    most_digits = max([len(prepared) for _, _, prepared, _ in examples] + [1])
    figure = Figure(figsize=(1.7 + 0.62 * most_digits + 1.9, 0.95 * len(examples) + 0.8), layout="constrained")
    if not examples:
        figure.suptitle(title)
        return figure
    grid = figure.add_gridspec(len(examples), most_digits + 2, width_ratios=[1.7] + [0.62] * most_digits + [1.9])
    for row, (label, picture, prepared, read) in enumerate(examples):
        shown = figure.add_subplot(grid[row, 0])
        shown.imshow(picture, cmap="gray", vmin=0, vmax=1)
        shown.set_xticks([])
        shown.set_yticks([])
        shown.set_ylabel(label, fontsize=6, rotation=0, ha="right", va="center")
        for position in range(most_digits):
            axes = figure.add_subplot(grid[row, 1 + position])
            axes.set_xticks([])
            axes.set_yticks([])
            if position < len(prepared):
                axes.imshow(prepared[position], cmap="gray_r", vmin=0, vmax=1)
            else:
                axes.set_axis_off()
        note = figure.add_subplot(grid[row, most_digits + 1])
        note.set_axis_off()
        note.text(0.0, 0.5, read if len(read) < 34 else read[:32] + "...", fontsize=7, va="center")
    figure.suptitle(title, fontsize=9)
    return figure
