"""Stage embed: 2-D maps of one experiment's hidden layer over all training images.

PCA to 2-D shows the hidden space's two main directions; t-SNE (openTSNE,
seeded, PCA-initialised) shows its neighbourhoods: which images the hidden
layer treats as alike. Both are coloured by true class, with training images
drawn at their places as the study does. The share of each image's 10
nearest neighbours on the map that have its class measures, as one number,
how well each map keeps the classes apart.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
from common import load_arrays, load_params, read_json, run, save_figure, write_json

from hiddennodes.interpret import neighbour_agreement, pca_embedding, spread_points, tsne_embedding
from hiddennodes.params import ParamsError
from hiddennodes.plots import embedding_figure

THUMBNAIL_SPACING = 0.045  # on the map scaled to [0, 1]: a few hundred thumbnails, none on top of another


def draw(coordinates, labels, images, class_names, axis_names, title):
    chosen = spread_points(coordinates, THUMBNAIL_SPACING)
    return embedding_figure(coordinates, labels, class_names, images[chosen], chosen, axis_names, title)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--experiment", required=True)
    parser.add_argument("--activations", required=True, type=Path)
    parser.add_argument("--images", required=True, type=Path, help="prepared train.npz: the pixel images drawn on the maps")
    parser.add_argument("--dataset-info", required=True, type=Path)
    parser.add_argument("--metrics", required=True, type=Path)
    parser.add_argument("--pca-png", required=True, type=Path)
    parser.add_argument("--tsne-png", required=True, type=Path)
    args = parser.parse_args()
    params = load_params()
    class_names = read_json(args.dataset_info)["class_names"]
    activations = load_arrays(args.activations)
    hidden, labels = activations["train_hidden"], activations["train_labels"]
    images = load_arrays(args.images)["features"]
    perplexity = params.embedding.perplexity
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
    mapped = tsne_embedding(hidden, seed=params.seed, perplexity=perplexity)
    tsne_seconds = time.perf_counter() - started

    metrics = {
        "experiment": args.experiment,
        "images": len(hidden),
        "hidden_units": width,
        "pca_variance_2d": round(float(variance.sum()), 4),
        "pca_neighbour_agreement": round(neighbour_agreement(flat, labels), 4),
        "tsne_neighbour_agreement": round(neighbour_agreement(mapped, labels), 4),
        "tsne_perplexity": perplexity,
        "pca_seconds": round(pca_seconds, 2),
        "tsne_seconds": round(tsne_seconds, 2),
    }
    write_json(args.metrics, metrics)
    title = f"{args.experiment}: hidden activations of {len(hidden):,} training images"
    save_figure(args.pca_png, draw(flat, labels, images, class_names,
                                   (f"principal component 1 ({variance[0]:.0%} of variance)", f"principal component 2 ({variance[1]:.0%})"),
                                   f"{title}, PCA"))
    save_figure(args.tsne_png, draw(mapped, labels, images, class_names, ("t-SNE 1", "t-SNE 2"),
                                    f"{title}, t-SNE (perplexity {perplexity:g})"))
    print(metrics)


if __name__ == "__main__":
    run(main)
