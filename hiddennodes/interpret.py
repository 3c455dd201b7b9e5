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


def english_list(names: Sequence[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


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
        return english_list(f"{class_names[i]}s" if digits else class_names[i] for i in indices)

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


# The hidden activations Keras offers (hiddennodes.params.ACTIVATIONS) in NumPy, each
# with its derivative, so preferred inputs can be found by gradient ascent
# without TensorFlow. Constants are Keras 3's defaults.
_SELU_ALPHA, _SELU_SCALE = 1.6732632423543772, 1.0507009873554805
_LEAKY_SLOPE = 0.2


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def _normal_cdf(z: np.ndarray) -> np.ndarray:
    from scipy.special import ndtr

    return ndtr(z)


ACTIVATION_FUNCTIONS = {
    "linear": (lambda z: z, lambda z: np.ones_like(z)),
    "relu": (lambda z: np.maximum(z, 0.0), lambda z: (z > 0).astype(z.dtype)),
    "leaky_relu": (lambda z: np.where(z > 0, z, _LEAKY_SLOPE * z), lambda z: np.where(z > 0, 1.0, _LEAKY_SLOPE)),
    "elu": (lambda z: np.where(z > 0, z, np.expm1(np.minimum(z, 0))), lambda z: np.where(z > 0, 1.0, np.exp(np.minimum(z, 0)))),
    "selu": (
        lambda z: _SELU_SCALE * np.where(z > 0, z, _SELU_ALPHA * np.expm1(np.minimum(z, 0))),
        lambda z: _SELU_SCALE * np.where(z > 0, 1.0, _SELU_ALPHA * np.exp(np.minimum(z, 0))),
    ),
    "sigmoid": (_sigmoid, lambda z: _sigmoid(z) * (1 - _sigmoid(z))),
    "tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2),
    "softplus": (lambda z: np.logaddexp(0.0, z), _sigmoid),
    "softsign": (lambda z: z / (1 + np.abs(z)), lambda z: 1 / (1 + np.abs(z)) ** 2),
    "swish": (lambda z: z * _sigmoid(z), lambda z: _sigmoid(z) * (1 + z * (1 - _sigmoid(z)))),
    "gelu": (
        lambda z: z * _normal_cdf(z),
        lambda z: _normal_cdf(z) + z * np.exp(-0.5 * z**2) / np.sqrt(2 * np.pi),
    ),
}
# Keras saves the swish activation under its other name.
ACTIVATION_FUNCTIONS["silu"] = ACTIVATION_FUNCTIONS["swish"]


def forward(parameters: dict[str, np.ndarray], features: np.ndarray, chunk_rows: int = 8192) -> tuple[np.ndarray, np.ndarray]:
    """The network's hidden activations and class probabilities, in NumPy.

    Args:
        parameters: ``hidden_kernel``, ``hidden_bias``, ``hidden_activation``
            (a Keras activation name), ``output_weights`` and ``output_bias``,
            as ``hiddennodes.model.layer_parameters`` returns them.
        features: one row per image, in the inputs the network was trained on.

    Returns:
        ``(hidden, probabilities)`` as ``float32``: what Keras's ``predict``
        returns for the hidden layer and for the softmax output.
    """
    activation = ACTIVATION_FUNCTIONS[str(parameters["hidden_activation"])][0]
    hidden = np.empty((len(features), parameters["hidden_kernel"].shape[1]), dtype=np.float32)
    probabilities = np.empty((len(features), parameters["output_weights"].shape[1]), dtype=np.float32)
    for start in range(0, len(features), chunk_rows):
        rows = slice(start, start + chunk_rows)
        hidden[rows] = activation(features[rows] @ parameters["hidden_kernel"] + parameters["hidden_bias"])
        logits = hidden[rows] @ parameters["output_weights"] + parameters["output_bias"]
        exponentials = np.exp(logits - logits.max(axis=1, keepdims=True))
        probabilities[rows] = exponentials / exponentials.sum(axis=1, keepdims=True)
    return hidden, probabilities


def _laplacian(images: np.ndarray) -> np.ndarray:
    """Discrete Laplacian of (n, 28, 28) images with edge padding: the gradient
    of half the summed squared differences between neighbouring pixels."""
    padded = np.pad(images, ((0, 0), (1, 1), (1, 1)), mode="edge")
    return padded[:, :-2, 1:-1] + padded[:, 2:, 1:-1] + padded[:, 1:-1, :-2] + padded[:, 1:-1, 2:] - 4 * images


def class_preferred_inputs(
    hidden_kernel: np.ndarray,
    hidden_bias: np.ndarray,
    activation: str,
    output_weights: np.ndarray,
    output_bias: np.ndarray,
    start: np.ndarray,
    input_matrix: np.ndarray | None = None,
    input_offset: np.ndarray | None = None,
    steps: int = 300,
    step_size: float = 0.02,
    ink_cost: float = 0.05,
    smoothness: float = 0.5,
) -> tuple[np.ndarray, np.ndarray]:
    """For each output class, the 28x28 image in [0, 1] the network finds most
    typical of it: regularised gradient ascent through the hidden layer.

    Maximises the class's score (its logit, before the softmax) ``- ink_cost *
    sum(x) - smoothness/2 * sum of squared neighbour differences`` by projected
    gradient ascent (Adam steps, clipped to [0, 1] after each). The score, not
    the probability, as Simonyan et al. (2014) do: a probability can also be
    raised by lowering the other classes, which gives near-empty images. The
    ink cost keeps pixels dark unless they raise the score; the smoothness
    term suppresses the pixel-level noise a plain ascent produces. With the
    defaults an MNIST model draws recognisable digits. The start image and
    both terms are fixed, so the result is deterministic.

    Args:
        hidden_kernel, hidden_bias: the hidden layer, kernel (inputs, nodes).
        activation: the hidden layer's activation name (a key of ACTIVATION_FUNCTIONS).
        output_weights, output_bias: the output layer, weights (nodes, classes).
        start: the image every ascent starts from, 784 values.
        input_matrix, input_offset: the network's inputs as ``pixels @ input_matrix
            + input_offset``: PCA components transposed and ``-mean @ components.T``,
            or a 0/1 selection matrix for selected pixels; None for raw pixels.

    Returns:
        Images (classes, 784) and the network's probabilities for them (classes, classes).
    """
    if activation not in ACTIVATION_FUNCTIONS:
        raise ValueError(f"unknown activation {activation!r}; expected one of " + ", ".join(sorted(ACTIVATION_FUNCTIONS)) + ".")
    forward, derivative = ACTIVATION_FUNCTIONS[activation]
    kernel = np.asarray(hidden_kernel, dtype=np.float64)
    weights = np.asarray(output_weights, dtype=np.float64)
    if input_matrix is not None:
        # Fold the input map into the hidden layer: one matrix from pixels to nodes.
        kernel_bias = np.asarray(hidden_bias, dtype=np.float64) + (np.asarray(input_offset, dtype=np.float64) @ kernel if input_offset is not None else 0)
        kernel = np.asarray(input_matrix, dtype=np.float64) @ kernel
    else:
        kernel_bias = np.asarray(hidden_bias, dtype=np.float64)
    classes = weights.shape[1]
    target = np.eye(classes)  # d score_c / d logits
    images = np.tile(np.asarray(start, dtype=np.float64).reshape(1, -1), (classes, 1))
    moment, velocity = np.zeros_like(images), np.zeros_like(images)

    for step in range(1, steps + 1):
        pre = images @ kernel + kernel_bias
        # Back from the class's score through the output and hidden layers.
        gradient = ((target @ weights.T) * derivative(pre)) @ kernel.T
        gradient -= ink_cost
        gradient += smoothness * _laplacian(images.reshape(-1, 28, 28)).reshape(classes, -1)
        moment = 0.9 * moment + 0.1 * gradient
        velocity = 0.999 * velocity + 0.001 * gradient**2
        update = (moment / (1 - 0.9**step)) / (np.sqrt(velocity / (1 - 0.999**step)) + 1e-8)
        images = np.clip(images + step_size * update, 0.0, 1.0)
    logits = forward(images @ kernel + kernel_bias) @ weights + output_bias
    exp = np.exp(logits - logits.max(axis=1, keepdims=True))
    return images.astype(np.float32), exp / exp.sum(axis=1, keepdims=True)


def input_map(input_count: int, pca_components: np.ndarray | None = None, pca_mean: np.ndarray | None = None,
              pixel_indices: np.ndarray | None = None) -> tuple[np.ndarray | None, np.ndarray | None]:
    """How a network's inputs come from pixels, as ``pixels @ matrix + offset``
    (see :func:`class_preferred_inputs`): None, None for raw pixels."""
    if pca_components is not None:
        components = np.asarray(pca_components, dtype=np.float64)
        return components.T, -np.asarray(pca_mean, dtype=np.float64) @ components.T
    if pixel_indices is not None:
        matrix = np.zeros((IMAGE_PIXELS, input_count))
        matrix[np.asarray(pixel_indices), np.arange(input_count)] = 1.0
        return matrix, None
    return None, None


def pca_embedding(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The first two principal components of ``values`` and their share of the variance."""
    from sklearn.decomposition import PCA

    pca = PCA(n_components=2, svd_solver="full").fit(values)
    return pca.transform(values).astype(np.float32), pca.explained_variance_ratio_


def approximate_neighbours(values: np.ndarray, count: int, seed: int, trees: int = 10,
                           threads: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """The ``count`` nearest neighbours of every row (itself left out), by Annoy.

    What openTSNE's own Annoy search does, with less overhead: it queries one
    ``joblib`` task per point; here ``threads`` threads (Annoy releases the
    GIL) each query a share of the points. 55,000 points, 50 dimensions, 90
    neighbours, 10 trees, 2 cores: 11.7 s inside openTSNE, 6.7 s here.

    Returns:
        ``(indices, distances)``, both ``(rows, count)``, nearest first.
    """
    from concurrent.futures import ThreadPoolExecutor

    from openTSNE.dependencies.annoy import AnnoyIndex

    if not 1 <= count < len(values):
        raise ValueError(f"count is {count}; it must be between 1 and the number of rows less one ({len(values) - 1}).")
    index = AnnoyIndex(values.shape[1], "euclidean")
    index.set_seed(seed)
    for row, value in enumerate(values):
        index.add_item(row, value)
    index.build(trees, n_jobs=threads)
    indices = np.empty((len(values), count), dtype=np.int64)
    distances = np.empty((len(values), count), dtype=np.float64)

    def query(rows: np.ndarray) -> None:
        for row in rows:
            found, found_distances = index.get_nns_by_item(int(row), count + 1, include_distances=True)
            # Itself is normally first, but a duplicate point may come before it.
            keep = [position for position, other in enumerate(found) if other != row][:count]
            indices[row] = [found[position] for position in keep]
            distances[row] = [found_distances[position] for position in keep]

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(query, np.array_split(np.arange(len(values)), threads)))
    return indices, distances


def tsne_embedding(values: np.ndarray, seed: int, perplexity: float = 30.0, pca_dimensions: int = 50,
                   n_jobs: int = -1) -> np.ndarray:
    """t-SNE to 2-D with openTSNE (FFT-accelerated gradients, Annoy neighbours).

    Wide inputs are first reduced to ``pca_dimensions`` principal components,
    the usual practice for t-SNE: it keeps the neighbourhoods and makes the
    neighbour search several times faster. The PCA initialisation and the seed
    make the layout repeatable. The affinities are openTSNE's for one
    perplexity, on ``3 x perplexity`` neighbours from ``approximate_neighbours``.

    Settings measured on Fashion-MNIST's 55,000 hidden-layer activations of
    exp3 (2 cores), with the share of each point's 10 nearest neighbours on the
    map that share its class as the quality: openTSNE's defaults (250
    exaggerated + 500 iterations, finest interpolation grid, 50 Annoy trees)
    150 s, 0.841; 125 + 375 iterations and a grid half as fine 71 s, 0.836;
    the same with 10 Annoy trees 62 s, 0.835; 100 + 250 iterations 44 s,
    0.834 (used here); 75 + 200 iterations 34 s, 0.834. Of the 44 s, the
    optimisation is 29 s (82 ms an iteration), neighbours and affinities 10 s.
    """
    import os

    from openTSNE import TSNE
    from openTSNE.affinity import MultiscaleMixture
    from openTSNE.nearest_neighbors import PrecomputedNeighbors
    from sklearn.decomposition import PCA

    threads = (os.cpu_count() or 1) if n_jobs == -1 else n_jobs
    values = np.asarray(values, dtype=np.float64)
    if values.shape[1] > pca_dimensions:
        values = PCA(n_components=pca_dimensions, svd_solver="randomized", random_state=seed).fit_transform(values)
    neighbours = approximate_neighbours(values, min(len(values) - 1, int(3 * perplexity)), seed, threads=threads)
    affinities = MultiscaleMixture(perplexities=[perplexity], knn_index=PrecomputedNeighbors(*neighbours), n_jobs=n_jobs,
                                   random_state=seed)
    tsne = TSNE(perplexity=perplexity, initialization="pca", random_state=seed, n_jobs=n_jobs, verbose=False,
                early_exaggeration_iter=100, n_iter=250, ints_in_interval=2)
    return np.asarray(tsne.fit(values, affinities=affinities), dtype=np.float32)


def spread_points(coordinates: np.ndarray, min_distance: float) -> np.ndarray:
    """Indices of points no two of which are closer than ``min_distance`` (on
    coordinates scaled to [0, 1]), taken greedily in order: where to place
    thumbnails so they do not cover each other, as scikit-learn's manifold
    example does."""
    points = np.asarray(coordinates, dtype=np.float64)
    span = points.max(axis=0) - points.min(axis=0)
    points = (points - points.min(axis=0)) / np.where(span > 0, span, 1)
    chosen = np.empty(len(points), dtype=np.int64)
    placed = np.empty_like(points)  # the chosen points, kept contiguous: no re-indexing per step
    count = 0
    limit = min_distance**2
    for index, point in enumerate(points):
        if count == 0 or np.min(np.sum((placed[:count] - point) ** 2, axis=1)) >= limit:
            chosen[count], placed[count] = index, point
            count += 1
    return chosen[:count]


def neighbour_agreement(coordinates: np.ndarray, labels: np.ndarray, neighbours: int = 10) -> float:
    """Share of each point's ``neighbours`` nearest neighbours with its own class,
    averaged over points: how well a 2-D map keeps the classes apart (0.1 by chance for 10 balanced classes)."""
    from sklearn.neighbors import NearestNeighbors

    coordinates = np.asarray(coordinates, dtype=np.float64)
    labels = np.asarray(labels)
    _, indices = NearestNeighbors(n_neighbors=neighbours + 1).fit(coordinates).kneighbors(coordinates)
    return float(np.mean(labels[indices[:, 1:]] == labels[:, None]))
