"""Figures stored small for a page that embeds them: a palette of at most 256 colours, saved as lossless WebP.

matplotlib writes 8-bit RGBA; a figure of flat colours, text and a few colour maps needs far fewer colours than
that. The palette is chosen per figure (median cut on its own colours) with no dithering, so flat areas stay flat
and text keeps its edges, and lossless WebP then stores it in about a fifth less than a palette PNG (measured on
the pipeline's figures: docs/performance.md). Every browser of the last years shows WebP; where the result would
not be smaller, the PNG is kept as it was.
"""

from __future__ import annotations

import io

from PIL import Image

PALETTE_COLOURS = 256


def png_size(png: bytes) -> tuple[int, int]:
    """A PNG's width and height in pixels, from its header."""
    if png[:8] != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR":
        raise ValueError("not a PNG file: the report embeds only the PNG figures the stages write.")
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def compact_image(png: bytes) -> tuple[str, bytes]:
    """``png`` as (MIME type, bytes) for embedding: its colours reduced to an adaptive palette (no dithering) and saved
    as lossless WebP, or the PNG unchanged when that is not smaller. Transparent parts become white, as on the page."""
    png_size(png)
    with Image.open(io.BytesIO(png)) as image:
        image = Image.alpha_composite(Image.new("RGBA", image.size, "white"), image.convert("RGBA")).convert("RGB")
    palette = image.quantize(PALETTE_COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    palette.convert("RGB").save(buffer, format="WEBP", lossless=True, method=4)
    return ("image/webp", buffer.getvalue()) if buffer.tell() < len(png) else ("image/png", png)
