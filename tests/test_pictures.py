"""Decoding pictures as phones and scanners write them: orientation, formats, depth, size, hostile files."""

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image, PngImagePlugin

from hiddennodes import ImageError
from hiddennodes.reading.decode import MAX_PIXELS, WORKING_SIDE, decode


def arrow(height=90, width=120):
    """A light page with a dark block in its top-left corner: where it lands shows how the picture was turned."""
    page = np.full((height, width), 230, dtype=np.uint8)
    page[5:30, 5:45] = 20
    return page


def encoded(image: Image.Image, file_format: str, **options) -> io.BytesIO:
    buffer = io.BytesIO()
    image.save(buffer, file_format, **options)
    buffer.seek(0)
    return buffer


@pytest.mark.parametrize(("tag", "stored_turn"), [
    (6, Image.Transpose.ROTATE_90), (3, Image.Transpose.ROTATE_180), (8, Image.Transpose.ROTATE_270)])
def test_exif_orientation_turns_the_stored_pixels_upright(tag, stored_turn):
    upright = Image.fromarray(arrow())
    stored = upright.transpose(stored_turn)  # what the phone wrote: the pixels turned, the tag saying how to turn back
    exif = Image.Exif()
    exif[0x0112] = tag
    gray = decode(encoded(stored, "JPEG", exif=exif.tobytes(), quality=95))
    assert gray.shape == (90, 120)
    assert gray[5:30, 5:45].mean() < 0.2 and gray[60:, 80:].mean() > 0.8  # the block is back in the top-left


def test_heic_gif_tiff_webp_bmp_and_16_bit_are_read_alike():
    import pillow_heif

    reference = arrow() / 255.0
    picture = Image.fromarray(arrow())
    sources = {
        "png": encoded(picture, "PNG"), "gif": encoded(picture, "GIF"), "tiff": encoded(picture, "TIFF"),
        "webp": encoded(picture, "WEBP", lossless=True), "bmp": encoded(picture, "BMP"),
        "png16": encoded(Image.fromarray(arrow().astype(np.uint16) * 257), "PNG"),
    }
    heif = pillow_heif.from_pillow(picture.convert("RGB"))
    buffer = io.BytesIO()
    heif.save(buffer, quality=95)
    buffer.seek(0)
    sources["heic"] = buffer
    for name, source in sources.items():
        gray = decode(source)
        assert gray.dtype == np.float32 and gray.shape == reference.shape, name
        assert np.abs(gray - reference).mean() < (0.02 if name == "heic" else 0.002), name


def test_transparent_paper_is_white_and_an_animation_gives_its_first_frame():
    rgba = np.zeros((40, 40, 4), dtype=np.uint8)
    rgba[10:30, 18:22] = (0, 0, 0, 255)  # a black stroke; everything else fully transparent
    gray = decode(encoded(Image.fromarray(rgba, "RGBA"), "PNG"))
    assert gray[0, 0] == 1.0 and gray[20, 20] == 0.0
    first, second = Image.fromarray(arrow()), Image.fromarray(255 - arrow())
    buffer = io.BytesIO()
    first.save(buffer, "GIF", save_all=True, append_images=[second])
    buffer.seek(0)
    assert decode(buffer)[60, 100] > 0.8  # the first frame's light paper


def test_a_big_jpeg_is_reduced_while_decoding():
    big = Image.fromarray(np.full((3000, 4000), 200, dtype=np.uint8))
    gray = decode(encoded(big, "JPEG"))
    assert gray.shape == (WORKING_SIDE * 3 // 4, WORKING_SIDE)  # 4:3 kept, the longer side at the working size
    photo = decode(encoded(Image.fromarray(np.full((480, 640), 200, dtype=np.uint8)), "JPEG"))
    assert photo.shape == (240, 320)  # decoded at half size by the JPEG decoder itself, not shrunk after


def png_claiming(width: int, height: int) -> io.BytesIO:
    """A tiny PNG whose header claims a huge size: a decompression bomb as a hostile user writes one."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return io.BytesIO(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))


@pytest.mark.parametrize("side", [8000, 20000])
def test_a_picture_over_the_pixel_limit_is_refused_before_decoding(side):
    with pytest.raises(ImageError, match=f"{side}x{side} pixels is more than|more than {MAX_PIXELS:,} pixels"):
        decode(png_claiming(side, side))


def test_hostile_and_broken_files_are_one_sentence_each():
    info = PngImagePlugin.PngInfo()
    info.add_text("comment", "x" * (PngImagePlugin.MAX_TEXT_CHUNK + 1), zip=True)
    bomb = encoded(Image.fromarray(arrow()), "PNG", pnginfo=info)
    whole = encoded(Image.fromarray(arrow()), "JPEG").getvalue()
    cases = {
        "cannot be read safely": bomb,
        "is the file complete": io.BytesIO(whole[: len(whole) // 2]),
        "not an image Pillow can read": io.BytesIO(b"GIF89a but not really"),
    }
    for words, source in cases.items():
        with pytest.raises(ImageError, match=words) as caught:
            decode(source)
        assert str(caught.value)[-1] in ".?" and "\n" not in str(caught.value)
    with pytest.raises(ImageError, match="not an image"):
        decode(io.BytesIO(b""))
