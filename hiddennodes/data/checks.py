"""Checking a dataset's IDX files: decompressed (or raw), decoded, and held to their spec and checksums.

The download and prepare stages call these on the bytes they fetched; the specs
themselves (names, counts, checksums, class names) live in ``hiddennodes.data.datasets``.
"""

from __future__ import annotations

import gzip
import hashlib
import zlib

import numpy as np

from hiddennodes import PipelineError
from hiddennodes.data.datasets import FILE_NAMES, GZIP_MAGIC, IMAGE_SHAPE, NUM_CLASSES, SPLIT_ROLES, DatasetSpec
from hiddennodes.data.idx import IdxError, decode_idx, looks_like_idx


class DatasetError(PipelineError, ValueError):
    """A dataset file that fails verification."""


def decompress(gz_bytes: bytes, name: str) -> bytes:
    """Gunzip a file, with a clear error for a damaged one."""
    try:
        return gzip.decompress(gz_bytes)
    except (OSError, EOFError, zlib.error) as error:
        raise DatasetError(
            f"{name} is not a complete gzip file ({error}); download it again, "
            "or if it is your own file, give the uncompressed IDX file instead."
        ) from error


def is_gzip(data: bytes) -> bool:
    """Whether ``data`` starts with the gzip magic number."""
    return data[:2] == GZIP_MAGIC


def idx_bytes(data: bytes, name: str) -> bytes:
    """The IDX bytes of a file given gzip-compressed or uncompressed, told apart by its first bytes.

    Raises:
        DatasetError: for a damaged gzip file, or a file that is neither gzip nor IDX.
    """
    if is_gzip(data):
        return decompress(data, name)
    if looks_like_idx(data):
        return data
    if not data:
        raise DatasetError(f"{name} is empty; replace it with the IDX file, gzip-compressed or not.")
    raise DatasetError(
        f"{name} starts with bytes 0x{data[:4].hex()}, so it is neither gzip-compressed (0x1f8b) "
        "nor an IDX file (0x0000, then type and dimensions); replace it with the IDX file, gzip-compressed or not."
    )


def verify(spec: DatasetSpec, role: str, data: bytes, name: str | None = None) -> np.ndarray:
    """Check one dataset file and return its decoded array.

    Checks, in order: gzip integrity (when compressed), the IDX header, the
    image size (28x28), the item count, labels in 0..9, and the known checksum.

    Args:
        data: the file as fetched, gzip-compressed or plain IDX.
        name: how error messages call the file; by default its name in ``FILE_NAMES``.

    Raises:
        DatasetError or IdxError: naming the file and what is wrong.
    """
    name = name or FILE_NAMES[role]
    raw = idx_bytes(data, name)
    array = decode_idx(raw, name)
    if role.endswith("images"):
        if array.ndim != 3 or array.shape[1:] != IMAGE_SHAPE:
            raise IdxError(f"{name} holds images of shape {array.shape[1:]}; the pipeline needs 28x28 images.")
    else:
        if array.ndim != 1:
            raise IdxError(f"{name} has {array.ndim} dimensions; a label file has exactly one.")
        if array.size and array.max() >= NUM_CLASSES:
            raise DatasetError(f"{name} holds label {int(array.max())}; labels must be 0..9.")
    if spec.counts is not None and array.shape[0] != spec.counts[role]:
        raise DatasetError(
            f"{name} holds {array.shape[0]} items; {spec.name} has {spec.counts[role]}, so the file is wrong or cut short."
        )
    known = spec.checksums.get(role)
    what = f"{spec.name}'s {role.replace('_', ' ')}"
    if known is not None:
        if known.sha256:
            if hashlib.sha256(raw).hexdigest() != known.sha256:
                raise DatasetError(
                    f"{name} does not match the known sha256 of {what}; the file is corrupt or from another dataset."
                )
        elif known.gz_md5:
            if not is_gzip(data):
                raise DatasetError(
                    f"{name} is uncompressed, and {what} can be checked only against the md5 of its published .gz; "
                    "use the original .gz file."
                )
            if hashlib.md5(data).hexdigest() != known.gz_md5:
                raise DatasetError(f"{name} does not match the published md5 of {what}; use the original .gz file.")
    return array


def check_pair(
    images: np.ndarray, labels: np.ndarray, split: str, images_name: str | None = None, labels_name: str | None = None
) -> None:
    """An image file and its label file must describe the same items.

    Args:
        split: ``"training"`` or ``"test"`` (a key of ``SPLIT_ROLES``).
        images_name, labels_name: how the message calls the two files; by default their names in ``FILE_NAMES``.

    Raises:
        DatasetError: naming both files and both counts.
    """
    if images.shape[0] == labels.shape[0]:
        return
    images_role, labels_role = SPLIT_ROLES[split]
    raise DatasetError(
        f"{images_name or FILE_NAMES[images_role]} holds {images.shape[0]} images but "
        f"{labels_name or FILE_NAMES[labels_role]} holds {labels.shape[0]} labels; each {split} image needs exactly one label, "
        "so replace whichever file is cut short or comes from another set."
    )


def check_pairs(arrays: dict[str, np.ndarray], names: dict[str, str] | None = None) -> None:
    """:func:`check_pair` for the training and the test split.

    Args:
        arrays: the decoded array of each role in ``ROLES``.
        names: how messages call each role's file; by default its name in ``FILE_NAMES``.
    """
    names = names or FILE_NAMES
    for split, (images_role, labels_role) in SPLIT_ROLES.items():
        check_pair(arrays[images_role], arrays[labels_role], split, names[images_role], names[labels_role])
