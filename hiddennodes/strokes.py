"""Pen strokes made wider or narrower: grey dilation or erosion by a disc, as a thicker or finer pen draws.

One recipe for the pen of the customers' pictures (``hiddennodes.conditions.pen``) and the robustness
stage's thicker and thinner digits (``hiddennodes.evaluate.robustness``).
"""

from __future__ import annotations

from typing import Callable

import numpy as np


def disc(radius: int) -> np.ndarray:
    """The footprint of a round pen tip: a boolean ``(2 radius + 1)`` square, True within ``radius`` of its centre."""
    offsets = np.arange(-radius, radius + 1)
    return (offsets[:, None] ** 2 + offsets[None, :] ** 2) <= radius**2


def by_disc(images: np.ndarray, radius: float, operation: Callable) -> np.ndarray:
    """``operation`` (scipy's ``grey_dilation`` or ``grey_erosion``) by a disc over the last two axes of ``images``
    (one image or a stack); a fractional radius blends the two nearest whole ones."""
    lower = int(np.floor(radius))
    blend = radius - lower

    def by(whole: int) -> np.ndarray:
        if whole == 0:
            return images
        footprint = disc(whole)
        return operation(images, footprint=footprint.reshape((1,) * (np.ndim(images) - 2) + footprint.shape))

    base = by(lower)
    return base if blend == 0 else (1 - blend) * base + blend * by(lower + 1)
