"""Check: every sentence of a finished run's report that says what a hidden node fires for, against the numbers
behind its figures.

    python benchmarks/check_report.py --project DIR          # after dvc repro

Reads ``report.html``, ``data/dataset.json`` and each experiment's ``data/interpretation/<exp>.npz`` (its nodes'
mean activation per class, the tuning figure's array; no pickle) and prints, per experiment, how many node
sentences were read and what does not hold (``hiddennodes.readback``); exits 1 if anything does not.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hiddennodes.readback import node_claims, report_problems  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, required=True, help="a project folder after dvc repro")
    args = parser.parse_args()
    page = (args.project / "report.html").read_text()
    class_names = json.loads((args.project / "data/dataset.json").read_text())["class_names"]
    tunings = {}
    for path in sorted((args.project / "data/interpretation").glob("*.npz")):
        with np.load(path, allow_pickle=False) as arrays:
            tunings[path.stem] = arrays["tuning"]
    count, problems = report_problems(page, tunings, class_names)
    claims = node_claims(page, list(tunings))
    print("| experiment | node sentences read |\n| --- | ---: |")
    for name in tunings:
        print(f"| {name} | {sum(experiment == name for experiment, _, _ in claims)} |")
    print(f"\n{count} node sentences read; {len(problems)} do not hold" + (":" if problems else "."))
    for problem in problems:
        print(f"- {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
