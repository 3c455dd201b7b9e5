"""The paper under the ink, the light on it and the camera's picture of it, down to the file's bytes.

Under ink coverage ``alpha`` (``hiddennodes.conditions.pen``) the paper's reflectance becomes
``paper * (1 - alpha) + ink * alpha``. Photos then multiply that by the light falling on the
sheet (a gradient, a shadow, a dim room) and add sensor noise, in that order, because a
shadow darkens the ink as well as the paper and a sensor's noise does not care what it
sees. The pictures are encoded in memory; nothing here writes a file.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image
from scipy import ndimage

from hiddennodes.conditions.pen import _place, _resize, _row

PHOTO_WIDTH, PHOTO_HEIGHT = 640, 480  # a phone's 4:3 landscape frame, shrunk as a web upload would
PHOTO_QUALITY = 90  # what phone cameras and browsers write by default, near enough

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
    """paper * (1 - alpha) + ink * alpha, for grey or RGB paper, in float32 (a photo is 921,600 values: float64
    arithmetic on them was a sixth of drawing the customers' pictures)."""
    alpha = np.asarray(alpha, dtype=np.float32)
    if paper.ndim == 3:
        alpha = alpha[:, :, None]
    paper = np.asarray(paper, dtype=np.float32)
    mixed = np.asarray(ink, dtype=np.float32) - paper
    mixed *= alpha
    mixed += paper
    return mixed


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
    picture = np.asarray(reflectance, dtype=np.float32) * np.asarray(light, dtype=np.float32)  # float32 throughout
    shared = rng.standard_normal((height, width, 1), dtype=np.float32)
    shared *= grain
    picture += shared
    speckle = rng.standard_normal((height, width, 3), dtype=np.float32)
    speckle *= grain / 3 if colour_grain is None else colour_grain
    picture += speckle
    picture *= 255
    np.rint(picture, out=picture)
    np.clip(picture, 0, 255, out=picture)
    return picture.astype(np.uint8)


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
