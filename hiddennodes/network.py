"""A trained experiment read back from the files the pipeline wrote, run in NumPy.

Everything is read without pickle (``.npz`` with ``allow_pickle=False`` and
JSON), so a file handed over by someone else cannot run code; a missing,
damaged or foreign file ends in one sentence naming it and how to restore it.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np

from hiddennodes import PipelineError
from hiddennodes.interpret import forward, input_map


class SetupError(PipelineError):
    """A file the experiment needs is missing or damaged; the message names it and the fix."""


def restore_hint(path: Path) -> str:
    return f"restore it with `dvc checkout {path.as_posix()}` or rerun `dvc repro`"


def load_npz(path: Path, keys: tuple[str, ...]) -> dict[str, np.ndarray]:
    """The named arrays of an ``.npz`` the pipeline wrote, or SetupError in one sentence."""
    try:
        with np.load(path, allow_pickle=False) as arrays:
            missing = [key for key in keys if key not in arrays.files]
            if missing:
                raise SetupError(f"{path} has no {', '.join(missing)} array, so the pipeline did not write it; {restore_hint(path)}.")
            return {key: arrays[key] for key in keys}
    except FileNotFoundError:
        raise SetupError(f"{path} not found; run `dvc repro` first (or `dvc pull` where a remote holds the results).") from None
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:
        raise SetupError(f"{path} cannot be read ({error}), so it is damaged or truncated; {restore_hint(path)}.") from None


def load_json(path: Path, keys: tuple[str, ...] = ()) -> dict:
    """A JSON object the pipeline wrote, checked to hold ``keys``, or SetupError in one sentence."""
    try:
        data = json.loads(Path(path).read_text())
    except FileNotFoundError:
        raise SetupError(f"{path} not found; run `dvc repro` first (or `dvc pull` where a remote holds the results).") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SetupError(f"{path} is not valid JSON ({error}), so it is empty or damaged; {restore_hint(Path(path))}.") from None
    missing = [key for key in keys if not isinstance(data, dict) or key not in data]
    if missing:
        raise SetupError(f"{path} has no {', '.join(repr(key) for key in missing)}, so the pipeline did not write it; "
                         f"{restore_hint(Path(path))}.")
    return data


class Network:
    """A trained experiment (``models/expN/weights.npz`` and how its inputs come from pixels), ready for 28x28 digits."""

    PARAMETERS = ("hidden_kernel", "hidden_bias", "hidden_activation", "output_weights", "output_bias")

    def __init__(self, project: Path, experiment: str):
        project = Path(project)
        self.parameters = load_npz(project / "models" / experiment / "weights.npz", self.PARAMETERS)
        kind = load_json(project / "metrics" / experiment / "train.json", ("inputs",))["inputs"]
        inputs = self.parameters["hidden_kernel"].shape[0]
        if kind == "pca":
            pca = load_npz(project / "models" / "pca.npz", ("components", "mean"))
            self.matrix, self.offset = input_map(inputs, pca_components=pca["components"], pca_mean=pca["mean"])
        elif kind == "top pixels":
            pixels = load_npz(project / "models" / "pixels.npz", ("indices",))
            self.matrix, self.offset = input_map(inputs, pixel_indices=pixels["indices"])
        else:
            self.matrix, self.offset = input_map(inputs)

    def features(self, digits: np.ndarray) -> np.ndarray:
        """The network's inputs for (n, 28, 28) digits in [0, 1]: pixels, PCA components or selected pixels."""
        flat = digits.reshape(len(digits), -1).astype(np.float32)
        if self.matrix is None:
            return flat
        inputs = flat @ self.matrix
        return (inputs if self.offset is None else inputs + self.offset).astype(np.float32)

    def probabilities(self, digits: np.ndarray) -> np.ndarray:
        return forward(self.parameters, self.features(digits))[1]
