"""Stage interpret: what each hidden node of one experiment responds to.

For every node: its incoming weights as a 28x28 image (PCA inputs projected
back through the components, selected pixels placed where they are), its
preferred input (closed form: the [0, 1] image with ink exactly where the
weights are positive), its mean activation per class, a class-selectivity index,
whether it is dead, and how much test accuracy is lost when it is zeroed.
The most selective and the most important nodes are shown large with the
training images that drive them most and some that leave them silent.
For each output class, the image the whole network finds most typical of it,
by regularised gradient ascent through the hidden layer (see
``hiddennodes.preferred.class_preferred_inputs``), starting from a blank
page of the training images' mean brightness.

Besides the figures and ``nodes.json``, the numbers behind them go into one
arrays file (``--arrays``) that the explorer page is built from: every node's
weight image, preferred input, per-class mean and box-plot percentiles, its
most and least activating training images, and each class's contributions.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from common import load_arrays, run, save_arrays, save_figure, write_json

from hiddennodes.figures.grid import image_grid_figure
from hiddennodes.figures.nodes import class_preferred_figure, node_gallery_figure, tuning_heatmap_figure
from hiddennodes.interpretation import interpret
from hiddennodes.network_file import load_network

RANKED_NODES = 8  # nodes shown large per ranking
TOP_IMAGES = 6
SILENT_IMAGES = 3
GRID_LIMIT = 1024  # every node of the widest layers we train fits a grid of small tiles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--experiment", required=True)
    parser.add_argument("--network", required=True, type=Path, help="the network file: how its inputs come from pixels, class names")
    parser.add_argument("--activations", required=True, type=Path)
    parser.add_argument("--images", required=True, type=Path, help="prepared train.npz: the pixel images shown")
    parser.add_argument("--nodes-json", required=True, type=Path)
    parser.add_argument("--weights-png", required=True, type=Path)
    parser.add_argument("--tuning-png", required=True, type=Path)
    parser.add_argument("--selective-png", required=True, type=Path)
    parser.add_argument("--important-png", required=True, type=Path)
    parser.add_argument("--class-preferred-png", required=True, type=Path)
    parser.add_argument("--arrays", required=True, type=Path, help="the numbers behind the figures, for the explorer page")
    args = parser.parse_args()

    network = load_network(args.network)
    class_names = list(network.class_names)
    activations = load_arrays(args.activations, keys=("train_hidden", "train_labels", "test_hidden", "test_labels"))
    train_images = load_arrays(args.images, keys=("features",))["features"]
    arrays = interpret(network, activations["train_hidden"], activations["train_labels"], activations["test_hidden"],
                       activations["test_labels"], train_images)
    save_arrays(args.arrays, **arrays)
    pixel_weights, tuning, selectivity, importance = (arrays[key] for key in ("pixel_weights", "tuning", "selectivity", "importance"))
    nodes = [
        {
            "node": node,
            "preferred_class": class_names[int(tuning[node].argmax())],
            "selectivity": round(float(selectivity[node]), 4),
            "importance": round(float(importance[node]), 4),
            "dead": bool(arrays["dead"][node]),
            "description": str(arrays["descriptions"][node]),
        }
        for node in range(len(tuning))
    ]
    class_probabilities = arrays["class_probabilities"]
    write_json(
        args.nodes_json,
        {
            "experiment": args.experiment,
            "hidden_units": len(nodes),
            "dead_nodes": int(arrays["dead"].sum()),
            "mean_selectivity": round(float(selectivity.mean()), 4),
            "class_preferred_probability": {
                name: round(float(class_probabilities[label, label]), 4) for label, name in enumerate(class_names)
            },
            "nodes": nodes,
        },
    )

    count = len(nodes)
    columns = min(count, 10 if count <= 100 else 32)
    titles = [f"node {node}" for node in range(count)] if count <= 100 else None
    shown = min(count, GRID_LIMIT)
    save_figure(
        args.weights_png,
        image_grid_figure(
            pixel_weights[:shown], titles, f"{args.experiment}: incoming weights of each hidden node, in pixel space (one colour scale)",
            columns=columns, symmetric=True, tile=1.25 if count <= 100 else 0.5,
        ),
    )
    save_figure(
        args.class_preferred_png,
        class_preferred_figure(arrays["class_images"], class_probabilities, class_names,
                               f"{args.experiment}: the input each class prefers (gradient ascent through the hidden layer)"),
    )
    save_figure(args.tuning_png, tuning_heatmap_figure(tuning, class_names, f"{args.experiment}: mean activation per class"))

    for path, score, name in ((args.selective_png, selectivity, "most class-selective"), (args.important_png, importance, "most important")):
        chosen = np.argsort(-score, kind="stable")[:RANKED_NODES]
        figure = node_gallery_figure(
            pixel_weights[chosen],
            arrays["preferred"][chosen],
            arrays["top_images"][chosen, :TOP_IMAGES] / 255,
            arrays["silent_images"][chosen, :SILENT_IMAGES] / 255,
            [f"node {node}\nselectivity {selectivity[node]:.2f}\nablation -{100 * importance[node]:.1f} pts" for node in chosen],
            f"{args.experiment}: the {len(chosen)} {name} nodes",
        )
        save_figure(path, figure)
    ranked = sorted(nodes, key=lambda node: -node["selectivity"])[:5]
    for node in ranked:
        print(f"node {node['node']}: selectivity {node['selectivity']}, importance {node['importance']}: {node['description']}")


if __name__ == "__main__":
    run(main)
