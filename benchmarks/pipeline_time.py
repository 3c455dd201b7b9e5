"""Benchmark: what each wait of the pipeline costs, stage by stage.

    python benchmarks/pipeline_time.py                          # MNIST from the local copy (the default run)
    python benchmarks/pipeline_time.py --datasets mnist fashion # then full-size Fashion-MNIST
    python benchmarks/pipeline_time.py --commit 445bb37 --json before.json   # (before 445bb37 the copy fails its md5)
    python benchmarks/pipeline_time.py --compare before.json after.json  # the two side by side, nothing run

For each dataset, in a fresh clone of ``--commit`` (default: the last commit):

1. the default pipeline, ``dvc repro`` (download included: MNIST from the local
   copy as ``data.mirror``, Debian's Fashion-MNIST, or the real-digit set written
   as IDX files into the clone);
2. a no-op ``dvc repro``, which must run nothing;
3. ``dvc exp run -S model.hidden=700``, the width change users make first.

Each stage's seconds are measured by a small launcher put in front of ``python``
on PATH (the stage's whole process, peak resident memory too), and its
start-up as the time before its ``main`` starts (the interpreter and the
imports: the launcher wraps ``stages/common.run`` to note it, so any commit
can be measured). What the totals hold beyond the
stages is DVC's own work (hashing, checking out, the lock file).

Datasets:
- ``mnist``: the whole of MNIST from ``../shared/data/mnist`` as ``data.mirror``
  (the project's default dataset, as a user with a local copy runs it): 55,000 / 5,000 / 10,000.
- ``fashion``: full-size Fashion-MNIST from ``/usr/share/datasets/fashion-mnist``
  (``apt-get install dataset-fashion-mnist``): 55,000 / 5,000 / 10,000.
- ``digits``: the 10,000 real MNIST test digits of ``../shared/data/mnist-t10k``
  as a custom set, the first 8,000 to train and validate (1,000 of them), the
  last 2,000 to test; customers' pictures are drawn on it (digits only).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from conv_row import with_conv_row  # noqa: E402  (params.yaml's convolutional row uncommented, as the docs tell)

from hiddennodes.data.datasets import FILE_NAMES  # noqa: E402
FASHION = Path("/usr/share/datasets/fashion-mnist")
MNIST = ROOT.parent / "shared" / "data" / "mnist"
REAL_DIGITS = ROOT.parent / "shared" / "data" / "mnist-t10k"
REAL_TRAIN = 8000  # the real-digit set: the first 8,000 train (1,000 of them validate), the last 2,000 test
REAL_VALIDATION = 1000

# Put in front of the real interpreter (as ``python`` on PATH): runs the command
# and appends its start, wall time and peak resident memory to a log. A process
# of its own, so the peak is the command's, not a big parent's. A stage script
# is run through BOOTSTRAP, which notes when its ``main`` starts.
LAUNCHER = """
import json, os, resource, subprocess, sys, time
launched = time.time()
arguments = sys.argv[1:]
if arguments and arguments[0].endswith(".py") and os.path.basename(os.path.dirname(arguments[0])) == "stages":
    arguments = ["-c", os.environ["BENCHMARK_BOOTSTRAP"], *arguments]
status = subprocess.call([os.environ["BENCHMARK_REAL_PYTHON"], *arguments])
with open(os.environ["BENCHMARK_LOG"], "a") as log:
    log.write(json.dumps({"argv": sys.argv[1:], "launched": launched, "seconds": time.time() - launched,
                          "peak_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}) + "\\n")
sys.exit(status)
"""

# Runs a stage script as Python would (its folder first on sys.path, run as
# __main__), with stages/common.py's ``run`` wrapped to note the time ``main``
# starts: start-up is everything before it (the interpreter, the imports).
BOOTSTRAP = """
import json, os, runpy, sys, time
script = sys.argv[1]
sys.argv = sys.argv[1:]
sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
import common
original = common.run
def timed_run(main):
    with open(os.environ["BENCHMARK_STARTS"], "a") as log:
        log.write(json.dumps({"script": os.path.basename(script)[:-3], "main": time.time()}) + "\\n")
    original(main)
common.run = timed_run
runpy.run_path(script, run_name="__main__")
"""


def write_real_digit_set(folder: Path) -> None:
    """The real MNIST test digits as a custom set's four IDX files: 8,000 to train, 2,000 to test."""
    images = gzip.decompress((REAL_DIGITS / "t10k-images-idx3-ubyte.gz").read_bytes())
    labels = gzip.decompress((REAL_DIGITS / "t10k-labels-idx1-ubyte.gz").read_bytes())
    pixels = 28 * 28

    def image_file(start: int, stop: int) -> bytes:
        return (0x803).to_bytes(4, "big") + (stop - start).to_bytes(4, "big") + (28).to_bytes(4, "big") * 2 + \
            images[16 + start * pixels:16 + stop * pixels]

    def label_file(start: int, stop: int) -> bytes:
        return (0x801).to_bytes(4, "big") + (stop - start).to_bytes(4, "big") + labels[8 + start:8 + stop]

    folder.mkdir(parents=True)
    for name, content in (("train-images-idx3-ubyte", image_file(0, REAL_TRAIN)),
                          ("train-labels-idx1-ubyte", label_file(0, REAL_TRAIN)),
                          ("t10k-images-idx3-ubyte", image_file(REAL_TRAIN, 10000)),
                          ("t10k-labels-idx1-ubyte", label_file(REAL_TRAIN, 10000))):
        (folder / f"{name}.gz").write_bytes(gzip.compress(content, mtime=0))


def set_param(text: str, section: str, key: str, value: str) -> str:
    """params.yaml with ``section.key`` set to ``value``, its comment kept."""
    pattern = rf"(?ms)(^{section}:.*?^  {key}:[ \t]*)(\"\"|\S+)"
    text, count = re.subn(pattern, lambda match: match.group(1) + value, text, count=1)
    if count != 1:
        sys.exit(f"error: params.yaml has no {section}.{key} line to set.")
    return text


class Project:
    """A fresh clone with ``python`` on PATH replaced by the timing launcher."""

    def __init__(self, source: Path, commit: str, workdir: Path, dataset: str, conv_row: bool = False):
        self.path = workdir / f"project-{dataset}"
        subprocess.run(["git", "clone", "--quiet", str(source), str(self.path)], check=True)
        subprocess.run(["git", "checkout", "--quiet", commit], cwd=self.path, check=True)
        params = self.path / "params.yaml"
        text = params.read_text()
        if dataset == "mnist":
            text = set_param(text, "data", "mirror", str(MNIST))
        elif dataset == "fashion":
            text = set_param(text, "data", "dataset", "fashion_mnist")
        else:
            write_real_digit_set(workdir / "real-digits")
            text = set_param(text, "data", "dataset", "custom")
            text = set_param(text, "data", "mirror", str(workdir / "real-digits"))
            text = set_param(text, "data", "val_size", str(REAL_VALIDATION))
        if conv_row:
            text = with_conv_row(text)
        params.write_text(text)
        subprocess.run(["git", "-c", "user.name=benchmark", "-c", "user.email=benchmark@localhost", "commit",
                        "--quiet", "-am", f"benchmark: {dataset}"], cwd=self.path, check=True)
        bin_dir = workdir / f"bin-{dataset}"
        bin_dir.mkdir()
        launcher = workdir / "launcher.py"
        launcher.write_text(LAUNCHER)
        wrapper = bin_dir / "python"
        wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{launcher}" "$@"\n')
        wrapper.chmod(0o755)
        self.log = workdir / f"commands-{dataset}.jsonl"
        self.starts = workdir / f"starts-{dataset}.jsonl"
        self.env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
                        BENCHMARK_REAL_PYTHON=sys.executable, BENCHMARK_LOG=str(self.log),
                        BENCHMARK_STARTS=str(self.starts), BENCHMARK_BOOTSTRAP=BOOTSTRAP,
                        DVC_NO_ANALYTICS="1")

    def time(self, *arguments: str) -> dict:
        """Run ``dvc ARGUMENTS`` and return its total seconds and each stage's seconds, start-up and peak."""
        for path in (self.log, self.starts):
            path.unlink(missing_ok=True)
        started = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "dvc", *arguments], cwd=self.path, env=self.env,
                                capture_output=True, text=True)
        total = time.perf_counter() - started
        if result.returncode != 0:
            sys.exit(f"error: dvc {' '.join(arguments)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
        stages = re.findall(r"Running stage '([^']+)'", result.stdout)
        commands = [json.loads(line) for line in self.log.read_text().splitlines()] if self.log.exists() else []
        if len(commands) != len(stages):
            sys.exit(f"error: {len(stages)} stages ran but {len(commands)} python commands were logged.")
        starts = [json.loads(line) for line in self.starts.read_text().splitlines()] if self.starts.exists() else []
        rows = []
        for stage, command in zip(stages, commands):
            script = Path(command["argv"][0]).stem
            if script != stage.split("@")[0]:
                print(f"warning: stage {stage} ran stages/{script}.py; the table pairs them by order.", file=sys.stderr)
            began = [entry["main"] for entry in starts if entry["script"] == script
                     and command["launched"] <= entry["main"] <= command["launched"] + command["seconds"]]
            startup = began[0] - command["launched"] if began else None
            rows.append({"stage": stage, "seconds": command["seconds"], "startup": startup,
                         "peak_mib": command["peak_kib"] / 1024})
        return {"total": total, "stages": rows, "output": result.stdout}


def measure(source: Path, commit: str, dataset: str, workdir: Path, width: bool, conv_row: bool = False) -> dict:
    project = Project(source, commit, workdir, dataset, conv_row)
    print(f"{dataset}: dvc repro in {project.path} ...", file=sys.stderr, flush=True)
    runs = {"repro": project.time("repro")}
    noop = project.time("repro")
    if noop["stages"]:
        sys.exit(f"error: the second dvc repro ran {[row['stage'] for row in noop['stages']]}.")
    runs["no-op repro"] = noop
    if width:
        print(f"{dataset}: dvc exp run -S model.hidden=700 ...", file=sys.stderr, flush=True)
        runs["-S model.hidden=700"] = project.time("exp", "run", "-S", "model.hidden=700")
    for run in runs.values():
        run.pop("output")
    return runs


def table(dataset: str, runs: dict, before: dict | None = None) -> list[str]:
    """The runs of one dataset as Markdown; with ``before`` (the same dataset's runs of another commit), each
    stage's and each total's seconds there beside them."""
    lines = [f"### {dataset}", ""]
    for name, run in runs.items():
        stage_sum = sum(row["seconds"] for row in run["stages"])
        startup_sum = sum(row["startup"] or 0.0 for row in run["stages"])
        earlier = (before or {}).get(name)
        was = f" (before: {earlier['total']:.0f} s, {len(earlier['stages'])} stages)" if earlier else ""
        lines.append(f"`dvc {'repro' if 'repro' in name else 'exp run'}` ({name}): **{run['total']:.0f} s** "
                     f"({run['total'] / 60:.1f} min){was}, {len(run['stages'])} stages; stages {stage_sum:.0f} s, "
                     f"of which start-up {startup_sum:.0f} s ({startup_sum / max(stage_sum, 1e-9):.0%}); "
                     f"DVC's own work {run['total'] - stage_sum:.0f} s")
        lines.append("")
        if not run["stages"]:
            continue
        previous = {row["stage"]: row["seconds"] for row in earlier["stages"]} if earlier else None
        lines += ["| stage |" + (" before s |" if previous is not None else "") + " seconds | start-up s | start-up share | peak MiB |",
                  "| --- |" + (" ---: |" if previous is not None else "") + " ---: | ---: | ---: | ---: |"]
        for row in run["stages"]:
            startup = row["startup"]
            old = ""
            if previous is not None:
                old = f" {previous[row['stage']]:.1f} |" if row["stage"] in previous else " (new) |"
            lines.append(f"| {row['stage']} |{old} {row['seconds']:.1f} | "
                         + (f"{startup:.1f} | {startup / row['seconds']:.0%}" if startup is not None else "? | ?")
                         + f" | {row['peak_mib']:.0f} |")
        for stage in sorted(set(previous or ()) - {row["stage"] for row in run["stages"]}):
            lines.append(f"| {stage} (gone) | {previous[stage]:.1f} | | | | |")
        lines.append("")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commit", default="HEAD", help="the commit to measure (default: HEAD)")
    parser.add_argument("--datasets", nargs="+", choices=("mnist", "fashion", "digits"), default=["mnist"])
    parser.add_argument("--skip-width", action="store_true", help="leave out dvc exp run -S model.hidden=700")
    parser.add_argument("--json", type=Path, help="also write the measurements here")
    parser.add_argument("--keep", action="store_true", help="keep the cloned projects")
    parser.add_argument("--conv-row", action="store_true",
                        help="with params.yaml's two commented convolutional experiments (exp7, exp8) uncommented")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"),
                        help="run nothing: print AFTER's tables (files --json wrote) with BEFORE's seconds beside them")
    args = parser.parse_args()
    if args.compare:
        before, after = (json.loads(path.read_text()) for path in args.compare)
        for dataset, runs in after["results"].items():
            print("\n".join(table(dataset, runs, before["results"].get(dataset))))
        print(f"(before: commit {before['commit']}, after: commit {after['commit']}, {after['cores']} cores)")
        return
    if "mnist" in args.datasets and not all((MNIST / name).is_file() for name in FILE_NAMES.values()):
        sys.exit(f"error: {MNIST} is missing; the benchmark reads MNIST from that local copy (--datasets fashion runs without it).")
    if "fashion" in args.datasets and not FASHION.is_dir():
        sys.exit(f"error: {FASHION} is missing; install Debian's dataset-fashion-mnist (apt-get install dataset-fashion-mnist).")
    if "digits" in args.datasets and not REAL_DIGITS.is_dir():
        print(f"note: {REAL_DIGITS} is missing; the real-digit set is left out.", file=sys.stderr)
        args.datasets = [name for name in args.datasets if name != "digits"]
    commit = subprocess.run(["git", "rev-parse", "--short", args.commit], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout.strip()
    workdir = Path(tempfile.mkdtemp(prefix="pipeline-time-"))
    results = {}
    try:
        for dataset in args.datasets:
            results[dataset] = measure(ROOT, commit, dataset, workdir, not args.skip_width, args.conv_row)
            print("\n".join(table(dataset, results[dataset])), flush=True)
    finally:
        if args.keep:
            print(f"projects kept in {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print(f"(commit {commit}{', with the convolutional row' if args.conv_row else ''}, {os.cpu_count()} cores)")
    if args.json:
        args.json.write_text(json.dumps({"commit": commit, "cores": os.cpu_count(), "results": results}, indent=1))


if __name__ == "__main__":
    main()
