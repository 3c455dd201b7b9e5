"""The network as it was at chosen epochs of its training: its file, and each snapshot as a network to run.

The train stage keeps the layers at ``snapshots.epochs`` of params.yaml (0: as initialised, before any update), at the
kept epoch and at the last one (``hiddennodes.network.keras_model.KeepSnapshots``) and writes them beside the network
file as ``models/<experiment>/snapshots.npz``: ``epochs`` (ascending), ``kept_epoch``, and each layer's arrays stacked
along a first axis, one row per epoch (no pickle). A snapshot is the network file's network with those layers
(``network_at``), so every NumPy forward pass reads it as it reads the final network.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

import numpy as np

from hiddennodes.files import SetupError, load_npz, restore_hint, save_arrays
from hiddennodes.network.trained import Network

# Settings among the layers that are the same at every epoch (names, not weights).
FIXED = ("hidden_activation", "conv_activation", "conv_pool")


@dataclass(frozen=True)
class Snapshots:
    epochs: np.ndarray  # ascending
    kept_epoch: int
    layers: dict[str, np.ndarray]  # each (epochs, ...) but FIXED

    def index(self, epoch: int) -> int:
        return int(np.flatnonzero(self.epochs == epoch)[0])

    def network_at(self, network: Network, epoch: int) -> Network:
        """``network`` (the network file's, the kept epoch's) with the layers it had after ``epoch`` epochs."""
        row = self.index(epoch)
        layers = {name: (value if name in FIXED else value[row]) for name, value in self.layers.items()}
        return dataclasses.replace(network, layers={**network.layers, **layers})


def save_snapshots(path: str | Path, taken: Mapping[int, Mapping[str, np.ndarray]], kept_epoch: int) -> None:
    """The layers taken at each epoch (``KeepSnapshots.taken``), stacked, with the epoch the network file keeps."""
    epochs = sorted(taken)
    first = taken[epochs[0]]
    arrays = {name: (np.asarray(first[name]) if name in FIXED else np.stack([np.asarray(taken[epoch][name]) for epoch in epochs]))
              for name in first}
    save_arrays(path, epochs=np.array(epochs, dtype=np.int32), kept_epoch=np.array(kept_epoch, dtype=np.int32), **arrays)


def load_snapshots(path: str | Path) -> Snapshots:
    """A snapshots file the train stage wrote, or SetupError naming it and how to restore it."""
    arrays = load_npz(path)
    if "epochs" not in arrays or "kept_epoch" not in arrays or "hidden_kernel" not in arrays:
        raise SetupError(f"{path} is not a snapshots file the train stage wrote (no epochs, kept_epoch or hidden_kernel); "
                         f"{restore_hint(Path(path))}.")
    epochs = np.asarray(arrays.pop("epochs"))
    kept = int(arrays.pop("kept_epoch"))
    uneven = sorted(name for name, value in arrays.items() if name not in FIXED and len(value) != len(epochs))
    if uneven:
        raise SetupError(f"{path} holds {len(epochs)} epochs but {', '.join(uneven)} of another length; {restore_hint(Path(path))}.")
    if kept not in epochs:
        raise SetupError(f"{path} does not hold its kept epoch, {kept}, among its epochs; {restore_hint(Path(path))}.")
    return Snapshots(epochs=epochs, kept_epoch=kept, layers=arrays)
