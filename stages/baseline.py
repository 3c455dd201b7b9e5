"""Stage baseline: the linear model a user would try first, on the same splits and inputs.

Multinomial logistic regression (scikit-learn's ``LogisticRegression``, lbfgs)
on each input kind the networks read: the 784 pixels, the PCA components and
the selected pixels. A network with a hidden layer has to beat this row to
justify its hidden layer; the comparison table shows them side by side.
``baseline.max_iter`` caps lbfgs (scikit-learn's default 100); whether it
converged within it is recorded, not hidden.
"""

from __future__ import annotations

import argparse
import time
import warnings
from pathlib import Path

from common import load_params, load_splits, run, write_json


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", required=True, nargs="+", type=Path, help="folders with train/val/test .npz")
    parser.add_argument("--kinds", required=True, nargs="+", help="what each folder's inputs are, in the same order")
    parser.add_argument("--metrics", required=True, type=Path)
    args = parser.parse_args()
    if len(args.inputs) != len(args.kinds):
        parser.error("give one --kinds name per --inputs folder")
    params = load_params()
    settings = params.baseline
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression

    result = {}
    for folder, kind in zip(args.inputs, args.kinds):
        splits = load_splits(folder)
        started = time.perf_counter()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ConvergenceWarning)
            model = LogisticRegression(C=settings.C, max_iter=settings.max_iter, random_state=params.seed)
            model.fit(splits["train"]["features"], splits["train"]["labels"])
        row = {"inputs": kind, "num_inputs": int(splits["train"]["features"].shape[1]),
               "trainable_parameters": int(model.coef_.size + model.intercept_.size)}
        for name, arrays in splits.items():
            row[f"{name}_accuracy"] = round(float(model.score(arrays["features"], arrays["labels"])), 6)
        row.update(training_seconds=round(time.perf_counter() - started, 2), iterations=int(model.n_iter_.max()),
                   converged=not any(issubclass(warning.category, ConvergenceWarning) for warning in caught))
        result[kind] = row
        print(row, flush=True)
    write_json(args.metrics, result)


if __name__ == "__main__":
    run(main)
