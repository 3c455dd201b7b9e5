"""Stage width_sweep: the width sweep behind the reference's width, read back from its record and checked against this run.

A sweep of the best width (``model.hidden``) trains a network per width and seed (``dvc exp run --queue -S 'model.hidden=...'``, docs/experiments.md),
minutes of training that ``dvc repro`` does not repeat: ``hiddennodes-sweep --record sweeps/width.json`` keeps it, with
every setting its runs shared. This stage compares those settings with this run's params (the width's training section,
the seed, the dataset and its split, the reference's declaration) and writes ``metrics/width_sweep.json``: the sweep's
rows, the width this run uses and the sweep's best, and ``applicable`` only where the sweep was made under this run's
settings, with the differences named where it was not. ``plots/width_sweep.png`` draws it, this run's width marked;
the report shows it, and its words, only where it applies.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import yaml
from common import read_json, run, save_figure, write_json
from settings import load_params

from hiddennodes import PipelineError
from hiddennodes.evaluate.sweep import flatten, record_differences
from hiddennodes.figures.sweep import width_figure


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record", required=True, type=Path, help="the sweep's record (hiddennodes-sweep --record)")
    parser.add_argument("--json", required=True, type=Path)
    parser.add_argument("--figure", required=True, type=Path)
    args = parser.parse_args()
    params = load_params()
    reference = params.experiment(params.reference)
    record = read_json(args.record)
    for field in ("key", "settings", "rows", "best", "chosen_on"):
        if field not in record:
            raise PipelineError(f"{args.record} has no {field!r}; write it again with `hiddennodes-sweep --record {args.record}` "
                                "(docs/experiments.md).")
    now = flatten(yaml.safe_load(Path("params.yaml").read_text()))
    differences = record_differences(record, now, params.reference)
    if record["key"].rpartition(".")[0] != "model":  # dvc.yaml tracks that section for this stage, not the others
        raise PipelineError(f"{args.record} sweeps {record['key']}; the width_sweep stage reads a sweep of the model section's "
                            "width (model.hidden, the best width's), so record one with `hiddennodes-sweep --key model.hidden "
                            f"--record {args.record}`.")
    if record["key"] != reference.width:
        differences.insert(0, {"key": "the swept key", "recorded": record["key"], "now": reference.width})
    if record.get("experiment", params.reference) != params.reference:
        differences.insert(0, {"key": "the swept experiment", "recorded": record["experiment"], "now": params.reference})
    chosen = params.width(reference)
    section = record["key"].rpartition(".")[0]
    summary = {"key": record["key"], "experiment": params.reference, "chosen": chosen, "best": record["best"],
               "chosen_on": record["chosen_on"], "applicable": not differences, "differences": differences,
               "dataset": record["settings"].get("data.dataset"), "seed": record["settings"].get("seed"),
               "repeats": record["settings"].get(f"{section}.repeats", 1), "recorded": record.get("recorded", {}),
               "rows": record["rows"]}
    write_json(args.json, summary)
    save_figure(args.figure, width_figure(summary))
    print(f"{args.json}: {len(record['rows'])} widths, best on validation {record['best']}, this run's {chosen}; "
          + ("the sweep was made under this run's settings" if not differences else
             f"the sweep does not apply: {len(differences)} setting{'s differ' if len(differences) > 1 else ' differs'}"))


if __name__ == "__main__":
    run(main)
