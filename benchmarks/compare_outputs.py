"""Compare two pipeline runs' outputs (e.g. before and after a refactor): every metrics value and every other file.

    python benchmarks/compare_outputs.py /path/to/before /path/to/after

Metrics JSON files (``metrics/``, ``dvclive/*/metrics.json``) are compared value by value, leaving out timings (keys
ending in ``seconds``: the one thing a rerun with the same params and seed may change); every other file under
``plots/``, ``models/`` and ``data/`` (figures, plot data, network files, prepared arrays) and the two pages, byte for
byte, except where a file carries the time it was made: a ``.npz`` is compared array by array without those named
``*seconds``, and Keras's ``.keras`` by its weights (its config holds Python object ids, its metadata the save date).
DVCLive's per-step files carry wall-clock timestamps and are left out. The report's table shows training seconds, so
``report.html`` differs between any two runs; read the lines this prints for it. Prints the files that differ, a
count per kind, and exits 1 if anything differs.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from compare_metrics import leaves  # benchmarks/ is on the path: these run as scripts

BYTE_FOLDERS = ("plots", "models", "data")
PAGES = ("report.html", "explorer.html")


def metrics_files(root: Path) -> dict[str, Path]:
    paths = [*root.glob("metrics/**/*.json"), *root.glob("dvclive/*/metrics.json")]
    return {path.relative_to(root).as_posix(): path for path in sorted(paths)}


def other_files(root: Path) -> dict[str, Path]:
    paths = [path for folder in BYTE_FOLDERS for path in (root / folder).rglob("*") if path.is_file()]
    paths += [root / page for page in PAGES if (root / page).is_file()]
    return {path.relative_to(root).as_posix(): path for path in sorted(paths)}


def digest(path: Path) -> str:
    """A hash of the file's content that leaves out when it was made (see the module)."""
    if path.suffix == ".npz":
        import numpy as np

        with np.load(path, allow_pickle=False) as arrays:
            parts = [name.encode() + arrays[name].tobytes() + str(arrays[name].dtype).encode()
                     for name in sorted(arrays.files) if not name.endswith("seconds")]
        return hashlib.sha256(b"".join(parts)).hexdigest()
    if path.suffix == ".keras":
        import zipfile

        with zipfile.ZipFile(path) as archive:
            return hashlib.sha256(archive.read("model.weights.h5")).hexdigest()
    return hashlib.sha256(path.read_bytes()).hexdigest()


def compare(before: Path, after: Path) -> tuple[list[str], dict[str, int]]:
    """The lines saying what differs, and the counts of what was compared."""
    lines, counts = [], {"metrics values": 0, "metrics values that differ": 0, "files": 0, "files that differ": 0}
    old_metrics, new_metrics = metrics_files(before), metrics_files(after)
    for name in sorted(old_metrics.keys() | new_metrics.keys()):
        if name not in old_metrics or name not in new_metrics:
            lines.append(f"{name}: only {'after' if name in new_metrics else 'before'}")
            counts["metrics values that differ"] += 1
            continue
        old = {k: v for k, v in leaves(json.loads(old_metrics[name].read_text())) if not k.endswith("seconds")}
        new = {k: v for k, v in leaves(json.loads(new_metrics[name].read_text())) if not k.endswith("seconds")}
        differ = sorted(k for k in old.keys() | new.keys() if old.get(k, "<missing>") != new.get(k, "<missing>"))
        counts["metrics values"] += len(old.keys() | new.keys())
        counts["metrics values that differ"] += len(differ)
        for key in differ:
            lines.append(f"{name}: {key}: {old.get(key, '<missing>')} -> {new.get(key, '<missing>')}")
    old_files, new_files = other_files(before), other_files(after)
    for name in sorted(old_files.keys() | new_files.keys()):
        counts["files"] += 1
        if name not in old_files or name not in new_files:
            lines.append(f"{name}: only {'after' if name in new_files else 'before'}")
            counts["files that differ"] += 1
        elif digest(old_files[name]) != digest(new_files[name]):
            lines.append(f"{name}: bytes differ")
            counts["files that differ"] += 1
    return lines, counts


def main() -> int:
    lines, counts = compare(Path(sys.argv[1]), Path(sys.argv[2]))
    for line in lines:
        print(line)
    print(", ".join(f"{value:,} {name}" for name, value in counts.items()))
    return 1 if counts["metrics values that differ"] or counts["files that differ"] else 0


if __name__ == "__main__":
    sys.exit(main())
