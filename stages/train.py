"""Stage train: one experiment's network, trained as the study trains it.

inputs -> Dense(hidden, activation) -> Dense(10, softmax), sparse categorical
cross-entropy, the optimizer and learning rate from params, validation on the
held-out split after every epoch, and the weights of the epoch with the lowest
validation loss kept (the study's checkpointing). DVCLive logs every epoch.

The loop is ``hiddennodes.network.training.EpochRunner.fit``: the same updates as
Keras's ``model.fit``, with each epoch's batches run in one XLA-compiled call
instead of one call per batch (7-60x faster per epoch on Fashion-MNIST on two
cores; see docs/performance.md). Besides the ``.keras`` model for Keras users
it writes the network file (``hiddennodes.network.trained``): the layers' weights, the map
from pixels to the inputs, the class names and these settings, which is all
every later stage and ``hiddennodes-predict`` need to run it. Of all it measures
(``--metrics``), the numbers a person compares between DVC experiments go into
the experiment's metrics file (``--headline``, ``hiddennodes.evaluate.headline.training_headline``):
validation and test accuracy, the kept epoch, the parameters, the seconds, and the
mean over seeds with its interval where the seeds were repeated.

Options from params, all off by default: dropout after the hidden layer, an L2
penalty on its weights, early stopping after ``patience`` epochs without a
lower validation loss, and ``repeats``: the network is trained again with
seeds seed + 1, seed + 2, ... and the metrics gain each run's accuracies, their
mean, standard deviation and a 95% interval of the mean (Student's t), so two
experiments can be told apart from run-to-run noise. The first seed's network
is the one kept and interpreted: ``repeats`` never changes it.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from common import atomic_path, load_arrays, load_splits, read_json, run, write_json  # noqa: E402
from settings import load_params  # noqa: E402

from hiddennodes import PipelineError  # noqa: E402
from hiddennodes.config.experiments import INPUT_KINDS, TRAINING_SECTIONS, check_fits, machine_memory  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--experiment", required=True)
    parser.add_argument("--inputs", required=True, type=Path, help="folder with train/val/test .npz and the map from pixels (map.npz)")
    parser.add_argument("--pixels", required=True, type=Path,
                        help="data/inputs/pixels/train.npz: the training digits' pixels, distorted when the experiment augments")
    parser.add_argument("--dataset-info", required=True, type=Path, help="data/dataset.json (the class names)")
    parser.add_argument("--section", required=True, choices=TRAINING_SECTIONS, help="params section with the training settings")
    parser.add_argument("--width-key", required=True, help="params key holding the hidden width")
    parser.add_argument("--model", required=True, type=Path, help="where to save the .keras model")
    parser.add_argument("--network", required=True, type=Path, help="where to save the network file (.npz)")
    parser.add_argument("--metrics", required=True, type=Path, help="everything measured (metrics/train/<exp>.json)")
    parser.add_argument("--headline", required=True, type=Path,
                        help="the numbers a person compares between DVC experiments (metrics/<exp>/training.json)")
    parser.add_argument("--live", required=True, type=Path, help="DVCLive folder for the learning curves")
    parser.add_argument("--snapshots", required=True, type=Path,
                        help="where to save the layers at params.yaml's snapshots.epochs, the kept and the last epoch (.npz)")
    args = parser.parse_args()
    params = load_params()
    settings = params.training(args.section)
    hidden_units = params.hidden_units(args.width_key)
    experiment = params.experiment(args.experiment)
    distortions = params.distortions(experiment)
    architecture = params.architecture(experiment)
    splits = load_splits(args.inputs)
    # The training digits as pixels (distorted when augmenting; the attributions' background): the same file as the
    # inputs' training split when the network reads the pixels.
    same = args.pixels.resolve() == (args.inputs / "train.npz").resolve()
    pixels = splits["train"] if same else load_arrays(args.pixels)
    input_map = load_arrays(args.inputs / "map.npz")
    input_kind = str(input_map.pop("input_kind"))
    class_names = read_json(args.dataset_info)["class_names"]
    images = sum(len(split["labels"]) for split in splits.values())
    # check_params catches this first with the standard sets' sizes; a custom set may be larger.
    check_fits(args.experiment, args.width_key, hidden_units, splits["train"]["features"].shape[1], len(class_names), images,
               machine_memory())

    import keras
    import tensorflow as tf
    from dvclive import Live
    from dvclive.keras import DVCLiveCallback

    from hiddennodes.evaluate.headline import training_headline
    from hiddennodes.network.keras_model import KeepBestWeights, KeepSnapshots, layer_parameters, model_for
    from hiddennodes.network.snapshots import save_snapshots
    from hiddennodes.network.trained import INPUT_MAPS, Network, save_network
    from hiddennodes.evaluate.stats import mean_interval
    from hiddennodes.network.training import EpochRunner

    num_inputs = splits["train"]["features"].shape[1]
    from hiddennodes.network.trained import input_map as pixel_map

    if distortions.active:
        # Distorted in pixel space, then mapped to the network's inputs (PCA components or selected pixels) in the loop.
        train_inputs = pixels["features"]
        mapping = pixel_map(num_inputs, pca_components=input_map.get("pca_components"),
                            pca_mean=input_map.get("pca_mean"), pixel_indices=input_map.get("pixel_indices"))
        print(f"{args.experiment}: every training batch distorted afresh: {distortions.describe()}", flush=True)
    else:
        train_inputs, mapping = splits["train"]["features"], None

    snapshots = KeepSnapshots(params.snapshots.epochs)

    def train_once(seed: int, live=None):
        """A network trained with ``seed``; its fit's seconds and kept epoch (and the snapshots, for the one kept)."""
        keras.utils.set_random_seed(seed)
        tf.config.experimental.enable_op_determinism()
        model = model_for(settings, num_inputs, hidden_units, len(class_names), len(splits["train"]["labels"]), distortions.copies,
                          architecture)
        keep_best = KeepBestWeights(monitor="val_loss")
        callbacks = [keep_best]
        if settings.patience:
            callbacks.append(keras.callbacks.EarlyStopping(monitor="val_loss", patience=settings.patience))
        if live is not None:
            callbacks += [DVCLiveCallback(live=live), snapshots]
        started = time.perf_counter()
        runner = EpochRunner(model, jit_compile=not architecture.convolutional, distortions=distortions, input_map=mapping)
        runner.fit(
            train_inputs,
            splits["train"]["labels"],
            validation_data=(splits["val"]["features"], splits["val"]["labels"]),
            epochs=settings.epochs,
            batch_size=settings.batch_size,
            seed=seed,
            callbacks=callbacks,
            verbose=live is not None,
            copies=distortions.copies,
        )
        return model, runner, time.perf_counter() - started, keep_best.best_epoch

    # dvcyaml=False: DVCLive must not rewrite the project's dvc.yaml from inside a stage.
    with Live(str(args.live), dvcyaml=False, save_dvc_exp=False) as live:
        model, runner, training_seconds, best_epoch = train_once(params.seed, live)
    if best_epoch == 0:  # KeepBestWeights saw no validation loss below infinity: every epoch's was NaN
        raise PipelineError(f"{args.experiment}: the validation loss was not a number at any epoch, so no epoch can be kept; lower "
                            f"{args.section}.learning_rate (params.yaml) and run again.")
    snapshots.taken.setdefault(best_epoch, layer_parameters(model))  # the kept weights, restored when training ended

    metrics = {
        "experiment": args.experiment,
        "inputs": INPUT_KINDS[input_kind],
        "num_inputs": int(num_inputs),
        "hidden_units": hidden_units,
        "activation": settings.activation,
        "optimizer": settings.optimizer,
        "trainable_parameters": int(sum(int(tf.size(weight)) for weight in model.trainable_weights)),
        "best_epoch": best_epoch,
        "epochs": settings.epochs,
        # A convolutional network's filters: what its hidden layer reads (metrics of dense networks stay as they were).
        **({"network": experiment.network, "filters": list(architecture.filters), "kernel": architecture.kernel,
            "pool": architecture.pool} if architecture.convolutional else {}),
    }
    for name, arrays in splits.items():
        scores = runner.evaluate(arrays["features"], arrays["labels"])
        metrics[f"{name}_loss"] = round(scores["loss"], 6)
        metrics[f"{name}_accuracy"] = round(scores["accuracy"], 6)
    metrics["training_seconds"] = round(training_seconds, 2)

    seeds = [params.seed + offset for offset in range(settings.repeats)]
    runs = {"val": [metrics["val_accuracy"]], "test": [metrics["test_accuracy"]]}
    for seed in seeds[1:]:
        _, other, _, _ = train_once(seed)
        for split in runs:
            runs[split].append(round(other.evaluate(splits[split]["features"], splits[split]["labels"])["accuracy"], 6))
        print(f"seed {seed}: validation {runs['val'][-1]:.4f}, test {runs['test'][-1]:.4f}", flush=True)
    metrics["repeats"] = settings.repeats
    for split, accuracies in runs.items():
        summary = mean_interval(accuracies)
        # Keyed by seed, not a list: DVC's metrics tables show nested keys as columns.
        metrics[f"{split}_accuracy_runs"] = {str(seed): accuracy for seed, accuracy in zip(seeds, accuracies)}
        metrics.update({f"{split}_accuracy_{name}": value for name, value in summary.items()})

    with atomic_path(args.model, suffix=".keras") as temporary:
        model.save(temporary)
    # How this network was trained; not `repeats`, which trains others beside it and leaves this one as it is.
    settings_record = {"experiment": args.experiment, "seed": params.seed, "hidden_units": hidden_units,
                       "width_key": args.width_key, "section": args.section,
                       "augment": experiment.augment, "distortions": vars(distortions),
                       **({"network": experiment.network, "filters": list(architecture.filters), "kernel": architecture.kernel,
                           "pool": architecture.pool} if architecture.convolutional else {}),
                       **{key: value for key, value in vars(settings).items() if not key.startswith("hidden") and key != "repeats"},
                       "best_epoch": best_epoch, "val_accuracy": metrics["val_accuracy"]}
    from hiddennodes.interpret.attributions import BACKGROUND, background_digits

    network = Network(layers=layer_parameters(model), input_kind=input_kind,
                      input_arrays={key: input_map[key] for key in INPUT_MAPS[input_kind]},
                      class_names=tuple(class_names), settings=settings_record,
                      background=background_digits(pixels["features"], pixels["labels"], BACKGROUND, params.seed))
    save_network(args.network, network)
    save_snapshots(args.snapshots, snapshots.taken, best_epoch)
    write_json(args.metrics, metrics)
    write_json(args.headline, training_headline(metrics))
    print(metrics)


if __name__ == "__main__":
    run(main)
