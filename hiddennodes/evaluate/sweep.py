"""A sweep's table from ``dvc exp show --json``'s records: the rows, the best, the Markdown.

Pure functions behind ``hiddennodes-sweep`` (``hiddennodes.cli.sweep``): validation
and test accuracy against the swept key, and training seconds, with the experiment
that is best on the **validation** split marked. The choice is
made on validation because the test split must stay unseen until the choice
is made; the test accuracy is shown beside it, never used to choose.
Works for any swept key: widths, activations, optimizers, learning rates, batch sizes.
"""

from __future__ import annotations

import json
import math
from typing import Any, Iterable, Mapping

COLUMNS = ("val_accuracy", "test_accuracy", "training_seconds", "best_epoch", "trainable_parameters")
REPEAT_COLUMNS = ("val_accuracy_mean", "val_accuracy_ci95", "test_accuracy_mean", "test_accuracy_ci95")


def metrics_path(experiment: str) -> str:
    """The train stage's headline metrics of an experiment, as ``dvc exp show`` names the file."""
    return f"metrics/{experiment}/training.json"


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


def combine_keys(records: list[dict], keys: list[str]) -> str:
    """A sweep over several keys at once (a recipe: optimizer, learning rate, batch size...): each record gains one
    params entry naming its values of all ``keys`` (``"optimizer=adam, batch_size=128"``), and its name is returned,
    to tabulate and choose on as one key. Records missing a key are left out of the sweep."""
    name = " + ".join(keys)
    short = [key.rpartition(".")[2] for key in keys]
    labels = short if len(set(short)) == len(short) else keys  # model.epochs and small.epochs keep their sections
    for record in records:
        if all(key in record["params"] for key in keys):
            record["params"][name] = Recipe(", ".join(f"{label}={record['params'][key]}" for label, key in zip(labels, keys)),
                                            tuple(record["params"][key] for key in keys))
    return name


class Recipe(str):
    """A recipe's words (``"batch_size=128, optimizer=adam"``) that sort by its values, numbers as numbers."""

    def __new__(cls, words: str, values: tuple):
        recipe = super().__new__(cls, words)
        recipe.values = values
        return recipe


def _sort_value(value: Any) -> tuple:
    if isinstance(value, Recipe):
        return (2, 0.0, "", tuple(_sort_value(part) for part in value.values))
    return (0, float(value), "") if isinstance(value, (int, float)) and not isinstance(value, bool) else (1, 0.0, str(value))


def sweep_table(records: list[dict], key: str, experiment: str) -> list[dict]:
    """One row per experiment: the swept value and the experiment's training metrics, sorted by the value."""
    path = metrics_path(experiment)
    rows = []
    for record in records:
        metrics = record["metrics"].get(path)
        if not metrics or key not in record["params"]:
            continue
        row = {"name": record["name"], "rev": record["rev"][:7], "committed": record["committed"], key: record["params"][key]}
        row.update({column: metrics[column] for column in COLUMNS + REPEAT_COLUMNS if column in metrics})
        rows.append(row)
    if not rows:
        raise SweepError(f"no finished experiment has {path} and the params key {key!r}; run the sweep first (see docs/experiments.md).")
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


def numeric_values(rows: list[dict], key: str) -> bool:
    """Whether every row's value of ``key`` is a number (a width, a rate), not words (an activation, a recipe)."""
    return all(isinstance(row[key], (int, float)) and not isinstance(row[key], bool) for row in rows)


def plot_rows(rows: list[dict], key: str) -> list[dict]:
    """The sweep as rows ``dvc plots`` draws with the project's ``lines`` template (a line per split): validation and
    test accuracy (their means over seeds where the seeds were repeated) against the swept value, or against the
    run's place in the sorted table where the values are not numbers (a recipe; ``setting`` names it)."""
    numeric = numeric_values(rows, key)
    repeated = all("val_accuracy_mean" in row for row in rows)
    points = []
    for split, column in (("validation", "val_accuracy"), ("test", "test_accuracy")):
        column += "_mean" if repeated else ""
        points += [{"line": split, "value": row[key] if numeric else place, "setting": str(row[key]), "accuracy": row[column]}
                   for place, row in enumerate(rows, 1)]
    return points


def markdown(rows: list[dict], key: str, best: Mapping) -> str:
    repeated = any("test_accuracy_ci95" in row for row in rows)  # the mean of one run is that run
    extra = REPEAT_COLUMNS if repeated else ()
    columns = [key, "name"] + [column for column in COLUMNS + extra if any(column in row for row in rows)]
    lines = ["| " + " | ".join(columns) + " |", "|" + "|".join(" --- " if column == "name" else " ---: " for column in columns) + "|"]
    for row in rows:
        cells = []
        for column in columns:
            value = row.get(column, "")
            if column.endswith("_ci95") and value:
                value = f"{value['low']:.4f}–{value['high']:.4f}"
            elif isinstance(value, float) and column != key:
                value = f"{value:.1f}" if column == "training_seconds" else f"{value:.4f}"
            cells.append(f"**{value}**" if row is best and column in (key, choice_metric(rows)) else str(value))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


# What a record keeps of each run: the swept value's accuracies (means and intervals where the seeds were repeated).
RECORDED = COLUMNS + REPEAT_COLUMNS


def sweep_record(records: list[dict], rows: list[dict], key: str, experiment: str) -> dict:
    """A sweep kept for the pipeline to read back (``hiddennodes-sweep --record``; the width's is ``sweeps/width.json``):
    the swept key, every params setting the sweep's runs shared (so a run can tell whether the sweep was made under
    its own settings; the local ``data.mirror`` left out), what the choice is made on, the best value, and per value
    its accuracies and training seconds."""
    names = {row["name"] for row in rows}
    used = [record for record in records if record["name"] in names]
    values = [json.dumps(row[key]) for row in rows]
    repeated = sorted({value for value in values if values.count(value) > 1})
    if repeated:
        raise SweepError(f"{key} = {', '.join(repeated)} was run more than once; remove the extra runs (`dvc exp remove <name>`) "
                         "so that the record holds one run a value.")
    varied = sorted({name for record in used for name in record["params"] if name != key and not name.startswith("data.mirror")
                     and len({json.dumps(other["params"].get(name)) for other in used}) > 1})
    if varied:
        raise SweepError(f"the runs differ in {', '.join(varied)} besides {key}; a record keeps a sweep of one key under one set "
                         "of settings, so gather those runs apart (--key, or remove the others).")
    shared = {name: value for name, value in used[0]["params"].items() if name != key and not name.startswith("data.mirror")}
    return {"key": key, "experiment": experiment, "chosen_on": choice_metric(rows), "best": best_row(rows)[key],
            "settings": shared, "rows": [{key: row[key], **{column: row[column] for column in RECORDED if column in row}}
                                         for row in rows]}


# Settings outside the swept key's own section that decide what a network learns: a sweep made under other ones does
# not back a run's choice.
SHARED = ("seed", "data.dataset", "data.val_size")


def record_differences(record: Mapping, params: Mapping, experiment: str) -> list[dict]:
    """Where a recorded sweep's settings and a run's flattened params differ: every key of the swept key's section
    (but ``repeats``, which trains more networks beside the kept one), ``SHARED``, and the swept experiment's
    declaration (but its label); ``{"key", "recorded", "now"}`` each, a key one side lacks as None. Empty: the sweep
    was made under this run's settings."""
    section = record["key"].rpartition(".")[0]
    declaration = f"experiments.{record.get('experiment', experiment)}."

    def relevant(name: str) -> bool:
        return name != record["key"] and (name in SHARED or (name.startswith(f"{section}.") and name != f"{section}.repeats")
                                          or (name.startswith(declaration) and name != f"{declaration}label"))

    settings = record["settings"]
    names = sorted({name for name in (*settings, *params) if relevant(name)})
    return [{"key": name, "recorded": settings.get(name), "now": params.get(name)} for name in names
            if json.dumps(settings.get(name)) != json.dumps(params.get(name))]
