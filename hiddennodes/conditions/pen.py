"""MNIST digits as ink coverage on a sheet: enlarged smoothly, written in a row, placed at a random spot.

Each digit is enlarged smoothly (bicubic on its ink values) and taken as ink coverage
``alpha`` in [0, 1], which ``hiddennodes.conditions.sheet`` lays on the paper. Several digits are written
side by side, as a hand writes a number, and the row is placed where a person would write it
or aim the camera at it. Every random choice (position, gaps, jitter) is drawn from the
generator passed in.
"""

from __future__ import annotations

import numpy as np
from PIL import Image
from scipy import ndimage

from hiddennodes.strokes import by_disc

FIELD = 28  # the side of MNIST's arrays


def _resize(values: np.ndarray, width: int, height: int) -> np.ndarray:
    """Bicubic resize of a float array through Pillow's 32-bit float mode."""
    image = Image.fromarray(np.ascontiguousarray(values, dtype=np.float32))
    return np.asarray(image.resize((width, height), Image.Resampling.BICUBIC), dtype=np.float32)


def _ink_box(alpha: np.ndarray, threshold: float = 0.05) -> tuple[int, int, int, int]:
    """(top, bottom, left, right) of the ink, bottom and right exclusive; the whole array if blank."""
    rows = np.flatnonzero(alpha.max(axis=1) > threshold)
    columns = np.flatnonzero(alpha.max(axis=0) > threshold)
    if rows.size == 0:
        return 0, alpha.shape[0], 0, alpha.shape[1]
    return int(rows[0]), int(rows[-1]) + 1, int(columns[0]), int(columns[-1]) + 1


def _enlarge(digit: np.ndarray, size: float, by_height: bool = False, thicken: float = 0.0) -> np.ndarray:
    """One MNIST digit as ink coverage in [0, 1], its ink box ``size`` pixels on its longer side.

    As MNIST itself fits each digit into a 20x20 box, the longer side of the ink sets the size,
    so a wide digit is not drawn wider than a tall one is high. ``by_height`` sets the height
    instead, for digits written in a row. ``thicken`` dilates the strokes at the 28-pixel scale
    first. The crop keeps two blank source pixels around the ink so the bicubic edges fade out.
    """
    values = np.pad(digit.astype(np.float32) / 255.0, 3)
    if thicken:
        values = by_disc(values, thicken, ndimage.grey_dilation)
    top, bottom, left, right = _ink_box(values, threshold=0.0)
    ink_height, ink_width = bottom - top, right - left
    scale = size / (ink_height if by_height else max(ink_height, ink_width))
    crop = values[top - 2:bottom + 2, left - 2:right + 2]
    width = max(1, round(crop.shape[1] * scale))
    height = max(1, round(crop.shape[0] * scale))
    return np.clip(_resize(crop, width, height), 0.0, 1.0)


def _paste(canvas: np.ndarray, patch: np.ndarray, top: int, left: int) -> None:
    """Lay ``patch`` onto ``canvas`` at (top, left), keeping the darker ink where they overlap."""
    row0, column0 = max(top, 0), max(left, 0)
    row1 = min(top + patch.shape[0], canvas.shape[0])
    column1 = min(left + patch.shape[1], canvas.shape[1])
    if row1 <= row0 or column1 <= column0:
        return
    part = patch[row0 - top:row1 - top, column0 - left:column1 - left]
    canvas[row0:row1, column0:column1] = np.maximum(canvas[row0:row1, column0:column1], part)


def _row(digits: np.ndarray, size: float, rng: np.random.Generator, max_width: float | None = None,
         thicken: float = 0.0) -> np.ndarray:
    """The digits written left to right as one coverage patch.

    A single digit is just enlarged. Several get the same height, a random gap of 10-40% of
    their mean width and a small vertical jitter, as a hand writes a number; if the row would
    be wider than ``max_width``, every digit shrinks by the same factor.
    """
    if len(digits) == 1:
        return _enlarge(digits[0], size, thicken=thicken)
    gap_shares = rng.uniform(0.10, 0.40, len(digits) - 1)
    jitters = rng.uniform(-0.05, 0.05, len(digits))
    for _ in range(2):  # the second pass only when the first is too wide
        patches = [_enlarge(digit, size, by_height=True, thicken=thicken) for digit in digits]
        boxes = [_ink_box(patch) for patch in patches]
        widths = np.array([right - left for _, _, left, right in boxes], dtype=float)
        gaps = gap_shares * widths.mean()
        row_width = widths.sum() + gaps.sum()
        if max_width is None or row_width <= max_width:
            break
        size *= max_width / row_width * 0.98
    lefts = np.concatenate([[0.0], np.cumsum(widths[:-1] + gaps)])
    offsets = [(round(jitter * size) - top, round(x) - left)
               for jitter, x, (top, _, left, _) in zip(jitters, lefts, boxes)]
    origin_row = min(row for row, _ in offsets)
    origin_column = min(column for _, column in offsets)
    height = max(row - origin_row + patch.shape[0] for (row, _), patch in zip(offsets, patches))
    width = max(column - origin_column + patch.shape[1] for (_, column), patch in zip(offsets, patches))
    canvas = np.zeros((height, width), dtype=np.float32)
    for (row, column), patch in zip(offsets, patches):
        _paste(canvas, patch, row - origin_row, column - origin_column)
    return canvas


def _place(patch: np.ndarray, height: int, width: int, rng: np.random.Generator, margin: float,
           spread: float = 0.3, region: tuple[int, int, int, int] | None = None) -> np.ndarray:
    """A (height, width) coverage canvas with ``patch``'s ink at a random spot inside ``region``.

    The ink box keeps ``margin`` pixels from the region's edges. ``spread`` is how far from the
    region's centre it may wander, as a share of the room there is: people aim the camera
    roughly at the digit (0.3), but a digit on a page can be anywhere (1.0).
    """
    region_top, region_left, region_bottom, region_right = region or (0, 0, height, width)
    top, bottom, left, right = _ink_box(patch)

    def position(low: float, high: float) -> float:
        if high <= low:  # no room to wander: centre it
            return (low + high) / 2
        centre, half = (low + high) / 2, (high - low) / 2 * spread
        return rng.uniform(centre - half, centre + half)

    row = position(region_top + margin, region_bottom - margin - (bottom - top))
    column = position(region_left + margin, region_right - margin - (right - left))
    canvas = np.zeros((height, width), dtype=np.float32)
    _paste(canvas, patch, round(row) - top, round(column) - left)
    return canvas
