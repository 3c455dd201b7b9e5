"""Benchmark: how the picture reader reads real handwritten digits drawn as customers' photos and scans, and how fast.

    python benchmarks/customer_digits.py                                  # every condition, 100 held-out digits each
    python benchmarks/customer_digits.py --digits 500 --conditions paper heic number --skip-speed
    python benchmarks/customer_digits.py --digits 1 --speed-photos 20    # a quick check that it runs

The network is trained once, as ``benchmarks/real_digits.py`` trains it: the
pipeline's own loop on the real MNIST test digits (the first 7,000 train, the
next 1,000 validate, the last 2,000 are held out), ``model`` in params.yaml.
A temporary project folder is then filled as the pipeline fills it
(``tests/realdigits.py``'s ``write_reading_project``: the network file, the PCA
of the 7,000 training digits, the reject threshold and the familiarity limits
picked on the validation digits), so every reading below is the prediction
command's own, with params.yaml's reference experiment.

Printed, as markdown:
1. for every condition of ``hiddennodes.conditions.catalogue`` and every strength, the
   first ``--digits`` held-out digits drawn as pictures and read by
   ``hiddennodes.evaluate.customers.measure``, beside the raw arrays of the same digits
   at the same threshold; totals per group; the reasons for refusals; and the
   clean pictures' target (answered about as often as the raw arrays, >= 95%
   of it, with unchanged accuracy);
2. unless ``--skip-speed``: ``hiddennodes-predict`` run as a user runs it, on
   2,000 phone photos of 640x480 (pictures per second, with two processes and
   one), its start-up, the peak memory of its whole process tree, and what it
   does with hostile sizes (6,000x6,000 JPEG and PNG, a PNG claiming
   20,000x20,000).

Why 100 digits per condition and level by default: drawing the pictures costs
more than reading them (most are 640x480 photos; HEIC is the slowest to
encode), and the run's time grows with ``--digits`` times the 57 conditions
and levels, so 100 keeps a full run on two cores to minutes, short enough to
repeat after each change. A share of 100 digits is good to about +-5 points;
``--digits 500`` narrows that to about +-2 and takes about five times as long.
The conditions are measured in ``--processes`` worker processes (one per core
by default); each picture's seconds are still one process preparing and
answering it.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import statistics
import struct
import sys
import tempfile
import time
import zlib
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "stages"))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

from real_digits import HELD_OUT, TRAIN, VALIDATION, load_t10k, train  # noqa: E402
from realdigits import write_reading_project  # noqa: E402
from settings import load_params  # noqa: E402

from hiddennodes.cli.project import network_path, project_params  # noqa: E402
from hiddennodes.conditions.catalogue import CONDITIONS, digits_per_picture, render  # noqa: E402
from hiddennodes.evaluate.customers import measure, meets_target, refusal_kind  # noqa: E402
from hiddennodes.report.tables import markdown  # noqa: E402

DEFAULT_DIGITS = 100  # per condition and level; see the module docstring
# The refusals that DigitReader.answer gives per digit; every other kind is the picture's (no digit found on it).
NOT_SURE = "not sure"
UNFAMILIAR = "the marks do not look like a handwritten digit"
SPEED_PHOTOS = 2000
STARTUP_RUNS = 5
HOSTILE_SIDE, CLAIMED_SIDE = 6000, 20000
POLL_SECONDS = 0.02
MEGABYTE = 1024 * 1024
CLEAN_SHARE_OF_RAW = 0.95  # clean pictures answered at least this share as often as the raw arrays
CLEAN_ACCURACY_SLACK = 0.01  # ... at the raw answers' accuracy, less at most one point (two standard errors at 500 digits)


# ---- the conditions -------------------------------------------------------------------------------


def measure_condition(project: Path, condition: str, level: int, images: np.ndarray, labels: np.ndarray,
                      seed: int) -> dict:
    """``measure``'s row for one condition and level, with the raw arrays of the same digits at the same threshold.

    Runs in a worker process: the reader is loaded from the project folder as the command loads it (the network
    file of params.yaml's reference experiment).
    """
    from hiddennodes.cli.predict import load_reader

    reader, _ = load_reader(project, project / network_path(project_params(project).reference))
    row, _ = measure(reader, images, labels, condition, level, seed)
    used = slice(0, row["digits"])
    probabilities = reader.network.probabilities(images[used].astype(np.float32) / 255)
    kept = probabilities.max(axis=1) >= reader.threshold if reader.threshold is not None else np.zeros(row["digits"], bool)
    correct = probabilities.argmax(axis=1) == labels[used]
    row["raw_answered"] = float(np.mean(kept))
    row["raw_accuracy_answered"] = float(np.mean(correct[kept])) if kept.any() else None
    return row


def refused_for_picture(row: dict) -> int:
    """Written digits refused for a reason other than "not sure": digit refusals count once, picture refusals
    once per digit the picture holds; capped at the digits written (a picture split in more pieces counts more)."""
    per_picture = digits_per_picture(row["condition"], row["level"])
    count = sum(number * (1 if kind == UNFAMILIAR else per_picture)
                for kind, number in row["refusals"].items() if kind != NOT_SURE)
    return min(count, row["digits"])


def answered_vs_raw(row: dict) -> float | None:
    return row["answered"] / row["raw_answered"] if row["raw_answered"] else None


def clean_target_met(row: dict) -> bool:
    """Answered about as often as the raw arrays at the same threshold, and about as accurately."""
    ratio = answered_vs_raw(row)
    if ratio is None or row["accuracy_answered"] is None or row["raw_accuracy_answered"] is None:
        return False
    return ratio >= CLEAN_SHARE_OF_RAW and row["accuracy_answered"] >= row["raw_accuracy_answered"] - CLEAN_ACCURACY_SLACK


def group_total(rows: list[dict], target_accuracy: float) -> dict:
    """One group's rows pooled over their digits and pictures."""
    digits = sum(row["digits"] for row in rows)
    answered = sum(round(row["answered"] * row["digits"]) for row in rows)
    right = sum(round((row["accuracy_answered"] or 0) * row["answered"] * row["digits"]) for row in rows)
    raw_answered = sum(round(row["raw_answered"] * row["digits"]) for row in rows)
    raw_right = sum(round((row["raw_accuracy_answered"] or 0) * row["raw_answered"] * row["digits"]) for row in rows)
    seconds = sum(row["pictures"] / row["pictures_per_second"] for row in rows if row["pictures_per_second"])
    pictures = sum(row["pictures"] for row in rows)
    return {
        "pictures": pictures, "digits": digits, "answered": answered / digits,
        "accuracy_answered": right / answered if answered else None,
        "raw_accuracy": sum(row["raw_accuracy"] * row["digits"] for row in rows) / digits,
        "raw_answered": raw_answered / digits, "raw_accuracy_answered": raw_right / raw_answered if raw_answered else None,
        "refused_for_picture": sum(refused_for_picture(row) for row in rows) / digits,
        "pictures_per_second": pictures / seconds if seconds else None,
        "met": sum(meets_target(row, target_accuracy) for row in rows), "rows": len(rows),
    }


# ---- the command, as a user runs it ---------------------------------------------------------------


def write_photo(path: Path, digit: np.ndarray, seed: int, index: int) -> None:
    """One held-out digit as a 640x480 JPEG phone photo of paper; its own generator, so workers agree."""
    path.write_bytes(render(digit[None], "paper", 0, np.random.default_rng([seed, index])))


def write_photos(folder: Path, digits: np.ndarray, count: int, seed: int, pool: ProcessPoolExecutor) -> list[Path]:
    """``count`` photos of the held-out digits, cycling through them."""
    paths = [folder / f"{index:05d}.jpg" for index in range(count)]
    list(pool.map(write_photo, paths, [digits[index % len(digits)] for index in range(count)], [seed] * count,
                  range(count), chunksize=50))
    return paths


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge size: a decompression bomb as a hostile user writes one
    (``tests/test_pictures.py``)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def enlarged_photo(digit: np.ndarray, side: int, seed: int):
    """A 640x480 ``paper`` photo enlarged to side x side (a Pillow RGB image): a full-size phone photo, near enough."""
    from PIL import Image

    data = render(digit[None], "paper", 0, np.random.default_rng([seed, side]))
    with Image.open(io.BytesIO(data)) as photo:
        return photo.convert("RGB").resize((side, side), Image.Resampling.BICUBIC)


def tree_memory(process) -> int:
    """Resident bytes of the process and all its children, now (0 for those already gone)."""
    import psutil

    total = 0
    try:
        members = [process] + process.children(recursive=True)
    except psutil.Error:
        return 0
    for member in members:
        try:
            total += member.memory_info().rss
        except psutil.Error:
            pass
    return total


def run_command(project: Path, pictures: list[Path], jobs: int, scratch: Path) -> dict:
    """``hiddennodes-predict --json`` in its own process: wall seconds (start-up included), peak memory of the
    process tree (polled every 20 ms), exit status, the JSON rows and standard error."""
    import psutil

    stdout_path, stderr_path = scratch / "stdout.json", scratch / "stderr.txt"
    command = [sys.executable, "-m", "hiddennodes.cli.predict", "--project", str(project), "--json", "--jobs", str(jobs),
               *map(str, pictures)]
    peak = 0
    with open(stdout_path, "wb") as stdout, open(stderr_path, "wb") as stderr:
        start = time.perf_counter()
        process = psutil.Popen(command, stdout=stdout, stderr=stderr, cwd=ROOT)
        while process.poll() is None:
            peak = max(peak, tree_memory(process))
            time.sleep(POLL_SECONDS)
        seconds = time.perf_counter() - start
    text = stdout_path.read_text()
    return {"seconds": seconds, "peak_bytes": peak, "status": process.returncode,
            "rows": json.loads(text) if text.strip() else [], "stderr": stderr_path.read_text().strip()}


def what_it_answered(result: dict) -> str:
    """The one picture's number, or why it was refused, or the error line."""
    if not result["rows"]:
        return result["stderr"].splitlines()[-1] if result["stderr"] else f"nothing (exit {result['status']})"
    (row,) = result["rows"]
    if row["answered"]:
        return f"read {row['number']}"
    if row["refusal"]:
        return f"refused: {refusal_kind(row['refusal'])}"
    if len(row["digits"]) == 1:
        (digit,) = row["digits"]
        return f"refused: {refusal_kind(digit['refusal'])} (best {digit['predicted']} at {digit['probability']:.2f})"
    kinds = sorted({refusal_kind(digit["refusal"]) for digit in row["digits"] if digit["refusal"]})
    return f"read {row['number']} (refused: {', '.join(kinds)})"


def speed(project: Path, held_images: np.ndarray, held_labels: np.ndarray, seed: int, pool: ProcessPoolExecutor,
          count: int = SPEED_PHOTOS) -> list[list[str]]:
    """The throughput, start-up and memory table's rows, the throughput measured on ``count`` photos."""
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        photos = folder / "photos"
        photos.mkdir()
        paths = write_photos(photos, held_images, count, seed, pool)
        for jobs in (2, 1):
            result = run_command(project, [photos], jobs, folder)
            if len(result["rows"]) != count:
                raise RuntimeError(f"hiddennodes-predict --jobs {jobs} gave {len(result['rows'])} rows for {count} photos "
                                   f"(exit {result['status']}): {result['stderr'][-500:]}")
            rate = count / result["seconds"]
            rows.append([f"{count:,} photos of 640x480, `--jobs {jobs}`: pictures per second (start-up included)",
                         f"{rate:.0f} ({result['seconds']:.1f} s)", ">= 100 on two cores" if jobs == 2 else "-",
                         verdict(rate >= 100) if jobs == 2 else "-"])
            rows.append([f"{count:,} photos, `--jobs {jobs}`: peak memory of the process tree",
                         f"{result['peak_bytes'] / MEGABYTE:.0f} MB", "< 500 MB", verdict(result["peak_bytes"] < 500 * MEGABYTE)])
            print(f"speed: --jobs {jobs} done in {result['seconds']:.1f} s", file=sys.stderr, flush=True)
        startups = [run_command(project, paths[:1], 2, folder)["seconds"] for _ in range(STARTUP_RUNS)]
        startup = statistics.median(startups)
        rows.append([f"start-up: one photo, median of {STARTUP_RUNS} runs", f"{startup:.2f} s "
                     f"({min(startups):.2f}-{max(startups):.2f})", "< 1 s", verdict(startup < 1)])

        photo = enlarged_photo(held_images[0], HOSTILE_SIDE, seed)
        hostile = {"jpg": folder / "hostile.jpg", "png": folder / "hostile.png"}
        photo.save(hostile["jpg"], format="JPEG", quality=90)
        photo.convert("L").save(hostile["png"], format="PNG")
        del photo
        for kind, path in hostile.items():
            result = run_command(project, [path], 2, folder)
            size = path.stat().st_size / MEGABYTE
            rows.append([f"{HOSTILE_SIDE:,}x{HOSTILE_SIDE:,} {kind.upper()} ({size:.0f} MB file), digit {held_labels[0]}: "
                         f"{what_it_answered(result)}",
                         f"{result['seconds']:.2f} s, {result['peak_bytes'] / MEGABYTE:.0f} MB",
                         "read or refused, < 500 MB", verdict(result["peak_bytes"] < 500 * MEGABYTE and result["status"] in (0, 3))])
        claimed = folder / "claims_huge.png"
        claimed.write_bytes(png_claiming(CLAIMED_SIDE, CLAIMED_SIDE))
        result = run_command(project, [claimed], 2, folder)
        line = result["stderr"].splitlines()[-1] if result["stderr"] else "(nothing on standard error)"
        refused = result["status"] == 1 and not result["rows"]
        rows.append([f"PNG of {claimed.stat().st_size} bytes claiming {CLAIMED_SIDE:,}x{CLAIMED_SIDE:,} "
                     f"(exit {result['status']}): `{line.replace(str(folder), '...')}`",
                     f"{result['seconds']:.2f} s, {result['peak_bytes'] / MEGABYTE:.0f} MB",
                     "refused or downscaled, never exhausting memory",
                     verdict(refused and result["peak_bytes"] < 500 * MEGABYTE)])
    return rows


# ---- printing -------------------------------------------------------------------------------------


def percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def condition_cells(row: dict) -> list[str]:
    ratio = answered_vs_raw(row)
    return [str(row["pictures"]), percent(row["answered"]), percent(row["accuracy_answered"]), percent(row["raw_accuracy"]),
            percent(row["raw_answered"]), percent(row["raw_accuracy_answered"]), "-" if ratio is None else f"{ratio:.1%}",
            percent(refused_for_picture(row) / row["digits"]),
            "-" if row["pictures_per_second"] is None else f"{row['pictures_per_second']:.0f}"]


def conditions_table(rows: list[dict], target_accuracy: float) -> str:
    headers = ["group", "condition", "level", "pictures", "answered", "accuracy of the answered", "raw arrays' accuracy",
               "raw answered", "raw answered: accuracy", "answered vs raw", "refused for the picture", "pictures/s", "target"]
    lines = [[row["group"], CONDITIONS[row["condition"]].words, row["label"]] + condition_cells(row) + [verdict(meets_target(row, target_accuracy))]
             for row in rows]
    for group in ("clean", "hard"):
        members = [row for row in rows if row["group"] == group]
        if not members:
            continue
        total = group_total(members, target_accuracy)
        ratio = total["answered"] / total["raw_answered"] if total["raw_answered"] else None
        lines.append([f"**{group}**", f"**all {len({row['condition'] for row in members})} conditions**",
                      f"**{total['rows']} levels**", f"{total['pictures']:,}", percent(total["answered"]),
                      percent(total["accuracy_answered"]), percent(total["raw_accuracy"]), percent(total["raw_answered"]),
                      percent(total["raw_accuracy_answered"]), "-" if ratio is None else f"{ratio:.1%}",
                      percent(total["refused_for_picture"]),
                      "-" if total["pictures_per_second"] is None else f"{total['pictures_per_second']:.0f}",
                      f"{total['met']} of {total['rows']} met"])
    return markdown(headers, lines, text_columns=3)


def refusals_table(rows: list[dict]) -> str:
    lines = [[row["condition"], row["label"], f"{row['pictures']}",
              "; ".join(f"{kind} ({count})" for kind, count in list(row["refusals"].items())[:3])]
             for row in rows if any(kind != NOT_SURE for kind in row["refusals"])]
    return markdown(["condition", "level", "pictures", "top reasons (count)"], lines, text_columns=4) if lines else "(none)"


def clean_target_table(rows: list[dict]) -> str:
    lines = []
    for condition in dict.fromkeys(row["condition"] for row in rows if row["group"] == "clean"):
        members = [row for row in rows if row["condition"] == condition]
        ratios = " / ".join(percent(answered_vs_raw(row)) for row in members)
        gaps = " / ".join("-" if row["accuracy_answered"] is None or row["raw_accuracy_answered"] is None
                          else f"{100 * (row['accuracy_answered'] - row['raw_accuracy_answered']):+.1f}" for row in members)
        lines.append([condition, " / ".join(row["label"] for row in members), ratios, gaps,
                      verdict(all(clean_target_met(row) for row in members))])
    return markdown(["condition", "levels", "answered vs raw answered", "accuracy of the answered minus the raw answered's (points)",
                     "target"], lines, text_columns=2)


# ---- main -----------------------------------------------------------------------------------------


def main() -> None:
    started = time.perf_counter()
    load_at_start = os.getloadavg()[0]
    params = load_params(ROOT / "params.yaml")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mnist", type=Path, default=ROOT.parent / "shared" / "data" / "mnist-t10k", help="folder with the t10k IDX files")
    parser.add_argument("--seed", type=int, default=params.seed, help="training and drawing seed (default: params.yaml's)")
    parser.add_argument("--digits", type=int, default=DEFAULT_DIGITS,
                        help=f"held-out digits per condition and level (default: {DEFAULT_DIGITS})")
    parser.add_argument("--conditions", nargs="+", metavar="NAME", help=f"default: all ({', '.join(CONDITIONS)})")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1, help="worker processes (default: one per core)")
    parser.add_argument("--skip-speed", action="store_true", help="leave out throughput, start-up and memory")
    parser.add_argument("--speed-photos", type=int, default=SPEED_PHOTOS, metavar="N",
                        help=f"phone photos the throughput is measured on (default: {SPEED_PHOTOS:,}; fewer for a quick check)")
    args = parser.parse_args()
    held_count = HELD_OUT.stop - HELD_OUT.start
    if not 1 <= args.digits <= held_count:
        parser.error(f"--digits {args.digits} is out of range; give 1 to {held_count:,} (the held-out digits).")
    unknown = [name for name in args.conditions or [] if name not in CONDITIONS]
    if unknown:
        parser.error(f"unknown condition {', '.join(unknown)}; choose from {', '.join(CONDITIONS)}.")
    if args.processes < 1:
        parser.error(f"--processes {args.processes} must be at least 1.")
    if args.speed_photos < 1:
        parser.error(f"--speed-photos {args.speed_photos} must be at least 1.")
    conditions = args.conditions or list(CONDITIONS)

    from hiddennodes.network.trained import forward

    images, labels = load_t10k(args.mnist)
    features = images.reshape(len(images), -1).astype(np.float32) / 255
    settings = params.model
    parameters, kept_epoch, seconds = train(features, labels, settings, args.seed)
    held_images, held_labels = images[HELD_OUT], labels[HELD_OUT]
    held_accuracy = float(np.mean(forward(parameters, features[HELD_OUT])[1].argmax(axis=1) == held_labels))
    print(f"784 -> {settings.hidden} -> 10, {settings.activation}, {settings.optimizer} {settings.learning_rate}, "
          f"{settings.epochs} epochs of batch {settings.batch_size}; 7,000 train / 1,000 validation / 2,000 held-out real MNIST "
          f"test digits; seed {args.seed}: kept epoch {kept_epoch}, {seconds:.1f} s to train, held-out accuracy {held_accuracy:.2%}")

    # Spawned, not forked: the parent has run Keras, whose threads a fork would copy half-way.
    with tempfile.TemporaryDirectory() as folder, ProcessPoolExecutor(args.processes, mp_context=get_context("spawn")) as pool:
        project = Path(folder) / "project"
        project.mkdir()
        built = write_reading_project(project, parameters, features[TRAIN], features[VALIDATION], labels[VALIDATION])
        threshold = built["threshold"]
        print(f"threshold {'none reaches the target' if threshold is None else f'{threshold:.4f}'} "
              f"({params.calibration.target_accuracy:.0%} accuracy with {params.calibration.certainty:.0%} certainty on the "
              f"1,000 validation digits); familiarity limits pass {built['val_pass_share']:.1%} of the validation digits "
              f"(asked: {params.familiarity.pass_share:.0%}; PCA of {built['pca_components']} components)")

        tasks = [(condition, level) for condition in conditions for level in range(len(CONDITIONS[condition].levels))]
        futures = [pool.submit(measure_condition, project, condition, level, held_images[:args.digits],
                               held_labels[:args.digits], args.seed) for condition, level in tasks]
        rows = []
        for (condition, level), future in zip(tasks, futures):
            rows.append(future.result())
            print(f"measured {condition} level {level} ({time.perf_counter() - started:.0f} s)", file=sys.stderr, flush=True)

        print(f"\n## Customers' pictures of the first {args.digits} held-out digits, per condition and level\n")
        print(conditions_table(rows, params.calibration.target_accuracy))
        print("\nanswered: share of the written digits answered. raw: the same digits' 28x28 arrays, answered where the "
              "network's probability reaches the same threshold. answered vs raw: answered / raw answered. refused for the "
              f"picture: written digits refused for any reason but \"{NOT_SURE}\"; a refusal of one digit (its marks look "
              "like no training digit) counts once, a picture refused whole counts once per digit it holds (several for "
              "`number`), capped at the digits written. pictures/s: one process decoding, preparing and answering "
              f"({args.processes} such processes ran side by side). target: `meets_target` (at least calibration.target_accuracy "
              f"({params.calibration.target_accuracy:.0%}) of the answered right; nothing answered does not pass).")
        print("\n### Refusal reasons (rows with refusals other than \"not sure\")\n")
        print(refusals_table(rows))
        if any(row["group"] == "clean" for row in rows):
            print("\n### Clean pictures' target: answered about as often as the raw arrays, as accurately\n")
            print(clean_target_table(rows))
            print(f"\nPer level, weakest first. Met where every level is answered at >= {CLEAN_SHARE_OF_RAW:.0%} of the raw "
                  f"arrays' answered share and the answered are at most {100 * CLEAN_ACCURACY_SLACK:.0f} point less accurate "
                  "than the raw arrays answered.")

        if not args.skip_speed:
            print("\n## Throughput, start-up and memory of `hiddennodes-predict` (run as a user runs it)\n")
            print(markdown(["measure", "value", "target", "verdict"], speed(project, held_images, held_labels, args.seed, pool,
                                                                            args.speed_photos),
                           text_columns=4))
            print("\nWall time from starting the process to its exit, start-up included; memory: the sum of the resident "
                  f"memory of the command and all its worker processes, polled every {POLL_SECONDS * 1000:.0f} ms, the most "
                  f"seen. Photos: `paper` at its weakest level, the held-out digits in turn.")

    # Every rate above is wall-clock: other work on the machine slows it, so the load it ran beside is part of the result.
    print(f"\nmachine: {os.cpu_count()} cores, {platform.platform()}, Python {platform.python_version()}; load average "
          f"{load_at_start:.1f} at the start, {os.getloadavg()[0]:.1f} at the end; {time.perf_counter() - started:.0f} s in all")


if __name__ == "__main__":
    main()
