"""Stage headline: the numbers a person compares between DVC experiments, in the files declared as metrics.

``dvc exp show`` and ``dvc metrics diff`` list every leaf of every metrics file, so the other stages' tables
(every robustness level, calibration bin, node, class pair, map) are declared as ``outs`` and this stage copies
the few numbers worth a column out of them (``hiddennodes.evaluate.headline``): ``metrics/experiments.json``, per
experiment keyed by its name, how it reads digits away from the test set as it is (changed, from other
writers) and how far its confidence can be trusted; and ``metrics/study.json``, a few for the study as a
whole. Each experiment's training numbers are its train stage's own metrics file (``metrics/<exp>/training.json``),
so a sweep that runs only ``train@exp3`` has them. No number is computed here, and none stands in two files.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from common import read_json, run, write_json
from settings import load_params

from hiddennodes.evaluate.headline import experiment_headline, study_headline


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--metrics", required=True, type=Path, help="the folder the other stages wrote their detail files in")
    parser.add_argument("--experiments-out", required=True, type=Path)
    parser.add_argument("--study-out", required=True, type=Path)
    args = parser.parse_args()
    params = load_params()
    robustness, calibration, realworld = (read_json(args.metrics / f"{name}.json") for name in ("robustness", "calibration", "realworld"))
    experiments = {
        name: experiment_headline(robustness[name], calibration[name], realworld.get(name) if realworld.get("applicable") else None)
        for name in params.names
    }
    study = study_headline(*(read_json(args.metrics / f"{name}.json") for name in ("pca", "pixels", "baseline", "customers")), params.reference)
    write_json(args.experiments_out, experiments)
    write_json(args.study_out, study)
    print(f"{args.experiments_out}: {sum(len(row) for row in experiments.values())} numbers for {len(experiments)} experiments; "
          f"{args.study_out}: {len(study)}")


if __name__ == "__main__":
    run(main)
