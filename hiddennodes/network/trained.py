"""A trained experiment: one self-describing object, its forward pass in NumPy, and its file.

The train stage writes it as ``models/<experiment>/network.npz``
(``save_network``; read back without pickle by ``load_network``): both layers' weights, how the network's
inputs come from a digit's 784 pixels (all of them, PCA components and mean, or
the indices of the selected pixels), the class names, and the settings it was
trained with. Everything that runs a network (activations, interpretation,
robustness, calibration, prediction) is handed that one file and needs nothing else.

The forward pass is NumPy's, without TensorFlow: what Keras's ``predict`` returns
for the network, and how its inputs come from a digit's pixels (``forward``,
``input_map``), so every stage but the training reads a network without
importing TensorFlow.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from hiddennodes.data.datasets import IMAGE_PIXELS, IMAGE_SHAPE
from hiddennodes.files import SetupError, load_npz, restore_hint, save_arrays
from hiddennodes.network.convolution import Filters

# The hidden activations Keras offers (hiddennodes.config.sections.ACTIVATIONS) in NumPy, each
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
            as ``hiddennodes.network.keras_model.layer_parameters`` returns them.
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
    (see :func:`hiddennodes.interpret.preferred.class_preferred_inputs`): None, None for raw pixels."""
    if pca_components is not None:
        components = np.asarray(pca_components, dtype=np.float64)
        return components.T, -np.asarray(pca_mean, dtype=np.float64) @ components.T
    if pixel_indices is not None:
        matrix = np.zeros((IMAGE_PIXELS, input_count))
        matrix[np.asarray(pixel_indices), np.arange(input_count)] = 1.0
        return matrix, None
    return None, None

LAYERS = ("hidden_kernel", "hidden_bias", "hidden_activation", "output_weights", "output_bias")
# A convolutional network's file adds conv1_kernel, conv1_bias, conv2_kernel, ... (Keras's (k, k, in, out) kernels),
# conv_activation and conv_pool: the layers before its dense hidden layer (hiddennodes.network.convolution).
CONV_SETTINGS = ("conv_activation", "conv_pool")


def conv_layer_names(arrays) -> list[str]:
    """The ``conv<i>_kernel``/``conv<i>_bias`` keys of a network file's arrays, in order."""
    count = 0
    while f"conv{count + 1}_kernel" in arrays:
        count += 1
    return [f"conv{index}_{part}" for index in range(1, count + 1) for part in ("kernel", "bias")]
# The arrays of each input kind's map from pixels (data/inputs/<kind>/map.npz and the network file).
INPUT_MAPS = {"pixels": (), "pca": ("pca_components", "pca_mean"), "top_pixels": ("pixel_indices",)}


def _text(array: np.ndarray) -> str:
    return str(np.asarray(array).item()) if np.asarray(array).ndim == 0 else ""


@dataclass(frozen=True, eq=False)
class Network:
    """The layers (``hiddennodes.network.trained.forward``'s parameters), the input map, class names and training settings."""

    layers: dict[str, np.ndarray]
    input_kind: str
    input_arrays: dict[str, np.ndarray]
    class_names: tuple[str, ...]
    settings: dict = field(default_factory=dict)
    # Training digits (k, 784) the attributions are measured against (hiddennodes.interpret.attributions); None in older files.
    background: np.ndarray | None = None

    def __post_init__(self):
        kernel = self.layers["hidden_kernel"]
        filters = None
        if "conv1_kernel" in self.layers:
            names = conv_layer_names(self.layers)
            filters = Filters(kernels=tuple(self.layers[name] for name in names[0::2]),
                              biases=tuple(self.layers[name] for name in names[1::2]),
                              activation=str(self.layers["conv_activation"]), pool=int(self.layers["conv_pool"]))
        object.__setattr__(self, "filters", filters)
        matrix, offset = input_map(kernel.shape[0], pca_components=self.input_arrays.get("pca_components"),
                                   pca_mean=self.input_arrays.get("pca_mean"), pixel_indices=self.input_arrays.get("pixel_indices"))
        object.__setattr__(self, "matrix", matrix)
        object.__setattr__(self, "offset", offset)

    @property
    def hidden_units(self) -> int:
        return int(self.layers["hidden_kernel"].shape[1])

    @property
    def num_inputs(self) -> int:
        """The values the network reads: its pixels, components or selected pixels (a convolutional one reads the pixels)."""
        return IMAGE_PIXELS if self.filters is not None else int(self.layers["hidden_kernel"].shape[0])

    @property
    def convolutional(self) -> bool:
        return self.filters is not None

    def features(self, digits: np.ndarray) -> np.ndarray:
        """The network's inputs for (n, 28, 28) or (n, 784) digits in [0, 1]: pixels, PCA components or selected pixels."""
        flat = digits.reshape(len(digits), -1).astype(np.float32)
        if self.matrix is None:
            return flat
        inputs = flat @ self.matrix
        return (inputs if self.offset is None else inputs + self.offset).astype(np.float32)

    def run(self, features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Hidden activations and class probabilities for inputs already in the network's own terms
        (through the convolutions first, for a convolutional network)."""
        if self.filters is not None:  # Filters.flat takes the images a chunk at a time
            return forward(self.layers, self.filters.flat(features))
        return forward(self.layers, features)

    def probabilities(self, digits: np.ndarray) -> np.ndarray:
        return self.run(self.features(digits))[1]

    def to_arrays(self) -> dict[str, np.ndarray]:
        arrays = {**self.layers, "input_kind": np.array(self.input_kind), **self.input_arrays,
                  "class_names": np.array(self.class_names), "settings": np.array(json.dumps(self.settings, sort_keys=True))}
        if self.background is not None:
            arrays["attribution_background"] = np.asarray(self.background, dtype=np.float32)
        return arrays

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> Network:
        """The network held in a network file's arrays; ValueError in words when one is missing or does not fit."""
        kind = _text(arrays.get("input_kind", np.array(None)))
        if kind not in INPUT_MAPS:
            raise ValueError(f"its input_kind is {kind!r}, not one of {', '.join(INPUT_MAPS)}")
        conv = conv_layer_names(arrays)
        missing = [key for key in (*LAYERS, *INPUT_MAPS[kind], "class_names", "settings", *(CONV_SETTINGS if conv else ()))
                   if key not in arrays]
        if missing:
            raise ValueError(f"it has no {', '.join(missing)} array")
        if conv and kind != "pixels":
            raise ValueError(f"its convolutions read pixels, but its input_kind is {kind!r}")
        layers = {key: arrays[key] for key in (*LAYERS, *conv, *(CONV_SETTINGS if conv else ()))}
        kernel, output = layers["hidden_kernel"], layers["output_weights"]
        if kernel.ndim != 2 or output.ndim != 2 or kernel.shape[1] != output.shape[0] or output.shape[1] != len(arrays["class_names"]):
            raise ValueError(f"its layers' shapes {kernel.shape} and {output.shape} do not fit {len(arrays['class_names'])} classes")
        if conv:
            _check_filters(layers, kernel.shape[0])
        background = arrays.get("attribution_background")
        if background is not None and (background.ndim != 2 or background.shape[1] != (kernel.shape[0] if kind == "pixels" and not conv else 784)):
            raise ValueError(f"its attribution_background has shape {background.shape}, not (digits, 784)")
        return cls(layers=layers, input_kind=kind, input_arrays={key: arrays[key] for key in INPUT_MAPS[kind]},
                   class_names=tuple(str(name) for name in arrays["class_names"]), settings=json.loads(_text(arrays["settings"]) or "{}"),
                   background=background)


def _check_filters(layers: dict[str, np.ndarray], hidden_inputs: int) -> None:
    """ValueError in words unless the convolutions chain (each kernel square, reading the channels the one before makes)
    and end in as many values as the hidden layer reads."""
    channels, size, pool = 1, IMAGE_SHAPE[0], layers["conv_pool"]
    if np.asarray(pool).ndim != 0 or not 1 <= int(pool) <= 4 or str(layers["conv_activation"]) not in ACTIVATION_FUNCTIONS:
        raise ValueError(f"its conv_pool {pool!r} or conv_activation {layers['conv_activation']!r} is not one Keras offers here")
    names = conv_layer_names(layers)
    for kernel_name, bias_name in zip(names[0::2], names[1::2]):
        kernel, bias = layers[kernel_name], layers[bias_name]
        if kernel.ndim != 4 or kernel.shape[0] != kernel.shape[1] or kernel.shape[2] != channels or bias.shape != (kernel.shape[3],):
            raise ValueError(f"its {kernel_name} has shape {kernel.shape} and {bias_name} {bias.shape}; "
                             f"a (k, k, {channels}, filters) kernel and (filters,) bias were expected")
        channels, size = kernel.shape[3], (size - kernel.shape[0] + 1) // int(pool)
        if size < 1:
            raise ValueError(f"its {kernel_name} leaves no pixel of the 28x28 image")
    if size * size * channels != hidden_inputs:
        raise ValueError(f"its convolutions end in {size * size * channels} values but its hidden layer reads {hidden_inputs}")


def save_network(path: str | Path, network: Network) -> None:
    save_arrays(path, **network.to_arrays())


def load_network(path: str | Path) -> Network:
    """The network file the train stage wrote, or SetupError naming it and how to restore it."""
    try:
        return Network.from_arrays(load_npz(path))
    except ValueError as error:
        raise SetupError(f"{path} is not a network file the train stage wrote ({error}); {restore_hint(Path(path))}.") from None
