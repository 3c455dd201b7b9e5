"""What each hidden node responds to, from its activations: per-class tuning,
selectivity, dead nodes, the accuracy each one carries, and how the classes'
activation ranges overlap.

Pure functions of activations and the output layer; the figures are drawn elsewhere.
"""

from __future__ import annotations

import numpy as np

from hiddennodes.parallel import side_by_side


SCATTER_POINTS = 2000  # training digits kept to draw behind a one- or two-node layer
PARALLEL_NODES = 64  # nodes a process at least: fewer are not worth a fork


def scatter_sample(count: int) -> np.ndarray:
    """The training digits a layer of one or two nodes is scattered on in the explorer (the interpretation's
    ``sample_hidden``): the same digits at every epoch."""
    return np.random.default_rng(0).permutation(count)[:SCATTER_POINTS]


def class_tuning(hidden: np.ndarray, labels: np.ndarray, num_classes: int) -> np.ndarray:
    """Mean activation of each node for each class, shape (nodes, classes)."""
    hidden = np.asarray(hidden, dtype=np.float64)
    labels = np.asarray(labels)
    counts = np.bincount(labels, minlength=num_classes).astype(np.float64)
    members = np.zeros((len(labels), num_classes))
    members[np.arange(len(labels)), labels] = 1.0
    sums = members.T @ hidden  # one product instead of np.add.at's row at a time: 55,000 x 784 pixels in 0.1 s, not 0.45
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


def _first_by(keys: np.ndarray, count: int, latest_first: bool) -> np.ndarray:
    """Indices of the ``count`` smallest ``keys``, smallest first, ties in index order (the latest first when
    ``latest_first``): the head of a stable sort, found by partitioning instead of sorting every item."""
    count = min(count, len(keys))
    if count == 0:
        return np.empty(0, dtype=np.intp)
    bound = np.partition(keys, count - 1)[count - 1]
    below = np.flatnonzero(keys < bound)
    below = below[np.lexsort((-below if latest_first else below, keys[below]))]
    ties = np.flatnonzero(keys == bound)
    return np.concatenate([below, (ties[::-1] if latest_first else ties)[: count - len(below)]])


def extreme_items(hidden: np.ndarray, node: int, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices of the ``count`` items that drive ``node`` most (strongest first, ties in index order),
    and of ``count`` items that leave it at its lowest (for ReLU: at zero; ties the latest first)."""
    column = np.asarray(hidden)[:, node]
    if np.isnan(column).any():  # where a stable sort puts NaN is its own rule: sort them all
        order = np.argsort(-column, kind="stable")
        return order[:count], order[::-1][:count]
    return _first_by(-column, count, latest_first=False), _first_by(column, count, latest_first=True)


def class_quantiles(hidden: np.ndarray, labels: np.ndarray, num_classes: int,
                    quantiles: tuple[float, ...] = (5, 25, 50, 75, 95)) -> np.ndarray:
    """Each node's activation percentiles per class, shape (nodes, classes, len(quantiles)): a box plot's numbers
    (the box from the 25th to the 75th, whiskers at the 5th and 95th by default); NaN for a class with no item."""
    hidden, labels = np.asarray(hidden), np.asarray(labels)
    result = np.full((hidden.shape[1], num_classes, len(quantiles)), np.nan, dtype=np.float32)
    for label in range(num_classes):
        rows = hidden[labels == label]
        if len(rows):
            result[:, label, :] = np.percentile(rows, quantiles, axis=0).T
    return result


def class_contributions(hidden: np.ndarray, labels: np.ndarray, output_weights: np.ndarray, num_classes: int) -> np.ndarray:
    """What each node adds to each class's logit on that class's own items, on average: entry (class, node) is the
    mean of ``activation x outgoing weight`` over the items of that class. The nodes that carry a class."""
    tuning = class_tuning(hidden, labels, num_classes)  # (nodes, classes)
    return (tuning * np.asarray(output_weights, dtype=np.float64)).T


def _node_chunks(nodes: int) -> list[np.ndarray]:
    """A layer's nodes in chunks for ``side_by_side``: one chunk (no fork) below ``2 * PARALLEL_NODES``, at most 8."""
    return np.array_split(np.arange(nodes), max(1, min(nodes // PARALLEL_NODES, 8)))


def activation_scale(hidden: np.ndarray, percentile: float = 99) -> np.ndarray:
    """Each node's usual top activation (its ``percentile`` over the items; the largest when that is zero, 1 when
    it never fires): what "fully lit" means for that node."""
    hidden = np.asarray(hidden)
    # Each node's column on its own (a wide layer's shared out to one process a core): the same numbers as at once.
    scale = np.concatenate(side_by_side(lambda nodes: np.percentile(hidden[:, nodes].astype(np.float64), percentile, axis=0),
                                        _node_chunks(hidden.shape[1])))
    scale = np.where(scale > 0, scale, hidden.max(axis=0))
    return np.where(scale > 0, scale, 1.0).astype(np.float32)


def extreme_items_of_all(hidden: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    """:func:`extreme_items` for every node at once: two (nodes, count) index arrays. A wide layer's nodes are shared
    out to one process a core (700 nodes of 55,000 training images took 3 s on one)."""
    by_node = np.ascontiguousarray(np.asarray(hidden).T)[:, :, None]  # each node's column read once, contiguously
    pairs = [pair for chunk in side_by_side(lambda nodes: [extreme_items(by_node[node], 0, count) for node in nodes],
                                            _node_chunks(len(by_node)))
             for pair in chunk]
    return np.stack([top for top, _ in pairs]), np.stack([silent for _, silent in pairs])


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


def class_carriers(contributions: np.ndarray, count: int) -> np.ndarray:
    """The ``count`` nodes that add most to each class's score, strongest first: (classes, count) indices into the
    nodes, from :func:`class_contributions` (ties keep the lower node first)."""
    contributions = np.asarray(contributions, dtype=np.float64)
    return np.argsort(-contributions, axis=1, kind="stable")[:, :min(count, contributions.shape[1])]


def class_confusions(probabilities: np.ndarray, labels: np.ndarray, num_classes: int) -> list[dict]:
    """Per class: the share of its items answered right, the class it is most often taken for, and one such item.

    Returns one dict per class: ``accuracy``, ``items``, and ``confused_with`` (the class most often answered for it
    instead, None when it never is), ``confusions`` (how many of its items got that answer) and ``example`` (the index
    of the item answered so with the highest probability; None with ``confused_with``).
    """
    probabilities = np.asarray(probabilities, dtype=np.float64)
    labels = np.asarray(labels)
    predicted = probabilities.argmax(axis=1)
    rows = []
    for label in range(num_classes):
        mine = np.flatnonzero(labels == label)
        answers = np.bincount(predicted[mine], minlength=num_classes)
        answers[label] = 0
        row = {"accuracy": float(np.mean(predicted[mine] == label)) if len(mine) else float("nan"), "items": int(len(mine)),
               "confused_with": None, "confusions": 0, "example": None}
        if answers.any():
            other = int(answers.argmax())
            taken = mine[predicted[mine] == other]
            row.update(confused_with=other, confusions=int(answers[other]),
                       example=int(taken[np.argmax(probabilities[taken, other])]))
        rows.append(row)
    return rows


def weight_pages(tuning: np.ndarray, importance: np.ndarray, per_page: int) -> list[np.ndarray]:
    """The nodes in pages of at most ``per_page`` for their weight images: the most important first, and within a page
    ordered by meaning (by preferred class, then from the most important down), so the strokes each class's nodes look
    for sit together. Importance is the accuracy lost without the node (:func:`ablation_importance`)."""
    tuning, importance = np.asarray(tuning), np.asarray(importance)
    ranked = np.argsort(-importance, kind="stable")
    pages = []
    for start in range(0, len(ranked), per_page):
        page = ranked[start:start + per_page]
        pages.append(page[np.lexsort((-importance[page], tuning[page].argmax(axis=1)))])
    return pages
