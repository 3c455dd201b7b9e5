"""The hidden activations of the narrow networks, per class: drawn by the boxplot and scatter stages."""

from __future__ import annotations

from typing import Sequence

import numpy as np
from matplotlib.figure import Figure

from hiddennodes.figures.colours import CLASS_COLOURS


def activation_boxplot_figure(
    hidden: np.ndarray, groups: np.ndarray, class_names: Sequence[str], grouped_by: str, title: str
) -> Figure:
    """Distribution of each hidden node's activation per class, one panel per node."""
    hidden = np.asarray(hidden).reshape(len(groups), -1)
    num_nodes = hidden.shape[1]
    figure = Figure(figsize=(9, 3.6 * num_nodes), layout="constrained")
    for node in range(num_nodes):
        axes = figure.add_subplot(num_nodes, 1, node + 1)
        per_class = [hidden[groups == label, node] for label in range(len(class_names))]
        parts = axes.boxplot(per_class, patch_artist=True, showfliers=True, flierprops={"markersize": 2, "alpha": 0.3})
        for label, box in enumerate(parts["boxes"]):
            box.set_facecolor(CLASS_COLOURS(label))
            box.set_alpha(0.75)
        axes.set_xticks(range(1, len(class_names) + 1), class_names, rotation=30 if len(max(class_names, key=len)) > 2 else 0)
        axes.set_xlabel(f"{grouped_by} class")
        axes.set_ylabel(f"activation of hidden node {node}")
    figure.suptitle(title)
    return figure


def activation_scatter_figure(
    hidden: np.ndarray, groups: np.ndarray, class_names: Sequence[str], grouped_by: str, title: str,
    regions: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> Figure:
    """The first two hidden activations of every item, coloured by class, over
    the output layer's decision regions when ``regions`` (from
    :func:`hiddennodes.interpret.node_stats.decision_regions`) is given."""
    figure = Figure(figsize=(7.5, 6.5), layout="constrained")
    axes = figure.add_subplot()
    if regions is not None:
        xs, ys, classes = regions
        axes.contourf(xs, ys, classes, levels=np.arange(len(class_names) + 1) - 0.5,
                      colors=[CLASS_COLOURS(label) for label in range(len(class_names))], alpha=0.15)
        axes.contour(xs, ys, classes, levels=np.arange(len(class_names) + 1) - 0.5, colors="grey", linewidths=0.5)
    for label, name in enumerate(class_names):
        chosen = groups == label
        axes.scatter(hidden[chosen, 0], hidden[chosen, 1], s=3, alpha=0.45, color=CLASS_COLOURS(label), label=name, rasterized=True)
    axes.set_xlabel("activation of hidden node 0")
    axes.set_ylabel("activation of hidden node 1")
    axes.legend(title=f"{grouped_by} class", markerscale=4, fontsize=8, loc="best")
    axes.set_title(title)
    return figure

