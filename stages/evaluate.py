"""Stage evaluate: how one experiment does on the test set.

Writes the test confusion matrix (rows for DVC's ``confusion`` template and a
PNG), a per-class classification report, and the learning curves drawn from
DVCLive's per-epoch log with the kept epoch marked.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import numpy as np
from common import load_arrays, read_json, run, save_figure, write_json

from hiddennodes.evaluation import classification_report, confusion_matrix, confusion_rows
from hiddennodes.plots import confusion_figure, learning_curves_figure


def read_history(live_dir: Path) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """DVCLive's ``plots/metrics/<split>/<metric>.tsv`` as epoch (1-based) and value arrays."""
    history = {}
    for path in sorted((live_dir / "plots" / "metrics").glob("*/*.tsv")):
        with open(path, newline="") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t"))
        metric = path.stem
        epochs = np.array([int(row["step"]) + 1 for row in rows])
        values = np.array([float(row[metric]) for row in rows])
        history[f"{path.parent.name}/{metric}"] = (epochs, values)
    return history


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--experiment", required=True)
    parser.add_argument("--activations", required=True, type=Path)
    parser.add_argument("--train-metrics", required=True, type=Path)
    parser.add_argument("--live", required=True, type=Path)
    parser.add_argument("--dataset-info", required=True, type=Path)
    parser.add_argument("--report", required=True, type=Path, help="classification report JSON")
    parser.add_argument("--confusion", required=True, type=Path, help="confusion rows JSON for DVC")
    parser.add_argument("--confusion-png", required=True, type=Path)
    parser.add_argument("--curves-png", required=True, type=Path)
    args = parser.parse_args()
    info = read_json(args.dataset_info)
    class_names = info["class_names"]
    trained = read_json(args.train_metrics)
    arrays = load_arrays(args.activations)
    labels, predicted = arrays["test_labels"], arrays["test_predicted"]

    write_json(args.report, classification_report(labels, predicted, class_names))
    write_json(args.confusion, confusion_rows(labels, predicted, class_names))
    shape = f"{trained['num_inputs']}→{trained['hidden_units']}→10"
    title = f"{args.experiment} ({trained['inputs']}, {shape}): test accuracy {trained['test_accuracy']:.4f}"
    matrix = confusion_matrix(labels, predicted, len(class_names))
    save_figure(args.confusion_png, confusion_figure(matrix, class_names, title))
    save_figure(args.curves_png, learning_curves_figure(read_history(args.live), trained["best_epoch"], f"{args.experiment} ({shape})"))
    print(f"{args.experiment}: test accuracy {np.mean(labels == predicted):.4f}")


if __name__ == "__main__":
    run(main)
