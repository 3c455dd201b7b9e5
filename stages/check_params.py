"""Stage check_params: every key of params.yaml checked before any other stage runs.

It tracks the whole of params.yaml and every other stage runs after it, so a
`dvc exp run -S` with a typo (`+model.hiden=5`), a value out of range or an
experiment too wide for this machine's memory stops here, in one sentence,
before DVC removes any stage's old outputs to rerun it. Its output is the same
small file whatever the params, so a change that passes reruns nothing else.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from common import run, write_text
from settings import load_params

from hiddennodes.datasets import IMAGE_PIXELS, NUM_CLASSES, STANDARD_COUNTS
from hiddennodes.experiments import memory_needed
from hiddennodes.params import ParamsError

# Inputs of each kind before the data is prepared: at most every pixel, or the pixels kept.
IMAGES = STANDARD_COUNTS["train_images"] + STANDARD_COUNTS["test_images"]


def machine_memory() -> int:
    """Bytes of memory this machine has."""
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def check_memory(params, available: int) -> None:
    """ParamsError naming the first experiment whose width cannot fit in ``available`` bytes."""
    for experiment in params.experiments:
        inputs = params.rf.top_pixels if experiment.inputs == "top_pixels" else IMAGE_PIXELS
        width = params.width(experiment)
        needed = memory_needed(inputs, width, NUM_CLASSES, IMAGES)
        if needed > available:
            widest = next(w for w in (10 ** k * m for k in range(8, -1, -1) for m in (5, 2, 1))
                          if memory_needed(inputs, w, NUM_CLASSES, IMAGES) <= available)
            raise ParamsError(f"params.yaml: {experiment.width} is {width}; {experiment.name} would need about "
                              f"{needed / 2**30:,.1f} GiB of memory and this machine has {available / 2**30:,.1f} GiB, "
                              f"so use a width of at most about {widest:,}.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, type=Path, help="the marker the first data stage depends on")
    args = parser.parse_args()
    params = load_params()
    check_memory(params, machine_memory())
    write_text(args.out, "params.yaml passed every check\n")
    print(f"params.yaml: {len(params.experiments)} experiments ({', '.join(params.names)}), every key valid")


if __name__ == "__main__":
    run(main)
