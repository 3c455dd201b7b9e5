"""The gathering stages on a network trained on real digits: calibration, robustness, realworld, customers."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def project(reading_project, tmp_path):
    """A copy of the session's reading project (exp3 trained on real digits), for one stage test to run in."""
    root = tmp_path / "project"
    shutil.copytree(reading_project, root)
    return root, json.loads((root / "metrics" / "train" / "exp3.json").read_text())["test_accuracy"]


def stage(root: Path, name: str, *args: str) -> dict:
    """Run a stage script in ``root``; its metrics JSON (the value after --metrics)."""
    subprocess.run([sys.executable, str(ROOT / "stages" / f"{name}.py"), *args], cwd=root, check=True, capture_output=True)
    return json.loads((root / args[args.index("--metrics") + 1]).read_text())


def calibration(root: Path) -> dict:
    return stage(root, "calibration", "--activations", "data/activations", "--dataset-info", "data/dataset.json", "--metrics",
                 "metrics/calibration.json", "--reliability-png", "plots/reliability.png", "--coverage-png", "plots/coverage.png",
                 "--reliability", "plots/reliability")


def test_calibration_stage_picks_the_threshold_on_validation_and_reports_the_held_out_digits(project):
    root = project[0]
    result = calibration(root)["exp3"]
    with np.load(root / "data/activations/exp3.npz") as arrays:
        validation = arrays["val_probabilities"], arrays["val_labels"]
        probabilities, labels = arrays["test_probabilities"], arrays["test_labels"]
    accuracy = float(np.mean(probabilities.argmax(axis=1) == labels))
    assert result["test_accuracy"] == pytest.approx(accuracy, abs=1e-6)
    # The threshold is the validation digits' own: the answers at or above it are 99% right there.
    kept = validation[0].max(axis=1) >= result["threshold"]
    assert np.mean(validation[0][kept].argmax(axis=1) == validation[1][kept]) >= 0.99
    assert result["val_coverage"] == pytest.approx(kept.mean(), abs=1e-6)
    # On the held-out digits abstaining buys accuracy at the price of coverage.
    assert 0.5 < result["test_coverage"] < 1 and result["test_accuracy_kept"] > accuracy
    assert result["test_checked_by_hand"] == pytest.approx(1 - result["test_coverage"], abs=1e-6)
    assert 0 <= result["test_ece"] < 0.1
    assert (root / "plots/reliability.png").stat().st_size > 0 and (root / "plots/coverage.png").stat().st_size > 0
    # The same diagram as rows DVC draws: its filled bins, weighted by their digits, give the test accuracy back.
    bins = json.loads((root / "plots/reliability/exp3.json").read_text())
    assert {row["line"] for row in bins} == {"test digits"} and sum(row["digits"] for row in bins) == len(labels)
    assert sum(row["accuracy"] * row["digits"] for row in bins) / len(labels) == pytest.approx(accuracy, abs=1e-5)


def test_robustness_stage_on_real_digits(project):
    root = project[0]
    result = stage(root, "robustness", "--models", "models", "--test", "data/inputs/pixels/test.npz", "--dataset-info", "data/dataset.json",
                   "--metrics", "metrics/robustness.json", "--curves-png", "plots/curves.png", "--examples-png", "plots/examples.png",
                   "--levels", "plots/levels")
    with np.load(root / "data/activations/exp3.npz") as arrays:
        clean = float(np.mean(arrays["test_probabilities"].argmax(axis=1) == arrays["test_labels"]))
    exp3 = result["exp3"]
    assert result["test_images"] == 2000 and exp3["clean"] == pytest.approx(clean, abs=1e-6)
    assert set(exp3["strongest"]) == set(result["severities"]) and len(exp3["strongest"]) == 9
    assert result["severities"]["rotation"]["4"] == 30 and result["severities"]["contrast"]["4"] == 0.2
    for change, accuracies in exp3["levels"].items():
        assert accuracies["0"] == exp3["clean"] and accuracies["4"] == exp3["strongest"][change]
    # The curves as rows DVC draws (a line per change) hold the same numbers.
    rows = json.loads((root / "plots/levels/exp3.json").read_text())
    assert {(row["line"], str(row["level"])): row["accuracy"] for row in rows} == {
        (change, level): value for change, levels in exp3["levels"].items() for level, value in levels.items()}
    # A dense network on raw pixels has no built-in invariance: turning or moving the digits costs a lot.
    for change in ("rotation", "shift", "noise"):
        assert exp3["strongest"][change] < clean - 0.1, (change, exp3["strongest"][change])
    # Same params and seed, same numbers.
    again = stage(root, "robustness", "--models", "models", "--test", "data/inputs/pixels/test.npz", "--dataset-info", "data/dataset.json",
                  "--metrics", "metrics/robustness.json", "--curves-png", "plots/curves.png", "--examples-png", "plots/examples.png",
                   "--levels", "plots/levels")
    assert again == result


def test_realworld_stage_reads_the_uci_digits_with_each_experiment(project):
    root, raw_accuracy = project
    thresholds = calibration(root)
    result = stage(root, "realworld", "--models", "models", "--train-metrics", "metrics/train", "--dataset-info", "data/dataset.json", "--calibration", "metrics/calibration.json",
                   "--metrics", "metrics/realworld.json")
    assert result["applicable"] is True and result["uci_digits"] == 1797
    row = result["exp3"]
    assert row["test_accuracy"] == raw_accuracy
    # Other writers and another scanner: well above chance, below MNIST's own test digits.
    assert 0.6 < row["uci_accuracy"] < raw_accuracy
    assert row["drop"] == pytest.approx(raw_accuracy - row["uci_accuracy"], abs=1e-6)
    # The MNIST threshold answers fewer of the unfamiliar digits, and those it answers are more often right.
    assert row["threshold"] == thresholds["exp3"]["threshold"]
    assert row["uci_coverage"] < thresholds["exp3"]["test_coverage"]
    assert row["uci_accuracy_kept"] > row["uci_accuracy"]
    assert row["uci_ece"] > thresholds["exp3"]["test_ece"]


def test_customers_stage_reads_every_condition_as_the_command_does(project):
    from hiddennodes.conditions.catalogue import CONDITIONS

    root = project[0]
    calibration(root)
    params = yaml.safe_load((root / "params.yaml").read_text())
    params["customers"] = {"digits": 5}
    (root / "params.yaml").write_text(yaml.safe_dump(params))
    subprocess.run([sys.executable, str(ROOT / "stages" / "customer_pictures.py"), "--test", "data/inputs/pixels/test.npz",
                    "--dataset-info", "data/dataset.json", "--out", "data/customers.npz"], cwd=root, check=True, capture_output=True)
    with np.load(root / "data/customers.npz", allow_pickle=False) as pictures:  # plain arrays: nothing pickled
        assert int(pictures["digits"]) == 5 and len(pictures["conditions"]) == sum(len(c.levels) for c in CONDITIONS.values())
    args = ["--models", "models", "--test", "data/inputs/pixels/test.npz", "--pictures", "data/customers.npz",
            "--dataset-info", "data/dataset.json", "--calibration", "metrics/calibration.json", "--familiarity", "metrics/familiarity.json", "--pca", "data/inputs/pca/map.npz",
            "--metrics", "metrics/customers.json", "--table", "metrics/customers_table.json", "--examples-png", "plots/customers.png"]
    result = stage(root, "customers", *args)

    rows = json.loads((root / "metrics/customers_table.json").read_text())["experiments"]["exp3"]
    assert len(rows) == sum(len(condition.levels) for condition in CONDITIONS.values())
    assert result["applicable"] and result["digits"] == 5
    assert set(result["exp3"]) == {"clean", "hard"} and result["exp3"]["clean"]["conditions"] == sum(
        len(condition.levels) for condition in CONDITIONS.values() if condition.group == "clean")
    by_condition = {(row["condition"], row["level"]): row for row in rows}
    # The same digits carried differently (file kinds, JPEG, HEIC, a photo of paper, one stored sideways) are
    # answered as the plain scan is, and as accurately as the arrays.
    scan = by_condition[("scan", 1)]
    for key in [("formats", level) for level in range(6)] + [("jpeg", 0), ("heic", 0), ("paper", 0), ("exif", 0), ("exif", 1)]:
        assert abs(by_condition[key]["answered"] - scan["answered"]) <= 0.2 + 1e-9, key
        assert by_condition[key]["accuracy_answered"] >= by_condition[key]["raw_accuracy"] - 0.05, key
    assert by_condition[("exif", 0)]["answered"] > 0  # a photo stored sideways is turned upright and read
    assert all(row["answered"] <= 1 and (row["accuracy_answered"] is None or 0 <= row["accuracy_answered"] <= 1) for row in rows)
    assert (root / "plots/customers.png").stat().st_size > 10000
    # The network hiddennodes-predict reads with by default: here the only one, if its clean answers reach the target.
    clean, target = result["exp3"]["clean"], json.loads((root / "metrics/calibration.json").read_text())["target_accuracy"]
    hard = result["exp3"]["hard"]
    reaches = clean["accuracy_answered"] is not None and clean["accuracy_answered"] >= target
    assert result["reader"] == ({"experiment": "exp3", "clean_answered": clean["answered"],
                                 "clean_accuracy_answered": clean["accuracy_answered"], "hard_answered": hard["answered"],
                                 "hard_accuracy_answered": hard["accuracy_answered"], "target_accuracy": target} if reaches else None)


def test_familiarity_stage_counts_and_leaves_out_the_validation_images_it_cannot_prepare(project):
    root = project[0]
    arguments = ("--val", "data/inputs/pixels/val.npz", "--pca", "data/inputs/pca/map.npz", "--metrics", "metrics/familiarity.json")
    before = stage(root, "familiarity", *arguments)
    with np.load(root / "data/inputs/pixels/val.npz") as arrays:
        features, labels = arrays["features"].copy(), arrays["labels"]
    features[:3] = 0.0  # three blank pages: no mark for the reader to find
    np.savez(root / "data/inputs/pixels/val.npz", features=features, labels=labels)
    after = stage(root, "familiarity", *arguments)
    assert after["val_digits"] == before["val_digits"] == len(labels)
    assert after["val_digits_unprepared"] == before["val_digits_unprepared"] + 3
    assert after["val_pass_share"] >= after["pass_share"]
