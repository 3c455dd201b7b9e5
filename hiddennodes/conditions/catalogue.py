"""Real MNIST digits drawn as the pictures customers really send: scans and phone photos of paper.

Customers do not send 28x28 arrays. They scan a slip or photograph a sheet with a phone and
send whatever file the device wrote. This module draws real MNIST digits as such pictures,
under named conditions, each at a few strengths (weakest first), and returns the encoded
file's bytes, so a benchmark or a pipeline stage can feed them to the project's picture
reader and measure how it copes. Nothing here reads or writes files.

The conditions come in two groups:

- ``clean``: the digit is as plain as in the raw array, only carried differently: a scan at
  another resolution, on a bigger page, a phone photo of ordinary paper, a lossy JPEG or
  HEIC, a thicker pen, chalk on a board (light on dark), or another file kind (16-bit PNG,
  transparent PNG, GIF, TIFF, WebP, BMP). The reader should read these as well as the arrays;
  a drop here is the reader's fault.
- ``hard``: what real paper, real light and real phones add: a picture stored sideways with an
  EXIF tag, a table beside the page, ruled or squared paper, a printed form box, faint pencil,
  a shadow, light falling off from a corner, a small digit, a thin ballpoint, a dim photo,
  several digits in a row. The reader must either read these or refuse them (say it cannot
  read the picture); answering confidently wrong is the failure these are here to measure.

Each condition's drawing lives with its kind of picture: ``hiddennodes.conditions.scans`` (a
scanner's grey page), ``hiddennodes.conditions.photos`` (the phone and the light) and
``hiddennodes.conditions.papers`` (the sheet, the pen and the framing), all drawn with the ink of
``hiddennodes.conditions.pen`` on the paper of ``hiddennodes.conditions.sheet``. Every random choice
(position, gaps, noise, which edge) is drawn from the generator passed in, so one generator
state always gives the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from hiddennodes.conditions.papers import (_render_blue_ink, _render_chalk, _render_faint, _render_number,
                                           _render_ruled, _render_small, _render_squared, _render_table)
from hiddennodes.conditions.pen import FIELD
from hiddennodes.conditions.photos import (_render_exif, _render_heic, _render_low_light, _render_paper, _render_shadow,
                                           _render_uneven_light)
from hiddennodes.conditions.scans import (_render_form_box, _render_formats, _render_jpeg, _render_page, _render_scan,
                                          _render_thick_pen)

FORMAT_SUFFIXES = (".png", ".png", ".gif", ".tif", ".webp", ".bmp")


@dataclass(frozen=True)
class Condition:
    name: str  # the key in CONDITIONS
    group: str  # "clean" (should be read as well as the raw arrays) or "hard"
    words: str  # one line for tables
    levels: tuple[str, ...]  # labels of the strengths, weakest first
    suffix: str  # file suffix of the encoded picture; "" where it depends on the level (see suffix_for)


CONDITIONS: dict[str, Condition] = {
    condition.name: condition
    for condition in (
        Condition("scan", "clean", "clean grey scan, dark ink on white", ("112 px", "280 px", "560 px"), ".png"),
        Condition("page", "clean", "digit off-centre on a bigger scanned page",
                  ("1/2 of the page", "1/3 of the page", "1/4 of the page"), ".png"),
        Condition("paper", "clean", "phone photo of off-white paper, uneven light and sensor grain",
                  ("grain 2%", "grain 4%", "grain 6%"), ".jpg"),
        Condition("jpeg", "clean", "the scan saved as JPEG", ("quality 90", "quality 60", "quality 30"), ".jpg"),
        Condition("thick_pen", "clean", "written with a thick felt pen", ("thicker", "much thicker"), ".png"),
        Condition("formats", "clean", "the clean scan in other file kinds",
                  ("16-bit PNG", "RGBA PNG with transparent paper", "GIF", "TIFF", "WebP", "BMP"), ""),
        Condition("chalk", "clean", "light chalk on a dark green-grey board (photo)",
                  ("board 40", "board 70", "board 100"), ".jpg"),
        Condition("heic", "clean", "phone photo of paper saved as HEIC", ("quality 80", "quality 50", "quality 30"),
                  ".heic"),
        Condition("exif", "hard", "phone JPEG stored sideways (EXIF orientation)",
                  ("90° (tag 6)", "180° (tag 3)", "270° (tag 8)"), ".jpg"),
        Condition("table", "hard", "the page does not fill the photo: dark table along one edge",
                  ("10%", "25%", "40%"), ".jpg"),
        Condition("ruled", "hard", "blue-ruled notebook paper",
                  ("spacing 1.0x digit", "spacing 0.6x digit", "spacing 0.4x digit, margin line"), ".jpg"),
        Condition("squared", "hard", "squared (grid) paper",
                  ("cell 0.5x digit", "cell 0.35x digit", "cell 0.25x digit"), ".jpg"),
        Condition("form_box", "hard", "printed box around the digit, as on a form",
                  ("box 1.6x digit", "box 1.3x digit", "box 1.15x digit"), ".png"),
        Condition("faint", "hard", "faint pencil on grey paper", ("1/2 contrast", "1/3 contrast", "1/5 contrast"),
                  ".jpg"),
        Condition("shadow", "hard", "shadow of a phone or hand across the photo",
                  ("20% darker", "35% darker", "50% darker"), ".jpg"),
        Condition("uneven_light", "hard", "light falling off from one corner",
                  ("far corner 70%", "far corner 50%", "far corner 30%"), ".jpg"),
        Condition("small", "hard", "small digit somewhere in the photo", ("120 px", "60 px", "36 px"), ".jpg"),
        Condition("blue_ink", "hard", "thin blue ballpoint on white", ("medium", "fine", "very fine"), ".jpg"),
        Condition("low_light", "hard", "dim photo with sensor noise", ("50% light", "30% light", "20% light"),
                  ".jpg"),
        Condition("number", "hard", "several digits written side by side", ("2 digits", "3 digits", "5 digits"),
                  ".jpg"),
    )
}

NUMBER_LENGTHS = (2, 3, 5)


# ---- checking the arguments -------------------------------------------------------------------


def _condition(name: str) -> Condition:
    if name not in CONDITIONS:
        raise ValueError(f"Unknown condition {name!r}; choose one of {', '.join(CONDITIONS)}.")
    return CONDITIONS[name]


def _check_level(condition: Condition, level: int) -> None:
    if isinstance(level, bool) or not isinstance(level, (int, np.integer)) or not 0 <= level < len(condition.levels):
        raise ValueError(
            f"Level {level!r} is out of range for condition {condition.name!r}; "
            f"use 0 to {len(condition.levels) - 1} ({', '.join(condition.levels)})."
        )


def digits_per_picture(condition: str, level: int) -> int:
    """How many digits render() expects for this condition and level (1 for all but "number")."""
    spec = _condition(condition)
    _check_level(spec, level)
    return NUMBER_LENGTHS[level] if condition == "number" else 1


def suffix_for(condition: str, level: int) -> str:
    """The file suffix of render()'s picture for this condition and level (``formats`` varies by level)."""
    spec = _condition(condition)
    _check_level(spec, level)
    return FORMAT_SUFFIXES[level] if condition == "formats" else spec.suffix


RENDERERS: dict[str, Callable[[np.ndarray, int, np.random.Generator], bytes]] = {
    "scan": _render_scan,
    "page": _render_page,
    "paper": _render_paper,
    "jpeg": _render_jpeg,
    "thick_pen": _render_thick_pen,
    "formats": _render_formats,
    "chalk": _render_chalk,
    "heic": _render_heic,
    "exif": _render_exif,
    "table": _render_table,
    "ruled": _render_ruled,
    "squared": _render_squared,
    "form_box": _render_form_box,
    "faint": _render_faint,
    "shadow": _render_shadow,
    "uneven_light": _render_uneven_light,
    "small": _render_small,
    "blue_ink": _render_blue_ink,
    "low_light": _render_low_light,
    "number": _render_number,
}


def render(digits: np.ndarray, condition: str, level: int, rng: np.random.Generator) -> bytes:
    """The picture file's bytes (format as ``suffix_for(condition, level)``) of ``digits`` written
    side by side, left to right, under ``condition`` at strength index ``level`` (0 = weakest).

    Args:
        digits: ``(k, 28, 28)`` uint8, MNIST's ink-high arrays; ``k = digits_per_picture(...)``.
        rng: the only source of randomness; the same state gives the same bytes.

    Raises:
        ValueError: for an unknown condition, a level out of range, or digits of the wrong
            count, shape or type.
    """
    spec = _condition(condition)
    _check_level(spec, level)
    expected = digits_per_picture(condition, level)
    digits = np.asarray(digits)
    if digits.ndim != 3 or digits.shape[1:] != (FIELD, FIELD) or len(digits) != expected:
        raise ValueError(
            f"Condition {condition!r} at level {level} draws {expected} digit(s), an array of shape "
            f"({expected}, 28, 28); got shape {digits.shape}."
        )
    if digits.dtype != np.uint8:
        raise ValueError(f"Digits must be MNIST's uint8 arrays (0-255, ink high); got dtype {digits.dtype}.")
    return RENDERERS[condition](digits, int(level), rng)
