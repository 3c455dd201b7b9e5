"""The customers' pictures figure: each picture as sent beside what the network was fed."""

from __future__ import annotations

import textwrap
from typing import Sequence

import numpy as np
from matplotlib.figure import Figure

COLUMNS = 4  # pictures of one digit side by side
WIDTH = 11.0  # inches
PICTURE, DIGIT = 1.15, 0.5  # inches of a cell: the picture as sent, each 28x28 it was read as


def answer_words(read: str) -> str:
    """What the reader did with a picture, in words: "read as 7", "read as 4?1 (? left to a person)", "refused: ..."."""
    if read.startswith("refused"):
        return read
    if set(read) == {"?"}:
        return "not sure: left to a person"
    return f"read as {read}" + (" (? left to a person)" if "?" in read else "")


def customer_pictures_figure(examples: Sequence[tuple[str, np.ndarray, np.ndarray, str]], title: str) -> Figure:
    """The pictures of one digit in a grid, ``COLUMNS`` a row, each beside each 28x28 the network was fed and over what
    it answered; a picture of several digits takes a row of its own.

    Args:
        examples: ``(label, picture, prepared, read)`` with the picture as grey levels in [0, 1], ``prepared``
            as (k, 28, 28) ink-high images and ``read`` what was answered ("7", "4?1", "refused: ...").
    """
    single = [example for example in examples if len(example[2]) <= 1]
    several = [example for example in examples if len(example[2]) > 1]
    rows = -(-len(single) // COLUMNS) + len(several)
    figure = Figure(figsize=(WIDTH, 1.7 * max(rows, 1) + 0.5), layout="constrained")
    figure.suptitle(title, fontsize=9)
    if not examples:
        return figure
    outer = figure.add_gridspec(rows, COLUMNS)
    cells = [(outer[index // COLUMNS, index % COLUMNS], WIDTH / COLUMNS) for index in range(len(single))]
    cells += [(outer[rows - len(several) + index, :], WIDTH) for index in range(len(several))]
    for (cell, width), (label, picture, prepared, read) in zip(cells, single + several):
        digits = max(len(prepared), 1)
        rest = max(width - PICTURE - DIGIT * digits, 0.05)
        inner = cell.subgridspec(1, digits + 2, width_ratios=[PICTURE] + [DIGIT] * digits + [rest], wspace=0.05)
        shown = figure.add_subplot(inner[0, 0])
        shown.imshow(picture, cmap="gray", vmin=0, vmax=1)
        shown.set_title(textwrap.fill(label, 32), fontsize=8, loc="left")
        words = answer_words(read)
        shown.set_xlabel(words if len(words) < 40 else words[:38] + "...", fontsize=8, loc="left")
        for position in range(digits):
            axes = figure.add_subplot(inner[0, 1 + position])
            if position < len(prepared):
                axes.imshow(prepared[position], cmap="gray_r", vmin=0, vmax=1)
            else:
                axes.set_axis_off()
        for axes in figure.axes[-(digits + 1):]:
            axes.set_xticks([])
            axes.set_yticks([])
    return figure
