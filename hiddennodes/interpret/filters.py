"""What a convolutional network's learnt filters respond to: per filter and class, and the test images that light it.

A filter's response to an image is the mean of its feature map (after the activation and the pooling): how much
of the image it finds its pattern in. Pure functions of the network's ``Filters`` and the test images.
"""

from __future__ import annotations

import numpy as np

from hiddennodes.image_bytes import image_bytes
from hiddennodes.interpret.node_stats import class_tuning, extreme_items_of_all, selectivity_index
from hiddennodes.network.convolution import Filters

LIT_IMAGES = 6  # test images kept per first-layer filter: those its map responds to most


def filter_responses(filters: Filters, images: np.ndarray, chunk_rows: int = 1024) -> list[np.ndarray]:
    """Each layer's mean feature-map response per image and filter: a list of (images, filters) arrays."""
    images = np.asarray(images, dtype=np.float32).reshape(len(images), -1)
    parts = [[maps.mean(axis=(1, 2)) for maps in filters.maps(images[start : start + chunk_rows])]
             for start in range(0, len(images), chunk_rows)]
    return [np.concatenate([part[layer] for part in parts]) for layer in range(len(filters.kernels))]


def filter_arrays(filters: Filters, test_images: np.ndarray, test_labels: np.ndarray, num_classes: int) -> dict[str, np.ndarray]:
    """The numbers behind the filter figures and the explorer's filter row.

    Returns:
        ``filter_kernels`` (filters, k, k): the first layer's kernels, as images; ``filter_tuning_<layer>``
        (filters, classes): each layer's mean response per class on the test images, layer 1, 2, ...;
        ``filter_selectivity`` (filters,): the first layer's class selectivity (as the hidden nodes'); ``filter_lit``
        (filters, LIT_IMAGES, 784) bytes and ``filter_lit_index`` (filters, LIT_IMAGES): the test images each
        first-layer filter responds to most, most first.
    """
    responses = filter_responses(filters, test_images)
    arrays = {"filter_kernels": np.asarray(filters.kernels[0][:, :, 0, :], dtype=np.float32).transpose(2, 0, 1)}
    for layer, response in enumerate(responses, start=1):
        arrays[f"filter_tuning_{layer}"] = class_tuning(response, test_labels, num_classes).astype(np.float32)
    arrays["filter_selectivity"] = selectivity_index(arrays["filter_tuning_1"]).astype(np.float32)
    lit, _ = extreme_items_of_all(responses[0], LIT_IMAGES)
    arrays["filter_lit_index"] = lit.astype(np.int32)
    arrays["filter_lit"] = image_bytes(np.asarray(test_images).reshape(len(test_images), -1)[lit])
    return arrays
