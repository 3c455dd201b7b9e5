"""Stage evaluate: how one experiment does on the test set.

Writes the test confusion matrix (rows for DVC's ``confusion`` template and a
PNG), a per-class classification report, the learning curves drawn from
DVCLive's per-epoch log with the kept epoch marked, and the error analysis:
the most confused class pairs as the study's 2x2 grids, and the most
confident mistakes.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import numpy as np
from common import atomic_path, load_arrays, read_json, run, write_json

from hiddennodes.evaluate.classification import (
    classification_report,
    confident_mistakes,
    confusion_matrix,
    confusion_rows,
    montage,
    most_confused_pairs,
    pair_cells,
)
from hiddennodes.figures.grid import image_grid_figure
from hiddennodes.figures.training import confused_pairs_figure, confusion_figure, learning_curves_figure
from hiddennodes.parallel import save_figures

CONFUSED_PAIRS = 3
PER_CELL = 9  # a 3x3 montage per cell of the 2x2 grid
MISTAKES = 20


# DVCLive's folders for the splits (its `train/` and `eval/`), in words.
SPLIT_WORDS = {"train": "training", "eval": "validation"}


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
    parser.add_argument("--learning", required=True, type=Path,
                        help="a folder: the learning curves as rows for `dvc plots` (accuracy.json, loss.json)")
    parser.add_argument("--test-images", required=True, type=Path, help="prepared test.npz: the pixel images shown")
    parser.add_argument("--pairs-png", required=True, type=Path, help="the most confused class pairs")
    parser.add_argument("--mistakes-png", required=True, type=Path, help="the most confident mistakes")
    args = parser.parse_args()
    info = read_json(args.dataset_info)
    class_names = info["class_names"]
    trained = read_json(args.train_metrics)
    arrays = load_arrays(args.activations, keys=("test_labels", "test_predicted", "test_probabilities"))
    labels, predicted = arrays["test_labels"], arrays["test_predicted"]

    matrix = confusion_matrix(labels, predicted, len(class_names))
    pairs = most_confused_pairs(matrix, CONFUSED_PAIRS)
    report = classification_report(labels, predicted, class_names)
    report["most_confused"] = [{"classes": [class_names[a], class_names[b]], "mistakes": mistakes} for a, b, mistakes in pairs]
    write_json(args.report, report)
    write_json(args.confusion, confusion_rows(labels, predicted, class_names))
    convolutions = f"conv {'-'.join(map(str, trained['filters']))}→" if trained.get("filters") else ""
    shape = f"{trained['num_inputs']}→{convolutions}{trained['hidden_units']}→{len(class_names)}"
    title = f"{args.experiment} ({trained['inputs']}, {shape}): test accuracy {trained['test_accuracy']:.4f}"
    history = read_history(args.live)
    # The same curves as data DVC draws (.dvc/plots/lines.json: a line per split), so `dvc plots diff` lays two
    # experiments' curves over each other; DVCLive's own folder also holds files that are not plots.
    with atomic_path(args.learning) as folder:
        folder.mkdir()
        for measure in ("accuracy", "loss"):
            write_json(folder / f"{measure}.json", [
                {"line": SPLIT_WORDS[split], "epoch": int(epoch), "value": round(float(value), 6)}
                for split in SPLIT_WORDS for epoch, value in zip(*history.get(f"{split}/{measure}", ((), ())))])

    images = load_arrays(args.test_images)["features"]
    cells = [
        {cell: montage(images[indices], 3, 3) for cell, indices in pair_cells(labels, predicted, a, b, PER_CELL).items()}
        for a, b, _ in pairs
    ]
    names = ", ".join(f"{class_names[a]}/{class_names[b]} ({mistakes})" for a, b, mistakes in pairs)
    probabilities = arrays["test_probabilities"]
    wrong = confident_mistakes(labels, probabilities, MISTAKES)
    titles = [f"{class_names[labels[i]]} → {class_names[predicted[i]]}\n{probabilities[i, predicted[i]]:.3f}" for i in wrong]
    save_figures([  # the slowest first
        (args.confusion_png, lambda: confusion_figure(matrix, class_names, title)),
        (args.mistakes_png, lambda: image_grid_figure(images[wrong], titles, f"{args.experiment}: the most confident mistakes "
                                                      "(true → predicted, probability)", columns=10)),
        (args.curves_png, lambda: learning_curves_figure(history, trained["best_epoch"], f"{args.experiment} ({shape})")),
        (args.pairs_png, lambda: confused_pairs_figure(cells, class_names, f"{args.experiment}: most confused pairs, test mistakes: {names}")),
    ])
    print(f"{args.experiment}: test accuracy {np.mean(labels == predicted):.4f}")


if __name__ == "__main__":
    run(main)
