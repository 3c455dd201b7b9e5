"""Stage calibration: does each experiment's confidence mean what it says, and when should it abstain?

For every experiment: a reliability diagram and the expected calibration error
(ECE) on the test set, and the reject option: the model answers only when its
top probability reaches a threshold and passes the rest to a person. The
threshold is the lowest whose answers on the validation images reach
``calibration.target_accuracy`` with ``calibration.certainty`` (Wilson's lower
bound: the lowest threshold that merely reaches it on 5,000 images is picked
where they happen to be lucky, and new images then fall short). The test
images show what it really keeps and how accurately, so the figure a manager
reads was not tuned on the data it reports.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from common import atomic_path, load_arrays, read_json, run, save_figure, write_json
from settings import load_params

from hiddennodes.evaluate.calibration import (
    accuracy_coverage,
    expected_calibration_error,
    kept_at_threshold,
    reliability_bins,
    threshold_for_accuracy,
)
from hiddennodes.figures.calibration import coverage_figure, reliability_figure


def rounded(value: float) -> float | None:
    """JSON has no NaN: a value that does not exist is written as null."""
    return None if math.isnan(value) else round(value, 6)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activations", required=True, type=Path, help="folder of each experiment's activations (<experiment>.npz)")
    parser.add_argument("--dataset-info", required=True, type=Path)
    parser.add_argument("--metrics", required=True, type=Path)
    parser.add_argument("--reliability-png", required=True, type=Path)
    parser.add_argument("--coverage-png", required=True, type=Path)
    parser.add_argument("--reliability", required=True, type=Path,
                        help="a folder: per experiment, its reliability diagram's bins as rows for `dvc plots`")
    args = parser.parse_args()
    params = load_params()
    settings = params.calibration
    info = read_json(args.dataset_info)
    result = {"target_accuracy": settings.target_accuracy, "certainty": settings.certainty, "bins": settings.bins}
    tables, errors, curves, chosen = {}, {}, {}, {}
    for name in params.names:
        arrays = load_arrays(args.activations / f"{name}.npz", keys=("val_probabilities", "val_labels", "test_probabilities", "test_labels"))
        test, labels = arrays["test_probabilities"], arrays["test_labels"]
        tables[name] = reliability_bins(test, labels, settings.bins)
        errors[name] = expected_calibration_error(test, labels, settings.bins)
        curves[name] = accuracy_coverage(test, labels)
        picked = threshold_for_accuracy(arrays["val_probabilities"], arrays["val_labels"], settings.target_accuracy, settings.certainty)
        kept = kept_at_threshold(test, labels, picked["threshold"])
        chosen[name] = (kept["coverage"], kept["accuracy"])
        result[name] = {
            "test_ece": rounded(errors[name]),
            "test_accuracy": rounded(float((test.argmax(axis=1) == labels).mean())),
            "test_mean_confidence": rounded(float(test.max(axis=1).mean())),
            "threshold": rounded(picked["threshold"]),
            "val_coverage": rounded(picked["coverage"]),
            "val_accuracy_kept": rounded(picked["accuracy"]),
            "test_coverage": rounded(kept["coverage"]),
            "test_accuracy_kept": rounded(kept["accuracy"]),
            "test_checked_by_hand": rounded(1 - kept["coverage"]),
        }
    write_json(args.metrics, result)
    # The reliability diagrams as data DVC draws (.dvc/plots/lines.json): mean confidence against accuracy per filled bin
    # of the test digits.
    with atomic_path(args.reliability) as folder:
        folder.mkdir()
        for name, table in tables.items():
            write_json(folder / f"{name}.json", [
                {"line": "test digits", "confidence": round(float(confidence), 6), "accuracy": round(float(accuracy), 6), "digits": int(count)}
                for confidence, accuracy, count in zip(table["confidence"], table["accuracy"], table["count"]) if count > 0])
    save_figure(args.reliability_png, reliability_figure(tables, errors, f"{info['title']}: reliability of the test predictions"))
    save_figure(args.coverage_png, coverage_figure(
        curves, chosen, settings.target_accuracy,
        f"{info['title']}:\naccuracy when the model abstains below a confidence threshold"))
    print(result)


if __name__ == "__main__":
    run(main)
