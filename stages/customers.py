"""Stage customers: the test digits as customers really send them, read by the prediction command's own reader.

The question behind the study is how well the model reads customers'
handwritten digits on paper. MNIST's test arrays answer it only for digits
prepared like MNIST's; customers send phone photos and scans. The stage
``customer_pictures`` draws the first ``customers.digits`` test digits under
every condition of ``hiddennodes.conditions.catalogue`` (scans, phone photos with uneven
light and grain, JPEG and HEIC, other file kinds, chalk on a board, a photo
stored sideways with its EXIF tag, a table along the edge, ruled and squared
paper, a printed box, faint pencil, shadows, small digits, a thin ballpoint,
dim light, several digits in a row), each at its strengths, and prepares every
picture as ``hiddennodes-predict`` does; this stage answers them with each
network as the command does (``hiddennodes.reading.reader``: the familiarity check,
the calibrated threshold). Per experiment, condition and level it records the
share of digits answered, their accuracy, and the raw arrays' accuracy on the
same digits, so what the picture costs is measured apart from the network's
own mistakes.

Writes the summary per experiment and group (metrics, for ``dvc exp show``)
with the network ``hiddennodes-predict`` reads with by default (``reader``: of
those whose answers on clean pictures reach the calibration target, the one
that answers the most of them), the full table (an output), and one picture
per condition at its strongest level beside what the network was fed. The conditions draw handwritten digits
on paper, so for a dataset whose classes are not the ten digits (Fashion-MNIST)
the stage records that the check does not apply.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from common import load_arrays, read_json, run, save_figure, write_json
from settings import load_params

from hiddennodes.conditions.catalogue import CONDITIONS
from hiddennodes.data.datasets import DIGITS, IMAGE_SHAPE
from hiddennodes.evaluate.customer_pictures import drawn_from_arrays
from hiddennodes.evaluate.customers import best_reader, meets_target, read_pictures
from hiddennodes.figures.customers import customer_pictures_figure
from hiddennodes.network.trained import load_network
from hiddennodes.reading.reader import DigitReader


def summary(rows: list[dict], target_accuracy: float) -> dict:
    """A group's rows as one line: digits answered and how accurately, against the raw arrays, and the conditions
    whose answers reach ``target_accuracy``."""
    digits = sum(row["digits"] for row in rows)
    answered = sum(row["answered"] * row["digits"] for row in rows)
    right = sum((row["accuracy_answered"] or 0) * row["answered"] * row["digits"] for row in rows)
    raw_right = sum(row["raw_accuracy"] * row["digits"] for row in rows)
    return {
        "answered": round(answered / digits, 6),
        "accuracy_answered": round(right / answered, 6) if answered else None,
        "raw_accuracy": round(raw_right / digits, 6),
        "targets_met": sum(meets_target(row, target_accuracy) for row in rows),
        "conditions": len(rows),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", required=True, type=Path, help="folder with each experiment's <experiment>/network.npz")
    parser.add_argument("--test", required=True, type=Path, help="the prepared test.npz (pixels)")
    parser.add_argument("--pictures", required=True, type=Path, help="the customer_pictures stage's prepared pictures (.npz)")
    parser.add_argument("--dataset-info", required=True, type=Path)
    parser.add_argument("--calibration", required=True, type=Path, help="the calibration stage's metrics (thresholds)")
    parser.add_argument("--familiarity", required=True, type=Path, help="the familiarity stage's limits")
    parser.add_argument("--pca", required=True, type=Path, help="the PCA inputs' map.npz (components and mean)")
    parser.add_argument("--metrics", required=True, type=Path)
    parser.add_argument("--table", required=True, type=Path, help="every condition and level, per experiment (JSON)")
    parser.add_argument("--examples-png", required=True, type=Path)
    args = parser.parse_args()
    params = load_params()
    info = read_json(args.dataset_info)
    if tuple(info["class_names"]) != DIGITS:
        reason = f"the conditions draw handwritten digits on paper, and the classes of {info['title']} are not the ten digits."
        write_json(args.metrics, {"dataset": info["dataset"], "applicable": False, "reason": reason})
        write_json(args.table, {"applicable": False, "reason": reason})
        figure = customer_pictures_figure([], f"{info['title']}: not applicable ({reason})")
        save_figure(args.examples_png, figure)
        print(reason)
        return
    pictures = load_arrays(args.pictures)
    count = int(pictures["digits"])
    test = load_arrays(args.test)
    images = np.round(test["features"][:count].reshape(-1, *IMAGE_SHAPE) * 255).astype(np.uint8)
    labels = test["labels"][:count]
    calibration = read_json(args.calibration)
    limits = read_json(args.familiarity)["limits"]
    pca = load_arrays(args.pca, keys=("pca_components", "pca_mean"))
    # The networks one would put in front of customers: the reference and every wide one (dense and convolutional).
    readers = {
        name: DigitReader(load_network(args.models / name / "network.npz"), calibration[name]["threshold"], limits,
                          pca["pca_components"], pca["pca_mean"], calibration["target_accuracy"])
        for name in params.wide_networks()
    }
    table: dict[str, list[dict]] = {name: [] for name in readers}
    examples = []
    for drawn in drawn_from_arrays(pictures):
        rows, example = read_pictures(readers, drawn, images, labels)
        for name, row in rows.items():
            row.pop("pictures_per_second")  # a timing: the benchmark's business, and it would make reruns differ
            row["target_met"] = meets_target(row, calibration["target_accuracy"])
            table[name].append(row)
        described = CONDITIONS[drawn.condition]
        if drawn.level == len(described.levels) - 1:
            examples.append((f"{described.words}: {described.levels[drawn.level]}", example.picture, example.prepared, example.read))
        print(drawn.condition, described.levels[drawn.level],
              {name: (row["answered"], row["accuracy_answered"]) for name, row in rows.items()}, flush=True)
    result = {"dataset": info["dataset"], "applicable": True, "digits": int(count)}
    for name, rows in table.items():
        result[name] = {group: summary([row for row in rows if row["group"] == group], calibration["target_accuracy"])
                        for group in ("clean", "hard")}
    # What hiddennodes-predict reads with by default: the network that answers the most clean pictures at the target
    # (of those that reach it on the hard ones too, when any does).
    result["reader"] = best_reader({name: result[name] for name in table}, calibration["target_accuracy"])
    write_json(args.metrics, result)
    write_json(args.table, {"applicable": True, "digits": int(count), "experiments": table})
    first = params.reference
    save_figure(args.examples_png, customer_pictures_figure(
        examples, f"{info['title']}:\neach condition at its strongest, what {first} was fed, and its answer"), dpi=90)
    print(result)


if __name__ == "__main__":
    run(main)
