"""Benchmark: a project's customers' pictures, network by network, against the reader's targets.

    python benchmarks/customers_table.py --project DIR                 # after dvc repro (customers.digits digits)
    python benchmarks/customers_table.py --project DIR --conditions    # and every condition and level of the reader

Reads what the ``customers`` stage wrote (``metrics/customers.json`` and ``metrics/customers_table.json``):
each network read the test digits drawn under every condition at its calibrated threshold. Printed per
network: the share of clean and of hard pictures' digits answered and the share of those right, the worst
condition and level (right of answered) and how many fall under ``--floor``; the network the stage chose
as ``hiddennodes-predict``'s reader is marked. Judge a reader on 500 digits a condition
(``dvc exp run -S customers.digits=500``): at 50, one digit is two points of a condition.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def share(value: float | None, digits: int = 1) -> str:
    """A share as a percentage; "-" where nothing was answered (the stage writes None then)."""
    return "-" if value is None else f"{value:.{digits}%}"


def worst(rows: list[dict]) -> dict | None:
    answered = [row for row in rows if row["answered"] > 0 and row["accuracy_answered"] is not None]
    return min(answered, key=lambda row: row["accuracy_answered"]) if answered else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", required=True, type=Path)
    parser.add_argument("--floor", type=float, default=0.98, help="a condition's least share right of those answered")
    parser.add_argument("--conditions", action="store_true", help="also the reader's every condition and level")
    args = parser.parse_args()
    summary = json.loads((args.project / "metrics/customers.json").read_text())
    if not summary.get("applicable"):
        raise SystemExit(f"{args.project}: no customers' pictures in this run ({summary.get('reason', 'not digits')}).")
    table = json.loads((args.project / "metrics/customers_table.json").read_text())
    reader = summary.get("reader", {}).get("experiment")
    print(f"{summary['digits']} test digits a condition and level\n")
    print("| network | clean answered | right | hard answered | right | worst condition (right of answered, digits answered)"
          f" | conditions under {args.floor:.0%} |")
    print("| --- | ---: | ---: | ---: | ---: | --- | ---: |")
    for name, rows in table["experiments"].items():
        clean, hard = summary[name]["clean"], summary[name]["hard"]
        low = worst(rows)
        under = sum(1 for row in rows if row["answered"] > 0 and row["accuracy_answered"] is not None
                    and row["accuracy_answered"] < args.floor)
        where = (f"{low['accuracy_answered']:.1%} ({low['words']}, {low['label']}; {round(low['answered'] * low['digits'])})"
                 if low else "none answered")
        mark = "**" if name == reader else ""
        print(f"| {mark}{name}{' (reader)' if name == reader else ''}{mark} | {share(clean['answered'])} | "
              f"{share(clean['accuracy_answered'], 2)} | {share(hard['answered'])} | {share(hard['accuracy_answered'], 2)} | "
              f"{where} | {under} of {len(rows)} |")
    if args.conditions and reader:
        print(f"\n{reader}, every condition and level:\n")
        print("| group | condition | level | answered | right of answered | refused for the picture |")
        print("| --- | --- | --- | ---: | ---: | ---: |")
        for row in table["experiments"][reader]:
            refused = sum(row.get("refusals", {}).values())
            print(f"| {row['group']} | {row['words']} | {row['label']} | {share(row['answered'])} | "
                  f"{share(row['accuracy_answered'])} | {refused} |")


if __name__ == "__main__":
    main()
