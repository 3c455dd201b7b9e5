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
to exactly zero. The fits share nothing, so they run side by side, one process a core.
"""

from __future__ import annotations

import argparse
import os
import time
import warnings
from pathlib import Path

from common import load_arrays, load_splits, run, write_json
from settings import load_params

from hiddennodes.config.experiments import INPUT_KINDS


def fit(kind: str, penalty: str, splits: dict, settings, seed: int) -> dict:
    """One baseline: ``penalty``'s logistic regression on one input kind, scored on every split."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression

    started = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        if penalty == "l2":
            model = LogisticRegression(C=settings.C, max_iter=settings.max_iter, random_state=seed)
        else:  # saga: the solver for L1 and the elastic net; l1_ratio 1 is L1 alone
            model = LogisticRegression(C=settings.C, solver="saga", max_iter=settings.saga_max_iter, random_state=seed,
                                       l1_ratio=1.0 if penalty == "l1" else settings.l1_ratio)
        model.fit(splits["train"]["features"], splits["train"]["labels"])
    row = {"inputs": kind, "penalty": penalty, "num_inputs": int(splits["train"]["features"].shape[1]),
           "trainable_parameters": int(model.coef_.size + model.intercept_.size)}
    for name, arrays in splits.items():
        row[f"{name}_accuracy"] = round(float(model.score(arrays["features"], arrays["labels"])), 6)
    row.update(training_seconds=round(time.perf_counter() - started, 2), iterations=int(model.n_iter_.max()),
               converged=not any(issubclass(warning.category, ConvergenceWarning) for warning in caught),
               zero_weights=round(float((model.coef_ == 0).mean()), 4))
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", required=True, nargs="+", type=Path, help="folders with train/val/test .npz and map.npz")
    parser.add_argument("--metrics", required=True, type=Path)
    args = parser.parse_args()
    params = load_params()
    settings = params.baseline
    from joblib import Parallel, delayed

    kinds = {INPUT_KINDS[str(load_arrays(folder / "map.npz", ("input_kind",))["input_kind"])]: folder for folder in args.inputs}
    splits = {kind: load_splits(folder) for kind, folder in kinds.items()}
    fits = [(kind, penalty) for kind in kinds for penalty in settings.penalties]
    # The fits share nothing, and each is mostly one thread's work (saga is sequential; lbfgs's steps are small):
    # one process a core, the longest first, each with one BLAS thread (joblib's default), the same rows in the same order.
    longest_first = sorted(fits, key=lambda pair: -splits[pair[0]]["train"]["features"].shape[1])  # stable: ties keep their order
    rows = dict(zip(longest_first, Parallel(n_jobs=min(len(fits), os.cpu_count() or 1))(
        delayed(fit)(kind, penalty, splits[kind], settings, params.seed) for kind, penalty in longest_first)))
    result = {}
    for kind, penalty in fits:
        result[kind if penalty == "l2" else f"{kind} {penalty}"] = rows[(kind, penalty)]
        print(rows[(kind, penalty)], flush=True)
    write_json(args.metrics, result)


if __name__ == "__main__":
    run(main)
