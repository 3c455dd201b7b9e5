import gzip
import struct

import numpy as np
import pytest

from hiddennodes.data.idx import IdxError, decode_idx, encode_idx, looks_like_idx


def image_file_bytes() -> bytes:
    # Written byte by byte: magic 0x00000803, 2 images of 2x3 pixels.
    header = bytes([0x00, 0x00, 0x08, 0x03]) + (2).to_bytes(4, "big") + (2).to_bytes(4, "big") + (3).to_bytes(4, "big")
    return header + bytes(range(12))


def test_decodes_a_file_written_byte_by_byte():
    array = decode_idx(image_file_bytes())
    assert array.shape == (2, 2, 3)
    assert array.dtype == np.uint8
    assert array[1, 0, 2] == 8  # item 1, row 0, column 2 -> byte 6 + 2
    assert array.ravel().tolist() == list(range(12))


def test_decodes_a_label_file():
    data = bytes([0, 0, 8, 1]) + struct.pack(">I", 4) + bytes([7, 2, 1, 0])
    assert decode_idx(data).tolist() == [7, 2, 1, 0]


def test_wrong_magic_number_is_named():
    data = bytearray(image_file_bytes())
    data[0] = 0x1F  # e.g. a gzip file passed undecompressed
    with pytest.raises(IdxError, match="magic number 0x1f000803"):
        decode_idx(bytes(data), "train-images")


def test_unsupported_type_code():
    data = bytearray(image_file_bytes())
    data[2] = 0x0D  # float
    with pytest.raises(IdxError, match="type 0x0d"):
        decode_idx(bytes(data))


def test_truncated_data():
    with pytest.raises(IdxError, match="truncated"):
        decode_idx(image_file_bytes()[:-1], "t10k-images")


def test_truncated_header():
    with pytest.raises(IdxError, match="ends inside its header"):
        decode_idx(image_file_bytes()[:9])


def test_too_short_for_a_header():
    with pytest.raises(IdxError, match="too short"):
        decode_idx(b"\x00\x00")


def test_extra_bytes():
    with pytest.raises(IdxError, match="longer than its header says"):
        decode_idx(image_file_bytes() + b"\x00")


def test_encode_round_trips():
    array = np.arange(2 * 28 * 28, dtype=np.uint8).reshape(2, 28, 28)
    assert encode_idx(array)[:4] == b"\x00\x00\x08\x03"
    np.testing.assert_array_equal(decode_idx(gzip.decompress(gzip.compress(encode_idx(array)))), array)


def test_encode_rejects_other_types():
    with pytest.raises(IdxError, match="uint8"):
        encode_idx(np.zeros(3, dtype=np.float32))


def test_looks_like_idx_tells_idx_from_gzip():
    assert looks_like_idx(image_file_bytes())
    assert not looks_like_idx(gzip.compress(image_file_bytes()))
    assert not looks_like_idx(b"")
    assert not looks_like_idx(b"\x00")
