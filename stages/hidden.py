"""Stage hidden: the hidden layer as a whole, drawn as the experiment's ``view`` says.

``box`` (one node, the study's experiment 1): box plots of the node's activation
on the training images, as the study draws them, grouped by the class the network
predicts and by the true class, and how much the true classes' ranges overlap.
``scatter`` (two nodes, experiment 2): each training image as a point at its two
activations, coloured by predicted and by true class, over the regions where
the output layer picks each class (drawn when there are exactly two nodes).
``map`` (a wide layer): 2-D maps of the activations of the training images
(a seeded sample of ``embedding.points`` of them, the same for every experiment; 0 takes all).
PCA to 2-D shows the hidden space's two main directions; t-SNE (openTSNE,
seeded, PCA-initialised) shows its neighbourhoods: which images the hidden
layer treats as alike. Both are coloured by true class, with training images
drawn at their places as the study does. The share of each image's 10 nearest
neighbours on the map that have its class measures, as one number, how well
each map keeps the classes apart.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
from common import atomic_path, load_arrays, read_json, run, write_json
from settings import load_params

from hiddennodes.config.params import ParamsError
from hiddennodes.figures.embedding import embedding_figure
from hiddennodes.figures.hidden import activation_boxplot_figure, activation_scatter_figure
from hiddennodes.interpret.embedding import neighbour_agreement, pca_embedding, spread_points, tsne_embedding
from hiddennodes.interpret.node_stats import decision_regions, interval_overlap
from hiddennodes.parallel import save_figures

THUMBNAIL_SPACING = 0.045  # on the map scaled to [0, 1]: a few hundred thumbnails, none on top of another


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


def box(experiment: str, arrays, class_names) -> tuple[dict, dict]:
    """The numbers, and the figures to draw by name (each a function that draws it)."""
    hidden = arrays["train_hidden"]
    figures = {}
    for grouped_by, groups in (("predicted", arrays["train_predicted"]), ("true", arrays["train_labels"])):
        title = f"{experiment}: hidden activation of the {len(hidden):,} training images by {grouped_by} class"
        figures[f"boxplot_{grouped_by}.png"] = (lambda groups=groups, grouped_by=grouped_by, title=title:
                                                activation_boxplot_figure(hidden, groups, class_names, grouped_by, title))
    return {**overlap_summary(hidden[:, 0], arrays["train_labels"], class_names), "images": "train"}, figures


def scatter(experiment: str, arrays, class_names) -> tuple[dict, dict]:
    hidden = arrays["train_hidden"]
    nodes = hidden.shape[1]
    regions = None
    if nodes == 2:  # with more nodes the output layer's regions are not a picture in two dimensions
        margin = 0.05 * (hidden.max(axis=0) - hidden.min(axis=0) + 1e-9)
        low, high = hidden.min(axis=0) - margin, hidden.max(axis=0) + margin
        regions = decision_regions(arrays["output_weights"], arrays["output_bias"], (low[0], high[0]), (low[1], high[1]))
    figures = {}
    for grouped_by, groups in (("predicted", arrays["train_predicted"]), ("true", arrays["train_labels"])):
        title = f"{experiment}: two hidden activations of the {len(hidden):,} training images, by {grouped_by} class"
        if nodes > 2:
            title += f" (nodes 0 and 1 of {nodes})"
        figures[f"scatter_{grouped_by}.png"] = (lambda groups=groups, grouped_by=grouped_by, title=title:
                                                activation_scatter_figure(hidden, groups, class_names, grouped_by, title, regions))
    return {"hidden_units": int(nodes), "training_images": int(len(hidden))}, figures


def draw_map(coordinates, labels, images, class_names, axis_names, title):
    chosen = spread_points(coordinates, THUMBNAIL_SPACING)
    return embedding_figure(coordinates, labels, class_names, images[chosen], chosen, axis_names, title)


def embedding_map(experiment: str, arrays, class_names, images: np.ndarray, seed: int, perplexity: float,
                  points: int = 0) -> tuple[dict, dict]:
    hidden, labels = arrays["train_hidden"], arrays["train_labels"]
    total = len(hidden)
    if 0 < points < total:  # a seeded sample of the training images, the same for every experiment: t-SNE's time grows with the points
        chosen = np.sort(np.random.default_rng(seed).choice(total, size=points, replace=False))
        hidden, labels, images = hidden[chosen], labels[chosen], images[chosen]
    if 3 * perplexity >= len(hidden):
        raise ParamsError(
            f"params.yaml: embedding.perplexity is {perplexity:g}; with {len(hidden)} training images it must be below {len(hidden) / 3:g}."
        )
    width = hidden.shape[1]
    if width == 1:  # one node: nothing to reduce, draw it against itself
        hidden = np.repeat(hidden, 2, axis=1)
    started = time.perf_counter()
    flat, variance = pca_embedding(hidden)
    pca_seconds = time.perf_counter() - started
    started = time.perf_counter()
    mapped = tsne_embedding(hidden, seed=seed, perplexity=perplexity)
    tsne_seconds = time.perf_counter() - started
    metrics = {
        "experiment": experiment,
        "images": len(hidden),
        "training_images": total,
        "hidden_units": width,
        "pca_variance_2d": round(float(variance.sum()), 4),
        "pca_neighbour_agreement": round(neighbour_agreement(flat, labels), 4),
        "tsne_neighbour_agreement": round(neighbour_agreement(mapped, labels), 4),
        "tsne_perplexity": perplexity,
        "pca_seconds": round(pca_seconds, 2),
        "tsne_seconds": round(tsne_seconds, 2),
    }
    title = (f"{experiment}: hidden activations of {len(hidden):,} training images"
             + (f" (a seeded sample of the {total:,})" if len(hidden) < total else ""))
    figures = {
        "pca.png": lambda: draw_map(flat, labels, images, class_names,
                                    (f"principal component 1 ({variance[0]:.0%} of variance)", f"principal component 2 ({variance[1]:.0%})"),
                                    f"{title}, PCA"),
        "tsne.png": lambda: draw_map(mapped, labels, images, class_names, ("t-SNE 1", "t-SNE 2"),
                                     f"{title}, t-SNE (perplexity {perplexity:g})"),
    }
    return metrics, figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--experiment", required=True)
    parser.add_argument("--view", required=True, choices=("box", "scatter", "map"))
    parser.add_argument("--activations", required=True, type=Path)
    parser.add_argument("--images", required=True, type=Path, help="prepared train.npz: the pixel images drawn on the maps")
    parser.add_argument("--dataset-info", required=True, type=Path)
    parser.add_argument("--metrics", required=True, type=Path)
    parser.add_argument("--plots", required=True, type=Path, help="folder for the figures")
    args = parser.parse_args()
    class_names = read_json(args.dataset_info)["class_names"]
    keys = {"box": ("train_hidden", "train_predicted", "train_labels"),
            "scatter": ("train_hidden", "train_predicted", "train_labels", "output_weights", "output_bias"),
            "map": ("train_hidden", "train_labels")}[args.view]
    arrays = load_arrays(args.activations, keys=keys)
    if args.view == "box":
        metrics, figures = box(args.experiment, arrays, class_names)
    elif args.view == "scatter":
        metrics, figures = scatter(args.experiment, arrays, class_names)
    else:
        params = load_params()
        images = load_arrays(args.images)["features"]
        metrics, figures = embedding_map(args.experiment, arrays, class_names, images, params.seed, params.embedding.perplexity,
                                         params.embedding.points)
    with atomic_path(args.plots) as folder:  # the figures land together, or none do
        folder.mkdir()
        save_figures([(folder / name, draw) for name, draw in figures.items()])
    write_json(args.metrics, metrics)
    print(metrics)


if __name__ == "__main__":
    run(main)
