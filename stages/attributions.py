"""Stage attributions: which pixels made each answer, with the shap library, for every experiment.

For every class, the mean attribution toward it over its first test digits (``attributions.per_class``
of each): the pixels whose ink (or whose lack of ink) pushes the network toward that class, compared
with the background of training digits in the network file. For the most confident mistakes
(``attributions.mistakes``), the attribution toward the wrong answer beside the one toward the right
answer. Networks on PCA components or selected pixels are explained in pixel space (the map is folded
into the hidden layer; ``hiddennodes.interpret.attributions``); a convolutional network through its
convolutions and max pooling, which shap's DeepExplainer has rules for, so its sums hold as a dense one's.

Writes the arrays (``data/attributions/<experiment>.npz``: the class means, the mistakes and their
attributions, for anyone who wants the numbers behind the figures), one JSON summary that the
report words, and two figures per experiment (``plots/attributions/<experiment>/``) the report
shows. One stage for every experiment, as robustness and calibration are: TensorFlow and shap
take 8 s to start, the attributions of one experiment 5 s.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
from common import atomic_path, load_arrays, run, save_arrays, save_figure, write_json  # noqa: E402
from settings import load_params  # noqa: E402

from hiddennodes.figures.attributions import class_attribution_figure, mistakes_figure  # noqa: E402
from hiddennodes.files import SetupError  # noqa: E402
from hiddennodes.interpret.attributions import class_attributions  # noqa: E402
from hiddennodes.network.trained import load_network  # noqa: E402


def explain_experiment(name: str, network_file: Path, test: dict, mean_digits: np.ndarray, settings, arrays_dir: Path,
                       plots_dir: Path) -> dict:
    """One experiment's attributions: its arrays file and two figures written; its summary returned."""
    network = load_network(network_file)
    if network.background is None:
        raise SetupError(f"{network_file} holds no attribution background (it was written before attributions existed); "
                         f"retrain it with `dvc repro -f train@{name}`.")
    found = class_attributions(network, test["features"], test["labels"], network.background,
                               per_class=settings.per_class, mistakes=settings.mistakes)
    names = list(network.class_names)
    save_figure(plots_dir / name / "classes.png", class_attribution_figure(
        found["class_mean"], names, mean_digits,
        f"{name}: the pixels that push each class's score, mean over {settings.per_class} test digits of the class "
        "(outline: the class's mean digit)"))
    index = found["mistake_index"]
    save_figure(plots_dir / name / "mistakes.png", mistakes_figure(
        test["features"][index], found["toward_predicted"], found["toward_true"],
        [names[label] for label in found["mistake_true"]], [names[label] for label in found["mistake_predicted"]],
        found["mistake_confidence"], f"{name}: its {len(index)} most confident mistakes, and why"))
    images = (np.clip(test["features"][index], 0, 1) * 255).round().astype(np.uint8)
    save_arrays(arrays_dir / f"{name}.npz", **{key: value for key, value in found.items() if isinstance(value, np.ndarray)},
                mistake_images=images, method=np.array(found["method"]))
    return {"method": found["method"], "explained": found["explained"], "background": int(len(network.background)),
            "additivity_error": round(found["additivity_error"], 7), "seconds": round(found["seconds"], 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", required=True, type=Path, help="models/: each experiment's network.npz")
    parser.add_argument("--test", required=True, type=Path, help="data/inputs/pixels/test.npz")
    parser.add_argument("--arrays", required=True, type=Path, help="folder for <experiment>.npz")
    parser.add_argument("--summary", required=True, type=Path, help="one JSON summary, keyed by experiment")
    parser.add_argument("--plots", required=True, type=Path, help="folder for <experiment>/classes.png and mistakes.png")
    args = parser.parse_args()
    params = load_params()
    test = load_arrays(args.test, keys=("features", "labels"))
    labels = test["labels"]
    classes = len(load_network(args.models / params.experiments[0].name / "network.npz").class_names)  # one dataset, one set of classes
    # Each class's mean test digit: the outline its attributions are drawn over, the same for every experiment.
    mean_digits = np.stack([test["features"][labels == label].mean(axis=0) if np.any(labels == label)
                            else np.zeros(test["features"].shape[1]) for label in range(classes)])
    summary = {}
    # Every experiment's outputs land together, or none do.
    with atomic_path(args.arrays) as arrays_dir, atomic_path(args.plots) as plots_dir:
        arrays_dir.mkdir()
        for experiment in params.experiments:
            (plots_dir / experiment.name).mkdir(parents=True)
            summary[experiment.name] = explain_experiment(experiment.name, args.models / experiment.name / "network.npz", test,
                                                          mean_digits, params.attributions, arrays_dir, plots_dir)
            print(experiment.name, summary[experiment.name], flush=True)
    write_json(args.summary, summary)


if __name__ == "__main__":
    run(main)
