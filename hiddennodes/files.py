"""Reading and writing the pipeline's files: the only module of the library that opens one.

Outputs are written to a temporary path beside the target and renamed into place
only when complete, so an interrupted stage never leaves a half-written file that
DVC or a user could mistake for a result; the temporary paths an earlier run left
behind when it was killed are removed the next time the same target is written.
Everything is read without pickle (``.npz`` with ``allow_pickle=False``, JSON), so a
file handed over by someone else cannot run code, and a missing, damaged or foreign
file ends in one sentence naming it and how to restore it.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Iterator

import numpy as np

from hiddennodes import PipelineError


class SetupError(PipelineError):
    """A file the pipeline or a command needs is missing or damaged; the message names it and the fix."""


def _leftovers(target: Path) -> list[Path]:
    """Temporary paths a killed run left beside ``target`` (see :func:`atomic_path`)."""
    return [*target.parent.glob(f".{target.name}.*.tmp*"), target.with_name(f".{target.name}.old")]


@contextlib.contextmanager
def atomic_path(target: str | Path, suffix: str = "") -> Iterator[Path]:
    """Yield a temporary path beside ``target``; move it onto ``target`` only
    if the block succeeds, delete it otherwise. Works for files and folders."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    for stale in _leftovers(target):  # a run killed by SIGKILL could not clean up after itself
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)
        elif stale.exists():
            stale.unlink()
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


def write_text(path: str | Path, text: str) -> None:
    with atomic_path(path) as temporary:
        temporary.write_text(text)


def read_json(path: str | Path):
    return json.loads(Path(path).read_text())


def read_text(path: str | Path) -> str:
    return Path(path).read_text(encoding="utf-8")


def save_arrays(path: str | Path, **arrays: np.ndarray) -> None:
    """Save arrays as an uncompressed ``.npz`` (fast to load, DVC dedupes it)."""
    with atomic_path(path) as temporary:
        with open(temporary, "wb") as handle:
            np.savez(handle, **arrays)


def load_arrays(path: str | Path, keys: tuple[str, ...] | None = None) -> dict[str, np.ndarray]:
    """The arrays of an ``.npz`` the pipeline wrote; with ``keys`` only those are read (each array loads on demand)."""
    with np.load(path, allow_pickle=False) as data:
        return {key: data[key] for key in (data.files if keys is None else keys)}


def save_figure(path: str | Path, figure, dpi: int = 110) -> None:
    with atomic_path(path, suffix=Path(path).suffix) as temporary:
        figure.savefig(temporary, dpi=dpi)


def restore_hint(path: Path) -> str:
    return f"restore it with `dvc checkout {Path(path).as_posix()}` or rerun `dvc repro`"


def load_npz(path: str | Path, keys: tuple[str, ...] = ()) -> dict[str, np.ndarray]:
    """Every array of an ``.npz`` the pipeline wrote, checked to hold ``keys``, or SetupError in one sentence."""
    path = Path(path)
    try:
        with np.load(path, allow_pickle=False) as arrays:
            missing = [key for key in keys if key not in arrays.files]
            if missing:
                raise SetupError(f"{path} has no {', '.join(missing)} array, so the pipeline did not write it; {restore_hint(path)}.")
            return {key: arrays[key] for key in arrays.files}
    except FileNotFoundError:
        raise SetupError(f"{path} not found; run `dvc repro` first (or `dvc pull` where a remote holds the results).") from None
    except IsADirectoryError:
        raise SetupError(f"{path} is a folder, not a file the pipeline wrote; give the file's path.") from None
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:
        raise SetupError(f"{path} cannot be read ({error}), so it is damaged, truncated or not an .npz; {restore_hint(path)}.") from None


def load_json(path: str | Path, keys: tuple[str, ...] = ()) -> dict:
    """A JSON object the pipeline wrote, checked to hold ``keys``, or SetupError in one sentence."""
    path = Path(path)
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        raise SetupError(f"{path} not found; run `dvc repro` first (or `dvc pull` where a remote holds the results).") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SetupError(f"{path} is not valid JSON ({error}), so it is empty or damaged; {restore_hint(path)}.") from None
    missing = [key for key in keys if not isinstance(data, dict) or key not in data]
    if missing:
        raise SetupError(f"{path} has no {', '.join(repr(key) for key in missing)}, so the pipeline did not write it; {restore_hint(path)}.")
    return data
