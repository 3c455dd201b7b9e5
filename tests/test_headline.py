"""The headline metrics: a few numbers per experiment, copied from the detail files, never a string."""

from __future__ import annotations

from hiddennodes.evaluate.headline import experiment_headline, numbers, study_headline, training_headline

ROBUSTNESS = {"clean": 0.89, "strongest": {"rotation": 0.24, "shift": 0.26, "blur": 0.70}, "levels": {"rotation": {"0": 0.89, "1": 0.5}}}
CALIBRATION = {"test_ece": 0.021, "test_accuracy": 0.89, "threshold": 0.97, "test_coverage": 0.64, "test_checked_by_hand": 0.36}


def test_an_experiment_gets_its_numbers_away_from_the_test_set_from_the_detail_rows():
    headline = experiment_headline(ROBUSTNESS, CALIBRATION)
    assert headline == {"robust_accuracy": 0.4, "calibration_error": 0.021, "answered_at_target": 0.64}
    with_writers = experiment_headline(ROBUSTNESS, CALIBRATION, {"test_accuracy": 0.97, "uci_accuracy": 0.83, "drop": 0.14})
    assert with_writers["uci_accuracy"] == 0.83 and len(with_writers) == 4


def test_the_study_gets_the_input_maps_the_l2_baselines_and_the_customers_where_they_apply():
    pca, pixels = {"n_components": 154, "explained_variance": 0.95}, {"top_pixels": 70, "importance_covered": 0.3, "forest_val_accuracy": 0.96}
    baseline = {"pixels": {"penalty": "l2", "test_accuracy": 0.92}, "pixels l1": {"penalty": "l1", "test_accuracy": 0.91},
                "top pixels": {"penalty": "l2", "test_accuracy": 0.85}}
    study = study_headline(pca, pixels, baseline, {"applicable": False, "reason": "not digits"}, "exp3")
    assert study == {"pca_components": 154, "pca_explained_variance": 0.95, "top_pixels_importance_covered": 0.3, "forest_val_accuracy": 0.96,
                     "logreg_pixels_test_accuracy": 0.92, "logreg_top_pixels_test_accuracy": 0.85}
    customers = {"applicable": True, "exp3": {"clean": {"answered": 0.95, "raw_accuracy": 0.97}, "hard": {"answered": 0.6}}}
    assert study_headline(pca, pixels, baseline, customers, "exp3")["customers_hard_answered"] == 0.6


def test_the_training_headline_is_numbers_only_and_grows_with_repeated_seeds():
    metrics = {"experiment": "exp3", "inputs": "pixels", "activation": "relu", "val_accuracy": 0.9, "test_accuracy": 0.89, "best_epoch": 29,
               "trainable_parameters": 101770, "training_seconds": 11.4, "repeats": 1, "val_accuracy_mean": 0.9, "test_accuracy_mean": 0.89,
               "test_loss": 0.31, "test_accuracy_runs": {"42": 0.89}}
    once = training_headline(metrics)
    assert list(once) == ["val_accuracy", "test_accuracy", "best_epoch", "trainable_parameters", "training_seconds"]
    repeated = training_headline({**metrics, "repeats": 3, "val_accuracy_ci95": {"low": 0.89, "high": 0.91},
                                  "test_accuracy_ci95": {"low": 0.88, "high": 0.9}})
    assert repeated["test_accuracy_ci95"] == {"low": 0.88, "high": 0.9} and len(numbers(repeated)) == 11
    assert all(isinstance(value, (int, float)) for value in numbers(repeated).values())


def test_numbers_lists_every_leaf_by_its_path():
    assert numbers({"a": {"b": 1, "c": [2, {"d": 3}]}, "e": 4}) == {"a.b": 1, "a.c.0": 2, "a.c.1.d": 3, "e": 4}
