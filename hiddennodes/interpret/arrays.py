"""What each hidden node of one network responds to, and what carries each class: the numbers behind the
interpret stage's figures, its ``nodes.json`` and the explorer page, from a network and its activations."""

from __future__ import annotations

import numpy as np

from hiddennodes.image_bytes import image_bytes
from hiddennodes.interpret.node_stats import (ablation_importance, activation_scale, class_contributions, scatter_sample,
                                              class_quantiles, class_tuning, dead_nodes, extreme_items_of_all,
                                              selectivity_index)
from hiddennodes.interpret.evidence import class_evidence
from hiddennodes.interpret.filters import filter_arrays
from hiddennodes.interpret.regions import ink_weight
from hiddennodes.interpret.preferred import (class_preferred_inputs, conv_preferred_inputs, conv_sensitivity,
                                             preferred_input_in_box, weights_in_pixel_space)
from hiddennodes.network.trained import Network
from hiddennodes.words import describe_node

EXTREME_IMAGES = 6  # most and least activating training images kept per node


def interpret(network: Network, train_hidden: np.ndarray, train_labels: np.ndarray, test_hidden: np.ndarray,
              test_labels: np.ndarray, train_images: np.ndarray, test_images: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Every node's and every class's numbers, as arrays (saved whole as the interpret stage's arrays file).

    Args:
        train_hidden, test_hidden: the hidden activations of the training and test images.
        train_images: the training images' pixels in [0, 1], (n, 784), for the most and least activating ones.

    Returns:
        Per node: ``pixel_weights`` (its incoming weights per pixel), ``preferred`` (the [0, 1] image that drives
        it most), ``tuning`` (mean per class on the test images), ``quantiles`` (5th/25th/50th/75th/95th
        percentiles per class), ``selectivity``, ``importance`` (test accuracy lost without it), ``dead``,
        ``descriptions``, ``activation_scale`` (its 99th percentile on the training images), ``top_images`` and
        ``silent_images`` (bytes). Per class: ``class_images`` (its preferred input), ``class_probabilities``
        (each class image's probabilities, a row per image), ``class_contributions`` (class, node).
        ``sample_hidden`` and ``sample_labels``: training digits to scatter, for layers of one or two nodes.
        ``class_evidence`` (class, 784): where ink raises each class's score against the others, on its test digits
        (on the training digits without ``test_images``; ``hiddennodes.interpret.evidence``), ``class_mean_digits``
        (class, 784) and ``mean_ink`` (784), the training digits' means it is read over.

        A convolutional network's nodes have no fixed weight per pixel: its ``pixel_weights`` are each node's gradient
        to the pixels averaged over the training images that drive it most (``conv_sensitivity``), its ``preferred`` images come from
        gradient ascent through the convolutions (``conv_preferred_inputs``), and it adds the filters' arrays
        (``hiddennodes.interpret.filters.filter_arrays``, on ``test_images``).
    """
    class_names = list(network.class_names)
    layers = network.layers
    tuning = class_tuning(test_hidden, test_labels, len(class_names))
    start = np.full(train_images.shape[1], train_images.mean())
    mean_ink = train_images.mean(axis=0)
    allowed = ink_weight(mean_ink)  # the preferred inputs keep to where training digits put ink
    tops, silents = extreme_items_of_all(train_hidden, EXTREME_IMAGES)
    extra = {}
    if network.convolutional:
        if test_images is None:
            raise ValueError("a convolutional network's filters are measured on the test images: pass test_images.")
        class_images, class_probabilities, preferred = conv_preferred_inputs(
            network.filters, layers["hidden_kernel"], layers["hidden_bias"], str(layers["hidden_activation"]),
            layers["output_weights"], layers["output_bias"], start=start, allowed=allowed)
        pixel_weights = conv_sensitivity(network.filters, layers["hidden_kernel"], train_images[tops])
        extra = filter_arrays(network.filters, test_images, test_labels, len(class_names))
    else:
        pixel_weights = weights_in_pixel_space(layers["hidden_kernel"], pca_components=network.input_arrays.get("pca_components"),
                                               pixel_indices=network.input_arrays.get("pixel_indices"))
        preferred = preferred_input_in_box(pixel_weights)
        class_images, class_probabilities = class_preferred_inputs(
            layers["hidden_kernel"], layers["hidden_bias"], str(layers["hidden_activation"]), layers["output_weights"],
            layers["output_bias"], start=start, input_matrix=network.matrix, input_offset=network.offset, allowed=allowed)
    units = network.hidden_units
    evidence_digits, evidence_labels = (test_images, test_labels) if test_images is not None else (train_images, train_labels)
    mean_digits = class_tuning(train_images, train_labels, len(class_names)).T  # each class's mean training image
    sample = scatter_sample(len(train_hidden)) if units <= 2 else np.arange(0)
    return {
        "pixel_weights": pixel_weights.astype(np.float32),
        "preferred": preferred.astype(np.float32),
        "tuning": tuning.astype(np.float32),
        "quantiles": class_quantiles(test_hidden, test_labels, len(class_names)),
        "selectivity": selectivity_index(tuning).astype(np.float32),
        "importance": ablation_importance(test_hidden, layers["output_weights"], layers["output_bias"], test_labels).astype(np.float32),
        "dead": dead_nodes(test_hidden),
        "descriptions": np.array([describe_node(tuning[node], class_names) for node in range(units)]),
        "activation_scale": activation_scale(train_hidden),
        "top_images": image_bytes(train_images[tops]),
        "silent_images": image_bytes(train_images[silents]),
        "class_images": class_images.astype(np.float32),
        "class_probabilities": class_probabilities.astype(np.float32),
        "class_contributions": class_contributions(test_hidden, test_labels, layers["output_weights"], len(class_names)).astype(np.float32),
        "class_evidence": class_evidence(network, evidence_digits, evidence_labels, len(class_names)),
        "class_mean_digits": mean_digits.astype(np.float32),
        "mean_ink": mean_ink.astype(np.float32),
        "sample_hidden": train_hidden[sample].astype(np.float32),
        "sample_labels": train_labels[sample].astype(np.uint8),
        **extra,
    }
