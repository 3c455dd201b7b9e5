"""Decode a picture file as a phone or scanner made it: upright, grey, and no larger than needed.

Phones store many photos sideways and record the turn in the EXIF Orientation
tag, which every viewer honours; so do we (``ImageOps.exif_transpose``), or a
digit photographed upright is read lying on its side. HEIC/HEIF, the default
photo format of many phones, is read through pillow-heif. A big picture is
reduced while it is decoded where the format allows it (JPEG's DCT scaling via
``Image.draft``) and right after otherwise, so a 6,000 x 6,000 photo never
becomes a gigabyte of floats; a picture of more than ``MAX_PIXELS`` is refused
before any decoding. Every way a file can be bad ends in one ``ImageError``
sentence, so one bad file never stops a batch.
"""

from __future__ import annotations

import struct
import warnings
import zlib
from typing import BinaryIO

import numpy as np

from hiddennodes import ImageError

SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp", ".heic", ".heif")
MAX_PIXELS = 50_000_000  # the largest phone photos are 50 megapixels; beyond is a mistake or an attack
WORKING_SIDE = 400  # the longer side the ink is looked for at: a digit a twentieth of it tall still has 20 pixels
ORIENTATION = 0x0112


def _register_heif() -> None:
    import pillow_heif

    pillow_heif.register_heif_opener()


def decode(source: BinaryIO, longest_side: int = WORKING_SIDE) -> np.ndarray:
    """The picture in ``source`` as grey levels in [0, 1] (``float32``), upright, its longer side at most ``longest_side``.

    Transparent parts count as white paper; 16-bit greys keep their depth; an
    animated GIF or multi-page TIFF gives its first frame.

    Raises:
        ImageError: one sentence saying what is wrong with the file.
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    _register_heif()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # refused below, by our own limit
            with Image.open(source) as picture:
                width, height = picture.size
                if width * height > MAX_PIXELS:
                    raise ImageError(f"{width}x{height} pixels is more than {MAX_PIXELS:,}; crop or shrink the picture to the digits.")
                # JPEG decodes at 1/2, 1/4 or 1/8 of the size directly (DCT scaling), never below what is asked:
                # asking for 80% of the working size lets a 640x480 photo decode at 320x240, four times fewer pixels.
                scale = 0.8 * longest_side / max(width, height)
                if scale < 1:
                    picture.draft("RGB" if picture.mode not in ("L", "1") else "L",
                                  (max(1, int(width * scale)), max(1, int(height * scale))))
                upright = ImageOps.exif_transpose(picture)
                gray, full_scale = _grey(upright)
                if max(gray.size) > longest_side:
                    gray.thumbnail((longest_side, longest_side), Image.Resampling.BOX)
                return np.clip(np.asarray(gray, dtype=np.float32) / np.float32(full_scale), 0.0, 1.0)
    except ImageError:
        raise
    except FileNotFoundError:
        raise ImageError("no such file.") from None
    except IsADirectoryError:
        raise ImageError("is a folder of no pictures.") from None
    except UnidentifiedImageError:
        raise ImageError("not an image Pillow can read; give a PNG, JPEG, HEIC, GIF, BMP, TIFF or WebP file.") from None
    except Image.DecompressionBombError:
        raise ImageError(f"more than {MAX_PIXELS:,} pixels; crop or shrink the picture to the digits.") from None
    except ValueError as error:  # e.g. a PNG text chunk that would inflate past Pillow's safety limit
        raise ImageError(f"cannot be read safely ({error}); save the picture again without its metadata.") from None
    except (OSError, EOFError, SyntaxError, struct.error, zlib.error) as error:
        raise ImageError(f"cannot be read ({error}); is the file complete?") from None
    except MemoryError:
        raise ImageError("too large to decode in memory; shrink the picture.") from None


def _grey(picture):
    """The picture in a grey Pillow mode that keeps its depth ("F" for 16-bit and float, else "L"), and its full scale."""
    from PIL import Image

    if picture.mode.startswith("I;16") or picture.mode == "I":  # 16-bit PNG and TIFF greys
        return picture.convert("F"), 65535.0
    if picture.mode == "F":
        return picture.copy(), 1.0
    if picture.has_transparency_data:  # transparent parts are white paper
        rgba = picture.convert("RGBA")
        paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(paper, rgba).convert("L"), 255.0
    return picture.convert("L"), 255.0  # ITU-R BT.601 luma
