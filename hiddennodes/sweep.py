"""hiddennodes-sweep: gather finished DVC experiments into a table and plots.

    dvc exp run --queue -S 'model.hidden=range(100,900,50)' -S ... # queue a sweep
    dvc queue start --jobs 2                                       # run it
    hiddennodes-sweep                                              # once they are done

Reads ``dvc exp show --json`` (the experiments of the current commit; with
``--include-commit`` the commit itself too), finds the params key the sweep varied (or takes ``--key``),
and writes ``sweep/sweep.md``, ``sweep/sweep.json`` and ``sweep/sweep.png``:
validation and test accuracy against the key, and training seconds, with the
experiment that is best on the **validation** split marked. The choice is
made on validation because the test split must stay unseen until the choice
is made; the test accuracy is shown beside it, never used to choose.
Works for any swept key: widths, activations, optimizers, learning rates, batch sizes.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterable, Mapping

COLUMNS = ("val_accuracy", "test_accuracy", "training_seconds", "best_epoch", "hidden_units", "trainable_parameters")
REPEAT_COLUMNS = ("val_accuracy_mean", "test_accuracy_mean", "test_accuracy_std", "test_accuracy_ci95")


class SweepError(ValueError):
    """Nothing to gather, or a key that no experiment varies."""


def flatten(mapping: Mapping, prefix: str = "") -> dict[str, Any]:
    """Nested mappings as one level with dotted keys: ``{"model": {"hidden": 8}}`` -> ``{"model.hidden": 8}``."""
    flat = {}
    for key, value in mapping.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def _record(entry: Mapping, name: str, committed: bool = False) -> dict | None:
    data = entry.get("data") or {}
    params = ((data.get("params") or {}).get("params.yaml") or {}).get("data")
    metrics = {path: (content or {}).get("data") or {} for path, content in (data.get("metrics") or {}).items()}
    if not params or not metrics:
        return None  # queued, running or failed: nothing to show yet
    return {"name": name, "rev": entry.get("rev", ""), "params": flatten(params), "metrics": metrics, "committed": committed}


def experiment_records(show: Iterable[Mapping]) -> list[dict]:
    """Each finished experiment (and each baseline commit) in ``dvc exp show --json``'s output.

    Returns:
        ``{"name", "rev", "params": {dotted key: value}, "metrics": {file: {...}}, "committed"}`` per
        experiment, ``committed`` for the commit the experiments start from (a point of the sweep too);
        the workspace is left out (it repeats the commit or the last applied experiment).
    """
    records = []
    for commit in show:
        if commit.get("rev") == "workspace":
            continue
        baseline = _record(commit, commit.get("name") or str(commit.get("rev", ""))[:7], committed=True)
        if baseline:
            records.append(baseline)
        for experiment in commit.get("experiments") or []:
            for revision in experiment.get("revs") or []:
                record = _record(revision, revision.get("name") or experiment.get("name") or str(revision.get("rev", ""))[:7])
                if record:
                    records.append(record)
    return records


def varying_keys(records: list[dict]) -> list[str]:
    """The params keys whose values differ between the experiments."""
    keys = sorted({key for record in records for key in record["params"]})
    return [key for key in keys if len({json.dumps(record["params"].get(key)) for record in records}) > 1]


def _sort_value(value: Any) -> tuple:
    return (0, float(value), "") if isinstance(value, (int, float)) and not isinstance(value, bool) else (1, 0.0, str(value))


def sweep_table(records: list[dict], key: str, experiment: str = "exp3") -> list[dict]:
    """One row per experiment: the swept value and the experiment's training metrics, sorted by the value."""
    path = f"metrics/{experiment}/train.json"
    rows = []
    for record in records:
        metrics = record["metrics"].get(path)
        if not metrics or key not in record["params"]:
            continue
        row = {"name": record["name"], "rev": record["rev"][:7], "committed": record["committed"], key: record["params"][key]}
        row.update({column: metrics[column] for column in COLUMNS + REPEAT_COLUMNS if column in metrics})
        rows.append(row)
    if not rows:
        raise SweepError(f"no finished experiment has {path} and the params key {key!r}; run the sweep first (see the README's Sweeps section).")
    rows.sort(key=lambda row: (_sort_value(row[key]), row["name"]))
    return rows


def choice_metric(rows: list[dict]) -> str:
    """What the choice is made on: the mean validation accuracy over seeds when every run repeated its seeds, else validation accuracy."""
    return "val_accuracy_mean" if all("test_accuracy_ci95" in row for row in rows) else "val_accuracy"


def best_row(rows: list[dict]) -> dict:
    """The row with the highest validation accuracy, averaged over seeds where they were repeated
    (the fewer parameters, then the earlier row, on a tie)."""
    metric = choice_metric(rows)
    return max(rows, key=lambda row: (row.get(metric, -math.inf), -row.get("trainable_parameters", 0)))


def markdown(rows: list[dict], key: str, best: Mapping) -> str:
    repeated = any("test_accuracy_ci95" in row for row in rows)  # the mean of one run is that run
    extra = ("val_accuracy_mean", "test_accuracy_mean", "test_accuracy_ci95") if repeated else ()
    columns = [key, "name"] + [column for column in COLUMNS + extra if any(column in row for row in rows)]
    lines = ["| " + " | ".join(columns) + " |", "|" + "|".join(" --- " if column == "name" else " ---: " for column in columns) + "|"]
    for row in rows:
        cells = []
        for column in columns:
            value = row.get(column, "")
            if column == "test_accuracy_ci95" and value:
                value = f"{value['low']:.4f}–{value['high']:.4f}"
            elif isinstance(value, float) and column != key:
                value = f"{value:.1f}" if column == "training_seconds" else f"{value:.4f}"
            cells.append(f"**{value}**" if row is best and column in (key, choice_metric(rows)) else str(value))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def read_experiments(all_commits: bool) -> list:
    """``dvc exp show --json`` of this project."""
    dvc = shutil.which("dvc") or str(Path(sys.executable).parent / "dvc")
    command = [dvc, "exp", "show", "--json"] + (["--all-commits"] if all_commits else [])
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise SweepError(f"`{' '.join(command[1:])}` failed: {result.stderr.strip().splitlines()[-1] if result.stderr.strip() else result.returncode}")
    return json.loads(result.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="hiddennodes-sweep", description=__doc__.splitlines()[0])
    parser.add_argument("--key", help="the swept params key, e.g. model.hidden (default: the one key that varies)")
    parser.add_argument("--experiment", default="exp3", help="whose metrics to tabulate (default exp3, the best-width network)")
    parser.add_argument("--out", type=Path, default=Path("sweep"), help="folder for sweep.md, sweep.json, sweep.png")
    parser.add_argument("--all-commits", action="store_true", help="also experiments based on earlier commits")
    parser.add_argument("--include-commit", action="store_true", help="also the commit the experiments start from, as a point of the sweep")
    parser.add_argument("--from-json", type=Path, help="read a saved `dvc exp show --json` instead of running it")
    args = parser.parse_args(argv)
    try:
        show = json.loads(args.from_json.read_text()) if args.from_json else read_experiments(args.all_commits)
        records = [record for record in experiment_records(show) if args.include_commit or not record["committed"]]
        key = args.key
        if key is None:
            varying = [name for name in varying_keys(records) if not name.startswith("data.mirror")]
            if len(varying) != 1:
                raise SweepError(f"the experiments vary {', '.join(varying) or 'no params key'}; name the swept one with --key.")
            key = varying[0]
        rows = sweep_table(records, key, args.experiment)
    except SweepError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    best = best_row(rows)
    from hiddennodes.plots import sweep_figure

    args.out.mkdir(parents=True, exist_ok=True)
    table = markdown(rows, key, best)
    summary = {"key": key, "experiment": args.experiment, "best": best, "rows": rows}
    figure = sweep_figure(rows, key, best, f"{args.experiment}: a sweep of {key} ({len(rows)} runs); best on validation: {best[key]}")
    for name, write in (("sweep.md", lambda path: path.write_text(table)),
                        ("sweep.json", lambda path: path.write_text(json.dumps(summary, indent=2) + "\n")),
                        ("sweep.png", lambda path: figure.savefig(path, dpi=110))):
        temporary = args.out / f".{name}.tmp{Path(name).suffix}"
        write(temporary)
        temporary.replace(args.out / name)  # whole files only: a reader never sees half a table
    print(table)
    metric = choice_metric(rows)
    words = "mean validation accuracy over seeds" if metric == "val_accuracy_mean" else "validation accuracy"
    print(f"Best on validation: {key} = {best[key]} ({best['name']}): {words} {best[metric]:.4f}, test {best['test_accuracy']:.4f}.")
    if best["committed"]:
        print("That is the committed params.yaml already: nothing to apply.")
    else:
        print(f"Apply it with `dvc exp apply {best['name']}`, then commit params.yaml and dvc.lock.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
