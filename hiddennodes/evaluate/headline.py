"""The headline metrics: the few numbers a person compares between DVC experiments, each in one place.

``dvc exp show`` and ``dvc metrics diff`` make a column (a row) of every leaf of every file declared as
``metrics``. So the files declared so hold only these: per experiment at most a dozen numbers, and a few for
the study as a whole, never a string (settings are params, names are keys). Every number is copied from a
detail file that another stage wrote (declared as ``outs`` and read by the report, the comparison table and
the sweep as before): nothing here is computed anew, so the two can never disagree.
"""

from __future__ import annotations

from typing import Mapping

# The training's numbers (from the train stage's metrics/train/<exp>.json), and where the seeds were repeated,
# the means over seeds and their 95% intervals (the validation's: what a sweep chooses on).
TRAINING = ("val_accuracy", "test_accuracy", "best_epoch", "trainable_parameters", "training_seconds")
REPEATED = ("val_accuracy_mean", "val_accuracy_ci95", "test_accuracy_mean", "test_accuracy_ci95")


def training_headline(train: Mapping) -> dict:
    """One experiment's training numbers out of everything its training measured."""
    return {key: train[key] for key in TRAINING + (REPEATED if train.get("repeats", 1) > 1 else ())}


def experiment_headline(robustness: Mapping, calibration: Mapping, realworld: Mapping | None = None) -> dict:
    """One experiment's headline numbers away from the test set as it is, from its detail rows (its training's are
    :func:`training_headline`'s, in a file of their own, ``metrics/<exp>/training.json``).

    Args:
        robustness: its row of the robustness stage's metrics (``strongest``: accuracy per change at its strongest).
        calibration: its row of the calibration stage's metrics.
        realworld: its row of the realworld stage's metrics, where that applies (MNIST): ``uci_accuracy``.
    """
    strongest = robustness["strongest"]
    headline = {"robust_accuracy": round(sum(strongest.values()) / len(strongest), 6),  # the mean over the changes at their strongest
                "calibration_error": calibration["test_ece"],
                "answered_at_target": calibration["test_coverage"]}  # the share of test digits answered at the target accuracy
    if realworld and realworld.get("uci_accuracy") is not None:
        headline["uci_accuracy"] = realworld["uci_accuracy"]
    return headline


def study_headline(pca: Mapping, pixels: Mapping, baseline: Mapping, customers: Mapping, reference: str) -> dict:
    """The study's headline numbers: what the input maps keep, what logistic regression reads on each kind of input
    (the L2 model: the sparse ones are in the baseline's detail file), and how the reference reads customers' pictures
    where that applies."""
    headline = {"pca_components": pca["n_components"], "pca_explained_variance": pca["explained_variance"],
                "top_pixels_importance_covered": pixels["importance_covered"], "forest_val_accuracy": pixels["forest_val_accuracy"]}
    for name, row in baseline.items():
        if row.get("penalty", "l2") == "l2":
            headline[f"logreg_{name.replace(' ', '_')}_test_accuracy"] = row["test_accuracy"]
    if customers.get("applicable") and reference in customers:
        headline["customers_clean_answered"] = customers[reference]["clean"]["answered"]
        headline["customers_hard_answered"] = customers[reference]["hard"]["answered"]
    return headline


def numbers(mapping: Mapping, prefix: str = "") -> dict[str, float]:
    """Every leaf of a nested mapping by its dotted path, as ``dvc metrics show`` lists them (lists by index)."""
    found = {}
    items = mapping.items() if isinstance(mapping, Mapping) else enumerate(mapping)
    for key, value in items:
        path = f"{prefix}{key}"
        if isinstance(value, (Mapping, list)):
            found.update(numbers(value, f"{path}."))
        else:
            found[path] = value
    return found
