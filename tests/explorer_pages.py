"""Explorer pages for tests and benchmarks, built the way the explorer stage builds them, from networks in memory."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from hiddennodes.explorer_page import experiment_payload, render_explorer
from hiddennodes.interpretation import interpret
from hiddennodes.network import Network

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "hiddennodes" / "web"


def page_html(experiments: dict[str, tuple[Network, str]], train_images: np.ndarray, train_labels: np.ndarray,
              test_images: np.ndarray, test_labels: np.ndarray, reference: str | None = None,
              accuracy: dict[str, float] | None = None) -> str:
    """The explorer page for ``{name: (network, label)}``, interpreted on the given pixel images ((n, 784) in [0, 1])."""
    payloads = []
    for name, (network, label) in experiments.items():
        train_hidden = network.run(network.features(train_images))[0]
        test_hidden = network.run(network.features(test_images))[0]
        arrays = interpret(network, train_hidden, train_labels, test_hidden, test_labels, train_images)
        payloads.append(experiment_payload(name, label, network, arrays, (accuracy or {}).get(name)))
    class_names = list(next(iter(experiments.values()))[0].class_names)
    return render_explorer("What the hidden nodes see: draw a digit and watch them", class_names, payloads,
                           reference or next(iter(experiments)), template=(WEB / "explorer.html").read_text(),
                           script=(WEB / "explorer.js").read_text(), style=(WEB / "explorer.css").read_text())


def pixel_network(layers: dict[str, np.ndarray], class_names=tuple(str(digit) for digit in range(10))) -> Network:
    return Network(layers=dict(layers), input_kind="pixels", input_arrays={}, class_names=tuple(class_names))


def random_network(units: int, seed: int = 0, inputs: int = 784, activation: str = "relu") -> Network:
    """A 784-``units``-10 network with random weights: the page's shapes and work, for timings."""
    rng = np.random.default_rng(seed)
    layers = {"hidden_kernel": rng.normal(0, 0.05, (inputs, units)).astype(np.float32),
              "hidden_bias": rng.normal(0, 0.05, units).astype(np.float32), "hidden_activation": np.array(activation),
              "output_weights": rng.normal(0, 0.3, (units, 10)).astype(np.float32), "output_bias": np.zeros(10, np.float32)}
    return pixel_network(layers)
