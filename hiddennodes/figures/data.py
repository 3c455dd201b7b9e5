"""The dataset at a glance, drawn by the overview stage (with ``grid``'s sample
images), and the pixels the random forest picks, drawn by the select_pixels stage."""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
from matplotlib.figure import Figure



def class_counts_figure(counts: Mapping[str, np.ndarray], class_names: Sequence[str], title: str) -> Figure:
    """Images per class in each split, as grouped bars."""
    figure = Figure(figsize=(9, 3.8), layout="constrained")
    axes = figure.add_subplot()
    positions = np.arange(len(class_names))
    width = 0.8 / len(counts)
    for offset, (split, values) in enumerate(counts.items()):
        axes.bar(positions + (offset - (len(counts) - 1) / 2) * width, values, width, label=split)
    axes.set_xticks(positions, class_names, rotation=30 if len(max(class_names, key=len)) > 2 else 0)
    axes.set_ylabel("images")
    axes.legend()
    axes.set_title(title)
    return figure
