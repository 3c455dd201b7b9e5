"""The picture's parts in words: a 3x3 grid of cells (top left ... bottom right, the centre in the middle), each cut
into the part on a class's strokes (where its mean digit has ink) and the part off them (where it has little but
training digits do), and which parts a map's evidence is strongest in, each way.

The report's answer names these parts (``hiddennodes.report.answer``) and the interpret stage finds them
(``evidence_words``), so a sentence and the map it reads come from one definition.
"""

from __future__ import annotations

import numpy as np

from hiddennodes.data.datasets import IMAGE_SHAPE

# Row and column bands of the 28x28 field (MNIST's digits fill its central 20x20): top / middle / bottom, left /
# centre / right. The middle band is 8 pixels of the digit's 20 and the outer ones 6 inside it, so each is a stroke's worth.
BANDS = ((0, 10), (10, 18), (18, 28))
CELL_NAMES = (("top left", "top", "top right"), ("left", "centre", "right"), ("bottom left", "bottom", "bottom right"))
STROKE_SHARE = 0.25  # a pixel is on the class's strokes where its mean digit reaches this share of its darkest pixel
INKED = 0.01  # off the strokes, a pixel counts only where training digits put at least this mean ink (not the blank border)
FULL_INK = 0.1  # a pixel's evidence counts whole where the training digits' mean ink reaches this, as the square of its
# share below: a weight that almost no training digit exercises (a pixel near the border) is not evidence, however large the
# optimizer's steps on rarely seen pixels left it. On MNIST a linear share of 0.05 still let the third row from the top
# (mean ink 0.014, weights up to 6) outshine the whole digit in exp1's picture; the square fades it to a fiftieth.
MIN_PIXELS = 6  # a cell's part with fewer pixels is not named
RUNNER_UP = 0.5  # a part is named beside the strongest when its sum reaches this share of the strongest's
MOST_PARTS = 3  # parts named each way at most


def ink_weight(inked: np.ndarray) -> np.ndarray:
    """How much each pixel counts, in [0, 1]: the square of the training digits' mean ink there over ``FULL_INK``,
    at most 1. The weight and evidence pictures fade by the same share, and the preferred inputs keep to it."""
    return np.clip(np.asarray(inked, np.float64) / FULL_INK, 0.0, 1.0) ** 2


def faded(values: np.ndarray, inked: np.ndarray) -> np.ndarray:
    """``values`` (..., 784) weighed pixel by pixel by ``ink_weight(inked)``: what the pictures draw and the words weigh."""
    return np.asarray(values, np.float64) * ink_weight(inked).reshape(-1)


def regions(mean_digit: np.ndarray | None, inked: np.ndarray) -> list[dict]:
    """The picture's named parts: each grid cell's pixels on the class's strokes and off them (where training digits
    ink at least ``INKED`` on average), each as ``{"cell", "on_strokes", "mask"}`` (a boolean 28x28 mask); parts of
    fewer than ``MIN_PIXELS`` pixels are left out.

    Args:
        mean_digit: the class's mean digit, 28x28 or 784, ink in [0, 1]; None: no class, each cell's inked pixels
            whole (``on_strokes`` None), for a hidden node's weights.
        inked: the mean ink of every training digit, same shape."""
    inked = np.asarray(inked, np.float64).reshape(IMAGE_SHAPE) >= INKED
    if mean_digit is None:
        kinds = ((None, inked),)
    else:
        mean_digit = np.asarray(mean_digit, np.float64).reshape(IMAGE_SHAPE)
        strokes = mean_digit >= STROKE_SHARE * max(mean_digit.max(), 1e-12)
        kinds = ((True, strokes), (False, ~strokes & inked))
    parts = []
    for row, (top, bottom) in enumerate(BANDS):
        for column, (left, right) in enumerate(BANDS):
            cell = np.zeros(IMAGE_SHAPE, bool)
            cell[top:bottom, left:right] = True
            for on_strokes, where in kinds:
                mask = cell & where
                if mask.sum() >= MIN_PIXELS:
                    parts.append({"cell": CELL_NAMES[row][column], "on_strokes": on_strokes, "mask": mask})
    return parts


def evidence_words(evidence: np.ndarray, mean_digit: np.ndarray | None, inked: np.ndarray) -> dict:
    """The parts of the picture where ink raises the class (or, with ``mean_digit`` None, a node) most and where it
    lowers it most, each pixel's evidence weighed by ``ink_weight``.

    Returns:
        ``{"raises": [...], "lowers": [...]}``, each a list of ``{"cell", "on_strokes", "sum"}`` (the evidence summed
        over the part's pixels), strongest first: the strongest part of its sign and every other whose sum reaches
        ``RUNNER_UP`` of it, at most ``MOST_PARTS``. A list is empty when no part has that sign."""
    evidence = faded(np.asarray(evidence).reshape(-1), inked).reshape(IMAGE_SHAPE)
    sums = [(float(evidence[part["mask"]].sum()), part) for part in regions(mean_digit, inked)]
    found = {}
    for key, sign in (("raises", 1.0), ("lowers", -1.0)):
        signed = sorted(((sign * total, part) for total, part in sums if sign * total > 0), key=lambda pair: -pair[0])
        chosen = [(size, part) for size, part in signed if size >= RUNNER_UP * signed[0][0]][:MOST_PARTS] if signed else []
        found[key] = [{"cell": part["cell"], "on_strokes": part["on_strokes"], "sum": round(sign * size, 4)} for size, part in chosen]
    return found
