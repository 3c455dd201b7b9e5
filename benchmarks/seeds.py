"""Benchmark: experiments trained over several seeds on a project's prepared inputs, with settings changed.

    python benchmarks/seeds.py --project DIR                                  # every experiment, 3 seeds
    python benchmarks/seeds.py --project DIR --experiments exp6 --set augment.paper.copies=2
    python benchmarks/seeds.py --project DIR --experiments exp3 --set model.batch_size=32 --set model.schedule=constant
    python benchmarks/seeds.py --project DIR --experiments exp7 --set "experiments.exp7={network: conv, inputs: pixels, \
        training: cnn, width: cnn.hidden, augment: none, label: CNN, view: map}"   # an experiment params.yaml lacks

``DIR`` is a project whose ``dvc repro`` has run (``benchmarks/pipeline_time.py --keep`` leaves one): its
``data/`` (the prepared inputs, PCA, the selected pixels) is used as it is, and its params.yaml with the
``--set`` changes. Each experiment is trained by the train stage itself (dvc.yaml's train command, ``stages/train.py``
of this checkout, the pipeline's own loop) with its training section's ``repeats`` set to ``--seeds``: seeds seed, seed+1, ...
in a scratch folder, so the project is left as it was. Printed per experiment: validation and test accuracy per
seed, their mean and 95% interval (Student's t, the train stage's), the kept epoch and the seconds of one fit.
The choices of docs/experiments.md are made on the validation mean; the test numbers are reported.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PREPARED = ("data", "pca", "rf", "seed")  # sections whose change would need data/ prepared again


def set_key(params: dict, dotted: str, value: str) -> None:
    """``params[a][b] = value`` for ``a.b=value``, the value read as YAML (so 2 is a number, [16, 32] a list)."""
    *sections, key = dotted.split(".")
    node = params
    for section in sections:
        if not isinstance(node.get(section), dict):
            sys.exit(f"error: params.yaml has no section {section!r} in {dotted}.")
        node = node[section]
    node[key] = yaml.safe_load(value)


def train_command(experiment: str, declared: dict) -> list[str]:
    """dvc.yaml's own train command for ``experiment`` (its ``${key}`` and ``${item.*}`` filled in), so this
    benchmark trains exactly as the pipeline's stage does, writing where the stage writes (in the scratch folder)."""
    template = yaml.safe_load((ROOT / "dvc.yaml").read_text())["stages"]["train"]["do"]["cmd"]
    command = re.sub(r"\$\{item\.(\w+)\}", lambda match: str(declared[match.group(1)]), template.replace("${key}", experiment))
    return [sys.executable if word == "python" else word for word in shlex.split(command)]


def train(project: Path, params: dict, experiment: str, seeds: int, scratch: Path) -> dict:
    """The train stage's metrics (metrics/train/<experiment>.json) for ``experiment`` over ``seeds`` seeds."""
    declared = params["experiments"][experiment]
    params[declared["training"]]["repeats"] = seeds
    (scratch / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False))
    for name, target in (("data", project.resolve() / "data"), ("stages", ROOT / "stages")):
        if not (scratch / name).exists():
            (scratch / name).symlink_to(target)
    started = time.perf_counter()
    result = subprocess.run(train_command(experiment, declared), cwd=scratch, capture_output=True, text=True,
                            env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2"))
    if result.returncode != 0:
        sys.exit(f"error: training {experiment} failed:\n{result.stderr[-3000:]}")
    metrics = json.loads((scratch / "metrics" / "train" / f"{experiment}.json").read_text())
    metrics["wall_seconds"] = round(time.perf_counter() - started, 1)
    return metrics


def interval(metrics: dict, split: str) -> str:
    mean = metrics[f"{split}_accuracy_mean"]
    if f"{split}_accuracy_ci95" not in metrics:  # one seed: no interval
        return f"{mean:.2%}"
    low, high = metrics[f"{split}_accuracy_ci95"]["low"], metrics[f"{split}_accuracy_ci95"]["high"]
    return f"{mean:.2%} [{low:.2%}, {high:.2%}]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", required=True, type=Path, help="a project whose dvc repro has run")
    parser.add_argument("--experiments", nargs="+", help="default: every experiment of its params.yaml")
    parser.add_argument("--seeds", type=int, default=3, help="seeds per experiment (default 3)")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="a params change, as dvc's -S")
    parser.add_argument("--json", type=Path, help="append each experiment's row here (JSON lines)")
    args = parser.parse_args()
    params = yaml.safe_load((args.project / "params.yaml").read_text())
    for change in args.set:
        key, _, value = change.partition("=")
        if key.split(".")[0] in PREPARED:
            sys.exit(f"error: {key} changes the prepared inputs this benchmark reuses from {args.project}/data; "
                     f"run dvc exp run -S {change} there first and point --project at it.")
        set_key(params, key, value)
    experiments = args.experiments or list(params["experiments"])
    print("| experiment | settings changed | validation, mean [95%] | test, mean [95%] | test per seed | kept epochs "
          "| seconds a fit |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory(prefix="seeds-") as folder:
        for experiment in experiments:
            metrics = train(args.project, params, experiment, args.seeds, Path(folder))
            per_seed = " / ".join(f"{value:.2%}" for value in metrics["test_accuracy_runs"].values())
            row = {"experiment": experiment, "set": args.set, "seeds": list(metrics["test_accuracy_runs"]),
                   **{key: metrics[key] for key in metrics if key.startswith(("val_accuracy", "test_accuracy"))},
                   "best_epoch": metrics["best_epoch"], "training_seconds": metrics["training_seconds"],
                   "wall_seconds": metrics["wall_seconds"]}
            print(f"| {experiment} | {' '.join(args.set) or '(params.yaml)'} | {interval(metrics, 'val')} | "
                  f"{interval(metrics, 'test')} | {per_seed} | {metrics['best_epoch']} (first seed) | "
                  f"{metrics['training_seconds']:.0f} |", flush=True)
            if args.json:
                with args.json.open("a") as out:
                    out.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    main()
