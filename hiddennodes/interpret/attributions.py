"""Which pixels made this answer: SHAP attributions of a network's class scores, in pixel space.

Every experiment is explained on the 784 pixels a person sees, whatever it reads:
a network on PCA components or on selected pixels is, from the pixels, the same
one-hidden-layer network with its first layer's weights multiplied through the
map (``pixels @ matrix + offset``), so ``pixel_layers`` folds the map into the
hidden layer and nothing is approximated. A convolutional network reads the
pixels already: its convolutions (Conv2D, activation, max pooling per layer) come
first, and its hidden layer reads their flattened maps; shap explains it through
them, on a Keras model rebuilt with the file's kernels.

The attributions are the shap library's (``shap.DeepExplainer``: DeepLIFT's
rescale rule averaged over a background of training digits, SHAP values for a
network of this shape) of the class **scores** (the logits, before the softmax):
for each picture and class, one number per pixel, and they add up to the
picture's score minus the background's mean score. A pixel pushes toward the
class (positive) or away from it (negative) compared with a typical training
digit. Hidden activations DeepExplainer has no rule for (gelu, swish,
leaky_relu, softsign) are explained with ``shap.GradientExplainer`` (expected
gradients), whose sums hold only on average. DeepExplainer's rule for max
pooling (shap's TensorFlow handler) shares each pool's change between where the
picture's largest value is and where the background's is, so a convolutional
network's attributions keep the same sum.

``rescale_attributions`` computes the same attributions in closed form with
NumPy, an independent reference the tests hold shap to, and what the explorer
page computes live for a drawing. It is the closed form for one hidden layer
reading the (mapped) pixels, so it refuses a convolutional network: there the
attributions are shap's alone (``explain``; ``attribute`` calls it), and the
page's live rule does not apply.
"""

from __future__ import annotations

import os
import time

import numpy as np

from hiddennodes.data.datasets import IMAGE_PIXELS, IMAGE_SHAPE
from hiddennodes.network.trained import ACTIVATION_FUNCTIONS, Network, conv_layer_names

BACKGROUND = 50  # training digits (5 a class) in each network file that attributions are measured against

# The hidden activations shap.DeepExplainer has a rule for (its TensorFlow op handlers); linear needs none.
DEEP_ACTIVATIONS = ("linear", "relu", "elu", "selu", "sigmoid", "tanh", "softplus")


def _convolutions(network: Network) -> dict[str, np.ndarray]:
    """A convolutional network's ``conv<i>_kernel`` and ``conv<i>_bias`` arrays, ``conv_activation`` and ``conv_pool``;
    {} for a dense one."""
    if not network.convolutional:
        return {}
    return {key: value for key, value in network.layers.items() if key.startswith("conv")}


def pixel_layers(network: Network) -> dict[str, np.ndarray]:
    """The network's layers as read from the 784 pixels: the input map folded into the hidden layer.

    A convolutional network has no map (its convolutions read the pixels): its ``conv<i>_kernel``, ``conv<i>_bias``,
    ``conv_activation`` and ``conv_pool`` come along unchanged, and its ``hidden_kernel`` reads their flattened maps
    (``network.filters.flat``), not the pixels."""
    layers = network.layers
    kernel = np.asarray(layers["hidden_kernel"], dtype=np.float64)
    bias = np.asarray(layers["hidden_bias"], dtype=np.float64)
    if network.matrix is not None:
        bias = bias + (0.0 if network.offset is None else np.asarray(network.offset, dtype=np.float64) @ kernel)
        kernel = np.asarray(network.matrix, dtype=np.float64) @ kernel
    return {**_convolutions(network), "hidden_kernel": kernel.astype(np.float32), "hidden_bias": bias.astype(np.float32),
            "hidden_activation": layers["hidden_activation"],
            "output_weights": np.asarray(layers["output_weights"], dtype=np.float32),
            "output_bias": np.asarray(layers["output_bias"], dtype=np.float32)}


def scores(network: Network, digits: np.ndarray) -> np.ndarray:
    """Each class's score (logit) for (n, 784) digits, in NumPy (through the convolutions first, for a convolutional network)."""
    layers = pixel_layers(network)
    activation = ACTIVATION_FUNCTIONS[str(layers["hidden_activation"])][0]
    pixels = np.asarray(digits, np.float32).reshape(len(digits), -1)
    inputs = network.filters.flat(pixels) if network.convolutional else pixels
    hidden = activation(inputs @ layers["hidden_kernel"] + layers["hidden_bias"])
    return hidden @ layers["output_weights"] + layers["output_bias"]


def score_model(network: Network, only: int | None = None):
    """A Keras model from the pixels to the class scores, with the network's weights: what shap explains.
    ``only``: the score of that one class (shap then does a tenth of the work for a digit).

    A convolutional network's model is the one it was trained as (``hiddennodes.network.keras_model.build_model``):
    Reshape to 28x28x1, then per layer Conv2D (valid padding) with its activation and MaxPooling2D, Flatten, the
    hidden Dense layer and the scores; the convolutions carry the file's kernels."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import keras

    layers = pixel_layers(network)
    if only is not None:
        layers = {**layers, "output_weights": layers["output_weights"][:, only : only + 1],
                  "output_bias": layers["output_bias"][only : only + 1]}
    hidden = keras.layers.Dense(layers["hidden_kernel"].shape[1], activation=str(layers["hidden_activation"]), name="hidden")
    output = keras.layers.Dense(layers["output_weights"].shape[1], name="scores")
    if not network.convolutional:
        inputs = keras.Input(shape=(layers["hidden_kernel"].shape[0],), name="pixels")
        model = keras.Model(inputs, output(hidden(inputs)))
    else:
        inputs = keras.Input(shape=(IMAGE_PIXELS,), name="pixels")
        maps = keras.layers.Reshape((*IMAGE_SHAPE, 1), name="image")(inputs)
        kernels = [name for name in conv_layer_names(layers) if name.endswith("_kernel")]
        for index, name in enumerate(kernels, start=1):
            kernel, bias = layers[name], layers[name.replace("_kernel", "_bias")]
            convolution = keras.layers.Conv2D(kernel.shape[3], kernel.shape[0], activation=str(layers["conv_activation"]),
                                              name=f"conv{index}")
            maps = convolution(maps)
            convolution.set_weights([np.asarray(kernel, np.float32), np.asarray(bias, np.float32)])
            maps = keras.layers.MaxPooling2D(int(layers["conv_pool"]), name=f"pool{index}")(maps)
        model = keras.Model(inputs, output(hidden(keras.layers.Flatten(name="flatten")(maps))))
    hidden.set_weights([layers["hidden_kernel"], layers["hidden_bias"]])
    output.set_weights([layers["output_weights"], layers["output_bias"]])
    return model


def _deep(network: Network) -> bool:
    """Whether shap.DeepExplainer has a rule for each of the network's activations (its convolutions' too)."""
    activations = [network.layers["hidden_activation"]] + ([network.layers["conv_activation"]] if network.convolutional else [])
    return all(str(activation) in DEEP_ACTIVATIONS for activation in activations)


def _shap_values(network: Network, digits: np.ndarray, background: np.ndarray, only: int | None) -> tuple[np.ndarray, str]:
    import warnings

    import shap

    model = score_model(network, only)
    deep = _deep(network)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Keras warns that shap hands it plain tensors instead of Keras inputs
        if deep:
            values = shap.DeepExplainer(model, background).shap_values(digits, check_additivity=False)
        else:
            values = shap.GradientExplainer(model, background).shap_values(digits, nsamples=4 * len(background), rseed=0)
    return np.asarray(values, dtype=np.float32).reshape(len(digits), digits.shape[1], -1), "deep" if deep else "gradient"


def explain(network: Network, digits: np.ndarray, background: np.ndarray, classes=None) -> tuple[np.ndarray, str]:
    """shap's attributions of class scores to every pixel.

    Args:
        digits: (n, 784) or (n, 28, 28) in [0, 1].
        background: (k, 784) training digits the attributions are measured against.
        classes: None for every class's score; or one class per digit, whose score alone is explained
            (the digits of a class are explained together, a tenth of the work).

    Returns:
        ``(attributions, method)``: float32 (n, 784, classes), or (n, 784) when ``classes`` are given; and
        "deep" (``shap.DeepExplainer``) or "gradient" (``shap.GradientExplainer``, for activations
        DeepExplainer has no rule for). A convolutional network is explained through its convolutions
        and max pooling (DeepExplainer has a rule for each), the same way.
    """
    flat = np.asarray(digits, np.float32).reshape(len(digits), -1)
    reference = np.asarray(background, np.float32).reshape(len(background), -1)
    if classes is None:
        return _shap_values(network, flat, reference, None)
    classes = np.asarray(classes, dtype=np.intp)
    values = np.zeros(flat.shape, np.float32)
    method = "deep"
    for label in np.unique(classes):
        rows = np.flatnonzero(classes == label)
        found, method = _shap_values(network, flat[rows], reference, int(label))
        values[rows] = found[:, :, 0]
    return values, method


def rescale_attributions(network: Network, digits: np.ndarray, background: np.ndarray, classes=None) -> np.ndarray:
    """The same attributions in closed form: DeepLIFT's rescale rule through the one hidden layer, averaged over the background.

    For a background digit ``b`` the hidden unit ``j`` passes on ``m_j = (f(z_j) - f(z_j(b))) / (z_j - z_j(b))``
    of its input's change (``f'(z_j)`` where the two are equal), so pixel ``i``'s share of class ``c``'s score is
    ``(x_i - b_i) * sum_j W_ij m_j V_jc``; the mean over the background is the attribution. For a linear network
    it is the linear model's ``w_ic (x_i - mean b_i)``.

    Returns:
        float32 (n, 784, classes), or (n, 784, len(classes)) for the classes named.

    Raises:
        ValueError: for a convolutional network, whose hidden layer reads its convolutions' maps, not the pixels:
            this one-layer closed form does not hold there; its attributions are ``explain``'s (shap's).
    """
    if network.convolutional:
        raise ValueError("rescale_attributions is the closed form for a hidden layer that reads the pixels, and this network's "
                         "reads its convolutions' maps; explain it with explain (shap's DeepExplainer) instead.")
    layers = pixel_layers(network)
    function, derivative = ACTIVATION_FUNCTIONS[str(layers["hidden_activation"])]
    kernel = layers["hidden_kernel"].astype(np.float64)
    outgoing = layers["output_weights"].astype(np.float64)
    if classes is not None:
        outgoing = outgoing[:, list(classes)]
    flat = np.asarray(digits, np.float64).reshape(len(digits), -1)
    reference = np.asarray(background, np.float64).reshape(len(background), -1)
    z = flat @ kernel + layers["hidden_bias"]
    z_reference = reference @ kernel + layers["hidden_bias"]
    result = np.zeros((len(flat), flat.shape[1], outgoing.shape[1]))
    for index, row in enumerate(z_reference):
        change = z - row
        close = np.abs(change) < 1e-6
        multiplier = np.where(close, derivative(z), (function(z) - function(row)) / np.where(close, 1.0, change))
        # (x - b)_i * sum_j W_ij m_nj V_jc, for every n, i, c
        result += (flat - reference[index])[:, :, None] * np.einsum("ij,nj,jc->nic", kernel, multiplier, outgoing)
    return (result / len(reference)).astype(np.float32)


def attribute(network: Network, digits: np.ndarray, classes: np.ndarray) -> np.ndarray:
    """Each digit's attribution toward one class each (``classes``, one per digit), measured against the network
    file's background: closed form for the activations shap's DeepExplainer has a rule for (the tests hold the two
    equal), shap's expected gradients for the others; a blank page is the background of a file that has none.
    A convolutional network's are shap's (``explain``) whatever its activations: the closed form is one hidden layer's.

    Returns:
        float32 (n, 784).
    """
    background = network.background if network.background is not None else np.zeros((1, 784), np.float32)
    classes = np.asarray(classes, dtype=np.intp)
    if not network.convolutional and str(network.layers["hidden_activation"]) in DEEP_ACTIVATIONS:
        return rescale_attributions(network, digits, background)[np.arange(len(classes)), :, classes]
    return explain(network, digits, background, classes=classes)[0]


def background_digits(images: np.ndarray, labels: np.ndarray, count: int, seed: int) -> np.ndarray:
    """``count`` training digits, as many of each class as can be (drawn with ``seed``): what attributions are measured against."""
    rng = np.random.default_rng(seed)
    classes = np.unique(labels)
    chosen = []
    for position, label in enumerate(classes):
        members = np.flatnonzero(labels == label)
        share = count // len(classes) + (1 if position < count % len(classes) else 0)
        chosen.extend(rng.choice(members, size=min(share, len(members)), replace=False))
    return np.asarray(images, np.float32).reshape(len(images), -1)[np.sort(np.asarray(chosen, dtype=np.intp))]


def class_attributions(network: Network, digits: np.ndarray, labels: np.ndarray, background: np.ndarray,
                       per_class: int, mistakes: int) -> dict[str, np.ndarray | float | str]:
    """What the stage keeps: each class's mean attribution toward itself, over its first ``per_class`` test digits,
    and the ``mistakes`` most confident mistakes with the attributions toward the wrong answer and the right one.

    Returns:
        ``class_mean`` (classes, 784); ``mistake_index``, ``mistake_true``, ``mistake_predicted``,
        ``mistake_confidence``, ``toward_predicted`` and ``toward_true`` (mistakes, 784); ``additivity_error``
        (the largest gap between a picture's summed attributions and its score minus the background's), ``method``
        and ``seconds``.
    """
    from hiddennodes.network.trained import softmax

    flat = np.asarray(digits, np.float32).reshape(len(digits), -1)
    labels = np.asarray(labels)
    num_classes = network.layers["output_weights"].shape[1]
    chosen = np.concatenate([np.flatnonzero(labels == label)[:per_class] for label in range(num_classes)])
    logits = scores(network, flat)
    probabilities = softmax(logits)
    predicted = probabilities.argmax(axis=1)
    wrong = np.flatnonzero(predicted != labels)
    worst = wrong[np.argsort(-probabilities[wrong, predicted[wrong]], kind="stable")][:mistakes]
    started = time.perf_counter()
    # Each digit toward its own class; each mistake toward its answer and toward the right one.
    explained = np.concatenate([chosen, worst, worst])
    targets = np.concatenate([labels[chosen], predicted[worst], labels[worst]])
    values, method = explain(network, flat[explained], background, classes=targets)
    seconds = time.perf_counter() - started
    expected = scores(network, background).mean(axis=0)
    additivity = float(np.abs(values.sum(axis=1) - (logits[explained, targets] - expected[targets])).max())
    own = values[: len(chosen)]
    class_mean = np.stack([own[labels[chosen] == label].mean(axis=0) if np.any(labels[chosen] == label)
                           else np.zeros(flat.shape[1], np.float32) for label in range(num_classes)])
    toward_predicted, toward_true = values[len(chosen) : len(chosen) + len(worst)], values[len(chosen) + len(worst):]
    return {
        "class_mean": class_mean.astype(np.float32),
        "mistake_index": worst.astype(np.int64),
        "mistake_true": labels[worst].astype(np.int64),
        "mistake_predicted": predicted[worst].astype(np.int64),
        "mistake_confidence": probabilities[worst, predicted[worst]].astype(np.float32),
        "toward_predicted": toward_predicted.astype(np.float32),
        "toward_true": toward_true.astype(np.float32),
        "additivity_error": additivity,
        "method": method,
        "seconds": seconds,
        "explained": int(len(chosen) + len(worst)),
    }
