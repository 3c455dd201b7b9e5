"""Stage check_params: every key of params.yaml checked before any other stage runs.

It tracks the whole of params.yaml and every other stage runs after it, so a
`dvc exp run -S` with a typo (`+model.hiden=5`), a value out of range or an
experiment too wide for this machine's memory stops here, in one sentence,
before DVC removes any stage's old outputs to rerun it. Its output is the same
small file whatever the params, so a change that passes reruns nothing else.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from common import run, write_text
from settings import load_params

from hiddennodes.config.experiments import check_fits, machine_memory
from hiddennodes.data.datasets import IMAGE_PIXELS, NUM_CLASSES, STANDARD_COUNTS

# Inputs of each kind before the data is prepared: at most every pixel, or the pixels kept.
IMAGES = STANDARD_COUNTS["train_images"] + STANDARD_COUNTS["test_images"]


def check_memory(params, available: int) -> None:
    """ParamsError naming the first experiment whose width cannot fit in ``available`` bytes."""
    for experiment in params.experiments:
        inputs = params.rf.top_pixels if experiment.inputs == "top_pixels" else IMAGE_PIXELS
        check_fits(experiment.name, experiment.width, params.width(experiment), inputs, NUM_CLASSES, IMAGES, available)


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
