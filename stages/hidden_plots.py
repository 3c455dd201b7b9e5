"""Stages boxplot and scatter: the study's pictures of the smallest hidden layers.

Experiment 1 (one node): a box plot of the node's activation on the test
images, grouped by the class the network predicts. Experiment 2 (two nodes):
each test image as a point at its two activations, coloured by predicted class.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from common import load_arrays, read_json, run, save_figure

from hiddennodes import PipelineError
from hiddennodes.plots import activation_boxplot_figure, activation_scatter_figure


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", required=True, choices=("box", "scatter"))
    parser.add_argument("--experiment", required=True)
    parser.add_argument("--activations", required=True, type=Path)
    parser.add_argument("--dataset-info", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path)
    args = parser.parse_args()
    info = read_json(args.dataset_info)
    arrays = load_arrays(args.activations)
    hidden, predicted = arrays["test_hidden"], arrays["test_predicted"]
    nodes = hidden.shape[1]
    if args.kind == "box":
        title = f"{args.experiment}: hidden activation of {len(hidden):,} test images by predicted class"
        figure = activation_boxplot_figure(hidden, predicted, info["class_names"], "predicted", title)
    else:
        if nodes < 2:
            raise PipelineError(f"{args.experiment} has {nodes} hidden node; a scatter needs at least 2, so set its width to 2 or more.")
        title = f"{args.experiment}: the two hidden activations of {len(hidden):,} test images"
        if nodes > 2:
            title += f" (nodes 0 and 1 of {nodes})"
        figure = activation_scatter_figure(hidden, predicted, info["class_names"], "predicted", title)
    save_figure(args.out, figure)


if __name__ == "__main__":
    run(main)
