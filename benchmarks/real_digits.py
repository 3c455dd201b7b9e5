"""Benchmark: how the study's best network reads real digits away from MNIST's conditions.

    python benchmarks/real_digits.py                      # ../shared/data/mnist-t10k, params.yaml's model section
    python benchmarks/real_digits.py --mnist DIR --seeds 42 43 44
    python benchmarks/real_digits.py --seeds 42 --held-out 100   # a quick check that it runs
    python benchmarks/real_digits.py --experiment exp6           # the best width trained on distorted copies

Full MNIST's 60,000 training digits may be out of reach (no internet on the
machines this project is built on); its 10,000 real test digits are trained on
instead: the first 7,000 train, the next 1,000 validate (the kept epoch, and
the confidence threshold of the reject option), and the last 2,000 are held
out for every number printed. The network is an experiment of params.yaml on
the pixels (``--experiment``, default the reference: 784 -> model.hidden -> 10),
trained by the pipeline's own loop with its training section and its set of
distortions (``augment``), once per seed.

Printed, per seed and as the mean over seeds:
1. accuracy on the 2,000 held-out digits as arrays, and through the prediction
   command (``hiddennodes-predict --json``, in a project folder written by
   ``tests/realdigits.py``'s ``write_reading_project``) on the same digits saved as PNG
   files: as they are, inverted (dark on light), padded off-centre on a page,
   and enlarged four times;
2. accuracy on scikit-learn's 1,797 UCI digits (other writers, another scanner);
3. the robustness stage's nine changes at every level (``hiddennodes.evaluate.robustness``);
4. calibration: the expected calibration error and the reject option.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "stages"))
sys.path.insert(0, str(ROOT / "tests"))

from settings import load_params  # noqa: E402

from hiddennodes.evaluate.calibration import expected_calibration_error, kept_at_threshold, threshold_for_accuracy  # noqa: E402
from hiddennodes.data.datasets import DATASETS  # noqa: E402
from hiddennodes.data.checks import verify  # noqa: E402
from hiddennodes.network.trained import forward  # noqa: E402
from hiddennodes.reading.prepare import uci_digits_as_mnist  # noqa: E402
from hiddennodes.evaluate.robustness import CHANGES, changed_images, severities  # noqa: E402
from hiddennodes.report.tables import markdown  # noqa: E402

TRAIN, VALIDATION = slice(0, 7000), slice(7000, 8000)
HELD_OUT = slice(8000, 10000)


def load_t10k(folder: Path) -> tuple[np.ndarray, np.ndarray]:
    mnist = DATASETS["mnist"]
    images = verify(mnist, "test_images", (folder / "t10k-images-idx3-ubyte.gz").read_bytes())
    labels = verify(mnist, "test_labels", (folder / "t10k-labels-idx1-ubyte.gz").read_bytes())
    return images, labels


def train(features: np.ndarray, labels: np.ndarray, settings, hidden: int, distortions, seed: int) -> tuple[dict[str, np.ndarray], int, float]:
    """The train stage's recipe on the 7,000 + 1,000 split: weights, kept epoch, seconds."""
    import keras

    from hiddennodes.network.keras_model import KeepBestWeights, layer_parameters, model_for
    from hiddennodes.network.training import EpochRunner

    keras.utils.set_random_seed(seed)
    train_count = TRAIN.stop - (TRAIN.start or 0)
    model = model_for(settings, 784, hidden, 10, train_count, distortions.copies)
    keep_best = KeepBestWeights(monitor="val_loss")
    start = time.perf_counter()
    EpochRunner(model, distortions=distortions).fit(
        features[TRAIN], labels[TRAIN], (features[VALIDATION], labels[VALIDATION]), epochs=settings.epochs,
        batch_size=settings.batch_size, seed=seed, callbacks=[keep_best], verbose=False, copies=distortions.copies)
    return layer_parameters(model), keep_best.best_epoch, time.perf_counter() - start


def photo_like(image: np.ndarray, variant: str) -> np.ndarray:
    """The held-out digit as a picture someone might take of it (uint8, 0-255)."""
    from PIL import Image

    if variant == "inverted":
        return 255 - image
    if variant == "padded":  # off-centre on a large light page
        return np.pad(255 - image, ((10, 70), (60, 5)), constant_values=250)
    if variant == "enlarged":  # four times larger, smoothed, as a scan would be
        return np.asarray(Image.fromarray(255 - image).resize((112, 112), Image.Resampling.BICUBIC))
    return image


def command_accuracy(parameters: dict[str, np.ndarray], images: np.ndarray, labels: np.ndarray, variant: str,
                     train_features: np.ndarray, validation_features: np.ndarray, validation_labels: np.ndarray) -> float:
    """Accuracy of ``hiddennodes-predict --json --threshold 0`` on the digits saved as PNG files: every digit
    answered unless the picture itself is refused (no mark, unlike any digit), which counts as wrong."""
    from PIL import Image
    from realdigits import write_reading_project

    from hiddennodes.cli.predict import main

    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        write_reading_project(project, parameters, train_features, validation_features, validation_labels, threshold=0.0)
        pictures = project / "pictures"
        pictures.mkdir()
        for index, image in enumerate(images):
            Image.fromarray(photo_like(image, variant)).save(pictures / f"{index:05d}.png")
        output = io.StringIO()
        with contextlib.redirect_stdout(output):
            status = main(["--project", str(project), "--json", "--threshold", "0", str(pictures)])
        if status not in (0, 3):
            raise RuntimeError(f"hiddennodes-predict failed on the {variant} pictures (exit {status})")
        rows = json.loads(output.getvalue())
    read = [row["number"] if row["answered"] and len(row["digits"]) == 1 else None for row in rows]
    return float(np.mean([number is not None and int(number) == label for number, label in zip(read, labels)]))


def accuracy(parameters: dict[str, np.ndarray], features: np.ndarray, labels: np.ndarray) -> float:
    return float(np.mean(forward(parameters, features.reshape(len(features), -1))[1].argmax(axis=1) == labels))


def measure(parameters, images, labels, uci, robustness, calibration, seed, held: slice = HELD_OUT) -> dict:
    """Every number of the tables for one trained network, on the held-out digits ``held`` (all 2,000 by default)."""
    features = images.reshape(len(images), -1).astype(np.float32) / 255
    held_images, held_labels = features[held], labels[held]
    result = {"held_out": accuracy(parameters, held_images, held_labels)}
    for variant in ("png", "inverted", "padded", "enlarged"):
        result[f"command {variant}"] = command_accuracy(parameters, images[held], held_labels, variant,
                                                        features[TRAIN], features[VALIDATION], labels[VALIDATION])
    uci_probabilities = forward(parameters, uci[0].reshape(len(uci[0]), -1))[1]
    result["uci"] = float(np.mean(uci_probabilities.argmax(axis=1) == uci[1]))
    for change, level, _, changed in changed_images(held_images, robustness.strongest(), robustness.levels, seed):
        result[f"{change} {level}"] = accuracy(parameters, changed, held_labels)
    held_probabilities = forward(parameters, held_images)[1]
    validation = forward(parameters, features[VALIDATION])[1]
    result["ece held-out"] = expected_calibration_error(held_probabilities, held_labels, calibration.bins)
    result["ece uci"] = expected_calibration_error(uci_probabilities, uci[1], calibration.bins)
    for certainty in (0.5, calibration.certainty):
        picked = threshold_for_accuracy(validation, labels[VALIDATION], calibration.target_accuracy, certainty)
        result[f"threshold {certainty}"] = picked["threshold"]
        for name, probabilities, truth in (("held-out", held_probabilities, held_labels), ("uci", uci_probabilities, uci[1])):
            kept = kept_at_threshold(probabilities, truth, picked["threshold"])
            result[f"answered {name} {certainty}"], result[f"accuracy answered {name} {certainty}"] = kept["coverage"], kept["accuracy"]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mnist", type=Path, default=ROOT.parent / "shared" / "data" / "mnist-t10k", help="folder with the t10k IDX files")
    parser.add_argument("--seeds", type=int, nargs="+", help="default: params.yaml's seed and the next two")
    parser.add_argument("--experiment", help="an experiment of params.yaml on the pixels (default: its reference)")
    held_count = HELD_OUT.stop - HELD_OUT.start
    parser.add_argument("--held-out", type=int, default=held_count, metavar="N",
                        help=f"measure on the first N held-out digits only, for a quick run (default: all {held_count:,})")
    args = parser.parse_args()
    if not 1 <= args.held_out <= held_count:
        parser.error(f"--held-out {args.held_out} is out of range; give 1 to {held_count:,}.")
    held = slice(HELD_OUT.start, HELD_OUT.start + args.held_out)
    params = load_params(ROOT / "params.yaml")
    seeds = args.seeds or [params.seed, params.seed + 1, params.seed + 2]
    images, labels = load_t10k(args.mnist)
    features = images.reshape(len(images), -1).astype(np.float32) / 255
    uci = uci_digits_as_mnist()
    experiment = params.experiment(args.experiment or params.reference)
    if experiment.inputs != "pixels":
        parser.error(f"--experiment {experiment.name} reads {experiment.inputs}; this benchmark trains on the pixels, so name one that does.")
    settings, hidden, distortions = params.training(experiment.training), params.width(experiment), params.distortions(experiment)
    print(f"{experiment.name}: 784 -> {hidden} -> 10, {settings.activation}, {settings.optimizer} {settings.learning_rate} ({settings.schedule}), "
          f"{settings.epochs} epochs of batch {settings.batch_size}, distortions: {distortions.describe()}; "
          f"7,000 train / 1,000 validation / {args.held_out:,} held-out real MNIST test digits\n")
    results = {}
    for seed in seeds:
        parameters, kept_epoch, seconds = train(features, labels, settings, hidden, distortions, seed)
        results[seed] = measure(parameters, images, labels, uci, params.robustness, params.calibration, seed, held)
        print(f"seed {seed}: kept epoch {kept_epoch}, {seconds:.1f} s to train, held-out accuracy {results[seed]['held_out']:.4f}", flush=True)

    def row(key: str, percent: bool = True) -> list[str]:
        values = [results[seed][key] for seed in seeds]
        cells = [f"{value:.2%}" if percent else f"{value:.4f}" for value in values]
        mean = float(np.mean(values))
        return cells + [f"**{mean:.2%}**" if percent else f"**{mean:.4f}**"]

    headers = ["measure"] + [f"seed {seed}" for seed in seeds] + ["mean"]
    print("\n## Accuracy at home and away\n")
    rows = [["held-out MNIST digits (arrays)"] + row("held_out")]
    words = {"png": "as they are", "inverted": "inverted", "padded": "off-centre on a page", "enlarged": "enlarged 4x"}
    rows += [[f"held-out digits as PNG files through hiddennodes-predict, {words[variant]}"] + row(f"command {variant}") for variant in words]
    rows += [["UCI digits (other writers, another scanner)"] + row("uci")]
    print(markdown(headers, rows))

    robustness = params.robustness
    print(f"\n## Held-out accuracy under each change (levels 1-{robustness.levels}; mean over seeds)\n")
    level_headers = ["change", "unit", "none"] + [f"level {level}" for level in range(1, robustness.levels + 1)]
    level_rows = []
    clean = float(np.mean([results[seed]["held_out"] for seed in seeds]))
    for change, strongest in robustness.strongest().items():
        values = severities(change, strongest, robustness.levels)
        cells = [f"{float(np.mean([results[seed][f'{change} {level}'] for seed in seeds])):.2%} ({values[level]:g})" for level in range(1, robustness.levels + 1)]
        level_rows.append([change, CHANGES[change].unit, f"{clean:.2%}"] + cells)
    print(markdown(level_headers, level_rows))
    print("\n## At the strongest severity, per seed\n")
    print(markdown(headers, [[f"{change} {strongest:g}"] + row(f"{change} {robustness.levels}") for change, strongest in robustness.strongest().items()]))

    target, certainty = params.calibration.target_accuracy, params.calibration.certainty
    print(f"\n## Calibration and the reject option (threshold for {target:.0%} on the 1,000 validation digits)\n")
    rows = [["expected calibration error, held-out"] + row("ece held-out", percent=False),
            ["expected calibration error, UCI"] + row("ece uci", percent=False)]
    for level, words in ((0.5, "as observed on validation"), (certainty, f"with {certainty:.0%} certainty (params)")):
        rows += [
            [f"threshold, {target:.0%} {words}"] + row(f"threshold {level}", percent=False),
            ["held-out digits answered"] + row(f"answered held-out {level}"),
            ["accuracy on those"] + row(f"accuracy answered held-out {level}"),
            ["UCI digits answered"] + row(f"answered uci {level}"),
            ["accuracy on those"] + row(f"accuracy answered uci {level}"),
        ]
    print(markdown(headers, rows))


if __name__ == "__main__":
    main()
