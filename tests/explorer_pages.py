"""Explorer pages for tests and benchmarks, built the way the explorer stage builds them, from networks in memory."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from hiddennodes.explorer.page import experiment_payload, render_explorer
from hiddennodes.interpret.arrays import interpret
from hiddennodes.network.trained import Network

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "hiddennodes" / "explorer" / "web"


def page_html(experiments: dict[str, tuple[Network, str]], train_images: np.ndarray, train_labels: np.ndarray,
              test_images: np.ndarray, test_labels: np.ndarray, reference: str | None = None,
              accuracy: dict[str, float] | None = None, item: str = "digit") -> str:
    """The explorer page for ``{name: (network, label)}``, interpreted on the given pixel images ((n, 784) in [0, 1])."""
    payloads = []
    for name, (network, label) in experiments.items():
        arrays = interpretation(network, train_images, train_labels, test_images, test_labels)
        payloads.append(experiment_payload(name, label, network, arrays, (accuracy or {}).get(name)))
    class_names = list(next(iter(experiments.values()))[0].class_names)
    return render_explorer(f"What the hidden nodes see: draw a {item} and watch them", class_names, payloads,
                           reference or next(iter(experiments)), template=(WEB / "explorer.html").read_text(),
                           script=(WEB / "explorer.js").read_text(), style=(WEB / "explorer.css").read_text(), item=item)


def interpretation(network: Network, train_images: np.ndarray, train_labels: np.ndarray, test_images: np.ndarray,
                   test_labels: np.ndarray) -> dict[str, np.ndarray]:
    """The interpret stage's arrays for a network, dense or convolutional."""
    train_hidden = network.run(network.features(train_images))[0]
    test_hidden = network.run(network.features(test_images))[0]
    return interpret(network, train_hidden, train_labels, test_hidden, test_labels, train_images, test_images)


def pixel_network(layers: dict[str, np.ndarray], class_names=tuple(str(digit) for digit in range(10))) -> Network:
    return Network(layers=dict(layers), input_kind="pixels", input_arrays={}, class_names=tuple(class_names))


def random_network(units: int, seed: int = 0, inputs: int = 784, activation: str = "relu") -> Network:
    """A 784-``units``-10 network with random weights: the page's shapes and work, for timings."""
    rng = np.random.default_rng(seed)
    layers = {"hidden_kernel": rng.normal(0, 0.05, (inputs, units)).astype(np.float32),
              "hidden_bias": rng.normal(0, 0.05, units).astype(np.float32), "hidden_activation": np.array(activation),
              "output_weights": rng.normal(0, 0.3, (units, 10)).astype(np.float32), "output_bias": np.zeros(10, np.float32)}
    return pixel_network(layers)


def conv_network(units: int = 16, filters: tuple[int, ...] = (4, 6), kernel_size: int = 5, pool: int = 2, seed: int = 0,
                 activation: str = "relu") -> Network:
    """A convolutional 784-``units``-10 network as the train stage writes it (Keras's build_model, its layers read back
    by layer_parameters), with random weights and random biases (Keras starts them at 0, which would hide a bias
    the page forgot)."""
    import os

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import keras

    from hiddennodes.network.keras_model import build_model, layer_parameters

    keras.utils.set_random_seed(seed)
    model = build_model(784, units, 10, activation, "adam", 0.001, filters=filters, kernel_size=kernel_size, pool=pool)
    layers = layer_parameters(model)
    rng = np.random.default_rng(seed)
    for key in [key for key in layers if key.endswith("_bias")]:
        layers[key] = rng.normal(0, 0.05, layers[key].shape).astype(np.float32)
    return pixel_network(layers)


def digit_strokes(image: np.ndarray, side: int = 280) -> tuple[list[list[tuple[float, float]]], float]:
    """A 28x28 digit as pen strokes on a ``side`` x ``side`` pad, the way a person would draw it: the strokes'
    centre lines (the skeleton of the enlarged digit, traced end to end) and the pen width that inks as wide.

    Returns:
        ``(strokes, pen_width)``: each stroke a list of (x, y) pad coordinates.
    """
    from scipy import ndimage
    from skimage.morphology import skeletonize

    from hiddennodes.reading.prepare import upscaled

    factor = side // 28
    inked = upscaled(np.asarray(image, dtype=np.float32).reshape(28, 28), factor) > 0.4
    skeleton = skeletonize(inked)
    remaining = set(zip(*(axis.tolist() for axis in np.nonzero(skeleton))))
    # The stroke's half-width is the distance from its centre line to the paper.
    pen = 2 * float(ndimage.distance_transform_edt(inked)[skeleton].mean()) if skeleton.any() else 10.0

    def free_neighbours(point):
        row, column = point
        return [(row + dr, column + dc) for dr in (-1, 0, 1) for dc in (-1, 0, 1) if (dr or dc) and (row + dr, column + dc) in remaining]

    strokes = []
    while remaining:
        ends = [point for point in remaining if len(free_neighbours(point)) <= 1]
        current = min(ends) if ends else min(remaining)
        remaining.discard(current)
        path = [current]
        while neighbours := free_neighbours(current):
            current = min(neighbours, key=lambda q: abs(q[0] - current[0]) + abs(q[1] - current[1]))
            remaining.discard(current)
            path.append(current)
        if len(path) >= 3:
            strokes.append([(column + 0.5, row + 0.5) for row, column in path])
    return strokes, pen


def draw_strokes(page, strokes: list[list[tuple[float, float]]], pen: float, every: int = 6) -> None:
    """Draw on the explorer's pad with real pointer events (pointerdown, pointermove, pointerup)."""
    page.locator("#pen").fill(str(min(60, max(6, round(pen)))))
    box = page.locator("#pad").bounding_box()
    for stroke in strokes:
        x, y = stroke[0]
        page.mouse.move(box["x"] + x, box["y"] + y)
        page.mouse.down()
        for x, y in [*stroke[every::every], stroke[-1]]:
            page.mouse.move(box["x"] + x, box["y"] + y)
        page.mouse.up()


def clean_picture(image: np.ndarray, factor: int = 4, margin: int = 8) -> np.ndarray:
    """A 28x28 digit as a clean picture of it: enlarged (bicubic), dark ink on white paper with a margin, uint8.
    128 pixels a side by default: a crop of one digit to the prediction command, so a broken stroke stays one digit."""
    from hiddennodes.reading.prepare import upscaled

    ink = np.pad(upscaled(np.asarray(image, dtype=np.float32).reshape(28, 28), factor), margin)
    return np.round(255 * (1 - np.clip(ink, 0.0, 1.0))).astype(np.uint8)
