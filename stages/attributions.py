"""Stage attributions: which pixels made each answer, with the shap library, for one experiment.

For every class, the mean attribution toward it over its first test digits (``attributions.per_class``
of each): the pixels whose ink (or whose lack of ink) pushes the network toward that class, compared
with the background of training digits in the network file. For the most confident mistakes
(``attributions.mistakes``), the attribution toward the wrong answer beside the one toward the right
answer. Networks on PCA components or selected pixels are explained in pixel space (the map is folded
into the hidden layer; ``hiddennodes.attributions``).

Writes the arrays (``data/attributions/<experiment>.npz``, read by the report and the explorer page),
a small JSON summary, and the two figures.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
from common import load_arrays, run, save_arrays, save_figure, write_json  # noqa: E402
from settings import load_params  # noqa: E402

from hiddennodes.attributions import class_attributions  # noqa: E402
from hiddennodes.figures.attributions import class_attribution_figure, mistakes_figure  # noqa: E402
from hiddennodes.files import SetupError  # noqa: E402
from hiddennodes.network_file import load_network  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--experiment", required=True)
    parser.add_argument("--network", required=True, type=Path)
    parser.add_argument("--test", required=True, type=Path, help="data/inputs/pixels/test.npz")
    parser.add_argument("--arrays", required=True, type=Path)
    parser.add_argument("--summary", required=True, type=Path)
    parser.add_argument("--classes-png", required=True, type=Path)
    parser.add_argument("--mistakes-png", required=True, type=Path)
    args = parser.parse_args()
    settings = load_params().attributions
    network = load_network(args.network)
    if network.background is None:
        raise SetupError(f"{args.network} holds no attribution background (it was written before attributions existed); "
                         f"retrain it with `dvc repro -f train@{args.experiment}`.")
    test = load_arrays(args.test, keys=("features", "labels"))
    found = class_attributions(network, test["features"], test["labels"], network.background,
                               per_class=settings.per_class, mistakes=settings.mistakes)
    names = list(network.class_names)
    labels = test["labels"]
    mean_digits = np.stack([test["features"][labels == label].mean(axis=0) if np.any(labels == label)
                            else np.zeros(test["features"].shape[1]) for label in range(len(names))])
    save_figure(args.classes_png, class_attribution_figure(found["class_mean"], names, mean_digits,
                                         f"{args.experiment}: the pixels that push each class's score, mean over "
                                         f"{settings.per_class} test digits of the class (outline: the class's mean digit)"))
    index = found["mistake_index"]
    save_figure(args.mistakes_png, mistakes_figure(test["features"][index], found["toward_predicted"], found["toward_true"],
                                [names[label] for label in found["mistake_true"]], [names[label] for label in found["mistake_predicted"]],
                                found["mistake_confidence"], f"{args.experiment}: its {len(index)} most confident mistakes, and why"))
    images = (np.clip(test["features"][index], 0, 1) * 255).round().astype(np.uint8)
    save_arrays(args.arrays, **{key: value for key, value in found.items() if isinstance(value, np.ndarray)},
                mistake_images=images, method=np.array(found["method"]))
    summary = {"experiment": args.experiment, "method": found["method"], "explained": found["explained"],
               "background": int(len(network.background)), "additivity_error": round(found["additivity_error"], 7),
               "seconds": round(found["seconds"], 2)}
    write_json(args.summary, summary)
    print(summary)


if __name__ == "__main__":
    run(main)
