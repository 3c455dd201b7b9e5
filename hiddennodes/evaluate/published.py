"""The study's own published test accuracies on MNIST, to set each experiment's measured one beside.

Each figure belongs to the network it was measured on: the inputs, what comes before the
hidden layer, whether it trained on distorted copies and, where the source gives it, the
hidden width. A row of the comparison gets the figures whose network it is (exp3 at 128
nodes gets the notebook's 0.9753 and the survey's dense 0.9812; at 700 nodes the graded
report's 0.9818 in place of the notebook's). Other datasets have none: the study measured
MNIST only.
"""

from __future__ import annotations

from dataclasses import dataclass

SOURCES = {
    "notebook": "the assignment's reference notebook (RMSprop at 0.001, batches of 32, 30 epochs)",
    "graded": "the graded report (700 nodes, but sigmoid and Adam)",
    "survey": "the survey the study belongs to",
}


@dataclass(frozen=True)
class Published:
    accuracy: float  # test accuracy on MNIST's 10,000 test digits, as a share
    source: str  # a key of SOURCES
    network: str  # "dense" or "conv"
    inputs: str  # "pixels", "pca" or "top_pixels"
    count: int  # how many of them: 784 pixels, the 154 components that keep 95% of the variance, the 70 top pixels
    augmented: bool
    hidden: int | None  # the width it was measured at; None: any width (the source does not tie it to ours)


FIGURES = (
    Published(0.3818, "notebook", "dense", "pixels", 784, False, 1),
    Published(0.6571, "notebook", "dense", "pixels", 784, False, 2),
    Published(0.9753, "notebook", "dense", "pixels", 784, False, 128),
    Published(0.9818, "graded", "dense", "pixels", 784, False, 700),
    Published(0.9812, "survey", "dense", "pixels", 784, False, None),
    Published(0.9766, "notebook", "dense", "pca", 154, False, 128),
    Published(0.9368, "notebook", "dense", "top_pixels", 70, False, 128),
    Published(0.9943, "survey", "conv", "pixels", 784, False, None),
    Published(0.9954, "survey", "conv", "pixels", 784, True, None),
)


def published_figures(dataset: str, network: str, inputs: str, count: int, augmented: bool, hidden: int) -> list[Published]:
    """The study's figures for this network on ``dataset`` (none but on MNIST): the same kind and number of inputs
    (``-S pca.variance=0.9`` or ``-S rf.top_pixels=300`` makes another network), the same layers before the hidden
    one and the same distortions; the survey's width-free dense figure only for a wide layer (more than two nodes),
    as the survey's dense network was."""
    if dataset != "mnist":
        return []
    return [figure for figure in FIGURES
            if (figure.network, figure.inputs, figure.count, figure.augmented) == (network, inputs, count, augmented)
            and (figure.hidden == hidden or (figure.hidden is None and hidden > 2))]


def figures_text(figures: list[Published]) -> str:
    """``0.9753 (notebook); 0.9812 (survey)``: the cell of the comparison's "study's figure" column, a share as the
    table's other accuracies are."""
    return "; ".join(f"{figure.accuracy:.4f} ({figure.source})" for figure in figures)
