"""A trained experiment as one self-describing object: run in NumPy on 28x28 digits.

The train stage writes it as ``models/<experiment>/network.npz``
(``hiddennodes.files.save_network``): both layers' weights, how the network's
inputs come from a digit's 784 pixels (all of them, PCA components and mean, or
the indices of the selected pixels), the class names, and the settings it was
trained with. Everything that runs a network (activations, interpretation,
robustness, calibration, prediction) is handed that one file and needs nothing else.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np

from hiddennodes.forward import forward, input_map

LAYERS = ("hidden_kernel", "hidden_bias", "hidden_activation", "output_weights", "output_bias")
# The arrays of each input kind's map from pixels (data/inputs/<kind>/map.npz and the network file).
INPUT_MAPS = {"pixels": (), "pca": ("pca_components", "pca_mean"), "top_pixels": ("pixel_indices",)}


def _text(array: np.ndarray) -> str:
    return str(np.asarray(array).item()) if np.asarray(array).ndim == 0 else ""


@dataclass(frozen=True, eq=False)
class Network:
    """The layers (``hiddennodes.forward.forward``'s parameters), the input map, class names and training settings."""

    layers: dict[str, np.ndarray]
    input_kind: str
    input_arrays: dict[str, np.ndarray]
    class_names: tuple[str, ...]
    settings: dict = field(default_factory=dict)
    # Training digits (k, 784) the attributions are measured against (hiddennodes.attributions); None in older files.
    background: np.ndarray | None = None

    def __post_init__(self):
        kernel = self.layers["hidden_kernel"]
        matrix, offset = input_map(kernel.shape[0], pca_components=self.input_arrays.get("pca_components"),
                                   pca_mean=self.input_arrays.get("pca_mean"), pixel_indices=self.input_arrays.get("pixel_indices"))
        object.__setattr__(self, "matrix", matrix)
        object.__setattr__(self, "offset", offset)

    @property
    def hidden_units(self) -> int:
        return int(self.layers["hidden_kernel"].shape[1])

    @property
    def num_inputs(self) -> int:
        return int(self.layers["hidden_kernel"].shape[0])

    def features(self, digits: np.ndarray) -> np.ndarray:
        """The network's inputs for (n, 28, 28) or (n, 784) digits in [0, 1]: pixels, PCA components or selected pixels."""
        flat = digits.reshape(len(digits), -1).astype(np.float32)
        if self.matrix is None:
            return flat
        inputs = flat @ self.matrix
        return (inputs if self.offset is None else inputs + self.offset).astype(np.float32)

    def run(self, features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Hidden activations and class probabilities for inputs already in the network's own terms."""
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
        missing = [key for key in (*LAYERS, *INPUT_MAPS[kind], "class_names", "settings") if key not in arrays]
        if missing:
            raise ValueError(f"it has no {', '.join(missing)} array")
        layers = {key: arrays[key] for key in LAYERS}
        kernel, output = layers["hidden_kernel"], layers["output_weights"]
        if kernel.ndim != 2 or output.ndim != 2 or kernel.shape[1] != output.shape[0] or output.shape[1] != len(arrays["class_names"]):
            raise ValueError(f"its layers' shapes {kernel.shape} and {output.shape} do not fit {len(arrays['class_names'])} classes")
        background = arrays.get("attribution_background")
        if background is not None and (background.ndim != 2 or background.shape[1] != (kernel.shape[0] if kind == "pixels" else 784)):
            raise ValueError(f"its attribution_background has shape {background.shape}, not (digits, 784)")
        return cls(layers=layers, input_kind=kind, input_arrays={key: arrays[key] for key in INPUT_MAPS[kind]},
                   class_names=tuple(str(name) for name in arrays["class_names"]), settings=json.loads(_text(arrays["settings"]) or "{}"),
                   background=background)
