"""The comparison of the experiments as one table: its rows, its text cells,
and the Markdown the compare stage writes (the report renders the same cells as HTML)."""

from __future__ import annotations

from typing import Mapping, Sequence

from hiddennodes.evaluate.published import SOURCES
from hiddennodes.words import interval_text

COMPARISON_COLUMNS = (
    ("experiment", "experiment"),
    ("inputs", "input kind"),
    ("num_inputs", "inputs"),
    ("hidden_units", "hidden nodes"),
    ("trainable_parameters", "parameters"),
    ("train_accuracy", "train acc"),
    ("val_accuracy", "val acc"),
    ("test_accuracy", "test acc"),
    ("repeats", "seeds"),
    ("test_accuracy_mean", "test acc mean"),
    ("test_accuracy_ci95", "95% interval"),
    ("study_figure", "study's figure"),
    ("best_epoch", "best epoch"),
    ("training_seconds", "seconds"),
)
# The experiment and its input kind are words, left-aligned; every other column is a number.
COMPARISON_TEXT_COLUMNS = 2
BASELINE_PREFIX = "logreg"


def comparison_table(metrics_by_experiment: Mapping[str, Mapping], baseline: Mapping[str, Mapping] | None = None,
                     study: Mapping[str, str] | None = None) -> dict[str, dict]:
    """The comparison of the experiments, keyed by experiment name, then one
    ``logreg <inputs>`` row per input kind of the logistic-regression baseline (0 hidden nodes).
    ``study``: an experiment's published figures as text (``hiddennodes.evaluate.published.figures_text``)."""
    table = {}
    for name, metrics in metrics_by_experiment.items():
        table[name] = {key: metrics[key] for key, _ in COMPARISON_COLUMNS if key in metrics and key != "experiment"}
        if (study or {}).get(name):
            table[name]["study_figure"] = study[name]
        for key in ("filters", "kernel", "pool"):  # a convolutional network: what comes before its hidden layer
            if key in metrics:
                table[name][key] = metrics[key]
    for kind, metrics in (baseline or {}).items():
        row = {key: metrics[key] for key, _ in COMPARISON_COLUMNS if key in metrics and key != "experiment"}
        for key in ("penalty", "zero_weights"):  # the sparse models: which penalty, and the share of weights it zeroes
            if key in metrics:
                row[key] = metrics[key]
        table[f"{BASELINE_PREFIX} {kind}"] = {**row, "hidden_units": 0}
    return table


def table_cells(table: Mapping[str, Mapping]) -> list[list[str]]:
    """The rows of :func:`comparison_table` as text cells in COMPARISON_COLUMNS order."""
    rows = []
    for name, row in table.items():
        cells = []
        for key, _ in COMPARISON_COLUMNS:
            value = name if key == "experiment" else row.get(key, "")
            if key == "test_accuracy_ci95" and isinstance(value, Mapping):
                value = interval_text(value)
            elif isinstance(value, float):
                value = f"{value:.1f}" if key == "training_seconds" else f"{value:.4f}"
            cells.append(str(value))
        rows.append(cells)
    return rows


def markdown(headers: Sequence[str], rows: Sequence[Sequence[str]], text_columns: int = 1) -> str:
    """A GitHub Markdown table, its first ``text_columns`` columns left-aligned and the rest (numbers) right-aligned."""
    rule = "|" + "|".join(" --- " if index < text_columns else " ---: " for index in range(len(headers))) + "|"
    return "\n".join(["| " + " | ".join(headers) + " |", rule] + ["| " + " | ".join(cells) + " |" for cells in rows])


def study_sources_text(table: Mapping[str, Mapping]) -> str:
    """The sentence under the comparison that says where the "study's figure" column's numbers come from; "" when the
    table has none (every dataset but MNIST)."""
    used = [key for key in SOURCES if any(f"({key})" in str(row.get("study_figure", "")) for row in table.values())]
    if not used:
        return ""
    return ("The study's figures are the test accuracies on MNIST's 10,000 test digits published for a network of the "
            "same inputs and layers (the study measured MNIST only): "
            + "; ".join(f"({key}) {SOURCES[key]}" for key in used) + ".")


def markdown_table(table: Mapping[str, Mapping]) -> str:
    """Render :func:`comparison_table`'s result as a GitHub Markdown table."""
    return markdown([title for _, title in COMPARISON_COLUMNS], table_cells(table), COMPARISON_TEXT_COLUMNS) + "\n"
