"""Stages boxplot and scatter: the study's pictures of the smallest hidden layers.

Experiment 1 (one node): box plots of the node's activation on the test
images grouped by the class the network predicts and by the true class, and
how much the true classes' ranges overlap. Experiment 2 (two nodes): each test
image as a point at its two activations, coloured by predicted and by true
class, over the regions where the output layer picks each class.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from common import load_arrays, read_json, run, save_figure, write_json

from hiddennodes import PipelineError
from hiddennodes.interpret import decision_regions, interval_overlap
from hiddennodes.plots import activation_boxplot_figure, activation_scatter_figure


def overlap_summary(values: np.ndarray, labels: np.ndarray, class_names: list[str]) -> dict:
    """Overlap of the classes' interquartile ranges on one node."""
    overlap = interval_overlap(values, labels, len(class_names))
    pairs = overlap[np.triu_indices(len(class_names), k=1)]
    alone = [name for index, name in enumerate(class_names) if np.all(np.delete(overlap[index], index) == 0)]
    return {
        "mean_pairwise_iqr_overlap": round(float(pairs.mean()), 4),
        "overlapping_pairs": int(np.count_nonzero(pairs)),
        "pairs": int(pairs.size),
        "classes_with_a_range_of_their_own": alone,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", required=True, choices=("box", "scatter"))
    parser.add_argument("--experiment", required=True)
    parser.add_argument("--activations", required=True, type=Path)
    parser.add_argument("--dataset-info", required=True, type=Path)
    parser.add_argument("--out-predicted", required=True, type=Path, help="figure grouped by predicted class")
    parser.add_argument("--out-true", required=True, type=Path, help="figure grouped by true class")
    parser.add_argument("--overlap", type=Path, help="box only: JSON with the overlap of the true classes' ranges")
    args = parser.parse_args()
    class_names = read_json(args.dataset_info)["class_names"]
    arrays = load_arrays(args.activations)
    hidden = arrays["test_hidden"]
    nodes = hidden.shape[1]
    groupings = {"predicted": (arrays["test_predicted"], args.out_predicted), "true": (arrays["test_labels"], args.out_true)}
    if args.kind == "box":
        for grouped_by, (groups, path) in groupings.items():
            title = f"{args.experiment}: hidden activation of {len(hidden):,} test images by {grouped_by} class"
            save_figure(path, activation_boxplot_figure(hidden, groups, class_names, grouped_by, title))
        if args.overlap:
            summary = overlap_summary(hidden[:, 0], arrays["test_labels"], class_names)
            write_json(args.overlap, summary)
            print(summary)
        return
    if nodes < 2:
        raise PipelineError(f"{args.experiment} has {nodes} hidden node; a scatter needs at least 2, so set its width to 2 or more.")
    regions = None
    if nodes == 2:  # with more nodes the output layer's regions are not a picture in two dimensions
        margin = 0.05 * (hidden.max(axis=0) - hidden.min(axis=0) + 1e-9)
        low, high = hidden.min(axis=0) - margin, hidden.max(axis=0) + margin
        regions = decision_regions(arrays["output_weights"], arrays["output_bias"], (low[0], high[0]), (low[1], high[1]))
    for grouped_by, (groups, path) in groupings.items():
        title = f"{args.experiment}: two hidden activations of {len(hidden):,} test images, by {grouped_by} class"
        if nodes > 2:
            title += f" (nodes 0 and 1 of {nodes})"
        save_figure(path, activation_scatter_figure(hidden, groups, class_names, grouped_by, title, regions))


if __name__ == "__main__":
    run(main)
