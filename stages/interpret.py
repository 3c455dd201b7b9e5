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
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from common import load_arrays, run, save_figure, write_json

from hiddennodes.figures.grid import image_grid_figure
from hiddennodes.figures.nodes import class_preferred_figure, node_gallery_figure, tuning_heatmap_figure
from hiddennodes.network_file import load_network
from hiddennodes.node_stats import ablation_importance, class_tuning, dead_nodes, extreme_items, selectivity_index
from hiddennodes.preferred import class_preferred_inputs, preferred_input_in_box, weights_in_pixel_space
from hiddennodes.words import describe_node

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
    args = parser.parse_args()

    network = load_network(args.network)
    class_names = list(network.class_names)
    activations = load_arrays(args.activations)
    kernel, hidden_bias = activations["hidden_kernel"], activations["hidden_bias"]
    output_weights, output_bias = activations["output_weights"], activations["output_bias"]
    pixel_weights = weights_in_pixel_space(
        kernel,
        pca_components=network.input_arrays.get("pca_components"),
        pixel_indices=network.input_arrays.get("pixel_indices"),
    )
    test_hidden, test_labels = activations["test_hidden"], activations["test_labels"]
    train_hidden = activations["train_hidden"]
    train_images = load_arrays(args.images)["features"]

    tuning = class_tuning(test_hidden, test_labels, len(class_names))
    selectivity = selectivity_index(tuning)
    dead = dead_nodes(test_hidden)
    importance = ablation_importance(test_hidden, output_weights, output_bias, test_labels)
    preferred = preferred_input_in_box(pixel_weights)
    matrix, offset = network.matrix, network.offset
    class_images, class_probabilities = class_preferred_inputs(
        kernel, hidden_bias, str(activations["hidden_activation"]), output_weights, output_bias,
        start=np.full(train_images.shape[1], train_images.mean()), input_matrix=matrix, input_offset=offset,
    )
    nodes = [
        {
            "node": node,
            "preferred_class": class_names[int(tuning[node].argmax())],
            "selectivity": round(float(selectivity[node]), 4),
            "importance": round(float(importance[node]), 4),
            "dead": bool(dead[node]),
            "description": describe_node(tuning[node], class_names),
        }
        for node in range(len(tuning))
    ]
    write_json(
        args.nodes_json,
        {
            "experiment": args.experiment,
            "hidden_units": len(nodes),
            "dead_nodes": int(dead.sum()),
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
        class_preferred_figure(class_images, class_probabilities, class_names,
                               f"{args.experiment}: the input each class prefers (gradient ascent through the hidden layer)"),
    )
    save_figure(args.tuning_png, tuning_heatmap_figure(tuning, class_names, f"{args.experiment}: mean activation per class"))

    for path, score, name in ((args.selective_png, selectivity, "most class-selective"), (args.important_png, importance, "most important")):
        chosen = np.argsort(-score, kind="stable")[:RANKED_NODES]
        tops, silents = zip(*(extreme_items(train_hidden, node, max(TOP_IMAGES, SILENT_IMAGES)) for node in chosen))
        figure = node_gallery_figure(
            pixel_weights[chosen],
            preferred[chosen],
            np.stack([train_images[top[:TOP_IMAGES]] for top in tops]),
            np.stack([train_images[silent[:SILENT_IMAGES]] for silent in silents]),
            [f"node {node}\nselectivity {selectivity[node]:.2f}\nablation -{100 * importance[node]:.1f} pts" for node in chosen],
            f"{args.experiment}: the {len(chosen)} {name} nodes",
        )
        save_figure(path, figure)
    ranked = sorted(nodes, key=lambda node: -node["selectivity"])[:5]
    for node in ranked:
        print(f"node {node['node']}: selectivity {node['selectivity']}, importance {node['importance']}: {node['description']}")


if __name__ == "__main__":
    run(main)
