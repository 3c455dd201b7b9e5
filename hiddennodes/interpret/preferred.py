"""The inputs each hidden node and each class prefer, found from the weights.

Pure functions of a network's layers; the figures are drawn elsewhere.
"""

from __future__ import annotations

import numpy as np

from scipy.ndimage import gaussian_filter

from hiddennodes.data.datasets import IMAGE_PIXELS, IMAGE_SHAPE
from hiddennodes.network.convolution import Filters
from hiddennodes.network.trained import ACTIVATION_FUNCTIONS, softmax

JITTER = 1  # pixels each ascent step's gradient is taken off-place, up and down and sideways
JITTER_SEED = 0  # the moves' draw: fixed, so a network's preferred inputs are always the same
BLUR = 0.5  # the Gaussian's standard deviation in pixels, applied every BLUR_EVERY steps
BLUR_EVERY = 4


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
        raise ValueError(f"hidden weights have {weights.shape[1]} inputs; pass the PCA components or pixel indices to map them to {IMAGE_PIXELS} pixels.")
    return weights


def preferred_input_in_box(pixel_weights: np.ndarray) -> np.ndarray:
    """The image in [0, 1]^784 that drives each node's pre-activation highest.

    For one dense unit, w . x + b over the box is maximised pixel by pixel:
    x = 1 where w > 0, else 0 (closed form, no optimisation needed). Because
    every activation the pipeline offers is non-decreasing, this also
    maximises the activation.
    """
    return (np.asarray(pixel_weights) > 0).astype(np.float32)


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
    jitter: int = JITTER,
    blur: float = BLUR,
    allowed: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """For each output class, the 28x28 image in [0, 1] the network finds most
    typical of it: regularised gradient ascent through the hidden layer.

    Maximises the class's score (its logit, before the softmax) ``- ink_cost *
    sum(x) - smoothness/2 * sum of squared neighbour differences`` by projected
    gradient ascent (Adam steps, clipped to [0, 1] after each). The score, not
    the probability, as Simonyan et al. (2014) do: a probability can also be
    raised by lowering the other classes, which gives near-empty images. The
    ink cost keeps pixels dark unless they raise the score; the smoothness
    term suppresses the pixel-level noise a plain ascent produces, and so do
    the two transformations of the feature visualisation literature (Olah et
    al., 2017, "Feature Visualization"; Yosinski et al., 2015): each step's
    gradient is taken on the image moved by up to ``jitter`` pixels (a seeded
    draw, so the result is deterministic), and every ``BLUR_EVERY`` steps the
    image is blurred by a Gaussian of ``blur`` pixels. An image that only one
    exact placement of the pixels drives is noise; these keep what survives a
    small move.

    Args:
        hidden_kernel, hidden_bias: the hidden layer, kernel (inputs, nodes).
        activation: the hidden layer's activation name (a key of ACTIVATION_FUNCTIONS).
        output_weights, output_bias: the output layer, weights (nodes, classes).
        start: the image every ascent starts from, 784 values.
        input_matrix, input_offset: the network's inputs as ``pixels @ input_matrix
            + input_offset``: PCA components transposed and ``-mean @ components.T``,
            or a 0/1 selection matrix for selected pixels; None for raw pixels.
        allowed: each pixel's share of every step, 784 values in [0, 1]
            (``hiddennodes.interpret.regions.ink_weight``): a pixel training digits
            never ink starts blank and stays so, however large its weight (the
            optimizer's, not evidence); None: every pixel moves freely.

    Returns:
        Images (classes, 784) and the network's probabilities for them (classes, classes).
    """
    if activation not in ACTIVATION_FUNCTIONS:
        raise ValueError(f"unknown activation {activation!r}; expected one of " + ", ".join(sorted(ACTIVATION_FUNCTIONS)) + ".")
    activate, derivative = ACTIVATION_FUNCTIONS[activation]
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
    start_images = np.tile(np.asarray(start, dtype=np.float64).reshape(1, -1), (classes, 1))

    def class_gradient(images):  # back from the class's score through the output and hidden layers
        return ((target @ weights.T) * derivative(images @ kernel + kernel_bias)) @ kernel.T

    images = _ascend(class_gradient, start_images, steps, step_size, ink_cost, smoothness, jitter, blur, allowed)
    return images.astype(np.float32), softmax(activate(images @ kernel + kernel_bias) @ weights + output_bias)


def _ascend(pixel_gradient, images: np.ndarray, steps: int, step_size: float, ink_cost: float, smoothness: float,
            jitter: int = JITTER, blur: float = BLUR, allowed: np.ndarray | None = None) -> np.ndarray:
    """Projected gradient ascent (Adam steps, clipped to [0, 1]) of (n, 784) images on ``pixel_gradient(images)``
    less the ink cost and the neighbour differences, each step's gradient taken on the images moved by up to
    ``jitter`` pixels (seeded) and moved back, the images blurred by ``blur`` pixels every ``BLUR_EVERY`` steps
    (0: neither), each pixel's step scaled by ``allowed`` (None: all 1), as ``class_preferred_inputs`` describes."""
    share = np.ones(images.shape[1]) if allowed is None else np.asarray(allowed, np.float64).reshape(-1)
    images = images * share
    moment, velocity = np.zeros_like(images), np.zeros_like(images)
    shifts = np.random.default_rng(JITTER_SEED).integers(-jitter, jitter + 1, size=(steps, 2))
    for step in range(1, steps + 1):
        down, right = (int(shift) for shift in shifts[step - 1])
        grid = images.reshape(-1, *IMAGE_SHAPE)
        moved = np.roll(grid, (down, right), axis=(1, 2)).reshape(len(images), -1)
        gradient = np.roll(np.asarray(pixel_gradient(moved), np.float64).reshape(-1, *IMAGE_SHAPE), (-down, -right),
                           axis=(1, 2)).reshape(len(images), -1) - ink_cost
        gradient += smoothness * _laplacian(grid).reshape(len(images), -1)
        moment = 0.9 * moment + 0.1 * gradient
        velocity = 0.999 * velocity + 0.001 * gradient**2
        update = (moment / (1 - 0.9**step)) / (np.sqrt(velocity / (1 - 0.999**step)) + 1e-8)
        images = np.clip(images + step_size * share * update, 0.0, 1.0)
        if blur and step % BLUR_EVERY == 0 and step < steps:
            blurred = gaussian_filter(images.reshape(-1, *IMAGE_SHAPE), sigma=(0, blur, blur), mode="nearest").reshape(len(images), -1)
            images = share * blurred + (1 - share) * images  # a held pixel is not blurred into either
    return images


def conv_preferred_inputs(filters: Filters, hidden_kernel: np.ndarray, hidden_bias: np.ndarray, activation: str,
                          output_weights: np.ndarray, output_bias: np.ndarray, start: np.ndarray, steps: int = 300,
                          node_steps: int = 150, step_size: float = 0.02, ink_cost: float = 0.05, smoothness: float = 0.5,
                          jitter: int = JITTER, blur: float = BLUR, allowed: np.ndarray | None = None,
                          ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A convolutional network's preferred inputs, by the same regularised gradient ascent as
    ``class_preferred_inputs``, through its convolutions (``Filters.gradient``).

    Returns:
        ``(class_images, class_probabilities, node_images)``: each class's image (classes, 784) and the network's
        probabilities for them; each hidden node's image (nodes, 784), the ascent of its pre-activation
        (``node_steps`` steps: it is one linear read of the maps, so it settles sooner).
    """
    activate, derivative = ACTIVATION_FUNCTIONS[activation]
    kernel = np.asarray(hidden_kernel, dtype=np.float64)
    bias = np.asarray(hidden_bias, dtype=np.float64)
    weights = np.asarray(output_weights, dtype=np.float64)
    classes, nodes = weights.shape[1], kernel.shape[1]
    start = np.asarray(start, dtype=np.float64).reshape(1, -1)
    target = np.eye(classes)

    def class_gradient(images):
        return filters.gradient(images, lambda flat: ((target @ weights.T) * derivative(flat @ kernel + bias)) @ kernel.T)

    class_images = _ascend(class_gradient, np.tile(start, (classes, 1)), steps, step_size, ink_cost, smoothness, jitter, blur,
                           allowed)
    node_images = _ascend(lambda images: filters.gradient(images, kernel.T), np.tile(start, (nodes, 1)), node_steps,
                          step_size, ink_cost, smoothness, jitter, blur, allowed)
    hidden = activate(filters.flat(class_images).astype(np.float64) @ kernel + bias)
    return class_images.astype(np.float32), softmax(hidden @ weights + output_bias), node_images.astype(np.float32)


def conv_sensitivity(filters: Filters, hidden_kernel: np.ndarray, images: np.ndarray) -> np.ndarray:
    """Each hidden node's gradient to the pixels, averaged over its own (count, 784) images (``images``: (nodes, count,
    784), such as the training images that drive it most): where ink raises the node near the images it fires for.
    A node behind convolutions has no one weight per pixel; this is the linear map that stands in for it there.

    Returns:
        (nodes, 784).
    """
    nodes, count = images.shape[:2]
    kernel = np.asarray(hidden_kernel, dtype=np.float32)
    weights = np.repeat(kernel.T, count, axis=0)  # node j's weights for each of its images
    gradients = filters.gradient(np.asarray(images, dtype=np.float32).reshape(nodes * count, -1), weights)
    return gradients.reshape(nodes, count, -1).mean(axis=1)
