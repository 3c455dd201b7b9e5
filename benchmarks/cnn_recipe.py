"""Benchmark: one convolutional network trained on a project's pixels, as the train stage trains it; its seconds
and test accuracy, to choose the `cnn` recipe and `networks.conv` within the time budget.

    python benchmarks/cnn_recipe.py --project DIR [--filters 16 32] [--kernel 5] [--epochs 8] [--batch-size 128]
        [--learning-rate 0.003] [--seeds 42 43 44] [--xla]

DIR is a project after `dvc repro` (its data/inputs/pixels/{train,val,test}.npz). ``--xla`` compiles the whole
epoch loop with XLA, as for the dense networks (about 15x slower for convolutions on this CPU). The test accuracy is
the last epoch's weights' (the train stage keeps the best validation epoch's: with the cosine schedule nearly always the last).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", required=True, type=Path)
    parser.add_argument("--filters", nargs="+", type=int, default=[16, 32])
    parser.add_argument("--kernel", type=int, default=5)
    parser.add_argument("--pool", type=int, default=2)
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--learning-rate", type=float, default=0.003)
    parser.add_argument("--seeds", nargs="+", type=int, default=[42])
    parser.add_argument("--xla", action="store_true", help="compile the whole epoch loop with XLA")
    args = parser.parse_args()
    import keras

    from hiddennodes.network.keras_model import build_model
    from hiddennodes.network.training import EpochRunner

    splits = {name: np.load(args.project / "data/inputs/pixels" / f"{name}.npz") for name in ("train", "val", "test")}
    train, val, test = (splits[name] for name in ("train", "val", "test"))
    steps = -(-len(train["labels"]) // args.batch_size) * args.epochs
    print("| seed | fit s | s an epoch | validation | test |\n| ---: | ---: | ---: | ---: | ---: |")
    for seed in args.seeds:
        keras.utils.set_random_seed(seed)
        model = build_model(784, args.hidden, int(train["labels"].max()) + 1, "relu", "adam", args.learning_rate,
                            schedule="cosine", decay_steps=steps, filters=tuple(args.filters), kernel_size=args.kernel, pool=args.pool)
        runner = EpochRunner(model, jit_compile=args.xla)
        started = time.perf_counter()
        history = runner.fit(train["features"], train["labels"], (val["features"], val["labels"]), args.epochs, args.batch_size,
                             seed, verbose=False)
        seconds = time.perf_counter() - started
        accuracy = runner.evaluate(test["features"], test["labels"])["accuracy"]
        print(f"| {seed} | {seconds:.1f} | {seconds / args.epochs:.1f} | {history.history['val_accuracy'][-1]:.4f} | {accuracy:.4f} |",
              flush=True)
    print(f"({args.project}: filters {args.filters} of {args.kernel}x{args.kernel}, pool {args.pool}, {args.hidden} hidden, "
          f"{args.epochs} epochs of {args.batch_size}, learning rate {args.learning_rate}, {'XLA' if args.xla else 'graph mode'}, "
          f"{os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
