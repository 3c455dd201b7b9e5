"""Stage training: one experiment's training numbers as a metrics file, for `dvc exp show` and sweeps.

The train stage measures much more (losses, every seed's accuracy, settings and names); it writes all of it to
``metrics/train/<exp>.json``, an out the other stages read. This copies the numbers a person compares between
DVC experiments into ``metrics/<exp>/training.json`` (``hiddennodes.headline.training_headline``): validation
and test accuracy, the kept epoch, the parameters, the seconds, and the mean over seeds with its interval where
the seeds were repeated. A stage of its own, right after training, so a sweep that runs only
``training@exp3`` has its numbers without the stages that gather every experiment.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from common import read_json, run, write_json

from hiddennodes.headline import training_headline


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train-metrics", required=True, type=Path, help="the train stage's metrics/train/<exp>.json")
    parser.add_argument("--out", required=True, type=Path)
    args = parser.parse_args()
    write_json(args.out, training_headline(read_json(args.train_metrics)))


if __name__ == "__main__":
    run(main)
