"""Stage baseline: the linear model a user would try first, on the same splits and inputs.

Multinomial logistic regression (scikit-learn's ``LogisticRegression``, lbfgs)
on each input kind the networks read: the 784 pixels, the PCA components and
the selected pixels. A network with a hidden layer has to beat this row to
justify its hidden layer; the comparison table shows them side by side.
``baseline.max_iter`` caps lbfgs (scikit-learn's default 100); whether it
converged within it is recorded, not hidden.

Beside that L2-penalised model, ``baseline.penalties`` adds the sparse ones
the seed survey also reports: ``l1`` and ``elasticnet`` (``baseline.l1_ratio``
of L1 in the mix), fitted with the saga solver (the one scikit-learn offers for
them), at most ``baseline.saga_max_iter`` passes over the data, rows
``<inputs> l1`` and ``<inputs> elasticnet`` with the share of weights they set
to exactly zero.
"""

from __future__ import annotations

import argparse
import time
import warnings
from pathlib import Path

from common import load_arrays, load_splits, run, write_json
from settings import load_params

from hiddennodes.experiments import INPUT_KINDS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", required=True, nargs="+", type=Path, help="folders with train/val/test .npz and map.npz")
    parser.add_argument("--metrics", required=True, type=Path)
    args = parser.parse_args()
    params = load_params()
    settings = params.baseline
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression

    result = {}
    for folder in args.inputs:
        kind = INPUT_KINDS[str(load_arrays(folder / "map.npz", ("input_kind",))["input_kind"])]
        splits = load_splits(folder)
        for penalty in settings.penalties:
            started = time.perf_counter()
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", ConvergenceWarning)
                if penalty == "l2":
                    model = LogisticRegression(C=settings.C, max_iter=settings.max_iter, random_state=params.seed)
                else:  # saga: the solver for L1 and the elastic net; l1_ratio 1 is L1 alone
                    model = LogisticRegression(C=settings.C, solver="saga", max_iter=settings.saga_max_iter, random_state=params.seed,
                                               l1_ratio=1.0 if penalty == "l1" else settings.l1_ratio)
                model.fit(splits["train"]["features"], splits["train"]["labels"])
            row = {"inputs": kind, "penalty": penalty, "num_inputs": int(splits["train"]["features"].shape[1]),
                   "trainable_parameters": int(model.coef_.size + model.intercept_.size)}
            for name, arrays in splits.items():
                row[f"{name}_accuracy"] = round(float(model.score(arrays["features"], arrays["labels"])), 6)
            row.update(training_seconds=round(time.perf_counter() - started, 2), iterations=int(model.n_iter_.max()),
                       converged=not any(issubclass(warning.category, ConvergenceWarning) for warning in caught),
                       zero_weights=round(float((model.coef_ == 0).mean()), 4))
            result[kind if penalty == "l2" else f"{kind} {penalty}"] = row
            print(row, flush=True)
    write_json(args.metrics, result)


if __name__ == "__main__":
    run(main)
