"""Stage select_pixels: the ``rf.top_pixels`` pixels a random forest finds most useful.

A seeded random forest of ``rf.n_estimators`` trees, each grown on a bootstrap
sample of ``rf.max_samples`` of the training split, is fitted; its impurity
importances rank the 784 pixels, and the top 70 (by default) become the inputs
of experiment 5.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from common import load_splits, read_json, run, save_figure, save_splits, write_json
from settings import load_params
from sklearn.ensemble import RandomForestClassifier

from hiddennodes.figures.pixels import pixel_importance_figure


def rank_pixels(importances: np.ndarray, top: int) -> np.ndarray:
    """Indices of the ``top`` most important pixels, most important first
    (ties broken by the lower index, so the choice is deterministic)."""
    order = np.lexsort((np.arange(len(importances)), -importances))
    return order[:top].astype(np.int64)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prepared", required=True, type=Path)
    parser.add_argument("--dataset-info", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path, help="folder for the reduced splits")
    parser.add_argument("--metrics", required=True, type=Path)
    parser.add_argument("--plot", required=True, type=Path)
    args = parser.parse_args()
    params = load_params()
    info = read_json(args.dataset_info)
    splits = load_splits(args.prepared)
    forest = RandomForestClassifier(n_estimators=params.rf.n_estimators, random_state=params.seed, n_jobs=-1,
                                    max_samples=params.rf.max_samples if params.rf.max_samples < 1 else None)
    forest.fit(splits["train"]["features"], splits["train"]["labels"])
    importances = forest.feature_importances_
    selected = rank_pixels(importances, params.rf.top_pixels)
    save_splits(
        args.out,
        {name: {"features": arrays["features"][:, selected], "labels": arrays["labels"]} for name, arrays in splits.items()},
        map={"input_kind": np.array("top_pixels"), "pixel_indices": selected, "importances": importances},
    )
    metrics = {
        "top_pixels": int(len(selected)),
        "importance_covered": round(float(importances[selected].sum()), 6),
        "forest_val_accuracy": round(float(forest.score(splits["val"]["features"], splits["val"]["labels"])), 6),
    }
    write_json(args.metrics, metrics)
    title = f"{info['title']}\nrandom-forest importance of each pixel, the {len(selected)} kept ringed"
    save_figure(args.plot, pixel_importance_figure(importances, selected, title))
    print(metrics)


if __name__ == "__main__":
    run(main)
