"""Stage overview: what the data looks like before any model sees it.

A grid of the first training images of each class, the mean training image of
each class, and the number of images per class in each split.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from common import load_splits, read_json, run, save_figure, write_json

from hiddennodes.figures.data import class_counts_figure
from hiddennodes.figures.grid import image_grid_figure
from hiddennodes.interpret.node_stats import class_tuning

SAMPLES_PER_CLASS = 8


def first_of_each_class(labels: np.ndarray, num_classes: int, count: int) -> np.ndarray:
    """Indices of the first ``count`` items of each class, class by class."""
    return np.concatenate([np.flatnonzero(labels == label)[:count] for label in range(num_classes)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prepared", required=True, type=Path)
    parser.add_argument("--dataset-info", required=True, type=Path)
    parser.add_argument("--counts", required=True, type=Path, help="class counts JSON")
    parser.add_argument("--samples-png", required=True, type=Path)
    parser.add_argument("--means-png", required=True, type=Path)
    parser.add_argument("--counts-png", required=True, type=Path)
    args = parser.parse_args()
    info = read_json(args.dataset_info)
    class_names = info["class_names"]
    num_classes = len(class_names)
    splits = load_splits(args.prepared)
    train = splits["train"]

    counts = {split: np.bincount(arrays["labels"], minlength=num_classes) for split, arrays in splits.items()}
    write_json(args.counts, {split: dict(zip(class_names, values.tolist())) for split, values in counts.items()})
    chosen = first_of_each_class(train["labels"], num_classes, SAMPLES_PER_CLASS)
    save_figure(
        args.samples_png,
        image_grid_figure(train["features"][chosen], None, f"{info['title']}: the first training images of each class",
                          columns=SAMPLES_PER_CLASS, row_labels=[class_names[label] for label in train["labels"][chosen][::SAMPLES_PER_CLASS]]),
    )
    means = class_tuning(train["features"], train["labels"], num_classes).T
    save_figure(args.means_png, image_grid_figure(means, class_names, f"{info['title']}: mean training image per class", columns=5))
    save_figure(args.counts_png, class_counts_figure(counts, class_names, f"{info['title']}: images per class"))
    print({split: values.tolist() for split, values in counts.items()})


if __name__ == "__main__":
    run(main)
