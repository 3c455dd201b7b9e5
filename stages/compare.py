"""Stage compare: the five experiments side by side.

Gathers each experiment's training metrics into one table (JSON for
``dvc metrics diff``, Markdown for people) and a bar chart of accuracies.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from common import read_json, run, save_figure, write_json, write_text

from hiddennodes.evaluation import comparison_table, markdown_table
from hiddennodes.plots import comparison_figure


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("train_metrics", nargs="+", type=Path, help="each experiment's train metrics JSON")
    parser.add_argument("--dataset-info", required=True, type=Path)
    parser.add_argument("--json", required=True, type=Path)
    parser.add_argument("--markdown", required=True, type=Path)
    parser.add_argument("--figure", required=True, type=Path)
    args = parser.parse_args()
    info = read_json(args.dataset_info)
    metrics = {}
    for path in args.train_metrics:
        data = read_json(path)
        metrics[data["experiment"]] = data
    table = comparison_table(metrics)
    write_json(args.json, table)
    title = f"{info['title']}: five single-hidden-layer networks"
    write_text(args.markdown, f"# {title}\n\n" + markdown_table(table))
    save_figure(args.figure, comparison_figure(table, title))
    print(markdown_table(table))


if __name__ == "__main__":
    run(main)
