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

How a picture is drawn: each digit is enlarged smoothly (bicubic on its ink values) and
taken as ink coverage ``alpha``; the paper's reflectance becomes
``paper * (1 - alpha) + ink * alpha``. Photos then multiply that by the light falling on the
sheet (a gradient, a shadow, a dim room) and add sensor noise, in that order, because a
shadow darkens the ink as well as the paper and a sensor's noise does not care what it
sees. Every random choice (position, gaps, noise, which edge) is drawn from the generator
passed in, so one generator state always gives the same bytes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pillow_heif
from PIL import Image
from scipy import ndimage
from skimage.morphology import skeletonize

FIELD = 28
PHOTO_WIDTH, PHOTO_HEIGHT = 640, 480  # a phone's 4:3 landscape frame, shrunk as a web upload would
PHOTO_QUALITY = 90  # what phone cameras and browsers write by default, near enough
PAGE_WIDTH, PAGE_HEIGHT = 600, 848  # an A4 page (1 : sqrt 2) scanned at about 72 dpi
SCAN_PAPER, SCAN_INK = 245.0, 20.0  # grey levels of a clean scan: white never quite 255, ink never 0
FORMATS_SIDE = 280  # the clean scan that `jpeg` and `formats` re-encode

# Reflectances (0..1, RGB) of what sits in front of the camera.
OFF_WHITE = np.array([0.93, 0.915, 0.87])  # office or notebook paper, a little warm
WHITE = np.array([0.95, 0.95, 0.94])
GREY_PAPER = np.array([0.86, 0.86, 0.84])  # recycled or sketch paper, where pencil is used
BLACK_PEN = np.array([0.08, 0.08, 0.10])
BLUE_BALLPOINT = np.array([30, 50, 160]) / 255
RULE_BLUE = np.array([120, 160, 220]) / 255
MARGIN_RED = np.array([220, 95, 105]) / 255
GRID_GREY_BLUE = np.array([140, 166, 200]) / 255
CHALK = np.array([0.88, 0.87, 0.84])
BOARD_TINT = np.array([0.92, 1.06, 1.0])  # a green-grey board; multiplied by the level's brightness
TABLE_BROWN = np.array([0.25, 0.17, 0.115])  # dark wood, about grey 45 in the photo

# Stored pixels for each EXIF orientation: turned so that the tag's own turn brings them upright.
EXIF_ORIENTATION = 0x0112
STORED_TURN = {6: Image.Transpose.ROTATE_90, 3: Image.Transpose.ROTATE_180, 8: Image.Transpose.ROTATE_270}
EXIF_TAGS = (6, 3, 8)

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


# ---- drawing the ink --------------------------------------------------------------------------


def _resize(values: np.ndarray, width: int, height: int) -> np.ndarray:
    """Bicubic resize of a float array through Pillow's 32-bit float mode."""
    image = Image.fromarray(np.ascontiguousarray(values, dtype=np.float32))
    return np.asarray(image.resize((width, height), Image.Resampling.BICUBIC), dtype=np.float32)


def _disc(radius: int) -> np.ndarray:
    offsets = np.arange(-radius, radius + 1)
    return (offsets[:, None] ** 2 + offsets[None, :] ** 2) <= radius**2


def _dilate(values: np.ndarray, radius: float) -> np.ndarray:
    """Grey dilation by a disc; a fractional radius blends the two nearest whole ones."""
    lower = int(np.floor(radius))
    blend = radius - lower

    def by(whole: int) -> np.ndarray:
        return values if whole == 0 else ndimage.grey_dilation(values, footprint=_disc(whole))

    base = by(lower)
    return base if blend == 0 else (1 - blend) * base + blend * by(lower + 1)


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
        values = _dilate(values, thicken)
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


# ---- paper, light and camera ------------------------------------------------------------------


def _smooth_noise(height: int, width: int, cell: float, rng: np.random.Generator,
                  cell_across: float | None = None) -> np.ndarray:
    """Gaussian noise varying over about ``cell`` pixels down (``cell_across`` across, if
    given), scaled to unit standard deviation."""
    cell_across = cell if cell_across is None else cell_across
    coarse = rng.standard_normal((int(np.ceil(height / cell)) + 3, int(np.ceil(width / cell_across)) + 3))
    fine = _resize(coarse, round(coarse.shape[1] * cell_across), round(coarse.shape[0] * cell))
    fine = fine[round(cell):round(cell) + height, round(cell_across):round(cell_across) + width]
    return (fine - fine.mean()) / (fine.std() + 1e-6)


def _fine_noise(height: int, width: int, sigma: float, rng: np.random.Generator) -> np.ndarray:
    """Pixel-scale texture (paper tooth, chalk grain), unit standard deviation."""
    texture = ndimage.gaussian_filter(rng.standard_normal((height, width)).astype(np.float32), sigma)
    return texture / (texture.std() + 1e-6)


def _paper(height: int, width: int, colour: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Paper's reflectance, (height, width, 3), with the faint mottling real sheets have."""
    mottling = 1 + 0.006 * _smooth_noise(height, width, 60, rng)
    return (colour[None, None, :] * mottling[:, :, None]).astype(np.float32)


def _gradient(height: int, width: int, strength: float, rng: np.random.Generator) -> np.ndarray:
    """Light across the sheet falling linearly by ``strength`` along a random direction; 1 at its brightest."""
    angle = rng.uniform(0, 2 * np.pi)
    rows, columns = np.mgrid[0:height, 0:width].astype(np.float32)
    along = columns * np.cos(angle) + rows * np.sin(angle)
    along = (along - along.min()) / (along.max() - along.min())
    return 1 - strength * along


def _composite(paper: np.ndarray, alpha: np.ndarray, ink: np.ndarray | float) -> np.ndarray:
    """paper * (1 - alpha) + ink * alpha, for grey or RGB paper."""
    if paper.ndim == 3:
        alpha = alpha[:, :, None]
    return paper * (1 - alpha) + ink * alpha


def _expose(reflectance: np.ndarray, light: np.ndarray, grain: float, rng: np.random.Generator,
            colour_grain: float | None = None) -> np.ndarray:
    """The camera's 8-bit RGB picture: reflectance times light, plus sensor noise.

    ``grain`` is the standard deviation of the noise shared by the three channels (as a share of
    full scale); each channel adds its own third of that (or ``colour_grain``), the colour
    speckle of small phone sensors.
    """
    if light.ndim == 2:
        light = light[:, :, None]
    height, width = reflectance.shape[:2]
    picture = reflectance * light
    picture = picture + grain * rng.standard_normal((height, width, 1), dtype=np.float32)
    picture = picture + (grain / 3 if colour_grain is None else colour_grain) * rng.standard_normal(
        (height, width, 3), dtype=np.float32)
    return np.clip(np.rint(picture * 255), 0, 255).astype(np.uint8)


def _lines(height: int, width: int, spacing: float, thickness: float, tilt: float, phase: float,
           vertical: bool = False) -> np.ndarray:
    """Coverage of parallel, anti-aliased printed lines ``spacing`` apart, tilted by ``tilt`` radians."""
    rows, columns = np.mgrid[0:height, 0:width].astype(np.float32)
    across = (columns * np.cos(tilt) + rows * np.sin(tilt)) if vertical else (rows * np.cos(tilt) - columns * np.sin(tilt))
    offset = np.mod(across - phase, spacing)
    distance = np.minimum(offset, spacing - offset)
    return np.clip(thickness / 2 + 0.5 - distance, 0.0, 1.0)


def _photo_digit(digits: np.ndarray, rng: np.random.Generator, size: float, spread: float = 0.3,
                 region: tuple[int, int, int, int] | None = None, margin: float = 24) -> np.ndarray:
    """The digits' coverage in a 640x480 photo frame."""
    return _place(_row(digits, size, rng), PHOTO_HEIGHT, PHOTO_WIDTH, rng, margin, spread, region)


def _paper_photo(digits: np.ndarray, rng: np.random.Generator, grain: float) -> np.ndarray:
    """Black pen on off-white paper, photographed: the upright picture of `paper`, `exif` and `heic`."""
    paper = _paper(PHOTO_HEIGHT, PHOTO_WIDTH, OFF_WHITE, rng)
    alpha = _photo_digit(digits, rng, 0.65 * PHOTO_HEIGHT)
    light = _gradient(PHOTO_HEIGHT, PHOTO_WIDTH, rng.uniform(0.10, 0.25), rng)
    return _expose(_composite(paper, alpha, BLACK_PEN), light, grain, rng)


def _scan(digits: np.ndarray, side: int, rng: np.random.Generator, thicken: float = 0.0,
          pen_growth: int = 0) -> np.ndarray:
    """A clean square grey scan as floats in 0..255: dark ink on white, the digit about 65% of the side."""
    patch = _row(digits, 0.65 * side, rng, thicken=thicken)
    if pen_growth:
        patch = ndimage.grey_dilation(patch, footprint=_disc(pen_growth))
    alpha = _place(patch, side, side, rng, margin=0.08 * side)
    return _composite(np.full((side, side), SCAN_PAPER, dtype=np.float32), alpha, SCAN_INK)


def _grey_bytes(values: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(values), 0, 255).astype(np.uint8)


def _encode(image: Image.Image, file_format: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, file_format, **options)
    return buffer.getvalue()


def _jpeg(picture: np.ndarray, quality: int = PHOTO_QUALITY) -> bytes:
    return _encode(Image.fromarray(picture), "JPEG", quality=quality)


def _png(picture: np.ndarray) -> bytes:
    return _encode(Image.fromarray(picture), "PNG")


# ---- the conditions ---------------------------------------------------------------------------


def _render_scan(digits, level, rng):
    return _png(_grey_bytes(_scan(digits, (112, 280, 560)[level], rng)))


def _render_page(digits, level, rng):
    size = PAGE_HEIGHT * (1 / 2, 1 / 3, 1 / 4)[level]
    alpha = _place(_row(digits, size, rng), PAGE_HEIGHT, PAGE_WIDTH, rng, margin=0.04 * PAGE_WIDTH, spread=1.0)
    page = np.full((PAGE_HEIGHT, PAGE_WIDTH), SCAN_PAPER, dtype=np.float32)
    return _png(_grey_bytes(_composite(page, alpha, SCAN_INK)))


def _render_paper(digits, level, rng):
    return _jpeg(_paper_photo(digits, rng, grain=(0.02, 0.04, 0.06)[level]))


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


def _render_heic(digits, level, rng):
    image = Image.fromarray(_paper_photo(digits, rng, grain=0.02))
    buffer = io.BytesIO()
    # pillow_heif's own writer, so importing this module does not register openers in Pillow.
    pillow_heif.from_pillow(image).save(buffer, quality=(80, 50, 30)[level])
    return buffer.getvalue()


def _render_exif(digits, level, rng):
    tag = EXIF_TAGS[level]
    upright = Image.fromarray(_paper_photo(digits, rng, grain=0.02))
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = tag
    return _encode(upright.transpose(STORED_TURN[tag]), "JPEG", quality=PHOTO_QUALITY, exif=exif.tobytes())


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


def _render_shadow(digits, level, rng):
    darkening = (0.20, 0.35, 0.50)[level]
    paper = _paper(PHOTO_HEIGHT, PHOTO_WIDTH, OFF_WHITE, rng)
    alpha = _photo_digit(digits, rng, 0.6 * PHOTO_HEIGHT)
    # A shadow entering from a random side with a gently curved, soft edge (a hand or the phone
    # held between the lamp and the sheet), covering a third to a half of the picture.
    rows, columns = np.mgrid[0:PHOTO_HEIGHT, 0:PHOTO_WIDTH].astype(np.float32)
    angle = rng.uniform(0, 2 * np.pi)
    toward = (columns - PHOTO_WIDTH / 2) * np.cos(angle) + (rows - PHOTO_HEIGHT / 2) * np.sin(angle)
    sideways = -(columns - PHOTO_WIDTH / 2) * np.sin(angle) + (rows - PHOTO_HEIGHT / 2) * np.cos(angle)
    field = toward + rng.uniform(-1, 1) * sideways**2 / 900
    edge = np.quantile(field, 1 - rng.uniform(1 / 3, 1 / 2))
    softness = rng.uniform(10, 30)
    shade = 1 / (1 + np.exp(-(field - edge) / softness))
    # Shadows are lit by the bluish room rather than the lamp: red falls a little more than blue.
    fall = darkening * np.array([1.04, 1.0, 0.92])
    light = _gradient(PHOTO_HEIGHT, PHOTO_WIDTH, rng.uniform(0.05, 0.15), rng)[:, :, None] * (
        1 - shade[:, :, None] * fall[None, None, :])
    return _jpeg(_expose(_composite(paper, alpha, BLACK_PEN), light, 0.02, rng))


def _render_uneven_light(digits, level, rng):
    far = (0.70, 0.50, 0.30)[level]
    paper = _paper(PHOTO_HEIGHT, PHOTO_WIDTH, OFF_WHITE, rng)
    alpha = _photo_digit(digits, rng, 0.6 * PHOTO_HEIGHT)
    corner_row = (0, PHOTO_HEIGHT - 1)[rng.integers(2)]
    corner_column = (0, PHOTO_WIDTH - 1)[rng.integers(2)]
    rows, columns = np.mgrid[0:PHOTO_HEIGHT, 0:PHOTO_WIDTH].astype(np.float32)
    distance = np.hypot(rows - corner_row, columns - corner_column) / np.hypot(PHOTO_HEIGHT - 1, PHOTO_WIDTH - 1)
    # A lamp beside one corner: the light falls off fastest close to it, then levels out.
    light = 1 - (1 - far) * distance**0.75
    return _jpeg(_expose(_composite(paper, alpha, BLACK_PEN), light, 0.02, rng))


def _render_small(digits, level, rng):
    paper = _paper(PHOTO_HEIGHT, PHOTO_WIDTH, OFF_WHITE, rng)
    alpha = _photo_digit(digits, rng, (120, 60, 36)[level], spread=1.0)
    light = _gradient(PHOTO_HEIGHT, PHOTO_WIDTH, rng.uniform(0.10, 0.20), rng)
    return _jpeg(_expose(_composite(paper, alpha, BLACK_PEN), light, 0.02, rng))


def _ballpoint(patch: np.ndarray, radius: float, rng: np.random.Generator) -> np.ndarray:
    """The digit redrawn along its centre line with a pen of constant ``radius`` (pixels).

    A ballpoint's line is as wide wherever it goes; eroding MNIST's thick, uneven strokes
    would break them where they are thin, so the strokes are thinned to their skeleton and
    drawn again with an anti-aliased round tip.
    """
    # Smoothing first keeps the skeleton from following the staircase of the enlarged pixels.
    smooth = ndimage.gaussian_filter(np.pad(patch, 4), sigma=0.6 * patch.shape[0] / FIELD)
    skeleton = skeletonize(smooth > 0.5)
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


def _render_low_light(digits, level, rng):
    brightness = (0.50, 0.30, 0.20)[level]
    paper = _paper(PHOTO_HEIGHT, PHOTO_WIDTH, OFF_WHITE, rng)
    alpha = _photo_digit(digits, rng, 0.6 * PHOTO_HEIGHT)
    # A room lamp, warmer than the camera expects, and a gradient across the sheet.
    warm = np.array([1.0, 0.92, 0.78])
    light = brightness * _gradient(PHOTO_HEIGHT, PHOTO_WIDTH, rng.uniform(0.10, 0.25), rng)[:, :, None] * warm
    # The phone raises its gain in the dark, so the noise grows as the light falls.
    grain = 0.02 / np.sqrt(brightness)
    return _jpeg(_expose(_composite(paper, alpha, BLACK_PEN), light, grain, rng, colour_grain=grain / 2))


def _render_number(digits, level, rng):
    margin = 0.05 * PHOTO_WIDTH
    size = (0.55, 0.5, 0.4)[level] * PHOTO_HEIGHT
    patch = _row(digits, size, rng, max_width=PHOTO_WIDTH - 2 * margin - 8)
    paper = _paper(PHOTO_HEIGHT, PHOTO_WIDTH, WHITE, rng)
    alpha = _place(patch, PHOTO_HEIGHT, PHOTO_WIDTH, rng, margin=margin)
    light = _gradient(PHOTO_HEIGHT, PHOTO_WIDTH, rng.uniform(0.05, 0.15), rng)
    return _jpeg(_expose(_composite(paper, alpha, BLACK_PEN), light, 0.02, rng))


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
