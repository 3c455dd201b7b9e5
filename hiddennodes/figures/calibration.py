"""How far the confidence can be trusted: drawn by the calibration stage."""

from __future__ import annotations

from typing import Mapping

import numpy as np
from matplotlib.figure import Figure

from hiddennodes.figures.colours import CLASS_COLOURS


def reliability_figure(tables: Mapping[str, Mapping[str, np.ndarray]], errors: Mapping[str, float], title: str) -> Figure:
    """A reliability diagram per experiment: accuracy against confidence per bin, the diagonal being perfect calibration.

    Args:
        tables: ``{experiment: hiddennodes.evaluate.calibration.reliability_bins(...)}``.
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
        curves: ``{experiment: hiddennodes.evaluate.calibration.accuracy_coverage(...)}``.
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

