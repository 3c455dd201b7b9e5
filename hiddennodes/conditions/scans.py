"""The conditions a scanner draws: a flat grey picture of the page, dark ink on white, under even light.

``scan`` at three resolutions, ``page`` (the digit off-centre on a bigger page), ``jpeg`` and
``formats`` (the same clean scan in lossy JPEG and in other file kinds), ``thick_pen`` (a felt
pen) and ``form_box`` (a printed box around the digit). A scan has no grain and no light to
fall off: only the resolution, the page, the pen or the file changes.
"""

from __future__ import annotations

import numpy as np
from PIL import Image
from scipy import ndimage

from hiddennodes.conditions.pen import _place, _row
from hiddennodes.strokes import disc
from hiddennodes.conditions.sheet import _composite, _encode, _grey_bytes, _png

PAGE_WIDTH, PAGE_HEIGHT = 600, 848  # an A4 page (1 : sqrt 2) scanned at about 72 dpi
SCAN_PAPER, SCAN_INK = 245.0, 20.0  # grey levels of a clean scan: white never quite 255, ink never 0
FORMATS_SIDE = 280  # the clean scan that `jpeg` and `formats` re-encode


def _scan(digits: np.ndarray, side: int, rng: np.random.Generator, thicken: float = 0.0,
          pen_growth: int = 0) -> np.ndarray:
    """A clean square grey scan as floats in 0..255: dark ink on white, the digit about 65% of the side."""
    patch = _row(digits, 0.65 * side, rng, thicken=thicken)
    if pen_growth:
        patch = ndimage.grey_dilation(patch, footprint=disc(pen_growth))
    alpha = _place(patch, side, side, rng, margin=0.08 * side)
    return _composite(np.full((side, side), SCAN_PAPER, dtype=np.float32), alpha, SCAN_INK)


def _render_scan(digits, level, rng):
    return _png(_grey_bytes(_scan(digits, (112, 280, 560)[level], rng)))


def _render_page(digits, level, rng):
    size = PAGE_HEIGHT * (1 / 2, 1 / 3, 1 / 4)[level]
    alpha = _place(_row(digits, size, rng), PAGE_HEIGHT, PAGE_WIDTH, rng, margin=0.04 * PAGE_WIDTH, spread=1.0)
    page = np.full((PAGE_HEIGHT, PAGE_WIDTH), SCAN_PAPER, dtype=np.float32)
    return _png(_grey_bytes(_composite(page, alpha, SCAN_INK)))


def _render_jpeg(digits, level, rng):
    scan = Image.fromarray(_grey_bytes(_scan(digits, FORMATS_SIDE, rng)))
    return _encode(scan, "JPEG", quality=(90, 60, 30)[level])


def _render_thick_pen(digits, level, rng):
    # Radius 0.5 then 1 at MNIST's scale (a stroke 1-2 px wider there), then a little more at
    # the picture's scale: a felt-tip marker, still a pen a person writes with.
    scan = _scan(digits, FORMATS_SIDE, rng, thicken=(0.5, 1.0)[level], pen_growth=(2, 4)[level])
    return _png(_grey_bytes(scan))


def _render_formats(digits, level, rng):
    scan = _scan(digits, FORMATS_SIDE, rng)
    grey = Image.fromarray(_grey_bytes(scan))
    if level == 0:  # 16-bit grey, as scanners and medical software write: 0..65535
        return _png(np.rint(scan / 255 * 65535).astype(np.uint16))
    if level == 1:
        # A drawing app's export: the paper is transparent and its colour is black, as a browser
        # canvas leaves untouched pixels (0, 0, 0, 0); only the alpha channel tells ink from paper.
        coverage = (SCAN_PAPER - scan) / (SCAN_PAPER - SCAN_INK)
        rgba = np.zeros((FORMATS_SIDE, FORMATS_SIDE, 4), dtype=np.uint8)
        rgba[:, :, :3] = np.where(coverage[:, :, None] > 0, np.uint8(SCAN_INK), np.uint8(0))
        rgba[:, :, 3] = np.clip(np.rint(coverage * 255), 0, 255)
        return _png(rgba)
    if level == 2:
        return _encode(grey, "GIF")
    if level == 3:
        return _encode(grey, "TIFF", compression="tiff_lzw")
    if level == 4:
        return _encode(grey.convert("RGB"), "WEBP", quality=90)
    return _encode(grey.convert("RGB"), "BMP")


def _render_form_box(digits, level, rng):
    ratio = (1.6, 1.3, 1.15)[level]
    side = int(rng.integers(280, 401))
    box = round(side * rng.uniform(0.72, 0.85))
    line = int(rng.integers(2, 4))
    box_top = int(rng.integers(round(0.04 * side), side - box - round(0.04 * side) + 1))
    box_left = int(rng.integers(round(0.04 * side), side - box - round(0.04 * side) + 1))
    size = box / ratio
    inner = (box_top + line, box_left + line, box_top + box - line, box_left + box - line)
    clearance = (box - 2 * line - size) / 2
    # The digit sits inside the box, wandering a little but never touching it.
    alpha = _place(_row(digits, size, rng), side, side, rng, margin=max(2.0, 0.4 * clearance), spread=0.6,
                   region=inner)
    form = np.full((side, side), SCAN_PAPER, dtype=np.float32)
    printed = np.zeros((side, side), dtype=np.float32)
    printed[box_top:box_top + box, box_left:box_left + box] = 1.0
    printed[inner[0]:inner[2], inner[1]:inner[3]] = 0.0
    form = _composite(form, printed, 10.0)
    return _png(_grey_bytes(_composite(form, alpha, SCAN_INK)))
