"""The conditions where what lies before the phone changes: the sheet, the writing tool, the framing.

Phone photos of ``chalk`` on a board, a ``table`` along one edge where the page does not
fill the picture, ``ruled`` and ``squared`` paper, ``faint`` pencil on grey paper, a ``small``
digit anywhere in the photo, a thin ``blue_ink`` ballpoint and a ``number`` of several digits
in a row.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage
from skimage.morphology import skeletonize
from skimage.segmentation import find_boundaries

from hiddennodes.conditions.pen import FIELD, _place, _row
from hiddennodes.conditions.sheet import (BLACK_PEN, BLUE_BALLPOINT, BOARD_TINT, CHALK, GREY_PAPER, GRID_GREY_BLUE,
                                          MARGIN_RED, OFF_WHITE, PHOTO_HEIGHT, PHOTO_WIDTH, RULE_BLUE, TABLE_BROWN,
                                          WHITE, _composite, _expose, _fine_noise, _gradient, _jpeg, _lines, _paper,
                                          _photo_digit, _smooth_noise)


def _render_chalk(digits, level, rng):
    brightness = (40, 70, 100)[level] / 255
    board = _paper(PHOTO_HEIGHT, PHOTO_WIDTH, brightness * BOARD_TINT, rng)
    # A wiped board keeps pale smears of old chalk along the eraser's strokes.
    dust = np.clip(_smooth_noise(PHOTO_HEIGHT, PHOTO_WIDTH, 30, rng, cell_across=160), 0, None)
    board = board + 0.03 * dust[:, :, None]
    alpha = _photo_digit(digits, rng, 0.6 * PHOTO_HEIGHT)
    # Chalk leaves the board's grain showing: ragged edges and small holes inside the strokes.
    grain = _fine_noise(PHOTO_HEIGHT, PHOTO_WIDTH, 0.9, rng)
    alpha = np.clip((alpha * (1 + 0.3 * grain) - 0.2) / 0.65, 0, 1) * 0.95
    light = _gradient(PHOTO_HEIGHT, PHOTO_WIDTH, rng.uniform(0.10, 0.20), rng)
    return _jpeg(_expose(_composite(board, alpha, CHALK), light, 0.02, rng))


def _wood(height: int, width: int, rng: np.random.Generator) -> np.ndarray:
    """A dark wooden table top: brown, with grain running in a random direction."""
    angle = rng.uniform(0, np.pi)
    rows, columns = np.mgrid[0:height, 0:width].astype(np.float32)
    across = columns * np.cos(angle) + rows * np.sin(angle)
    across -= across.min()
    length = int(np.ceil(across.max())) + 2
    fine = ndimage.gaussian_filter1d(rng.standard_normal(length), 1.5)
    broad = ndimage.gaussian_filter1d(rng.standard_normal(length), 15)
    streaks = 0.6 * fine / fine.std() + 0.8 * broad / broad.std()
    grain = np.interp(across, np.arange(length), streaks).astype(np.float32)
    shade = 1 + 0.08 * grain + 0.04 * _smooth_noise(height, width, 30, rng)
    return TABLE_BROWN[None, None, :] * shade[:, :, None]


def _render_table(digits, level, rng):
    share = (0.10, 0.25, 0.40)[level]
    edge = ("top", "bottom", "left", "right")[rng.integers(4)]
    slant = np.tan(np.radians(rng.uniform(-2.5, 2.5)))
    rows, columns = np.mgrid[0:PHOTO_HEIGHT, 0:PHOTO_WIDTH].astype(np.float32)
    # depth: distance into the picture from the table's side; along: position along that side.
    depth, along, extent, length = {
        "top": (rows, columns, PHOTO_HEIGHT, PHOTO_WIDTH),
        "bottom": (PHOTO_HEIGHT - 1 - rows, columns, PHOTO_HEIGHT, PHOTO_WIDTH),
        "left": (columns, rows, PHOTO_WIDTH, PHOTO_HEIGHT),
        "right": (PHOTO_WIDTH - 1 - columns, rows, PHOTO_WIDTH, PHOTO_HEIGHT),
    }[edge]
    page_edge = share * extent + (along - length / 2) * slant
    beyond = depth - page_edge  # < 0 on the table, > 0 on the page
    table_cover = np.clip(0.5 - beyond, 0, 1)
    # The page lying on the table throws a thin shadow onto the wood beside its edge.
    contact_shadow = 1 - 0.35 * np.exp(np.minimum(beyond, 0) / 4)
    table = _wood(PHOTO_HEIGHT, PHOTO_WIDTH, rng) * contact_shadow[:, :, None]
    page = _paper(PHOTO_HEIGHT, PHOTO_WIDTH, OFF_WHITE, rng)
    surface = _composite(page, table_cover, table)

    deepest = int(np.ceil(share * extent + length / 2 * abs(slant))) + 2
    region = {
        "top": (deepest, 0, PHOTO_HEIGHT, PHOTO_WIDTH),
        "bottom": (0, 0, PHOTO_HEIGHT - deepest, PHOTO_WIDTH),
        "left": (0, deepest, PHOTO_HEIGHT, PHOTO_WIDTH),
        "right": (0, 0, PHOTO_HEIGHT, PHOTO_WIDTH - deepest),
    }[edge]
    room = min(region[2] - region[0], region[3] - region[1])
    alpha = _photo_digit(digits, rng, min(0.6 * PHOTO_HEIGHT, 0.72 * room), region=region)
    light = _gradient(PHOTO_HEIGHT, PHOTO_WIDTH, rng.uniform(0.10, 0.20), rng)
    return _jpeg(_expose(_composite(surface, alpha, BLACK_PEN), light, 0.02, rng))


def _render_ruled(digits, level, rng):
    size = 0.42 * PHOTO_HEIGHT
    spacing = (1.0, 0.6, 0.4)[level] * size
    tilt = np.radians(rng.uniform(-0.6, 0.6))  # the sheet is never quite square to the camera
    rules = _lines(PHOTO_HEIGHT, PHOTO_WIDTH, spacing, rng.uniform(1.0, 3.0), tilt, rng.uniform(0, spacing))
    paper = _composite(_paper(PHOTO_HEIGHT, PHOTO_WIDTH, WHITE, rng), rules, RULE_BLUE)
    region = None
    if level == 2:  # an exercise book's red margin line, with the digit written right of it
        margin_column = rng.uniform(70, 110)
        margin_line = _lines(PHOTO_HEIGHT, PHOTO_WIDTH, 10 * PHOTO_WIDTH, 2.0, tilt, margin_column, vertical=True)
        paper = _composite(paper, margin_line, MARGIN_RED)
        region = (0, int(margin_column) + 20, PHOTO_HEIGHT, PHOTO_WIDTH)
    alpha = _photo_digit(digits, rng, size, region=region)
    light = _gradient(PHOTO_HEIGHT, PHOTO_WIDTH, rng.uniform(0.10, 0.20), rng)
    return _jpeg(_expose(_composite(paper, alpha, BLACK_PEN), light, 0.02, rng))


def _render_squared(digits, level, rng):
    size = 0.42 * PHOTO_HEIGHT
    cell = (0.5, 0.35, 0.25)[level] * size
    tilt = np.radians(rng.uniform(-0.6, 0.6))
    thickness = rng.uniform(1.0, 1.6)
    across = _lines(PHOTO_HEIGHT, PHOTO_WIDTH, cell, thickness, tilt, rng.uniform(0, cell))
    down = _lines(PHOTO_HEIGHT, PHOTO_WIDTH, cell, thickness, tilt, rng.uniform(0, cell), vertical=True)
    paper = _composite(_paper(PHOTO_HEIGHT, PHOTO_WIDTH, WHITE, rng), np.maximum(across, down), GRID_GREY_BLUE)
    alpha = _photo_digit(digits, rng, size)
    light = _gradient(PHOTO_HEIGHT, PHOTO_WIDTH, rng.uniform(0.10, 0.20), rng)
    return _jpeg(_expose(_composite(paper, alpha, BLACK_PEN), light, 0.02, rng))


def _render_faint(digits, level, rng):
    contrast = (1 / 2, 1 / 3, 1 / 5)[level]  # of what black ink would give on this paper
    paper = _paper(PHOTO_HEIGHT, PHOTO_WIDTH, GREY_PAPER, rng)
    alpha = _photo_digit(digits, rng, 0.6 * PHOTO_HEIGHT)
    # Graphite catches only the tops of the paper's tooth: a slightly broken stroke.
    tooth = _fine_noise(PHOTO_HEIGHT, PHOTO_WIDTH, 0.7, rng)
    alpha = alpha * np.clip(1 + 0.12 * tooth, 0, 1)
    graphite = paper * (1 - contrast)
    light = _gradient(PHOTO_HEIGHT, PHOTO_WIDTH, rng.uniform(0.10, 0.20), rng)
    return _jpeg(_expose(_composite(paper, alpha, graphite), light, 0.02, rng))


def _render_small(digits, level, rng):
    paper = _paper(PHOTO_HEIGHT, PHOTO_WIDTH, OFF_WHITE, rng)
    alpha = _photo_digit(digits, rng, (120, 60, 36)[level], spread=1.0)
    light = _gradient(PHOTO_HEIGHT, PHOTO_WIDTH, rng.uniform(0.10, 0.20), rng)
    return _jpeg(_expose(_composite(paper, alpha, BLACK_PEN), light, 0.02, rng))


def _filled_loops(inside: np.ndarray, skeleton: np.ndarray) -> np.ndarray:
    """Where a thick pen closed a loop up (the blob of a 6, 8 or 9), the line a fine pen's centre takes around it.

    A filled loop is at least twice as deep as the digit's typical stroke; grown back by that depth it is the
    blob, and a pen of the typical width tracing the blob's outline runs that width inside it. Blobs met by more
    than two strokes are where strokes cross, not loops, and are left to the skeleton, as are small ones.
    """
    depth = ndimage.distance_transform_edt(inside)
    typical = float(np.median(depth[skeleton])) if skeleton.any() else 0.0
    core = depth > 2 * typical
    if typical == 0 or not core.any():
        return np.zeros_like(inside)
    blob = (ndimage.distance_transform_edt(~core) <= 2 * typical) & inside
    traced = ndimage.distance_transform_edt(blob) > typical  # where the pen's centre may go around the blob
    parts, count = ndimage.label(traced)
    loops = np.zeros_like(inside)
    for index in range(1, count + 1):
        part = parts == index
        band = ndimage.binary_dilation(part, iterations=3) & ~part
        strokes_met = ndimage.label(skeleton & band, structure=np.ones((3, 3)))[1]
        if part.sum() >= 3 * typical ** 2 and strokes_met <= 2:
            loops |= part
    return loops


def _ballpoint(patch: np.ndarray, radius: float, rng: np.random.Generator) -> np.ndarray:
    """The digit redrawn along its centre line with a pen of constant ``radius`` (pixels).

    A ballpoint's line is as wide wherever it goes; eroding MNIST's thick, uneven strokes
    would break them where they are thin, so the strokes are thinned to their skeleton and
    drawn again with an anti-aliased round tip. A loop a thick pen filled with ink has a line for
    a skeleton (a 6 would become a 1), so a fine pen goes around it instead (``_filled_loops``).
    """
    # Smoothing first keeps the skeleton from following the staircase of the enlarged pixels.
    smooth = ndimage.gaussian_filter(np.pad(patch, 4), sigma=0.6 * patch.shape[0] / FIELD)
    inside = smooth > 0.5
    skeleton = skeletonize(inside)
    loops = _filled_loops(inside, skeleton)
    if loops.any():
        skeleton = (skeleton & ~loops) | find_boundaries(loops, mode="inner")
    distance = ndimage.distance_transform_edt(~skeleton)
    line = np.clip(radius + 0.5 - distance, 0, 1)
    # Ballpoint ink flows unevenly: a little lighter here and there along the line.
    flow = np.clip(0.9 + 0.08 * _smooth_noise(*line.shape, 25, rng), 0, 1)
    return (line * flow).astype(np.float32)


def _render_blue_ink(digits, level, rng):
    size = 0.6 * PHOTO_HEIGHT
    radius = (0.016, 0.010, 0.006)[level] * size  # line widths about 10, 6 and 4 px on a 288-px digit
    paper = _paper(PHOTO_HEIGHT, PHOTO_WIDTH, WHITE, rng)
    patch = _ballpoint(_row(digits, size, rng), radius, rng)
    alpha = _place(patch, PHOTO_HEIGHT, PHOTO_WIDTH, rng, margin=24)
    light = _gradient(PHOTO_HEIGHT, PHOTO_WIDTH, rng.uniform(0.10, 0.20), rng)
    return _jpeg(_expose(_composite(paper, alpha, BLUE_BALLPOINT), light, 0.02, rng))


def _render_number(digits, level, rng):
    margin = 0.05 * PHOTO_WIDTH
    size = (0.55, 0.5, 0.4)[level] * PHOTO_HEIGHT
    patch = _row(digits, size, rng, max_width=PHOTO_WIDTH - 2 * margin - 8)
    paper = _paper(PHOTO_HEIGHT, PHOTO_WIDTH, WHITE, rng)
    alpha = _place(patch, PHOTO_HEIGHT, PHOTO_WIDTH, rng, margin=margin)
    light = _gradient(PHOTO_HEIGHT, PHOTO_WIDTH, rng.uniform(0.05, 0.15), rng)
    return _jpeg(_expose(_composite(paper, alpha, BLACK_PEN), light, 0.02, rng))
