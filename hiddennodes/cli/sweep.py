"""hiddennodes-sweep: gather finished DVC experiments into a table and plots.

    dvc exp run --queue -S 'model.hidden=range(100,900,50)' -S ... # queue a sweep
    dvc queue start --jobs 2                                       # run it
    hiddennodes-sweep                                              # once they are done

Reads ``dvc exp show --json`` (the experiments of the current commit; with
``--include-commit`` the commit itself too), finds the params keys the sweep varied (or takes
``--key``, once per key; several keys are one recipe per row),
and writes ``sweep/sweep.md``, ``sweep/sweep.json``, ``sweep/sweep.png`` and ``sweep/accuracy.json`` (the
accuracies by swept value as rows for ``dvc plots``), drawn by ``dvc plots show`` with the project's
``lines`` template into ``sweep/plots/index.html``, a page that needs nothing from outside. (A sweep spans
experiments, so its rows are in no single revision: dvc.yaml cannot declare them the way it declares the
robustness and calibration curves, which ``dvc plots diff`` lays over each other.) The table has
validation and test accuracy against the key, and training seconds, with the
experiment that is best on the **validation** split marked. The choice is
made on validation because the test split must stay unseen until the choice
is made; the test accuracy is shown beside it, never used to choose.
Works for any swept key: widths, activations, optimizers, learning rates, batch sizes.
The table's rows are ``hiddennodes.evaluate.sweep``'s; this module runs DVC and writes the files.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from hiddennodes import PipelineError
from hiddennodes.cli.project import project_params
from hiddennodes.evaluate.sweep import (SweepError, best_row, choice_metric, combine_keys, experiment_records, markdown,
                                        numeric_values, plot_rows, sweep_record, sweep_table, varying_keys)
from hiddennodes.files import atomic_path


def dvc_command() -> str:
    return shutil.which("dvc") or str(Path(sys.executable).parent / "dvc")


def draw_with_dvc(data: Path, label: str, out: Path) -> Path | None:
    """``dvc plots show`` of the sweep's rows with the project's ``lines`` template and offline page (.dvc/config):
    the page's path, or None (with DVC's reason printed) where DVC could not draw it."""
    command = [dvc_command(), "plots", "show", str(data), "--template", "lines", "-x", "value", "-y", "accuracy",
               "--x-label", label, "--y-label", "accuracy", "--title", f"accuracy by {label}", "-o", str(out)]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        print(f"warning: `dvc plots show` could not draw {data}: {(result.stderr or result.stdout).strip()}", file=sys.stderr)
        return None
    return out / "index.html"


def recorded_where() -> dict:
    """When, at which commit and on how many cores a sweep was recorded (its training seconds depend on the last)."""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return {"date": datetime.date.today().isoformat(), "commit": commit.stdout.strip() if commit.returncode == 0 else "",
            "cpus": os.cpu_count()}


def read_experiments(all_commits: bool) -> list:
    """``dvc exp show --json`` of this project."""
    dvc = dvc_command()
    command = [dvc, "exp", "show", "--json"] + (["--all-commits"] if all_commits else [])
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise SweepError(f"`{' '.join(command[1:])}` failed: {result.stderr.strip().splitlines()[-1] if result.stderr.strip() else result.returncode}")
    return json.loads(result.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="hiddennodes-sweep", description=__doc__.splitlines()[0])
    parser.add_argument("--key", action="append", help="the swept params key, e.g. model.hidden; give it again for each key of a "
                        "recipe swept together (default: every key that varies, as one recipe)")
    parser.add_argument("--experiment", help="whose metrics to tabulate (default: params.yaml's reference, the best-width network on pixels)")
    parser.add_argument("--out", type=Path, default=Path("sweep"), help="folder for sweep.md, sweep.json, sweep.png, accuracy.json")
    parser.add_argument("--all-commits", action="store_true", help="also experiments based on earlier commits")
    parser.add_argument("--include-commit", action="store_true", help="also the commit the experiments start from, as a point of the sweep")
    parser.add_argument("--from-json", type=Path, help="read a saved `dvc exp show --json` instead of running it")
    parser.add_argument("--record", type=Path, help="also keep the sweep where the pipeline reads it back: sweeps/width.json for "
                        "a sweep of the reference's width, which the report shows beside its choice (commit it)")
    args = parser.parse_args(argv)
    try:
        if args.experiment is None:
            args.experiment = project_params(Path.cwd()).reference
        show = json.loads(args.from_json.read_text()) if args.from_json else read_experiments(args.all_commits)
        records = [record for record in experiment_records(show) if args.include_commit or not record["committed"]]
        keys = args.key
        if not keys:
            keys = [name for name in varying_keys(records) if not name.startswith("data.mirror")]
            if not keys:
                raise SweepError("the experiments vary no params key; name the swept one with --key.")
        key = keys[0] if len(keys) == 1 else combine_keys(records, keys)
        rows = sweep_table(records, key, args.experiment)
    except (SweepError, PipelineError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    best = best_row(rows)
    from hiddennodes.figures.sweep import sweep_figure

    table = markdown(rows, key, best)
    summary = {"key": key, "experiment": args.experiment, "best": best, "rows": rows}
    figure = sweep_figure(rows, key, best, f"{args.experiment}: a sweep of {key} ({len(rows)} runs)\nbest on validation: {best[key]}")
    for name, write in (("sweep.md", lambda path: path.write_text(table)),
                        ("sweep.json", lambda path: path.write_text(json.dumps(summary, indent=2) + "\n")),
                        ("accuracy.json", lambda path: path.write_text(json.dumps(plot_rows(rows, key), indent=2) + "\n")),
                        ("sweep.png", lambda path: figure.savefig(path, dpi=110))):
        with atomic_path(args.out / name, suffix=Path(name).suffix) as temporary:  # a reader never sees half a table
            write(temporary)
    print(table)
    if args.record:
        record = {**sweep_record(records, rows, key, args.experiment), "recorded": recorded_where()}
        with atomic_path(args.record, suffix=".json") as temporary:
            temporary.write_text(json.dumps(record, indent=2) + "\n")
        print(f"Recorded in {args.record}: commit it; the report reads it beside params.yaml's {key}.")
    page = draw_with_dvc(args.out / "accuracy.json", key if numeric_values(rows, key) else f"{key}: the run's row in sweep.md", args.out / "plots")
    if page:
        print(f"The sweep drawn by DVC, offline: {page}")
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
