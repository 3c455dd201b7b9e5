"""Benchmark: what distorting every training batch costs an epoch, in the compiled training loop.

    python benchmarks/augmentation.py --project DIR     # a project whose prepare stage has run (Fashion-MNIST for the target)

On the project's 55,000 training and 5,000 validation digits, the best width
(``model.hidden``) with its training section's optimizer and batch size (at
a constant rate: the schedule changes no step's cost) is trained for a few epochs with no distortion, with each kind of
distortion of params.yaml's ``paper`` set alone, and with the whole set. Printed:
the median seconds of a pass over the training digits (after the first epoch,
which compiles) and the ratio to the undistorted pass: the issue's target is at
most 2x. The set's ``copies`` makes an epoch that many passes; the last column
gives the epoch as the pipeline runs it.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "stages"))

from settings import load_params  # noqa: E402

from hiddennodes.augment import Distortions  # noqa: E402
from hiddennodes.model import build_model  # noqa: E402
from hiddennodes.training import EpochRunner, epoch_order  # noqa: E402

TARGET = 2.0


def pass_seconds(images, labels, settings, hidden: int, distortions: Distortions | None, epochs: int) -> list[float]:
    keras.utils.set_random_seed(0)
    model = build_model(784, hidden, 10, settings.activation, settings.optimizer, settings.learning_rate)
    runner = EpochRunner(model, distortions=distortions)
    rng = np.random.default_rng(0)
    seconds = []
    for epoch in range(epochs):
        started = time.perf_counter()
        runner.train_epoch(images, labels, *epoch_order(int(labels.shape[0]), settings.batch_size, rng), epoch_seed=epoch)
        seconds.append(time.perf_counter() - started)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, required=True, help="a project folder whose data/inputs/pixels exists")
    parser.add_argument("--set", default="paper", help="the augment set of params.yaml to measure (default: paper)")
    parser.add_argument("--epochs", type=int, default=5, help="passes timed per row (the first compiles and is left out)")
    args = parser.parse_args()
    params = load_params(ROOT / "params.yaml")
    settings, hidden = params.model, params.model.hidden
    chosen = params.augment[args.set]
    train = np.load(args.project / "data" / "inputs" / "pixels" / "train.npz")
    images, labels = tf.constant(train["features"]), tf.constant(train["labels"].astype(np.int32))
    print(f"784 -> {hidden} -> 10, {settings.optimizer}, batch {settings.batch_size}; {int(labels.shape[0]):,} training digits; "
          f"{os.cpu_count()} cores; median of {args.epochs - 1} passes after the first\n")
    fields = {"rotation": ("rotation",), "shift": ("shift",), "scale": ("scale",), "elastic": ("elastic_alpha", "elastic_sigma"),
              "thickness": ("thickness",)}
    rows = [("none", None)]
    for name, keys in fields.items():
        if getattr(chosen, keys[0]):
            rows.append((f"{name} alone", Distortions(**{key: getattr(chosen, key) for key in keys})))
    rows.append((f"the {args.set} set: {chosen.describe()}", dataclasses.replace(chosen, copies=1)))
    plain = None
    print("| distortion | s per pass | × undistorted | target | s per epoch (× copies) |")
    print("| --- | ---: | ---: | --- | ---: |")
    for name, distortions in rows:
        seconds = statistics.median(pass_seconds(images, labels, settings, hidden, distortions, args.epochs)[1:])
        plain = plain or seconds
        ratio = seconds / plain
        whole = name.startswith("the ")
        target = (f"≤ {TARGET:g}x: {'met' if ratio <= TARGET else 'MISSED'}") if whole else ""
        epoch = f"{seconds * chosen.copies:.2f} ({chosen.copies})" if whole else f"{seconds:.2f}"
        print(f"| {name} | {seconds:.3f} | {ratio:.2f} | {target} | {epoch} |", flush=True)


if __name__ == "__main__":
    main()
