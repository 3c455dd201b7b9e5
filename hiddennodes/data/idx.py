"""Reading and writing the IDX format that MNIST and Fashion-MNIST ship in.

An IDX file is a 4-byte magic number (two zero bytes, a type code, the number
of dimensions), one big-endian uint32 per dimension, then the values in C
order. Both datasets use unsigned bytes (type code 0x08).
"""

from __future__ import annotations

import struct

import numpy as np

from hiddennodes import PipelineError

UNSIGNED_BYTE = 0x08
MAGIC_PREFIX = b"\x00\x00"  # the two zero bytes every IDX file starts with


class IdxError(PipelineError, ValueError):
    """A file that is not a well-formed IDX file of unsigned bytes."""


def looks_like_idx(data: bytes) -> bool:
    """Whether ``data`` starts as an (uncompressed) IDX file does; :func:`decode_idx` checks the rest."""
    return data[:2] == MAGIC_PREFIX


def decode_idx(data: bytes, name: str = "file") -> np.ndarray:
    """Decode the bytes of an (uncompressed) IDX file.

    Args:
        data: the whole file.
        name: how error messages call the file.

    Returns:
        A read-only uint8 array with the file's dimensions.

    Raises:
        IdxError: for a wrong magic number, a type other than unsigned byte,
            or a length that does not match the header.
    """
    if len(data) < 4:
        raise IdxError(f"{name} is {len(data)} bytes long, too short for an IDX header; download it again.")
    zero0, zero1, type_code, ndim = data[0], data[1], data[2], data[3]
    if zero0 != 0 or zero1 != 0 or ndim == 0:
        raise IdxError(
            f"{name} has magic number 0x{data[:4].hex()}, not an IDX header (0x0000 type, dims); "
            "it is not an IDX file or is still compressed."
        )
    if type_code != UNSIGNED_BYTE:
        raise IdxError(f"{name} holds IDX type 0x{type_code:02x}; only unsigned bytes (0x08) are supported.")
    header_size = 4 + 4 * ndim
    if len(data) < header_size:
        raise IdxError(f"{name} ends inside its header ({len(data)} of {header_size} bytes); the file is truncated.")
    shape = struct.unpack(f">{ndim}I", data[4:header_size])
    expected = header_size + int(np.prod(shape, dtype=np.int64))
    if len(data) != expected:
        state = "truncated" if len(data) < expected else "longer than its header says"
        raise IdxError(
            f"{name} is {len(data)} bytes but its header {shape} needs {expected}; the file is {state}."
        )
    return np.frombuffer(data, dtype=np.uint8, offset=header_size).reshape(shape)


def encode_idx(array: np.ndarray) -> bytes:
    """Encode a uint8 array as IDX bytes (the inverse of :func:`decode_idx`)."""
    array = np.ascontiguousarray(array)
    if array.dtype != np.uint8:
        raise IdxError(f"IDX encoding needs uint8 values, got {array.dtype}; convert with .astype(np.uint8).")
    header = bytes([0, 0, UNSIGNED_BYTE, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.tobytes()
