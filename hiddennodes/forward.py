"""The trained network run in NumPy, without TensorFlow: what Keras's
``predict`` returns for it, and how its inputs come from a digit's pixels."""

from __future__ import annotations

import numpy as np

from hiddennodes.datasets import IMAGE_PIXELS

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


def softmax(logits: np.ndarray) -> np.ndarray:
    """Class probabilities from logits, one row per item, in the logits' dtype.

    The row's largest logit is subtracted first so that ``exp`` cannot overflow;
    it cancels in the quotient.
    """
    exponentials = np.exp(logits - logits.max(axis=1, keepdims=True))
    return exponentials / exponentials.sum(axis=1, keepdims=True)


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
        probabilities[rows] = softmax(hidden[rows] @ parameters["output_weights"] + parameters["output_bias"])
    return hidden, probabilities


def input_map(input_count: int, pca_components: np.ndarray | None = None, pca_mean: np.ndarray | None = None,
              pixel_indices: np.ndarray | None = None) -> tuple[np.ndarray | None, np.ndarray | None]:
    """How a network's inputs come from pixels, as ``pixels @ matrix + offset``
    (see :func:`hiddennodes.preferred.class_preferred_inputs`): None, None for raw pixels."""
    if pca_components is not None:
        components = np.asarray(pca_components, dtype=np.float64)
        return components.T, -np.asarray(pca_mean, dtype=np.float64) @ components.T
    if pixel_indices is not None:
        matrix = np.zeros((IMAGE_PIXELS, input_count))
        matrix[np.asarray(pixel_indices), np.arange(input_count)] = 1.0
        return matrix, None
    return None, None
