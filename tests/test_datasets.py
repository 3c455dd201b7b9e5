import gzip
import hashlib
from dataclasses import replace

import numpy as np
import pytest

from hiddennodes.data.datasets import DATASETS, Checksum
from hiddennodes.data.checks import DatasetError, check_pair, check_pairs, idx_bytes, verify
from hiddennodes.data.idx import IdxError, encode_idx

CUSTOM = DATASETS["custom"]


def known_only_by_gz_md5(role: str):
    """MNIST as a dataset whose ``role`` file is known only by its published .gz md5 (as the training images once were)."""
    return replace(DATASETS["mnist"], checksums={role: Checksum(gz_md5=DATASETS["mnist"].checksums[role].gz_md5)})


def gz(array: np.ndarray) -> bytes:
    return gzip.compress(encode_idx(array), mtime=0)


def test_custom_dataset_accepts_any_count():
    images = np.zeros((7, 28, 28), dtype=np.uint8)
    assert verify(CUSTOM, "train_images", gz(images)).shape == (7, 28, 28)


def test_wrong_count_for_mnist():
    labels = np.zeros(100, dtype=np.uint8)
    with pytest.raises(DatasetError, match="holds 100 items; mnist has 10000"):
        verify(DATASETS["mnist"], "test_labels", gz(labels))


def test_labels_outside_0_to_9():
    with pytest.raises(DatasetError, match="label 12"):
        verify(CUSTOM, "train_labels", gz(np.array([1, 12], dtype=np.uint8)))


def test_images_must_be_28_by_28():
    with pytest.raises(IdxError, match="28x28"):
        verify(CUSTOM, "test_images", gz(np.zeros((3, 32, 32), dtype=np.uint8)))


def test_damaged_gzip():
    with pytest.raises(DatasetError, match="not a complete gzip file .*give the uncompressed IDX file instead"):
        verify(CUSTOM, "test_labels", gz(np.zeros(5, dtype=np.uint8))[:-6])


def label_file(labels: bytes) -> bytes:
    # Written byte by byte: magic 0x00000801, one big-endian count, the labels.
    return bytes([0x00, 0x00, 0x08, 0x01]) + len(labels).to_bytes(4, "big") + labels


def test_uncompressed_idx_is_accepted_whatever_its_name():
    assert verify(CUSTOM, "train_labels", label_file(bytes([3, 1, 4]))).tolist() == [3, 1, 4]
    assert idx_bytes(label_file(b"\x07"), "f") == label_file(b"\x07")
    assert idx_bytes(gzip.compress(label_file(b"\x07")), "f") == label_file(b"\x07")


def test_a_file_that_is_neither_gzip_nor_idx():
    expected = r"^my/labels starts with bytes 0x3c68746d, so it is neither gzip-compressed .* nor an IDX file"
    with pytest.raises(DatasetError, match=expected):
        verify(CUSTOM, "train_labels", b"<html>not found</html>", "my/labels")
    with pytest.raises(DatasetError, match="t10k-labels-idx1-ubyte.gz is empty"):
        verify(CUSTOM, "test_labels", b"")


def test_uncompressed_standard_file_is_checked_by_its_sha256(mnist_t10k):
    mnist = DATASETS["mnist"]
    raw = gzip.decompress((mnist_t10k / "t10k-labels-idx1-ubyte.gz").read_bytes())
    assert verify(mnist, "test_labels", raw).size == 10000
    altered = raw[:-1] + bytes([(raw[-1] + 1) % 10])
    with pytest.raises(DatasetError, match="does not match the known sha256"):
        verify(mnist, "test_labels", altered)


def test_an_uncompressed_file_known_only_by_its_gz_md5_cannot_be_checked():
    raw = bytes([0, 0, 8, 3]) + (60000).to_bytes(4, "big") + (28).to_bytes(4, "big") * 2 + bytes(60000 * 784)
    expected = "is uncompressed, and mnist's train images can be checked only against the md5 of its published .gz"
    with pytest.raises(DatasetError, match=expected):
        verify(known_only_by_gz_md5("train_images"), "train_images", raw)


def test_image_and_label_counts_must_match():
    expected = r"^train-images-idx3-ubyte.gz holds 5 images but train-labels-idx1-ubyte.gz holds 4 labels; each training image"
    with pytest.raises(DatasetError, match=expected):
        check_pair(np.zeros((5, 28, 28)), np.zeros(4), "training")
    check_pair(np.zeros((4, 28, 28)), np.zeros(4), "training")


def test_check_pairs_names_the_files_it_is_given():
    arrays = {"train_images": np.zeros((2, 28, 28)), "train_labels": np.zeros(2),
              "test_images": np.zeros((3, 28, 28)), "test_labels": np.zeros(1)}
    names = {role: f"/mirror/{role}" for role in arrays}
    expected = "^/mirror/test_images holds 3 images but /mirror/test_labels holds 1 labels; each test image"
    with pytest.raises(DatasetError, match=expected):
        check_pairs(arrays, names)
    check_pairs({**arrays, "test_labels": np.zeros(3)}, names)


def test_real_mnist_test_files_match_their_checksums(mnist_t10k):
    mnist = DATASETS["mnist"]
    images = verify(mnist, "test_images", (mnist_t10k / "t10k-images-idx3-ubyte.gz").read_bytes())
    labels = verify(mnist, "test_labels", (mnist_t10k / "t10k-labels-idx1-ubyte.gz").read_bytes())
    assert images.shape == (10000, 28, 28)
    assert np.bincount(labels).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    assert hashlib.md5((mnist_t10k / "t10k-labels-idx1-ubyte.gz").read_bytes()).hexdigest() == mnist.checksums["test_labels"].gz_md5


def test_recompressed_identical_file_passes_and_altered_one_fails(mnist_t10k):
    mnist = DATASETS["mnist"]
    raw = gzip.decompress((mnist_t10k / "t10k-labels-idx1-ubyte.gz").read_bytes())
    recompressed = gzip.compress(raw, compresslevel=1, mtime=12345)
    assert verify(mnist, "test_labels", recompressed).size == 10000
    altered = bytearray(raw)
    altered[-1] = (altered[-1] + 1) % 10
    with pytest.raises(DatasetError, match="does not match the known sha256"):
        verify(mnist, "test_labels", gzip.compress(bytes(altered)))


def test_a_file_known_only_by_its_gz_md5_needs_that_gz():
    fake = gz(np.zeros((60000, 28, 28), dtype=np.uint8))
    with pytest.raises(DatasetError, match="published md5"):
        verify(known_only_by_gz_md5("train_images"), "train_images", fake)


def test_every_mnist_file_is_known_by_its_decompressed_sha256():
    # A mirror that recompressed the files (as ../shared/data/mnist did, gzip -9n) must pass like the originals.
    assert all(len(DATASETS["mnist"].checksums[role].sha256) == 64 for role in DATASETS["mnist"].checksums)
    fake = gz(np.zeros((60000, 28, 28), dtype=np.uint8))
    with pytest.raises(DatasetError, match="does not match the known sha256 of mnist's train images"):
        verify(DATASETS["mnist"], "train_images", fake)
