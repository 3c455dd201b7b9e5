"""Stage prepare: decode the IDX files into float32 arrays and split them.

Pixels are scaled to [0, 1] and flattened to 784 values. As in the study, the
first ``data.val_size`` (5,000) training images are the validation split, the
rest (55,000) the training split, and the 10,000 test images the test split.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from common import run, save_splits, write_json
from settings import load_params

from hiddennodes.data.datasets import DATASETS, FILE_NAMES, IMAGE_SHAPE, ROLES
from hiddennodes.data.checks import check_pair, verify
from hiddennodes.config.params import ParamsError


def scale(images: np.ndarray) -> np.ndarray:
    """uint8 images (n, 28, 28) -> float32 rows (n, 784) in [0, 1]."""
    return (images.reshape(len(images), -1).astype(np.float32) / np.float32(255.0))


def split(train_images, train_labels, test_images, test_labels, val_size: int) -> dict:
    """The study's split: the first ``val_size`` training items validate."""
    if val_size >= len(train_images):
        raise ParamsError(
            f"params.yaml: data.val_size is {val_size} but the training file holds only {len(train_images)} images; "
            "choose a smaller data.val_size."
        )
    return {
        "train": {"features": scale(train_images[val_size:]), "labels": train_labels[val_size:].copy()},
        "val": {"features": scale(train_images[:val_size]), "labels": train_labels[:val_size].copy()},
        "test": {"features": scale(test_images), "labels": test_labels.copy()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", required=True, type=Path, help="folder with the four .gz files")
    parser.add_argument("--out", required=True, type=Path, help="folder for train/val/test .npz")
    parser.add_argument("--dataset-info", required=True, type=Path, help="JSON with the dataset's name and class names")
    args = parser.parse_args()
    params = load_params()
    spec = DATASETS[params.data.dataset]
    arrays = {role: verify(spec, role, (args.raw / FILE_NAMES[role]).read_bytes()) for role in ROLES}
    check_pair(arrays["train_images"], arrays["train_labels"], "training")
    check_pair(arrays["test_images"], arrays["test_labels"], "test")
    splits = split(**arrays, val_size=params.data.val_size)
    save_splits(args.out, splits, map={"input_kind": np.array("pixels")})
    write_json(
        args.dataset_info,
        {
            "dataset": spec.name,
            "title": spec.title,
            "class_names": list(spec.class_names),
            "image_shape": list(IMAGE_SHAPE),
            "sizes": {name: int(len(arrays["labels"])) for name, arrays in splits.items()},
        },
    )
    print({name: arrays["features"].shape for name, arrays in splits.items()})


if __name__ == "__main__":
    run(main)
