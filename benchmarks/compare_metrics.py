"""Compare every metrics JSON of two pipeline runs (e.g. before and after a refactor), key by key.

    python benchmarks/compare_metrics.py /path/to/before /path/to/after

Files are matched by path, with the moves of issue 13 mapped (``metrics/expN/train.json`` is now
``metrics/train/expN.json``; ``overlap.json`` and ``embedding.json`` are now each experiment's
``hidden.json``). Keys that are timings (``*_seconds``) are left out: they are the one thing a
rerun with the same params and seed may change. Prints a table and exits 1 if any value differs.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

MOVES = [(r"metrics/(exp\d+)/train\.json", r"metrics/train/\1.json"),
         (r"metrics/(exp\d+)/(overlap|embedding)\.json", r"metrics/\1/hidden.json")]


def leaves(data, prefix=""):
    if isinstance(data, dict):
        for key, value in data.items():
            yield from leaves(value, f"{prefix}{key}.")
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from leaves(value, f"{prefix}{index}.")
    else:
        yield prefix.rstrip("."), data


def files(root: Path) -> dict[str, Path]:
    found = {}
    for path in sorted([*root.glob("metrics/**/*.json"), *root.glob("dvclive/*/metrics.json")]):
        name = path.relative_to(root).as_posix()
        for pattern, replacement in MOVES:
            name = re.sub(pattern, replacement, name)
        found[name] = path
    return found


def main() -> int:
    before, after = (files(Path(arg)) for arg in sys.argv[1:3])
    print("| file | values compared | equal | differ |\n| --- | ---: | ---: | --- |")
    total_differ = 0
    for name in sorted(set(before) | set(after)):
        if name not in before or name not in after:
            print(f"| {name} | | | only {'after' if name in after else 'before'} |")
            continue
        old = {k: v for k, v in leaves(json.loads(before[name].read_text())) if not k.endswith("_seconds")}
        new = {k: v for k, v in leaves(json.loads(after[name].read_text())) if not k.endswith("_seconds")}
        differ = sorted(k for k in old.keys() | new.keys() if old.get(k, "<missing>") != new.get(k, "<missing>"))
        total_differ += len(differ)
        shown = ", ".join(f"{k}: {old.get(k, '<missing>')} -> {new.get(k, '<missing>')}" for k in differ[:3])
        print(f"| {name} | {len(old.keys() | new.keys())} | {len(old.keys() | new.keys()) - len(differ)} | {shown} |")
    print(f"\n{total_differ} values differ.")
    return 1 if total_differ else 0


if __name__ == "__main__":
    sys.exit(main())
