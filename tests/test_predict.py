"""hiddennodes-predict on real MNIST digits saved as pictures, and on bad files."""

import json
import subprocess
import sys
from pathlib import Path

import keras
import numpy as np
import pytest
from PIL import Image

from hiddennodes.datasets import DATASETS, verify
from hiddennodes.interpret import forward
from hiddennodes.model import build_model, layer_parameters
from hiddennodes.predict import main
from hiddennodes.training import EpochRunner

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def project(mnist_t10k, tmp_path_factory):
    """A project folder holding exp3 trained on 8,000 real digits, and the 2,000 others held out."""
    mnist = DATASETS["mnist"]
    images = verify(mnist, "test_images", (mnist_t10k / "t10k-images-idx3-ubyte.gz").read_bytes())
    labels = verify(mnist, "test_labels", (mnist_t10k / "t10k-labels-idx1-ubyte.gz").read_bytes())
    features = images.reshape(-1, 784).astype(np.float32) / 255
    keras.utils.set_random_seed(0)
    model = build_model(784, 128, 10, "relu", "rmsprop", 0.001)
    EpochRunner(model).fit(features[:7000], labels[:7000], (features[7000:8000], labels[7000:8000]), epochs=4,
                           batch_size=32, seed=0, verbose=False)
    root = tmp_path_factory.mktemp("project")
    (root / "models" / "exp3").mkdir(parents=True)
    np.savez(root / "models" / "exp3" / "weights.npz", **layer_parameters(model))
    (root / "metrics" / "exp3").mkdir(parents=True)
    held_out = slice(8000, 8300)
    raw_accuracy = float(np.mean(model.predict(features[held_out], verbose=0).argmax(axis=1) == labels[held_out]))
    (root / "metrics" / "exp3" / "train.json").write_text(json.dumps({"inputs": "pixels", "test_accuracy": raw_accuracy}))
    (root / "data").mkdir()
    (root / "data" / "dataset.json").write_text(json.dumps(
        {"dataset": "mnist", "title": "MNIST", "class_names": [str(digit) for digit in range(10)]}))
    # What the pipeline's stages read: the params, the pixel test split (the 2,000
    # held-out digits) and the activations file with validation and test probabilities.
    (root / "params.yaml").write_text((ROOT / "params.yaml").read_text())
    (root / "data" / "prepared").mkdir()
    np.savez(root / "data" / "prepared" / "test.npz", features=features[8000:], labels=labels[8000:])
    (root / "data" / "activations").mkdir()
    parameters = layer_parameters(model)
    np.savez(root / "data" / "activations" / "exp3.npz",
             val_probabilities=forward(parameters, features[7000:8000])[1], val_labels=labels[7000:8000],
             test_probabilities=forward(parameters, features[8000:])[1], test_labels=labels[8000:])
    return root, images[held_out], labels[held_out], raw_accuracy


def photo_like(image, variant):
    if variant == "inverted":
        return 255 - image
    if variant == "padded":  # off-centre on a large dark-on-light page
        return np.pad(255 - image, ((10, 70), (60, 5)), constant_values=250)
    if variant == "scaled":  # four times larger, smoothed, as a scan would be
        return np.asarray(Image.fromarray(255 - image).resize((112, 112), Image.Resampling.BICUBIC))
    return image


@pytest.mark.parametrize("variant", ["png", "inverted", "padded", "scaled"])
def test_pictures_of_real_digits_are_read_about_as_well_as_the_raw_arrays(project, tmp_path, capsys, variant):
    root, images, labels, raw_accuracy = project
    folder = tmp_path / variant
    folder.mkdir()
    for index, image in enumerate(images):
        Image.fromarray(photo_like(image, variant)).save(folder / f"{index:04d}.png")
    status = main(["--project", str(root), "--json", str(folder)])
    rows = json.loads(capsys.readouterr().out)
    assert status == 0 and len(rows) == len(images)
    predicted = np.array([int(row["predicted"]) for row in rows])
    accuracy = float(np.mean(predicted == labels))
    assert raw_accuracy > 0.9
    assert accuracy > raw_accuracy - 0.05, (variant, accuracy, raw_accuracy)
    assert all(row["probability"] >= row["runner_up_probability"] and row["predicted"] != row["runner_up"] for row in rows)


def test_bad_files_get_one_line_each_and_the_rest_still_run(project, tmp_path, capsys):
    root, images, _, _ = project
    Image.fromarray(255 - images[0]).save(tmp_path / "good.png")
    (tmp_path / "text.png").write_text("not a picture")
    Image.fromarray(np.full((40, 40), 240, dtype=np.uint8)).save(tmp_path / "blank.png")
    status = main(["--project", str(root), "--save-prepared", str(tmp_path / "prepared"),
                   str(tmp_path / "good.png"), str(tmp_path / "text.png"), str(tmp_path / "blank.png"), str(tmp_path / "missing.png")])
    output = capsys.readouterr()
    assert status == 1
    errors = output.err.strip().splitlines()
    assert len(errors) == 3
    assert "text.png: not an image" in errors[0] and "blank.png: the image has no ink" in errors[1]
    assert "missing.png: no such file" in errors[2]
    assert "good.png" in output.out and len(output.out.strip().splitlines()) == 2  # header and one row
    saved = np.asarray(Image.open(tmp_path / "prepared" / "good.png"))
    assert saved.shape == (28, 28) and saved.max() == 255


def test_a_missing_model_is_one_sentence(tmp_path, capsys):
    assert main(["--project", str(tmp_path), "x.png"]) == 2
    assert "run `dvc repro` first" in capsys.readouterr().err


def stage(root: Path, name: str, *args: str) -> dict:
    """Run a stage script in ``root``; its metrics JSON (the value after --metrics)."""
    subprocess.run([sys.executable, str(ROOT / "stages" / f"{name}.py"), *args], cwd=root, check=True, capture_output=True)
    return json.loads((root / args[args.index("--metrics") + 1]).read_text())


def calibration(root: Path) -> dict:
    return stage(root, "calibration", "data/activations/exp3.npz", "--dataset-info", "data/dataset.json", "--metrics",
                 "metrics/calibration.json", "--reliability-png", "plots/reliability.png", "--coverage-png", "plots/coverage.png")


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


def test_robustness_stage_on_real_digits(project):
    root = project[0]
    result = stage(root, "robustness", "exp3", "--test", "data/prepared/test.npz", "--dataset-info", "data/dataset.json",
                   "--metrics", "metrics/robustness.json", "--curves-png", "plots/curves.png", "--examples-png", "plots/examples.png")
    with np.load(root / "data/activations/exp3.npz") as arrays:
        clean = float(np.mean(arrays["test_probabilities"].argmax(axis=1) == arrays["test_labels"]))
    exp3 = result["exp3"]
    assert result["test_images"] == 2000 and exp3["clean"] == pytest.approx(clean, abs=1e-6)
    assert set(exp3["strongest"]) == set(result["severities"]) and len(exp3["strongest"]) == 9
    assert result["severities"]["rotation"]["4"] == 30 and result["severities"]["contrast"]["4"] == 0.2
    for change, accuracies in exp3["levels"].items():
        assert accuracies["0"] == exp3["clean"] and accuracies["4"] == exp3["strongest"][change]
    # A dense network on raw pixels has no built-in invariance: turning or moving the digits costs a lot.
    for change in ("rotation", "shift", "noise"):
        assert exp3["strongest"][change] < clean - 0.1, (change, exp3["strongest"][change])
    # Same params and seed, same numbers.
    again = stage(root, "robustness", "exp3", "--test", "data/prepared/test.npz", "--dataset-info", "data/dataset.json",
                  "--metrics", "metrics/robustness.json", "--curves-png", "plots/curves.png", "--examples-png", "plots/examples.png")
    assert again == result


def test_realworld_stage_reads_the_uci_digits_with_each_experiment(project):
    root, _, _, raw_accuracy = project
    thresholds = calibration(root)
    result = stage(root, "realworld", "exp3", "--dataset-info", "data/dataset.json", "--calibration", "metrics/calibration.json",
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
