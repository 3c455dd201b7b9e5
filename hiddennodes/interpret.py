"""Arrays behind the pictures of what each hidden node responds to.

Pure functions of weights and activations; the figures are drawn elsewhere.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from hiddennodes.datasets import IMAGE_PIXELS


def weights_in_pixel_space(
    hidden_weights: np.ndarray,
    pca_components: np.ndarray | None = None,
    pixel_indices: np.ndarray | None = None,
) -> np.ndarray:
    """Each hidden node's incoming weights as one value per pixel.

    Args:
        hidden_weights: the hidden layer's kernel, shape (inputs, nodes).
        pca_components: for PCA inputs, the components (components, 784). A node
            computes w . ((x - mean) @ C.T) = (C.T w) . x - (C.T w) . mean, so its
            weights in pixel space are C.T w: the same as ``inverse_transform(w) - mean``.
        pixel_indices: for selected-pixel inputs, the pixel of each input; the
            other pixels get weight 0 (the node never sees them).

    Returns:
        Array (nodes, 784).
    """
    weights = np.asarray(hidden_weights, dtype=np.float64).T
    if pca_components is not None:
        return weights @ np.asarray(pca_components, dtype=np.float64)
    if pixel_indices is not None:
        placed = np.zeros((weights.shape[0], IMAGE_PIXELS))
        placed[:, np.asarray(pixel_indices)] = weights
        return placed
    if weights.shape[1] != IMAGE_PIXELS:
        raise ValueError(f"hidden weights have {weights.shape[1]} inputs; pass the PCA components or pixel indices to map them to 784 pixels.")
    return weights


def preferred_input_in_box(pixel_weights: np.ndarray) -> np.ndarray:
    """The image in [0, 1]^784 that drives each node's pre-activation highest.

    For one dense unit, w . x + b over the box is maximised pixel by pixel:
    x = 1 where w > 0, else 0 (closed form, no optimisation needed). Because
    every activation the pipeline offers is non-decreasing, this also
    maximises the activation.
    """
    return (np.asarray(pixel_weights) > 0).astype(np.float32)


def preferred_input_on_sphere(pixel_weights: np.ndarray, norm: float) -> np.ndarray:
    """The input of L2 norm ``norm`` that maximises w . x: ``norm * w / |w|``."""
    weights = np.asarray(pixel_weights, dtype=np.float64)
    lengths = np.linalg.norm(weights, axis=-1, keepdims=True)
    return norm * np.divide(weights, lengths, out=np.zeros_like(weights), where=lengths > 0)


def class_tuning(hidden: np.ndarray, labels: np.ndarray, num_classes: int) -> np.ndarray:
    """Mean activation of each node for each class, shape (nodes, classes)."""
    hidden = np.asarray(hidden, dtype=np.float64)
    counts = np.bincount(labels, minlength=num_classes).astype(np.float64)
    sums = np.zeros((num_classes, hidden.shape[1]))
    np.add.at(sums, np.asarray(labels), hidden)
    return (sums / np.maximum(counts, 1)[:, None]).T


def selectivity_index(tuning: np.ndarray) -> np.ndarray:
    """Class selectivity per node: (best - mean of the rest) / (best + mean of the rest).

    0 for a node that responds equally to every class, 1 for one that responds
    to a single class only (Morcos et al., 2018). Needs non-negative
    activations (ReLU, sigmoid); nodes silent for every class get 0.
    """
    tuning = np.asarray(tuning, dtype=np.float64)
    best = tuning.max(axis=1)
    rest = (tuning.sum(axis=1) - best) / (tuning.shape[1] - 1)
    total = best + rest
    return np.divide(best - rest, total, out=np.zeros_like(best), where=total > 0)


def dead_nodes(hidden: np.ndarray, threshold: float = 0.0) -> np.ndarray:
    """True for each node whose activation never exceeds ``threshold``."""
    return np.asarray(hidden).max(axis=0) <= threshold


def describe_node(tuning_row: np.ndarray, class_names: Sequence[str], share: float = 0.5) -> str:
    """One line such as "fires for 0s and 6s, silent for 1s".

    Classes whose mean activation reaches ``share`` of the node's strongest
    class count as firing; classes below a tenth of it as silent.
    """
    row = np.asarray(tuning_row, dtype=np.float64)
    peak = row.max()
    if peak <= 0:
        return "never fires"
    digits = all(len(name) == 1 and name.isdigit() for name in class_names)

    def names(indices) -> str:
        labels = [f"{class_names[i]}s" if digits else class_names[i] for i in indices]
        return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]

    order = np.argsort(-row, kind="stable")
    firing = [int(i) for i in order if row[i] >= share * peak]
    silent = [int(i) for i in np.argsort(row, kind="stable") if row[i] < 0.1 * peak]
    text = f"fires for {names(firing)}"
    if len(silent) > 2 and len(silent) == len(row) - len(firing):
        text += ", silent for every other class"
    elif silent:
        text += f", silent for {names(silent)}"
    return text


def ablation_importance(hidden: np.ndarray, output_weights: np.ndarray, output_bias: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Accuracy lost when each hidden node is zeroed, one node at a time.

    The output layer is softmax(hidden @ W + b); softmax does not change the
    arg-max, so zeroing node j only removes ``hidden[:, j] * W[j]`` from the logits.
    """
    hidden = np.asarray(hidden, dtype=np.float64)
    weights = np.asarray(output_weights, dtype=np.float64)
    logits = hidden @ weights + np.asarray(output_bias, dtype=np.float64)
    labels = np.asarray(labels)
    base = np.mean(logits.argmax(axis=1) == labels)
    lost = np.empty(hidden.shape[1])
    for node in range(hidden.shape[1]):
        ablated = logits - np.outer(hidden[:, node], weights[node])
        lost[node] = base - np.mean(ablated.argmax(axis=1) == labels)
    return lost


def extreme_items(hidden: np.ndarray, node: int, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices of the ``count`` items that drive ``node`` most (strongest first),
    and of ``count`` items that leave it at its lowest (for ReLU: at zero)."""
    column = np.asarray(hidden)[:, node]
    order = np.argsort(-column, kind="stable")
    return order[:count], order[::-1][:count]


def interval_overlap(values: np.ndarray, labels: np.ndarray, num_classes: int, low: float = 25, high: float = 75) -> np.ndarray:
    """How much the classes' activation ranges overlap, for one node.

    Each class's range is the [low, high] percentile interval of its values
    (the box of a box plot by default); entry (a, b) is the length of the
    intersection of the two intervals over the length of their union
    (1: the same range, 0: disjoint).
    """
    values = np.asarray(values, dtype=np.float64)
    bounds = np.array([np.percentile(values[labels == label], [low, high]) if np.any(labels == label) else [np.nan, np.nan]
                       for label in range(num_classes)])
    lower = np.maximum(bounds[:, None, 0], bounds[None, :, 0])
    upper = np.minimum(bounds[:, None, 1], bounds[None, :, 1])
    union = np.maximum(bounds[:, None, 1], bounds[None, :, 1]) - np.minimum(bounds[:, None, 0], bounds[None, :, 0])
    intersection = np.clip(upper - lower, 0, None)
    same_point = (union == 0) & (intersection == 0) & (lower <= upper)
    overlap = np.divide(intersection, union, out=np.where(same_point, 1.0, 0.0), where=union > 0)
    return overlap


def decision_regions(output_weights: np.ndarray, output_bias: np.ndarray, x_range: tuple[float, float],
                     y_range: tuple[float, float], steps: int = 300) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The class the output layer picks at each point of a 2-D hidden space.

    Returns grid x values, grid y values and the (steps, steps) class map.
    """
    xs = np.linspace(*x_range, steps)
    ys = np.linspace(*y_range, steps)
    grid_x, grid_y = np.meshgrid(xs, ys)
    points = np.column_stack([grid_x.ravel(), grid_y.ravel()])
    classes = (points @ np.asarray(output_weights)[:2] + np.asarray(output_bias)).argmax(axis=1)
    return xs, ys, classes.reshape(steps, steps)
