"""Benchmark: what distorting every training batch costs an epoch, in the compiled training loop.

    python benchmarks/augmentation.py --project DIR     # a project whose prepare stage has run (Fashion-MNIST for the target)
    python benchmarks/augmentation.py --project DIR --seeds 42 43 44   # also: plain against augmented, over seeds

On the project's 55,000 training and 5,000 validation digits, the best width
(``model.hidden``) with its training section's optimizer and batch size (at
a constant rate: the schedule changes no step's cost) is trained for a few epochs with no distortion, with each kind of
distortion of params.yaml's ``paper`` set alone, and with the whole set. Printed:
the median seconds of a pass over the training digits (after the first epoch,
which compiles) and the ratio to the undistorted pass: the issue's target is at
most 2x. The set's ``copies`` makes an epoch that many passes; the last column
gives the epoch as the pipeline runs it.

With ``--seeds``, the reference experiment (exp3) and every experiment on the
same inputs, training and width with a set of distortions (exp6) are trained
as the train stage trains them, once per seed, and measured on the test digits
as they are and at the robustness stage's strongest rotation and shift (the
issue's target: at least 15 points more for the augmented network).
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

from hiddennodes.config.distortions import Distortions  # noqa: E402
from hiddennodes.network.keras_model import build_model  # noqa: E402
from hiddennodes.network.training import EpochRunner, epoch_order  # noqa: E402

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


def train_experiment(params, experiment, splits, seed: int):
    """The train stage's network for ``experiment`` with ``seed``: its class probabilities' function and its seconds."""
    from hiddennodes.network.keras_model import KeepBestWeights, model_for

    settings, hidden, distortions = params.training(experiment.training), params.width(experiment), params.distortions(experiment)
    train, val = splits["train"], splits["val"]
    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()  # as the train stage sets it
    model = model_for(settings, 784, hidden, 10, len(train["labels"]), distortions.copies)
    keep = KeepBestWeights(monitor="val_loss")
    started = time.perf_counter()
    runner = EpochRunner(model, distortions=distortions)
    runner.fit(train["features"], train["labels"], (val["features"], val["labels"]), epochs=settings.epochs,
               batch_size=settings.batch_size, seed=seed, callbacks=[keep], verbose=False, copies=distortions.copies)
    return runner, time.perf_counter() - started


def compare_seeds(params, project: Path, seeds: list[int], copies: list[int] | None = None) -> None:
    from hiddennodes.evaluate.robustness import draws, rotate, shift

    splits = {name: dict(np.load(project / "data" / "inputs" / "pixels" / f"{name}.npz")) for name in ("train", "val", "test")}
    plain = params.experiment(params.reference)
    augmented = [e for e in params.experiments if e.augment != "none" and (e.inputs, e.training, e.width) == (plain.inputs, plain.training, plain.width)]
    test = splits["test"]
    images = test["features"].reshape(-1, 28, 28)
    strongest = params.robustness.strongest()
    random = draws(len(images), params.seed)
    changed = {f"rotation {strongest['rotation']:g}°": rotate(images, strongest["rotation"], random).reshape(len(images), -1),
               f"shift {strongest['shift']:g} px": shift(images, strongest["shift"], random).reshape(len(images), -1)}
    if copies:  # the augmented experiments once per number of copies an epoch
        augmented = [dataclasses.replace(experiment, name=f"{experiment.name} ×{count}", augment=f"{experiment.augment}×{count}")
                     for experiment in augmented for count in copies]
        params = dataclasses.replace(params, augment={**params.augment, **{
            f"{name}×{count}": dataclasses.replace(params.augment[name], copies=count)
            for name in {experiment.augment.split("×")[0] for experiment in augmented} for count in copies}})
    results = {}
    for experiment in [plain, *augmented]:
        for seed in seeds:
            runner, seconds = train_experiment(params, experiment, splits, seed)
            row = {"test digits": runner.evaluate(test["features"], test["labels"])["accuracy"]}
            row.update({name: runner.evaluate(values, test["labels"])["accuracy"] for name, values in changed.items()})
            results[(experiment.name, seed)] = row
            print(f"{experiment.name} seed {seed}: {seconds:.0f} s, " + ", ".join(f"{k} {v:.4f}" for k, v in row.items()), flush=True)
    measures = list(next(iter(results.values())))
    print("\n| measure | " + " | ".join(f"{e.name} mean over {len(seeds)} seeds" for e in [plain, *augmented])
          + " | " + " | ".join(f"{e.name} − {plain.name}" for e in augmented) + " | target |")
    print("| --- |" + " ---: |" * (1 + 2 * len(augmented)) + " --- |")
    for measure in measures:
        means = {e.name: float(np.mean([results[(e.name, seed)][measure] for seed in seeds])) for e in [plain, *augmented]}
        gains = [means[e.name] - means[plain.name] for e in augmented]
        target = "" if measure == "test digits" else ("≥ +15 points: " + ("met" if all(gain >= 0.15 for gain in gains) else "MISSED"))
        print(f"| {measure} | " + " | ".join(f"{value:.4f}" for value in means.values()) + " | "
              + " | ".join(f"{100 * gain:+.1f} points" for gain in gains) + f" | {target} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, required=True, help="a project folder whose data/inputs/pixels exists")
    parser.add_argument("--set", default="paper", help="the augment set of params.yaml to measure (default: paper)")
    parser.add_argument("--epochs", type=int, default=5, help="passes timed per row (the first compiles and is left out)")
    parser.add_argument("--seeds", type=int, nargs="+", help="also train the reference and its augmented twins with these seeds")
    parser.add_argument("--copies", type=int, nargs="+",
                        help="with --seeds: train the augmented twins with each of these copies an epoch instead of their set's")
    parser.add_argument("--skip-passes", action="store_true", help="only the seeds' comparison")
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
    for name, distortions in [] if args.skip_passes else rows:
        seconds = statistics.median(pass_seconds(images, labels, settings, hidden, distortions, args.epochs)[1:])
        plain = plain or seconds
        ratio = seconds / plain
        whole = name.startswith("the ")
        target = (f"≤ {TARGET:g}x: {'met' if ratio <= TARGET else 'MISSED'}") if whole else ""
        epoch = f"{seconds * chosen.copies:.2f} ({chosen.copies})" if whole else f"{seconds:.2f}"
        print(f"| {name} | {seconds:.3f} | {ratio:.2f} | {target} | {epoch} |", flush=True)
    if args.seeds:
        print()
        compare_seeds(params, args.project, args.seeds, args.copies)


if __name__ == "__main__":
    main()

