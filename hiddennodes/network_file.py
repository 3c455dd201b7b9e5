"""The network file, ``models/<experiment>/network.npz``: one trained experiment, read without pickle."""

from __future__ import annotations

from pathlib import Path

from hiddennodes.files import SetupError, load_npz, restore_hint, save_arrays
from hiddennodes.network import Network


def save_network(path: str | Path, network: Network) -> None:
    save_arrays(path, **network.to_arrays())


def load_network(path: str | Path) -> Network:
    """The network file the train stage wrote, or SetupError naming it and how to restore it."""
    try:
        return Network.from_arrays(load_npz(path))
    except ValueError as error:
        raise SetupError(f"{path} is not a network file the train stage wrote ({error}); {restore_hint(Path(path))}.") from None
