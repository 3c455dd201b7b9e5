"""Find the handwritten marks on a picture of paper and split them into digits, left to right.

A photo of paper is not a scan: the light is uneven, shadows fall across it,
the page may not fill the picture (a table or a finger shows along an edge),
the paper may be ruled or squared or carry a printed box, and a pencil may be
faint. ``find_digits`` answers these in turn. It finds the ink as contrast
with the paper around it, well above the paper's grain (``hiddennodes.reading.ink``),
and takes out the grain of a table far darker than the paper, the paper's
lines, a printed box and the marks along the picture's edges
(``hiddennodes.reading.marks``). Within each mark left, parts far fainter than
its own strokes go (a shadow's edge it ran into), and so do marks
far fainter than the strongest. Marks on several lines are refused (a page of
text is not a number); the rest are grouped into digits by the columns they
cover (a 5 whose bar was lifted is one digit), and dots and scratches far
smaller than the digits are dropped.

Each digit comes back as its ink crop (ink high, in [0, 1], faint strokes
scaled up to full ink as MNIST's are), for ``hiddennodes.reading.prepare.mnist_like``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hiddennodes import ImageError
from hiddennodes.reading.ink import SMALL_PICTURE, ink_contrast, mark_mask
from hiddennodes.reading.marks import (_clutter, _faint_along_border, _frames, _group_columns, _lines_of_writing, _marks,
                                       _span, _without_specks, remove_lines)

FAINT_SHARE = 0.1  # within a mark, contrast below this share of its strongest is a shadow's edge, not ink
MAX_DIGITS = 12  # more marks than this side by side is not one number (an amount or a postcode)


class NoDigitError(ImageError):
    """The picture holds no digit to read; the message says why (no mark, several lines, ...)."""


@dataclass(frozen=True)
class Digit:
    """One digit found in a picture: its ink crop and where it was."""

    ink: np.ndarray  # float32 in [0, 1], ink high, zero where the digit has no stroke
    box: tuple[int, int, int, int]  # top, left, bottom, right (exclusive) in the decoded picture


def find_digits(gray: np.ndarray) -> list[Digit]:
    """The digits written on the paper in ``gray`` (grey levels in [0, 1]), left to right.

    Raises:
        NoDigitError: no mark at all, only the picture's edges, or marks on several lines.
    """
    gray = np.asarray(gray, dtype=np.float32)
    if min(gray.shape) < 8:
        raise NoDigitError(f"a {gray.shape[1]}x{gray.shape[0]} picture is too small to hold a digit; give at least 8x8 pixels.")
    measured = ink_contrast(gray)
    contrast, sharp = measured.smoothed, measured.sharp
    mask = remove_lines(mark_mask(measured))
    labels, marks = _marks(mask, contrast)
    marks = _without_specks(marks)
    if not marks:
        raise NoDigitError("no mark found: nothing on the paper stands out from its grain; photograph the digit darker or closer.")
    # Nobody writes on the table: a mark mostly where the background is far darker than the paper is its grain.
    if measured.off_paper.any():
        off = np.bincount(labels[measured.off_paper], minlength=labels.max() + 1)
        marks = [mark for mark in marks if off[mark.label] <= 0.5 * mark.area]
    dropped = _frames(labels, marks)
    dropped |= _clutter([mark for mark in marks if mark.label not in dropped], gray.shape)
    marks = [mark for mark in marks if mark.label not in dropped]
    if not marks:
        raise NoDigitError("no mark found inside the picture: only its edges (a table, the page's edge, a shadow); "
                           "photograph the digit with paper all around it.")
    # Within each mark, what is far fainter than its own strokes is the soft edge of a shadow or a smudge that the
    # outline ran into, not ink; and a mark far fainter than the strongest one is paper texture beside the digit.
    strength = np.zeros(labels.max() + 1, dtype=np.float32)
    for mark in marks:
        strength[mark.label] = mark.strength
    mask = (labels > 0) & (contrast >= FAINT_SHARE * strength[labels]) & (strength[labels] > 0)
    labels, marks = _marks(mask, contrast, widths=False)
    strongest = max((mark.strength for mark in marks), default=0.0)
    # A shadow's edge cut off the digit it ran into is a mark of its own now: along the border, as faint as the
    # shadow edges ``_clutter`` drops.
    marks = [mark for mark in marks if mark.strength >= 3 * FAINT_SHARE * strongest]
    shadow_edges = _faint_along_border(marks)
    marks = _without_specks([mark for mark in marks if mark.label not in shadow_edges])
    if not marks:
        raise NoDigitError("no mark found: nothing on the paper stands out from its grain; photograph the digit darker or closer.")
    if max(gray.shape) > SMALL_PICTURE and _lines_of_writing(labels, marks) > 1:
        raise NoDigitError("the marks lie on several lines, like a page of text rather than one number; "
                           "crop the picture to one number.")
    # A picture this small is a crop of one digit: a broken stroke is not a second digit.
    groups = [marks] if max(gray.shape) <= SMALL_PICTURE else _group_columns(marks)
    tallest = max(_span(group)[2] - _span(group)[0] for group in groups)
    most_ink = max(sum(mark.area for mark in group) for group in groups)
    # Dots, commas and dashes are far shorter than the digits; stray scratches hold far less ink than any digit.
    groups = [group for group in groups if _span(group)[2] - _span(group)[0] >= 0.35 * tallest
              and sum(mark.area for mark in group) >= 0.12 * most_ink]
    if len(groups) > MAX_DIGITS:
        raise NoDigitError(f"{len(groups)} separate marks side by side are not one number (at most {MAX_DIGITS} digits); "
                           "crop the picture to the number.")
    top, bottom = min(_span(group)[0] for group in groups), max(_span(group)[2] for group in groups)
    if bottom - top > 1.6 * tallest:
        raise NoDigitError("the marks lie on several lines, like a page of text rather than one number; "
                           "crop the picture to one number.")
    # The paper's grain is taken off the ink values (3 sigmas of the picture's own grain, never more than half the
    # stroke), so no halo of noise comes along and the crop ends where the strokes do.
    grain = 3 * measured.sharp_grain
    digits = []
    for group in groups:
        top, left, bottom, right = _span(group)
        own = np.isin(labels[top:bottom, left:right], [mark.label for mark in group])
        values = sharp[top:bottom, left:right][own]
        floor = min(grain, 0.5 * float(np.percentile(values, 90)))
        ink = np.where(own, np.clip(sharp[top:bottom, left:right] - floor, 0.0, None), 0.0)
        strong = max(float(np.percentile(values, 90)) - floor, 1e-6)
        # A faint pencil is scaled up to full ink, as MNIST's strokes are: a stroke's core is 1.
        digits.append(Digit(np.clip(ink / strong, 0.0, 1.0).astype(np.float32), (top, left, bottom, right)))
    return digits
