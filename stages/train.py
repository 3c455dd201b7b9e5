"""Stage train: one experiment's network, trained as the study trains it.

inputs -> Dense(hidden, activation) -> Dense(10, softmax), sparse categorical
cross-entropy, the optimizer and learning rate from params, validation on the
held-out split after every epoch, and the weights of the epoch with the lowest
validation loss kept (the study's checkpointing). DVCLive logs every epoch.

The loop is ``hiddennodes.training.EpochRunner.fit``: the same updates as
Keras's ``model.fit``, with each epoch's batches run in one XLA-compiled call
instead of one call per batch (7-60x faster per epoch on Fashion-MNIST on two
cores; see the README's Performance section). Besides the ``.keras`` model it
saves the layers' weights as ``.npz``, which the activations stage reads.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from common import atomic_path, load_params, load_splits, run, save_arrays, write_json  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--experiment", required=True)
    parser.add_argument("--inputs", required=True, type=Path, help="folder with train/val/test .npz")
    parser.add_argument("--input-kind", required=True, help="what the inputs are, for the tables")
    parser.add_argument("--section", required=True, choices=("small", "model"), help="params section with the training settings")
    parser.add_argument("--hidden-key", required=True, help="params key holding the hidden width")
    parser.add_argument("--model", required=True, type=Path, help="where to save the .keras model")
    parser.add_argument("--weights", required=True, type=Path, help="where to save its layers' weights as .npz")
    parser.add_argument("--metrics", required=True, type=Path)
    parser.add_argument("--live", required=True, type=Path, help="DVCLive folder for the learning curves")
    args = parser.parse_args()
    params = load_params()
    settings = params.training(args.section)
    hidden_units = params.hidden_units(args.hidden_key)
    splits = load_splits(args.inputs)

    import keras
    import tensorflow as tf
    from dvclive import Live
    from dvclive.keras import DVCLiveCallback

    from hiddennodes.datasets import NUM_CLASSES
    from hiddennodes.model import KeepBestWeights, build_model, layer_parameters
    from hiddennodes.training import EpochRunner

    keras.utils.set_random_seed(params.seed)
    tf.config.experimental.enable_op_determinism()
    model = build_model(
        num_inputs=splits["train"]["features"].shape[1],
        hidden_units=hidden_units,
        num_classes=NUM_CLASSES,
        activation=settings.activation,
        optimizer=settings.optimizer,
        learning_rate=settings.learning_rate,
    )
    keep_best = KeepBestWeights(monitor="val_loss")
    # dvcyaml=False: DVCLive must not rewrite the project's dvc.yaml from inside a stage.
    with Live(str(args.live), dvcyaml=False, save_dvc_exp=False) as live:
        started = time.perf_counter()
        runner = EpochRunner(model)
        runner.fit(
            splits["train"]["features"],
            splits["train"]["labels"],
            validation_data=(splits["val"]["features"], splits["val"]["labels"]),
            epochs=settings.epochs,
            batch_size=settings.batch_size,
            seed=params.seed,
            callbacks=[keep_best, DVCLiveCallback(live=live)],
        )
        training_seconds = time.perf_counter() - started

    metrics = {
        "experiment": args.experiment,
        "inputs": args.input_kind,
        "num_inputs": int(splits["train"]["features"].shape[1]),
        "hidden_units": hidden_units,
        "activation": settings.activation,
        "optimizer": settings.optimizer,
        "trainable_parameters": int(sum(int(tf.size(weight)) for weight in model.trainable_weights)),
        "best_epoch": keep_best.best_epoch,
        "epochs": settings.epochs,
    }
    for name, arrays in splits.items():
        scores = runner.evaluate(arrays["features"], arrays["labels"])
        metrics[f"{name}_loss"] = round(scores["loss"], 6)
        metrics[f"{name}_accuracy"] = round(scores["accuracy"], 6)
    metrics["training_seconds"] = round(training_seconds, 2)

    with atomic_path(args.model, suffix=".keras") as temporary:
        model.save(temporary)
    save_arrays(args.weights, **layer_parameters(model))
    write_json(args.metrics, metrics)
    print(metrics)


if __name__ == "__main__":
    run(main)
