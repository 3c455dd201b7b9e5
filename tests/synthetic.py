"""Tiny synthetic MNIST-shaped datasets written as real IDX .gz files."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np

from hiddennodes.data.datasets import FILE_NAMES
from hiddennodes.data.idx import encode_idx


def synthetic_images(labels: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """28x28 uint8 images where class k is a bright bar at a class-specific
    place and angle, jittered and noisy: easy to learn, not trivial."""
    images = rng.integers(0, 40, size=(len(labels), 28, 28)).astype(np.int32)
    for index, label in enumerate(labels):
        row = 3 + 2 * int(label) + int(rng.integers(-1, 2))
        start = int(rng.integers(2, 8))
        if label % 2:
            images[index, start:start + 18, row] += 200  # vertical bar
        else:
            images[index, row, start:start + 18] += 200  # horizontal bar
    return np.clip(images, 0, 255).astype(np.uint8)


def write_synthetic_dataset(folder: Path, train_size: int = 400, test_size: int = 150, seed: int = 0) -> Path:
    """Write the four ``.gz`` IDX files of a tiny dataset into ``folder``."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for split, size in (("train", train_size), ("test", test_size)):
        labels = (np.arange(size) % 10).astype(np.uint8)
        rng.shuffle(labels)
        arrays = {"images": synthetic_images(labels, rng), "labels": labels}
        for kind, array in arrays.items():
            (folder / FILE_NAMES[f"{split}_{kind}"]).write_bytes(gzip.compress(encode_idx(array), mtime=0))
    return folder
