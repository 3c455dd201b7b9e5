"""What every stage script shares: running ``main`` with one-line errors, and the file helpers.

Every output is written atomically (``hiddennodes.files``): a temporary path
beside the target, renamed into place only when complete, so an interrupted
stage never leaves a half-written file that DVC or a user could mistake for a
result; what a killed run left behind is cleared when the stage next writes.
"""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from typing import Callable

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # stages run as scripts; the package lives beside them
    sys.path.insert(0, str(ROOT))

from hiddennodes import PipelineError  # noqa: E402
from hiddennodes.files import (  # noqa: E402,F401  (re-exported for the stages)
    atomic_path,
    load_arrays,
    read_json,
    read_text,
    save_arrays,
    save_figure,
    write_json,
    write_text,
)


def _stop_on_sigterm(signum, frame) -> None:
    raise KeyboardInterrupt  # unwinds like Ctrl-C, so every temporary output is removed on the way out


def run(main: Callable[[], None]) -> None:
    """Run a stage's main: a PipelineError becomes one line on stderr and exit 1; Ctrl-C or SIGTERM one line and exit 130."""
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        main()
    except PipelineError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print(f"interrupted: {Path(sys.argv[0]).stem} stopped before writing its outputs; `dvc repro` runs it again.", file=sys.stderr)
        sys.exit(130)


SPLITS = ("train", "val", "test")


def load_splits(folder: str | Path) -> dict[str, dict[str, np.ndarray]]:
    """The train/val/test ``.npz`` files of one input kind, each with features and labels."""
    return {split: load_arrays(Path(folder) / f"{split}.npz") for split in SPLITS}


def save_splits(folder: str | Path, splits: dict[str, dict[str, np.ndarray]], **extra: dict[str, np.ndarray]) -> None:
    """Write the three splits into ``folder`` as one atomic step, with ``extra`` ``name.npz`` files beside them."""
    with atomic_path(folder) as temporary:
        temporary.mkdir()
        for split, arrays in {**splits, **extra}.items():
            with open(temporary / f"{split}.npz", "wb") as handle:
                np.savez(handle, **arrays)
