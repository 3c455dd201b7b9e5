"""Benchmark: how long the interpretation stages take, and t-SNE on its own.

Run it in a project whose pipeline has run (``dvc repro``), ideally on
full-size data (e.g. ``data.dataset: fashion_mnist``):

    python benchmarks/interpretation.py            # t-SNE, then every interpretation stage
    python benchmarks/interpretation.py --tsne-only

The t-SNE is of params.yaml's reference experiment's hidden layer; the stages
are ``overview``, then ``evaluate``, ``interpret`` and ``hidden`` of every
experiment params.yaml declares, then ``report``.
Each stage is rerun with ``dvc repro --force --single-item STAGE`` (what a user
waits for, DVC's own bookkeeping included) and its wall time and peak memory
(largest resident set of the stage's processes) are printed as a table with
the targets of the interpretation issue: t-SNE of 55,000 points under 2
minutes, all interpretation stages together under 5 minutes.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hiddennodes import PipelineError  # noqa: E402
from hiddennodes.cli.project import project_params  # noqa: E402
from hiddennodes.interpret.embedding import pca_embedding, tsne_embedding  # noqa: E402

TSNE_TARGET_SECONDS = 120
TOTAL_TARGET_SECONDS = 300


def interpretation_stages(experiments: tuple[str, ...]) -> tuple[str, ...]:
    """The stages that interpret the trained networks, for params.yaml's experiments, in dvc.yaml's order."""
    return (
        "overview",
        *(f"evaluate@{name}" for name in experiments),
        *(f"interpret@{name}" for name in experiments),
        *(f"hidden@{name}" for name in experiments),
        "report",
    )


# Runs a command and prints the peak resident memory of its process tree (KiB).
# A separate small process: a child forked straight from this one would start
# with this process's own high-water mark (the arrays loaded for t-SNE).
MEASURE = """
import resource, subprocess, sys
status = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
sys.stderr.write(status.stderr.decode(errors="replace") if status.returncode else "")
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(status.returncode)
"""


def timed(command: list[str], cwd: Path) -> tuple[float, float, int]:
    """Wall seconds, peak resident memory in MiB (largest process of the command's tree) and exit status."""
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", MEASURE, *command], cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
    peak = int(result.stdout.split()[-1]) / 1024 if result.stdout.split() else float("nan")
    return seconds, peak, result.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=Path.cwd(), help="a project whose pipeline has run")
    parser.add_argument("--tsne-only", action="store_true")
    args = parser.parse_args()
    project = args.project.resolve()
    try:
        params = project_params(project)
    except PipelineError as error:
        sys.exit(f"error: {error}")
    reference = params.reference
    activations = project / "data" / "activations" / f"{reference}.npz"
    if not activations.is_file():
        sys.exit(f"error: {activations} not found; run `dvc repro` in {project} first.")
    with np.load(activations) as arrays:
        hidden = arrays["train_hidden"]
    seed, perplexity = params.seed, params.embedding.perplexity
    print(f"project: {project} (dataset {params.data.dataset}, {os.cpu_count()} cores)")

    started = time.perf_counter()
    pca_embedding(hidden)
    pca_seconds = time.perf_counter() - started
    started = time.perf_counter()
    tsne_embedding(hidden, seed=seed, perplexity=perplexity)
    tsne_seconds = time.perf_counter() - started
    print(f"\n| map of {reference}'s hidden layer | points | dims | seconds | target |\n| --- | ---: | ---: | ---: | --- |")
    print(f"| PCA to 2-D | {len(hidden):,} | {hidden.shape[1]} | {pca_seconds:.1f} | |")
    verdict = "met" if tsne_seconds < TSNE_TARGET_SECONDS else "MISSED"
    print(f"| t-SNE to 2-D (openTSNE, perplexity {perplexity:g}) | {len(hidden):,} | {hidden.shape[1]} | {tsne_seconds:.1f} | "
          f"< {TSNE_TARGET_SECONDS} s: {verdict} |")
    if args.tsne_only:
        return

    dvc = str(Path(sys.executable).parent / "dvc")
    print("\n| stage | seconds | peak MiB |\n| --- | ---: | ---: |")
    total = 0.0
    failed = []
    stages = interpretation_stages(params.names)
    for stage in stages:
        seconds, peak, status = timed([dvc, "repro", "--force", "--single-item", stage], project)
        total += seconds
        if status != 0:
            failed.append(stage)
        print(f"| {stage}{' (FAILED)' if status else ''} | {seconds:.1f} | {peak:.0f} |", flush=True)
    verdict = "met" if total < TOTAL_TARGET_SECONDS else "MISSED"
    print(f"| **all {len(stages)} interpretation stages** | **{total:.1f}** | target < {TOTAL_TARGET_SECONDS} s: {verdict} |")
    if failed:
        sys.exit(f"error: stages failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
