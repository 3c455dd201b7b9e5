"""File handling shared by the stage scripts: params, atomic writes, arrays.

Every output is written to a temporary file beside its target and renamed
into place only when complete, so an interrupted stage never leaves a
half-written file that DVC or a user could mistake for a result.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Callable, Iterator

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # stages run as scripts; the package lives beside them
    sys.path.insert(0, str(ROOT))

from hiddennodes import PipelineError  # noqa: E402
from hiddennodes.params import Params, ParamsError, parse_params  # noqa: E402


def load_params(path: str | Path = "params.yaml") -> Params:
    """Read and validate params.yaml."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text())
    except FileNotFoundError:
        raise ParamsError(f"{path} not found; run the stage from the project's root folder.") from None
    except yaml.YAMLError as error:
        raise ParamsError(f"{path} is not valid YAML ({error}); fix the line it names.") from None
    return parse_params(raw or {})


@contextlib.contextmanager
def atomic_path(target: str | Path, suffix: str = "") -> Iterator[Path]:
    """Yield a temporary path beside ``target``; move it onto ``target`` only
    if the block succeeds, delete it otherwise. Works for files and folders."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=f".tmp{suffix}", dir=target.parent)
    os.close(handle)
    temporary = Path(temporary)
    temporary.unlink()
    try:
        yield temporary
        if temporary.is_dir() and target.exists():
            old = target.with_name(f".{target.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            target.rename(old)
            temporary.rename(target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(temporary, target)
    finally:
        if temporary.is_dir():
            shutil.rmtree(temporary, ignore_errors=True)
        elif temporary.exists():
            temporary.unlink()


def write_json(path: str | Path, data) -> None:
    with atomic_path(path) as temporary:
        temporary.write_text(json.dumps(data, indent=2) + "\n")


def read_json(path: str | Path):
    return json.loads(Path(path).read_text())


def write_text(path: str | Path, text: str) -> None:
    with atomic_path(path) as temporary:
        temporary.write_text(text)


def save_arrays(path: str | Path, **arrays: np.ndarray) -> None:
    """Save arrays as an uncompressed ``.npz`` (fast to load, DVC dedupes it)."""
    with atomic_path(path) as temporary:
        with open(temporary, "wb") as handle:
            np.savez(handle, **arrays)


def load_arrays(path: str | Path, keys: tuple[str, ...] | None = None) -> dict[str, np.ndarray]:
    """The arrays of an ``.npz``; with ``keys`` only those are read (an ``.npz`` reads each array on demand)."""
    with np.load(path) as data:
        return {key: data[key] for key in (data.files if keys is None else keys)}


def save_figure(path: str | Path, figure, dpi: int = 110) -> None:
    with atomic_path(path, suffix=Path(path).suffix) as temporary:
        figure.savefig(temporary, dpi=dpi)


def run(main: Callable[[], None]) -> None:
    """Run a stage's main; a PipelineError becomes one line on stderr and exit 1."""
    try:
        main()
    except PipelineError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(1)


SPLITS = ("train", "val", "test")


def load_splits(folder: str | Path) -> dict[str, dict[str, np.ndarray]]:
    """The train/val/test ``.npz`` files of one input kind, each with features and labels."""
    return {split: load_arrays(Path(folder) / f"{split}.npz") for split in SPLITS}


def save_splits(folder: str | Path, splits: dict[str, dict[str, np.ndarray]]) -> None:
    """Write the three splits into ``folder`` as one atomic step."""
    with atomic_path(folder) as temporary:
        temporary.mkdir()
        for split, arrays in splits.items():
            with open(temporary / f"{split}.npz", "wb") as handle:
                np.savez(handle, **arrays)
