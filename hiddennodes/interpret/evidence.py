"""Where ink adds evidence for a class and where it takes it away.

A class's **evidence map** is the gradient of its score (logit) minus the mean of the scores with respect to the
784 pixels, averaged over the class's test digits: a positive pixel means a little more ink there raises the class
against the others, a negative one lowers it. Subtracting the mean score leaves out what raises every score alike,
which says nothing about the class. For a dense network the gradient is the hidden layer's pixel-space weights times
each digit's slope of the activation times the output weights (closed form, NumPy); a convolutional one's comes from
TensorFlow through its convolutions. Which parts of the picture it is strongest in: ``hiddennodes.interpret.regions``.
"""

from __future__ import annotations

import numpy as np

from hiddennodes.network.trained import ACTIVATION_FUNCTIONS, Network


def class_evidence(network: Network, digits: np.ndarray, labels: np.ndarray, num_classes: int) -> np.ndarray:
    """Each class's evidence map, (num_classes, 784): the mean over its digits of d(score_c - mean score)/d(pixels).
    A class without digits gets zeros."""
    pixels = np.asarray(digits, np.float32).reshape(len(digits), -1)
    maps = np.zeros((num_classes, pixels.shape[1]), np.float32)
    for label in range(num_classes):
        mine = pixels[np.asarray(labels) == label]
        if len(mine):
            maps[label] = _gradients(network, mine, label).mean(axis=0)
    return maps


def _gradients(network: Network, pixels: np.ndarray, label: int) -> np.ndarray:
    """d(score_label - mean score)/d(pixels) for each row of ``pixels``."""
    from hiddennodes.interpret.attributions import pixel_layers, score_model

    layers = pixel_layers(network)
    outputs = np.asarray(layers["output_weights"], np.float64)
    direction = outputs[:, label] - outputs.mean(axis=1)  # (hidden,): the contrast's weight on each node
    if not network.convolutional:
        slope = ACTIVATION_FUNCTIONS[str(layers["hidden_activation"])][1]
        kernel = np.asarray(layers["hidden_kernel"], np.float64)
        pre = pixels.astype(np.float64) @ kernel + np.asarray(layers["hidden_bias"], np.float64)
        return ((slope(pre) * direction) @ kernel.T).astype(np.float32)
    import tensorflow as tf

    model = score_model(network)
    contrast = tf.constant(np.eye(outputs.shape[1])[label] - 1.0 / outputs.shape[1], tf.float32)
    inputs = tf.constant(pixels, tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(inputs)
        score = tf.reduce_sum(model(inputs) * contrast)
    return tape.gradient(score, inputs).numpy()
