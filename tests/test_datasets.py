import gzip
import hashlib

import numpy as np
import pytest

from hiddennodes.datasets import DATASETS, DatasetError, check_pair, verify
from hiddennodes.idx import IdxError, encode_idx

CUSTOM = DATASETS["custom"]


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
    with pytest.raises(DatasetError, match="not a complete gzip file"):
        verify(CUSTOM, "test_labels", gz(np.zeros(5, dtype=np.uint8))[:-6])


def test_image_and_label_counts_must_match():
    with pytest.raises(DatasetError, match="holds 5 images but its labels file 4 labels"):
        check_pair(np.zeros((5, 28, 28)), np.zeros(4), "training")


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


def test_train_images_without_sha256_use_the_published_gz_md5():
    fake = gz(np.zeros((60000, 28, 28), dtype=np.uint8))
    with pytest.raises(DatasetError, match="published md5"):
        verify(DATASETS["mnist"], "train_images", fake)
