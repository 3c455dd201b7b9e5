"""Stage realworld: each experiment's accuracy on digits from other writers and another scanner.

MNIST's test digits come from the same forms, scanner and preparation as its
training digits, so their accuracy is an optimistic guide to digits customers
write on paper. scikit-learn's bundled UCI handwritten digits (1,797, 8x8,
other writers, no download) are enlarged and prepared exactly as the
prediction command prepares a photo (``hiddennodes.preprocess``), then read by
every experiment's network; each result sits beside the MNIST test accuracy.
For a dataset that is not MNIST the stage records that the check does not apply.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from common import read_json, run, write_json

from hiddennodes.predict import Reader
from hiddennodes.preprocess import uci_digits_as_mnist


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("experiments", nargs="+", help="experiment names, e.g. exp1 exp2")
    parser.add_argument("--dataset-info", required=True, type=Path)
    parser.add_argument("--metrics", required=True, type=Path)
    args = parser.parse_args()
    info = read_json(args.dataset_info)
    applicable = info["dataset"] == "mnist"
    result = {"dataset": info["dataset"], "applicable": applicable}
    if applicable:
        images, labels = uci_digits_as_mnist()
        result["uci_digits"] = len(labels)
    else:
        result["reason"] = f"{info['title']} is not handwritten digits: the UCI digits test MNIST models only."
    for experiment in args.experiments:
        test_accuracy = read_json(Path("metrics") / experiment / "train.json")["test_accuracy"]
        row = {"mnist_test_accuracy": test_accuracy}
        if applicable:
            predicted = Reader(Path.cwd(), experiment).probabilities(images).argmax(axis=1)
            accuracy = float(np.mean(predicted == labels))
            row.update(uci_accuracy=round(accuracy, 6), drop=round(test_accuracy - accuracy, 6))
        result[experiment] = row
    write_json(args.metrics, result)
    print(result)


if __name__ == "__main__":
    run(main)
