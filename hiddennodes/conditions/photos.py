"""The conditions where the phone and the light change, not the paper: photos of black pen on off-white paper.

``paper`` (the sensor's grain), ``heic`` (the file kind iPhones write), ``exif`` (the pixels
stored sideways, with the tag that turns them upright), ``shadow`` (a hand or the phone
between the lamp and the sheet), ``uneven_light`` (a lamp beside one corner) and ``low_light``
(a dim room, and the noise of the gain the phone raises there).
"""

from __future__ import annotations

import io

import numpy as np
import pillow_heif
from PIL import Image

from hiddennodes.conditions.sheet import (BLACK_PEN, OFF_WHITE, PHOTO_HEIGHT, PHOTO_QUALITY, PHOTO_WIDTH, _composite,
                                          _encode, _expose, _gradient, _jpeg, _paper, _photo_digit)

# Stored pixels for each EXIF orientation: turned so that the tag's own turn brings them upright.
EXIF_ORIENTATION = 0x0112
STORED_TURN = {6: Image.Transpose.ROTATE_90, 3: Image.Transpose.ROTATE_180, 8: Image.Transpose.ROTATE_270}
EXIF_TAGS = (6, 3, 8)


def _paper_photo(digits: np.ndarray, rng: np.random.Generator, grain: float) -> np.ndarray:
    """Black pen on off-white paper, photographed: the upright picture of `paper`, `exif` and `heic`."""
    paper = _paper(PHOTO_HEIGHT, PHOTO_WIDTH, OFF_WHITE, rng)
    alpha = _photo_digit(digits, rng, 0.65 * PHOTO_HEIGHT)
    light = _gradient(PHOTO_HEIGHT, PHOTO_WIDTH, rng.uniform(0.10, 0.25), rng)
    return _expose(_composite(paper, alpha, BLACK_PEN), light, grain, rng)


def _render_paper(digits, level, rng):
    return _jpeg(_paper_photo(digits, rng, grain=(0.02, 0.04, 0.06)[level]))


def _render_heic(digits, level, rng):
    image = Image.fromarray(_paper_photo(digits, rng, grain=0.02))
    buffer = io.BytesIO()
    # pillow_heif's own writer, so importing this module does not register openers in Pillow. x265's fastest preset:
    # the same HEVC file at the same quality, within 1% of the size, in a ninth of the default preset's 0.5 s a picture
    # (which made these 150 pictures a quarter of the customers' pictures stage).
    pillow_heif.from_pillow(image).save(buffer, quality=(80, 50, 30)[level], enc_params={"preset": "ultrafast"})
    return buffer.getvalue()


def _render_exif(digits, level, rng):
    tag = EXIF_TAGS[level]
    upright = Image.fromarray(_paper_photo(digits, rng, grain=0.02))
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = tag
    return _encode(upright.transpose(STORED_TURN[tag]), "JPEG", quality=PHOTO_QUALITY, exif=exif.tobytes())


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
