"""Figures. Each function takes arrays and returns a matplotlib Figure; the
stages save them. Figures are built without pyplot so no window or global
state is involved."""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
from matplotlib import colormaps
from matplotlib.figure import Figure

CLASS_COLOURS = colormaps["tab10"]


def pixel_importance_figure(importances: np.ndarray, selected: np.ndarray, title: str) -> Figure:
    """Random-forest importance of each pixel as a 28x28 map, chosen pixels ringed."""
    figure = Figure(figsize=(6, 5.4), layout="constrained")
    axes = figure.add_subplot()
    image = axes.imshow(importances.reshape(28, 28), cmap="viridis")
    rows, columns = np.divmod(np.asarray(selected), 28)
    axes.scatter(columns, rows, s=28, facecolors="none", edgecolors="red", linewidths=0.9, label=f"{len(selected)} chosen")
    axes.set_title(title, fontsize=10)
    axes.set_xticks([])
    axes.set_yticks([])
    axes.legend(loc="lower right", fontsize=8)
    figure.colorbar(image, ax=axes, label="importance")
    return figure


def confusion_figure(matrix: np.ndarray, class_names: Sequence[str], title: str) -> Figure:
    """Counts of true (rows) against predicted (columns) classes."""
    figure = Figure(figsize=(7, 6), layout="constrained")
    axes = figure.add_subplot()
    import seaborn as sns  # imported here: it takes seconds, and only this figure uses it

    sns.heatmap(
        matrix, annot=True, fmt="d", cmap="Blues", cbar=False, ax=axes,
        xticklabels=class_names, yticklabels=class_names, annot_kws={"fontsize": 7},
    )
    axes.set_xlabel("predicted")
    axes.set_ylabel("true")
    axes.set_title(title)
    return figure


def learning_curves_figure(history: Mapping[str, tuple[np.ndarray, np.ndarray]], best_epoch: int, title: str) -> Figure:
    """Loss and accuracy per epoch for training and validation.

    Args:
        history: ``{"train/loss": (epochs, values), "eval/loss": ..., "train/accuracy": ..., "eval/accuracy": ...}``.
        best_epoch: the 1-based epoch whose weights were kept, marked on both panels.
    """
    figure = Figure(figsize=(10, 3.8), layout="constrained")
    for index, metric in enumerate(("loss", "accuracy")):
        axes = figure.add_subplot(1, 2, index + 1)
        for split, label in (("train", "training"), ("eval", "validation")):
            key = f"{split}/{metric}"
            if key in history:
                epochs, values = history[key]
                axes.plot(epochs, values, marker=".", label=label)
        axes.axvline(best_epoch, color="grey", linestyle="--", linewidth=1, label=f"kept: epoch {best_epoch}")
        axes.set_xlabel("epoch")
        axes.set_ylabel(metric)
        axes.legend()
    figure.suptitle(title)
    return figure


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
    :func:`hiddennodes.interpret.decision_regions`) is given."""
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


def comparison_figure(table: Mapping[str, Mapping], title: str) -> Figure:
    """Train, validation and test accuracy of each experiment side by side."""
    names = list(table)
    figure = Figure(figsize=(max(8.0, 1.25 * len(names)), 4), layout="constrained")
    axes = figure.add_subplot()
    width = 0.26
    positions = np.arange(len(names))
    for offset, (key, label) in enumerate((("train_accuracy", "train"), ("val_accuracy", "validation"), ("test_accuracy", "test"))):
        values = [table[name][key] for name in names]
        bars = axes.bar(positions + (offset - 1) * width, values, width, label=label)
        if key == "test_accuracy":
            axes.bar_label(bars, fmt="%.3f", fontsize=7, padding=2)
    labels = [f"{name}\n{table[name]['num_inputs']}→{table[name]['hidden_units']}→10" if table[name]["hidden_units"]
              else f"{name}\n{table[name]['num_inputs']}→10" for name in names]
    axes.set_xticks(positions, labels)
    axes.set_ylim(0, 1.05)
    axes.set_ylabel("accuracy")
    axes.legend(loc="upper left", fontsize=8)
    axes.set_title(title)
    return figure


def image_grid_figure(
    images: np.ndarray,
    titles: Sequence[str] | None,
    title: str,
    columns: int,
    symmetric: bool = False,
    row_labels: Sequence[str] | None = None,
    tile: float = 1.25,
) -> Figure:
    """28x28 images in a grid on one shared colour scale (``tile`` inches each).

    One scale for the whole figure, so a brighter tile really is a larger value
    (as scikit-learn's MNIST filter example does); ``symmetric`` centres it on 0
    with a diverging map, for weights that can be negative.
    """
    images = np.asarray(images).reshape(len(images), 28, 28)
    rows = int(np.ceil(len(images) / columns))
    figure = Figure(figsize=(tile * columns + 0.8, (tile + 0.05) * rows + 0.7), layout="constrained")
    if symmetric:
        limit = float(np.abs(images).max()) or 1.0
        scale = {"cmap": "RdBu_r", "vmin": -limit, "vmax": limit}
    else:
        scale = {"cmap": "gray_r", "vmin": float(images.min()), "vmax": float(images.max()) or 1.0}
    if titles is None and row_labels is None:
        # One image of all tiles, a pixel of background between them: hundreds of
        # separate axes take seconds each to lay out and draw.
        mosaic = np.full((rows * 29 - 1, columns * 29 - 1), np.nan)
        for index, image in enumerate(images):
            row, column = divmod(index, columns)
            mosaic[row * 29:row * 29 + 28, column * 29:column * 29 + 28] = image
        axes = figure.add_subplot()
        colours = colormaps[scale.pop("cmap")].with_extremes(bad="white")
        shown = axes.imshow(mosaic, cmap=colours, interpolation="nearest", **scale)
        axes.set_xticks([])
        axes.set_yticks([])
        axes.set_xlabel(f"{len(images)} tiles, left to right and top to bottom")
        if symmetric:
            figure.colorbar(shown, ax=axes, shrink=0.6, label="weight")
        figure.suptitle(title)
        return figure
    grid = figure.subplots(rows, columns, squeeze=False)
    for index, axes in enumerate(grid.flat):
        axes.set_xticks([])
        axes.set_yticks([])
        if index >= len(images):
            axes.set_axis_off()
            continue
        shown = axes.imshow(images[index], **scale)
        if titles is not None:
            axes.set_title(titles[index], fontsize=7)
        if row_labels is not None and index % columns == 0:
            axes.set_ylabel(row_labels[index // columns], fontsize=8)
    if symmetric:
        figure.colorbar(shown, ax=grid, shrink=0.6, label="weight")
    figure.suptitle(title)
    return figure


def class_counts_figure(counts: Mapping[str, np.ndarray], class_names: Sequence[str], title: str) -> Figure:
    """Images per class in each split, as grouped bars."""
    figure = Figure(figsize=(9, 3.8), layout="constrained")
    axes = figure.add_subplot()
    positions = np.arange(len(class_names))
    width = 0.8 / len(counts)
    for offset, (split, values) in enumerate(counts.items()):
        axes.bar(positions + (offset - (len(counts) - 1) / 2) * width, values, width, label=split)
    axes.set_xticks(positions, class_names, rotation=30 if len(max(class_names, key=len)) > 2 else 0)
    axes.set_ylabel("images")
    axes.legend()
    axes.set_title(title)
    return figure


def tuning_heatmap_figure(tuning: np.ndarray, class_names: Sequence[str], title: str) -> Figure:
    """Mean activation of each node (rows) per class (columns), nodes sorted by
    preferred class and then by strength, so class-specific groups stand out."""
    tuning = np.asarray(tuning)
    preferred = tuning.argmax(axis=1)
    order = np.lexsort((-tuning.max(axis=1), preferred))
    figure = Figure(figsize=(7, min(2 + 0.18 * len(tuning), 14)), layout="constrained")
    axes = figure.add_subplot()
    shown = axes.imshow(tuning[order], aspect="auto", cmap="magma", interpolation="nearest")
    axes.set_xticks(range(len(class_names)), class_names, rotation=30 if len(max(class_names, key=len)) > 2 else 0)
    if len(order) <= 40:
        axes.set_yticks(range(len(order)), [f"node {node}" for node in order], fontsize=7)
    else:
        axes.set_ylabel(f"{len(order)} nodes, sorted by preferred class")
        axes.set_yticks([])
    axes.set_xlabel("class")
    figure.colorbar(shown, ax=axes, label="mean activation on test images")
    axes.set_title(title)
    return figure


def node_gallery_figure(
    weights: np.ndarray,
    preferred: np.ndarray,
    top_images: np.ndarray,
    silent_images: np.ndarray,
    row_labels: Sequence[str],
    title: str,
) -> Figure:
    """One row per node: its weights (shared diverging scale), its preferred
    input, the images that drive it most, and images that leave it silent."""
    nodes, top_count = top_images.shape[:2]
    silent_count = silent_images.shape[1]
    columns = 2 + top_count + silent_count
    figure = Figure(figsize=(1.1 * columns + 2.2, 1.25 * nodes + 0.8), layout="constrained")
    grid = figure.subplots(nodes, columns, squeeze=False)
    limit = float(np.abs(weights).max()) or 1.0
    for row in range(nodes):
        tiles = [(weights[row], {"cmap": "RdBu_r", "vmin": -limit, "vmax": limit}, "weights")]
        tiles.append((preferred[row], {"cmap": "gray_r", "vmin": 0, "vmax": 1}, "preferred"))
        tiles += [(image, {"cmap": "gray_r", "vmin": 0, "vmax": 1}, "drives most" if k == 0 else "") for k, image in enumerate(top_images[row])]
        tiles += [(image, {"cmap": "gray_r", "vmin": 0, "vmax": 1}, "silent" if k == 0 else "") for k, image in enumerate(silent_images[row])]
        for column, (image, scale, label) in enumerate(tiles):
            axes = grid[row, column]
            axes.imshow(np.asarray(image).reshape(28, 28), **scale)
            axes.set_xticks([])
            axes.set_yticks([])
            if row == 0 and label:
                axes.set_title(label, fontsize=8)
        grid[row, 0].set_ylabel(row_labels[row], fontsize=7, rotation=0, ha="right", va="center")
    figure.suptitle(title)
    return figure


def confused_pairs_figure(cells: Sequence[Mapping[tuple[int, int], np.ndarray]], class_names: Sequence[str], title: str) -> Figure:
    """For each confused pair (a, b), the study's 2x2 grid of montages: true
    class in rows, predicted class in columns."""
    figure = Figure(figsize=(4.2 * len(cells), 4.6), layout="constrained")
    panels = figure.subfigures(1, len(cells), squeeze=False)[0]
    for panel, pair in zip(panels, cells):
        _, b = list(pair)[3]  # cells are (a, a), (a, b), (b, a), (b, b)
        grid = panel.subplots(2, 2)
        for (actual, predicted), sheet in pair.items():
            axes = grid[int(actual == b), int(predicted == b)]
            axes.imshow(sheet, cmap="gray_r", vmin=0, vmax=1)
            axes.set_xticks([])
            axes.set_yticks([])
            axes.set_title(f"{class_names[actual]} read as {class_names[predicted]}", fontsize=8,
                           color="black" if actual == predicted else "firebrick")
    figure.suptitle(title)
    return figure


def embedding_figure(
    coordinates: np.ndarray,
    labels: np.ndarray,
    class_names: Sequence[str],
    thumbnails: np.ndarray,
    thumbnail_indices: np.ndarray,
    axis_names: tuple[str, str],
    title: str,
) -> Figure:
    """A 2-D map of every item coloured by class, with the images of a spread
    of items drawn at their places (framed in their class's colour), as the
    study and scikit-learn's manifold example do."""
    from matplotlib.offsetbox import AnnotationBbox, OffsetImage

    figure = Figure(figsize=(10, 9.5), layout="constrained")
    axes = figure.add_subplot()
    for label, name in enumerate(class_names):
        chosen = labels == label
        axes.scatter(coordinates[chosen, 0], coordinates[chosen, 1], s=1, alpha=0.35, color=CLASS_COLOURS(label), label=name, rasterized=True)
    for index, image in zip(thumbnail_indices, thumbnails):
        box = AnnotationBbox(
            OffsetImage(np.asarray(image).reshape(28, 28), cmap="gray_r", zoom=0.55, norm=None),
            coordinates[index], frameon=True, pad=0.05,
            bboxprops={"edgecolor": CLASS_COLOURS(int(labels[index])), "linewidth": 1.2},
        )
        axes.add_artist(box)
    axes.set_xlabel(axis_names[0])
    axes.set_ylabel(axis_names[1])
    legend = axes.legend(markerscale=10, fontsize=8, loc="upper right", framealpha=0.9)
    for handle in legend.legend_handles:
        handle.set_alpha(1)
    axes.set_title(title)
    return figure


def class_preferred_figure(images: np.ndarray, probabilities: np.ndarray, class_names: Sequence[str], title: str) -> Figure:
    """The input each class prefers, one tile per class, titled with the
    probability the network gives that class for it. One grey scale for all
    tiles, from 0 to the darkest pixel of any of them (the ink cost keeps them
    faint, so a [0, 1] scale would hide their shapes)."""
    titles = [f"{name}\np = {probabilities[label, label]:.2f}" for label, name in enumerate(class_names)]
    darkest = float(np.max(images)) or 1.0
    figure = image_grid_figure(images, titles, f"{title}\n(black = {darkest:.2f}, the darkest pixel of any tile)",
                               columns=min(len(class_names), 10), tile=1.4)
    for axes in figure.axes:
        for image in axes.get_images():
            image.set_clim(0, darkest)
    return figure


def robustness_figure(curves: Mapping[str, Mapping[str, np.ndarray]], severities: Mapping[str, np.ndarray],
                      units: Mapping[str, str], title: str) -> Figure:
    """Accuracy against severity, one panel per change and one line per experiment.

    Args:
        curves: ``{experiment: {change: accuracies}}``, level 0 (no change) first.
        severities: ``{change: values}`` for the x axes, level 0 first.
        units: ``{change: unit}`` for the x labels.
    """
    changes = list(severities)
    columns = 3
    rows = int(np.ceil(len(changes) / columns))
    figure = Figure(figsize=(11, 3.1 * rows + 0.6), layout="constrained")
    grid = figure.subplots(rows, columns, squeeze=False, sharey=True)
    for axes, change in zip(grid.flat, changes):
        for index, (experiment, by_change) in enumerate(curves.items()):
            axes.plot(severities[change], by_change[change], marker="o", markersize=3, color=CLASS_COLOURS(index), label=experiment)
        axes.set_title(change, fontsize=10)
        axes.set_xlabel(units[change], fontsize=8)
        axes.set_ylim(0, 1.02)
        axes.grid(alpha=0.3)
    for axes in grid.flat[len(changes):]:
        axes.set_axis_off()
    for axes in grid[:, 0]:
        axes.set_ylabel("test accuracy")
    grid.flat[0].legend(fontsize=7, loc="lower left")
    figure.suptitle(title)
    return figure


def changed_examples_figure(examples: Mapping[str, np.ndarray], severities: Mapping[str, np.ndarray],
                            units: Mapping[str, str], title: str) -> Figure:
    """What each level of each change looks like: a row per change, a column per level (the first unchanged)."""
    changes = list(examples)
    columns = len(next(iter(examples.values())))
    figure = Figure(figsize=(1.25 * columns + 1.6, 1.3 * len(changes) + 0.6), layout="constrained")
    grid = figure.subplots(len(changes), columns, squeeze=False)
    for row, change in enumerate(changes):
        for column, axes in enumerate(grid[row]):
            axes.imshow(np.asarray(examples[change][column]).reshape(28, 28), cmap="gray_r", vmin=0, vmax=1)
            axes.set_xticks([])
            axes.set_yticks([])
            axes.set_title(f"{severities[change][column]:g}", fontsize=7)
        grid[row, 0].set_ylabel(f"{change}\n({units[change]})", fontsize=7)
    figure.suptitle(title)
    return figure


def reliability_figure(tables: Mapping[str, Mapping[str, np.ndarray]], errors: Mapping[str, float], title: str) -> Figure:
    """A reliability diagram per experiment: accuracy against confidence per bin, the diagonal being perfect calibration.

    Args:
        tables: ``{experiment: hiddennodes.evaluation.reliability_bins(...)}``.
        errors: ``{experiment: expected calibration error}``.
    """
    names = list(tables)
    figure = Figure(figsize=(3 * len(names) + 0.5, 3.6), layout="constrained")
    grid = figure.subplots(1, len(names), squeeze=False, sharey=True)[0]
    for axes, name in zip(grid, names):
        table = tables[name]
        edges = table["edges"]
        centres, width = (edges[:-1] + edges[1:]) / 2, np.diff(edges)
        share = table["count"] / max(table["count"].sum(), 1)
        axes.bar(centres, np.nan_to_num(table["accuracy"]), width=width * 0.95, color="tab:blue", alpha=0.8, label="accuracy")
        axes.bar(centres, share, width=width * 0.45, color="tab:grey", alpha=0.6, label="share of images")
        axes.plot([0, 1], [0, 1], color="black", linestyle="--", linewidth=1, label="perfectly calibrated")
        axes.set_title(f"{name}: ECE {errors[name]:.3f}", fontsize=10)
        axes.set_xlabel("confidence (top probability)")
        axes.set_xlim(0, 1)
        axes.set_ylim(0, 1.02)
    grid[0].set_ylabel("accuracy / share")
    grid[0].legend(fontsize=7, loc="upper left")
    figure.suptitle(title)
    return figure


def coverage_figure(curves: Mapping[str, Mapping[str, np.ndarray]], chosen: Mapping[str, tuple[float, float]], target: float, title: str) -> Figure:
    """Accuracy on the inputs kept against the share kept, when the model abstains below a confidence threshold.

    Args:
        curves: ``{experiment: hiddennodes.evaluation.accuracy_coverage(...)}``.
        chosen: ``{experiment: (coverage, accuracy)}`` at the threshold picked on validation, marked.
    """
    figure = Figure(figsize=(8, 5), layout="constrained")
    axes = figure.add_subplot()
    for index, (name, curve) in enumerate(curves.items()):
        axes.plot(curve["coverage"], curve["accuracy"], color=CLASS_COLOURS(index), label=name)
        if name in chosen and np.isfinite(chosen[name][1]):
            axes.plot(*chosen[name], marker="o", color=CLASS_COLOURS(index), label=f"{name}: threshold picked on validation")
    axes.axhline(target, color="black", linestyle="--", linewidth=1, label=f"{target:.0%} accuracy")
    axes.set_xlabel("share of test images the model answers (the rest go to a person)")
    axes.set_ylabel("accuracy on the images answered")
    axes.set_xlim(0, 1)
    axes.set_ylim(max(0.0, min(float(np.min(curve["accuracy"])) for curve in curves.values()) - 0.02), 1.005)
    axes.grid(alpha=0.3)
    axes.legend(fontsize=7, loc="lower left", ncols=2)
    axes.set_title(title, fontsize=10)
    return figure


def sweep_figure(rows: Sequence[Mapping], key: str, best: Mapping, title: str) -> Figure:
    """Validation and test accuracy, and training seconds, against a swept params value; the validation-best run marked.

    A numeric key spanning two orders of magnitude or more (widths 1 to 850) gets a logarithmic axis;
    any other values (activations, optimizers) are placed side by side in order.
    """
    values = [row[key] for row in rows]
    numeric = all(isinstance(value, (int, float)) and not isinstance(value, bool) for value in values)
    positions = np.array(values, dtype=float) if numeric else np.array([sorted(set(map(str, values))).index(str(value)) for value in values], dtype=float)
    figure = Figure(figsize=(11, 4.2), layout="constrained")
    accuracy_axes, seconds_axes = figure.subplots(1, 2)
    best_position = positions[[index for index, row in enumerate(rows) if row is best][0]]
    for metric, label in (("val_accuracy", "validation"), ("test_accuracy", "test")):
        accuracy_axes.plot(positions, [row.get(metric, np.nan) for row in rows], marker="o", markersize=4, label=label)
    intervals = [row.get("test_accuracy_ci95") for row in rows]
    if any(intervals):
        low = [interval["low"] if interval else np.nan for interval in intervals]
        high = [interval["high"] if interval else np.nan for interval in intervals]
        accuracy_axes.fill_between(positions, low, high, alpha=0.2, color="tab:orange", label="test, 95% interval over seeds")
    accuracy_axes.axvline(best_position, color="grey", linestyle="--", linewidth=1, label=f"best on validation: {best[key]}")
    accuracy_axes.set_ylabel("accuracy")
    accuracy_axes.legend(fontsize=8)
    seconds_axes.plot(positions, [row.get("training_seconds", np.nan) for row in rows], marker="o", markersize=4, color="tab:green")
    seconds_axes.axvline(best_position, color="grey", linestyle="--", linewidth=1)
    seconds_axes.set_ylabel("training seconds")
    for axes in (accuracy_axes, seconds_axes):
        axes.set_xlabel(key)
        axes.grid(alpha=0.3)
        if numeric and min(positions) > 0 and max(positions) / min(positions) >= 100:
            axes.set_xscale("log")
        if not numeric:
            names = sorted(set(map(str, values)))
            axes.set_xticks(range(len(names)), names)
    figure.suptitle(title)
    return figure
