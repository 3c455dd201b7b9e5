"""Stage realworld: each experiment's accuracy on digits from other writers and another scanner.

MNIST's test digits come from the same forms, scanner and preparation as its
training digits, so their accuracy is an optimistic guide to digits customers
write on paper. scikit-learn's bundled UCI handwritten digits (1,797, 8x8,
other writers, no download) are enlarged and prepared exactly as the
prediction command prepares a photo (``hiddennodes.reading.prepare``), then read by
every experiment's network; each result sits beside the MNIST test accuracy.
The calibration stage's reject threshold (picked for 99% accuracy on MNIST's
validation digits) is applied to them too: how many of a new writer's digits
the model would still answer, and how accurately, and whether its confidence
stays honest away from home (the expected calibration error).
For a dataset that is not MNIST the stage records that the check does not apply.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from common import read_json, run, write_json
from settings import load_params

from hiddennodes.evaluate.calibration import expected_calibration_error, kept_at_threshold
from hiddennodes.network.trained import load_network
from hiddennodes.reading.prepare import uci_digits_as_mnist


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", required=True, type=Path, help="folder with each experiment's <experiment>/network.npz")
    parser.add_argument("--train-metrics", required=True, type=Path, help="folder of each experiment's train metrics (<experiment>.json)")
    parser.add_argument("--dataset-info", required=True, type=Path)
    parser.add_argument("--calibration", required=True, type=Path, help="the calibration stage's metrics (thresholds)")
    parser.add_argument("--metrics", required=True, type=Path)
    args = parser.parse_args()
    params = load_params()
    bins = params.calibration.bins
    info = read_json(args.dataset_info)
    calibration = read_json(args.calibration)
    applicable = info["dataset"] == "mnist"
    result = {"dataset": info["dataset"], "applicable": applicable}
    if applicable:
        images, labels = uci_digits_as_mnist()
        result["uci_digits"] = len(labels)
    else:
        result["reason"] = f"the UCI digits test networks trained on MNIST, and this run's data is {info['title']}."
    for experiment in params.names:
        test_accuracy = read_json(args.train_metrics / f"{experiment}.json")["test_accuracy"]
        row = {"test_accuracy": test_accuracy}
        if applicable:
            probabilities = load_network(args.models / experiment / "network.npz").probabilities(images)
            accuracy = float(np.mean(probabilities.argmax(axis=1) == labels))
            row.update(uci_accuracy=round(accuracy, 6), drop=round(test_accuracy - accuracy, 6),
                       uci_ece=round(expected_calibration_error(probabilities, labels, bins), 6))
            threshold = calibration[experiment]["threshold"]
            if threshold is not None:
                kept = kept_at_threshold(probabilities, labels, threshold)
                row.update(threshold=threshold, uci_coverage=round(kept["coverage"], 6),
                           uci_accuracy_kept=None if np.isnan(kept["accuracy"]) else round(kept["accuracy"], 6))
        result[experiment] = row
    write_json(args.metrics, result)
    print(result)


if __name__ == "__main__":
    run(main)
