"""Benchmark: the project's training loop against Keras's plain fit, and the whole pipeline.

    python benchmarks/training.py                   # everything, on full-size Fashion-MNIST (about 15 minutes)
    python benchmarks/training.py --skip-pipeline   # the training table only, in an existing run's project
    python benchmarks/training.py --skip-training   # the pipeline's times only

1. The pipeline: a fresh clone of this project's last commit with
   ``data.dataset: fashion_mnist``, its download stage run first and left out of
   the timing, then a timed full ``dvc repro``, each stage's seconds and peak
   memory (the largest resident set of its command, measured by a small
   launcher put in front of ``python`` on PATH), and a timed no-op ``dvc repro``.
2. Training, on that run's data (55,000 training and 5,000 validation images;
   154 PCA components of them; the 70 pixels its random forest chose): for
   hidden widths 1, 2, 128 and 700 on the 784 pixels and 700 on 154 and 70
   inputs, (a) Keras's ``fit`` as the study writes it (``compile`` with the
   defaults, ``fit(batch_size=32, validation_data=...)``) and (b) the project's
   loop (``hiddennodes.network.training``), same seed, same epochs. Seconds per epoch
   are the median after the first epoch (the first one traces and compiles;
   its extra time is printed too). Both include the validation pass.
   The validation accuracy of (b) is also measured over other seeds, to show
   the run-to-run noise that (a) and (b) must agree within.
3. The machine's matrix-multiply rate for the 700-wide layer's shapes (the
   forward product and both gradient products of a batch of 32), the best of
   NumPy's BLAS and an XLA-compiled TensorFlow loop, and the share of it an
   epoch reaches, counting 6 x batch x parameters flops per step.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

tf.get_logger().setLevel("ERROR")  # each run builds its own compiled functions; TF warns of "retracing"

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hiddennodes.network.keras_model import build_model  # noqa: E402
from hiddennodes.network.training import EpochRunner  # noqa: E402

FASHION = Path("/usr/share/datasets/fashion-mnist")
INPUTS = Path("data") / "inputs"  # the input kinds' folders (data/inputs/<kind>: pixels, pca, top_pixels), as dvc.yaml names them
CASES = ((784, 1), (784, 2), (784, 128), (784, 700), (154, 700), (70, 700))
BATCH_SIZE = 32
TARGETS = {"small": 5.0, "wide": 2.0, "matmul": 0.60, "pipeline": 300.0, "noop": 5.0, "memory_mib": 2048.0}

# Put in front of the real interpreter (as ``python`` on PATH): runs the
# command and appends its wall time and peak resident memory to a log. A small
# process of its own: a command forked from a big one would start with the
# big one's high-water mark.
LAUNCHER = """
import json, os, resource, subprocess, sys, time
started = time.perf_counter()
status = subprocess.call([os.environ["BENCHMARK_REAL_PYTHON"], *sys.argv[1:]])
with open(os.environ["BENCHMARK_LOG"], "a") as log:
    log.write(json.dumps({"argv": sys.argv[1:], "seconds": time.perf_counter() - started,
                          "peak_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}) + "\\n")
sys.exit(status)
"""


def run_pipeline(source: Path, workdir: Path) -> dict:
    """Clone ``source``, switch it to Fashion-MNIST, download, then time ``dvc repro`` twice."""
    project = workdir / "project"
    subprocess.run(["git", "clone", "--quiet", str(source), str(project)], check=True)
    params = project / "params.yaml"
    text, count = re.subn(r"(?m)^(  dataset:\s*)\S+", r"\1fashion_mnist", params.read_text())
    if count != 1:
        sys.exit("error: params.yaml has no data.dataset line to switch to fashion_mnist.")
    params.write_text(text)
    subprocess.run(["git", "commit", "--quiet", "-am", "benchmark: Fashion-MNIST"], cwd=project, check=True)

    bin_dir = workdir / "bin"
    bin_dir.mkdir()
    launcher = workdir / "launcher.py"
    launcher.write_text(LAUNCHER)
    log = workdir / "commands.jsonl"
    wrapper = bin_dir / "python"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{launcher}" "$@"\n')
    wrapper.chmod(0o755)
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
               BENCHMARK_REAL_PYTHON=sys.executable, BENCHMARK_LOG=str(log))
    dvc = [sys.executable, "-m", "dvc"]

    subprocess.run([*dvc, "repro", "download"], cwd=project, env=env, check=True, capture_output=True)
    log.unlink(missing_ok=True)
    print("pipeline: timing a full `dvc repro` of the Fashion-MNIST project, download excluded...", flush=True)
    started = time.perf_counter()
    result = subprocess.run([*dvc, "repro"], cwd=project, env=env, capture_output=True, text=True)
    full_seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"error: dvc repro failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    stages = re.findall(r"Running stage '([^']+)'", result.stdout)
    commands = [json.loads(line) for line in log.read_text().splitlines()]
    if len(commands) != len(stages):
        sys.exit(f"error: {len(stages)} stages ran but {len(commands)} python commands were logged.")

    started = time.perf_counter()
    noop = subprocess.run([*dvc, "repro"], cwd=project, env=env, capture_output=True, text=True)
    noop_seconds = time.perf_counter() - started
    if "didn't change" not in noop.stdout or "Running stage" in noop.stdout:
        sys.exit(f"error: the second dvc repro ran something:\n{noop.stdout[-2000:]}")
    return {
        "project": project,
        "full_seconds": full_seconds,
        "noop_seconds": noop_seconds,
        "stages": [
            {"stage": stage, "seconds": command["seconds"], "peak_mib": command["peak_kib"] / 1024}
            for stage, command in zip(stages, commands)
        ],
    }


def load_inputs(project: Path) -> dict[int, tuple[np.ndarray, ...]]:
    """Train and validation features for 784 pixels, 154 PCA components and the 70 selected pixels."""
    from sklearn.decomposition import PCA

    train = np.load(project / INPUTS / "pixels" / "train.npz")
    val = np.load(project / INPUTS / "pixels" / "val.npz")
    train_images, train_labels = train["features"], train["labels"].astype(np.int32)
    val_images, val_labels = val["features"], val["labels"].astype(np.int32)
    pca = PCA(n_components=154, svd_solver="randomized", random_state=0).fit(train_images)
    top_train = np.load(project / INPUTS / "top_pixels" / "train.npz")["features"]
    top_val = np.load(project / INPUTS / "top_pixels" / "val.npz")["features"]
    if top_train.shape[1] != 70:
        sys.exit(f"error: the pipeline selected {top_train.shape[1]} pixels; run with rf.top_pixels: 70.")
    return {
        784: (train_images, train_labels, val_images, val_labels),
        154: (pca.transform(train_images).astype(np.float32), train_labels,
              pca.transform(val_images).astype(np.float32), val_labels),
        70: (top_train, train_labels, top_val, val_labels),
    }


class EpochTimes(keras.callbacks.Callback):
    """Wall seconds of each epoch (training and validation)."""

    def __init__(self):
        super().__init__()
        self.seconds = []

    def on_epoch_begin(self, epoch, logs=None):
        self._started = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self._started)


def train_both(data, hidden_units: int, epochs: int, seed: int, extra_seeds: int) -> dict:
    train_images, train_labels, val_images, val_labels = data
    num_inputs = train_images.shape[1]
    result = {}

    keras.utils.set_random_seed(seed)
    plain = keras.Sequential([
        keras.Input(shape=(num_inputs,)),
        keras.layers.Dense(hidden_units, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])
    plain.compile(optimizer=keras.optimizers.RMSprop(learning_rate=0.001), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    timer = EpochTimes()
    history = plain.fit(train_images, train_labels, batch_size=BATCH_SIZE, epochs=epochs,
                        validation_data=(val_images, val_labels), callbacks=[timer], verbose=0)
    result["plain"] = {"epoch_seconds": timer.seconds, "val_accuracy": history.history["val_accuracy"][-1]}

    project_accuracies = []
    for run_seed in range(seed, seed + 1 + extra_seeds):
        keras.utils.set_random_seed(run_seed)
        model = build_model(num_inputs, hidden_units, 10, "relu", "rmsprop", 0.001)
        timer = EpochTimes()
        history = EpochRunner(model).fit(train_images, train_labels, (val_images, val_labels), epochs=epochs,
                                         batch_size=BATCH_SIZE, seed=run_seed, callbacks=[timer], verbose=False)
        project_accuracies.append(history.history["val_accuracy"][-1])
        if run_seed == seed:
            result["project"] = {"epoch_seconds": timer.seconds, "val_accuracy": project_accuracies[0]}
            result["parameters"] = model.count_params()
    result["project"]["other_seeds"] = project_accuracies[1:]
    return result


def matmul_rate(num_inputs: int, hidden_units: int, seconds: float = 2.0) -> dict[str, float]:
    """Flops per second of the three products of a 32 x ``num_inputs`` batch
    through a ``num_inputs`` x ``hidden_units`` layer (forward, weight gradient,
    input gradient), by NumPy's BLAS and by an XLA-compiled TensorFlow loop."""
    rng = np.random.default_rng(0)
    inputs = rng.random((BATCH_SIZE, num_inputs), dtype=np.float32)
    weights = rng.random((num_inputs, hidden_units), dtype=np.float32)
    upstream = rng.random((BATCH_SIZE, hidden_units), dtype=np.float32)
    flops = 3 * 2 * BATCH_SIZE * num_inputs * hidden_units
    rates = {}

    def numpy_round():
        inputs @ weights
        inputs.T @ upstream
        upstream @ weights.T

    numpy_round()
    best = 0.0
    for _ in range(5):
        repeats, started = 0, time.perf_counter()
        while time.perf_counter() - started < seconds / 5:
            for _ in range(20):
                numpy_round()
            repeats += 20
        best = max(best, repeats * flops / (time.perf_counter() - started))
    rates["numpy"] = best

    @tf.function(jit_compile=True)
    def xla_rounds(x, w, g, repeats):
        # Each round's outputs feed the next, so XLA can neither hoist nor drop them.
        def body(i, x, w, g):
            h = tf.matmul(x, w)
            gradient_w = tf.matmul(x, g, transpose_a=True)
            gradient_x = tf.matmul(g, w, transpose_b=True)
            return i + 1, x + 1e-30 * gradient_x, w + 1e-30 * gradient_w, g + 1e-30 * h

        return tf.while_loop(lambda i, *_: i < repeats, body, (tf.constant(0), x, w, g))[1]

    args = (tf.constant(inputs), tf.constant(weights), tf.constant(upstream))
    xla_rounds(*args, tf.constant(10)).numpy()
    best = 0.0
    for _ in range(5):
        repeats = 200
        started = time.perf_counter()
        xla_rounds(*args, tf.constant(repeats)).numpy()
        best = max(best, repeats * flops / (time.perf_counter() - started))
    rates["xla"] = best
    return rates


def steady(seconds: list[float]) -> float:
    return statistics.median(seconds[1:]) if len(seconds) > 1 else seconds[0]


def agrees(plain: float, project: list[float], examples: int) -> bool:
    """Whether the plain fit's validation accuracy lies within the project
    loop's run-to-run noise: inside the range of its seeds widened by two
    binomial standard errors of an accuracy measured on ``examples`` images."""
    margin = 2 * np.sqrt(plain * (1 - plain) / examples)
    return min(project) - margin <= plain <= max(project) + margin


def print_training_table(results: dict, rates: dict, examples: int, validation_size: int) -> list[str]:
    """Print the training table; return the targets missed."""
    steps = -(-examples // BATCH_SIZE)
    missed = []
    print("\n| inputs | hidden | Keras fit s/epoch | project s/epoch | speed-up | first-epoch extra (fit / project) "
          "| val acc fit | val acc project | project, other seeds | accuracies agree | matmul rate share | target |")
    print("| ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- | --- | ---: | --- |")
    for (num_inputs, hidden_units), result in results.items():
        plain, project = result["plain"], result["project"]
        plain_epoch, project_epoch = steady(plain["epoch_seconds"]), steady(project["epoch_seconds"])
        ratio = plain_epoch / project_epoch
        extra = (f"{plain['epoch_seconds'][0] - plain_epoch:.1f} s / {project['epoch_seconds'][0] - project_epoch:.1f} s")
        seeds = ", ".join(f"{value:.4f}" for value in project["other_seeds"])
        agree = agrees(plain["val_accuracy"], [project["val_accuracy"], *project["other_seeds"]], validation_size)
        if not agree:
            missed.append(f"{num_inputs}->{hidden_units} validation accuracies differ")
        share, verdicts = "", []
        if hidden_units in (1, 2):
            verdicts.append(f"≥ {TARGETS['small']:g}x: {'met' if ratio >= TARGETS['small'] else 'MISSED'}")
            if ratio < TARGETS["small"]:
                missed.append(f"{num_inputs}->{hidden_units} speed-up {ratio:.2f}x")
        if hidden_units == 700:
            rate = max(rates[num_inputs].values())
            fraction = 6 * BATCH_SIZE * result["parameters"] * steps / project_epoch / rate
            share = f"{fraction:.0%} of {rate / 1e9:.1f} GFLOP/s"
            met = ratio >= TARGETS["wide"] and fraction >= TARGETS["matmul"]
            verdicts.append(f"≥ {TARGETS['wide']:g}x and ≥ {TARGETS['matmul']:.0%}: {'met' if met else 'MISSED'}")
            if not met:
                missed.append(f"{num_inputs}->{hidden_units} speed-up {ratio:.2f}x, matmul share {fraction:.0%}")
        print(f"| {num_inputs} | {hidden_units} | {plain_epoch:.2f} | {project_epoch:.3f} | **{ratio:.1f}x** | {extra} "
              f"| {plain['val_accuracy']:.4f} | {project['val_accuracy']:.4f} | {seeds} | {'yes' if agree else 'NO'} | {share} | {'; '.join(verdicts)} |")
    print("\n| matmul rate, batch of 32 (forward + both gradients) | NumPy BLAS GFLOP/s | TensorFlow XLA GFLOP/s |")
    print("| --- | ---: | ---: |")
    for num_inputs, rate in rates.items():
        print(f"| {num_inputs} x 700 | {rate['numpy'] / 1e9:.1f} | {rate['xla'] / 1e9:.1f} |")
    return missed


def print_pipeline_table(pipeline: dict) -> list[str]:
    missed = []
    print("\n| stage | seconds | peak MiB |\n| --- | ---: | ---: |")
    for row in pipeline["stages"]:
        flag = " (over 2 GiB)" if row["peak_mib"] >= TARGETS["memory_mib"] else ""
        print(f"| {row['stage']} | {row['seconds']:.1f} | {row['peak_mib']:.0f}{flag} |")
    peak = max(row["peak_mib"] for row in pipeline["stages"])
    full, noop = pipeline["full_seconds"], pipeline["noop_seconds"]
    print(f"| **full `dvc repro`, download excluded** | **{full:.1f}** | max {peak:.0f} |")
    print(f"| **no-op `dvc repro`** | **{noop:.2f}** | |")
    for name, value, target, unit in (("full dvc repro", full, TARGETS["pipeline"], "s"),
                                      ("no-op dvc repro", noop, TARGETS["noop"], "s"),
                                      ("peak stage memory", peak, TARGETS["memory_mib"], "MiB")):
        verdict = "met" if value < target else "MISSED"
        print(f"- {name}: {value:.1f} {unit}, target < {target:g} {unit}: {verdict}")
        if value >= target:
            missed.append(f"{name} {value:.1f} {unit}")
    return missed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, help="a project whose pipeline has run (default: a fresh clone, run here)")
    parser.add_argument("--skip-pipeline", action="store_true", help="do not time dvc repro; needs --project")
    parser.add_argument("--skip-training", action="store_true", help="only time the pipeline")
    parser.add_argument("--epochs", type=int, default=3, help="epochs per training run (default 3)")
    parser.add_argument("--extra-seeds", type=int, default=2, help="more seeds for the project loop's accuracy spread")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--keep", action="store_true", help="keep the cloned project")
    args = parser.parse_args()
    if args.skip_pipeline and args.project is None:
        parser.error("--skip-pipeline needs --project, a project whose pipeline has run")
    if args.project is None and not FASHION.is_dir():
        sys.exit(f"error: {FASHION} not found; install it with `apt-get install dataset-fashion-mnist`.")
    if args.epochs < 2:
        parser.error("--epochs must be at least 2: the first epoch compiles")
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}", flush=True)

    missed = []
    workdir = Path(tempfile.mkdtemp(prefix="hiddennodes-benchmark-"))
    try:
        project = args.project.resolve() if args.project else None
        pipeline = None
        if not args.skip_pipeline:
            pipeline = run_pipeline(ROOT if project is None else project, workdir)
            project = pipeline["project"]
        if not args.skip_training:
            print(f"training: TensorFlow {tf.__version__}, devices {[d.name for d in tf.config.list_physical_devices()]}; "
                  f"{args.epochs} epochs per run on {project}", flush=True)
            inputs = load_inputs(project)
            results = {}
            for num_inputs, hidden_units in CASES:
                results[num_inputs, hidden_units] = train_both(inputs[num_inputs], hidden_units, args.epochs, args.seed,
                                                               args.extra_seeds)
                print(f"  {num_inputs} -> {hidden_units}: done", flush=True)
            rates = {num_inputs: matmul_rate(num_inputs, 700) for num_inputs, hidden in CASES if hidden == 700}
            missed += print_training_table(results, rates, len(inputs[784][1]), len(inputs[784][3]))
        if pipeline is not None:
            missed += print_pipeline_table(pipeline)
    finally:
        if args.keep:
            print(f"kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    if missed:
        print(f"\ntargets missed: {'; '.join(missed)}")


if __name__ == "__main__":
    main()
