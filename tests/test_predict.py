"""hiddennodes-predict on real MNIST digits saved as pictures, and on bad files."""

import io
import json
import subprocess
import sys
from pathlib import Path

import keras
import numpy as np
import pytest
import yaml
from PIL import Image

from hiddennodes.datasets import DATASETS, verify
from hiddennodes.interpret import forward
from hiddennodes.model import build_model, layer_parameters
from hiddennodes.predict import main
from hiddennodes.training import EpochRunner

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def project(mnist_t10k, tmp_path_factory):
    """A project folder holding exp3 trained on 7,000 real digits (1,000 validate), its PCA, reject threshold
    and familiarity limits as the pipeline writes them, and the 2,000 other digits held out."""
    from sklearn.decomposition import PCA

    from hiddennodes.evaluation import threshold_for_accuracy
    from hiddennodes.familiarity import features as familiarity_features, fit_limits
    from familiarity import prepared_like_a_picture

    mnist = DATASETS["mnist"]
    images = verify(mnist, "test_images", (mnist_t10k / "t10k-images-idx3-ubyte.gz").read_bytes())
    labels = verify(mnist, "test_labels", (mnist_t10k / "t10k-labels-idx1-ubyte.gz").read_bytes())
    features = images.reshape(-1, 784).astype(np.float32) / 255
    keras.utils.set_random_seed(0)
    model = build_model(784, 128, 10, "relu", "rmsprop", 0.001)
    EpochRunner(model).fit(features[:7000], labels[:7000], (features[7000:8000], labels[7000:8000]), epochs=4,
                           batch_size=32, seed=0, verbose=False)
    root = tmp_path_factory.mktemp("project")
    parameters = layer_parameters(model)
    (root / "models" / "exp3").mkdir(parents=True)
    np.savez(root / "models" / "exp3" / "weights.npz", **parameters)
    pca = PCA(n_components=0.95, svd_solver="full").fit(features[:7000])
    np.savez(root / "models" / "pca.npz", components=pca.components_.astype(np.float32), mean=pca.mean_.astype(np.float32))
    (root / "metrics" / "exp3").mkdir(parents=True)
    held_out = slice(8000, 8300)
    raw_accuracy = float(np.mean(model.predict(features[held_out], verbose=0).argmax(axis=1) == labels[held_out]))
    (root / "metrics" / "exp3" / "train.json").write_text(json.dumps({"inputs": "pixels", "test_accuracy": raw_accuracy}))
    validation = forward(parameters, features[7000:8000])[1]
    threshold = threshold_for_accuracy(validation, labels[7000:8000], 0.99, 0.95)["threshold"]
    (root / "metrics" / "calibration.json").write_text(json.dumps(
        {"target_accuracy": 0.99, "exp3": {"threshold": None if np.isnan(threshold) else threshold}}))
    prepared = np.stack([prepared_like_a_picture(image) for image in features[7000:8000].reshape(-1, 28, 28)])
    (root / "metrics" / "familiarity.json").write_text(json.dumps(
        fit_limits(familiarity_features(prepared, pca.components_, pca.mean_), 0.99)))
    (root / "data").mkdir()
    (root / "data" / "dataset.json").write_text(json.dumps(
        {"dataset": "mnist", "title": "MNIST", "class_names": [str(digit) for digit in range(10)]}))
    # What the pipeline's stages read: the params, the pixel test split (the 2,000
    # held-out digits) and the activations file with validation and test probabilities.
    (root / "params.yaml").write_text((ROOT / "params.yaml").read_text())
    (root / "data" / "prepared").mkdir()
    np.savez(root / "data" / "prepared" / "test.npz", features=features[8000:], labels=labels[8000:])
    np.savez(root / "data" / "prepared" / "val.npz", features=features[7000:8000], labels=labels[7000:8000])
    (root / "data" / "activations").mkdir()
    np.savez(root / "data" / "activations" / "exp3.npz",
             val_probabilities=validation, val_labels=labels[7000:8000],
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


def read_folder(root: Path, folder: Path, capsys, *options: str) -> tuple[int, list[dict]]:
    status = main(["--project", str(root), "--json", "--jobs", "1", *options, str(folder)])
    return status, json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("variant", ["png", "inverted", "padded", "scaled"])
def test_pictures_of_real_digits_are_read_about_as_well_as_the_raw_arrays(project, tmp_path, capsys, variant):
    root, images, labels, raw_accuracy = project
    folder = tmp_path / variant
    folder.mkdir()
    for index, image in enumerate(images):
        Image.fromarray(photo_like(image, variant)).save(folder / f"{index:04d}.png")
    # Threshold 0: only the picture's own checks may refuse, so the preparation is measured alone.
    status, rows = read_folder(root, folder, capsys, "--threshold", "0")
    assert len(rows) == len(images)
    # A few MNIST digits are written in two strokes with a gap between (a "1" as "||"): those may read as two.
    single = np.array([len(row["digits"]) == 1 for row in rows])
    assert single.mean() >= 0.99
    digits = [row["digits"][0] for row in rows]
    answered = np.array([digit["answered"] for digit in digits]) & single
    predicted = np.array([int(digit["predicted"]) for digit in digits])
    assert raw_accuracy > 0.9
    assert answered.mean() >= 0.95, (variant, answered.mean())  # the familiarity limits pass 99% of validation digits
    assert np.mean(predicted[answered] == labels[answered]) > raw_accuracy - 0.03, variant
    assert status == (0 if all(row["answered"] for row in rows) else 3)
    assert all(digit["probability"] >= digit["runner_up_probability"] and digit["predicted"] != digit["runner_up"] for digit in digits)
    assert all(row["number"] == (digit["predicted"] if digit["answered"] else "?")
               for row, digit, one in zip(rows, digits, single) if one)


def test_the_calibrated_threshold_refuses_the_unsure_and_says_so(project, tmp_path, capsys):
    root, images, labels, raw_accuracy = project
    for index, image in enumerate(images):
        Image.fromarray(255 - image).save(tmp_path / f"{index:04d}.png")
    status, rows = read_folder(root, tmp_path, capsys)
    threshold = json.loads((root / "metrics" / "calibration.json").read_text())["exp3"]["threshold"]
    digits = [row["digits"][0] for row in rows]
    answered = np.array([digit["answered"] for digit in digits])
    unsure = [digit for digit in digits if digit["refusal"] and digit["refusal"].startswith("not sure")]
    assert status == 3 and 0 < answered.mean() < 1 and unsure
    assert all(digit["probability"] < threshold and f"< {threshold:.2f}" in digit["refusal"] for digit in unsure)
    assert all(digit["probability"] >= threshold for digit in digits if digit["answered"])
    predicted = np.array([int(digit["predicted"]) for digit in digits])
    assert np.mean(predicted[answered] == labels[answered]) > raw_accuracy  # abstaining buys accuracy
    assert all(row["number"] == "?" for row, digit in zip(rows, digits) if not digit["answered"])


def test_a_number_is_read_digit_by_digit_left_to_right(project, tmp_path, capsys):
    root, images, labels, _ = project
    # Three held-out digits side by side on a light page, with gaps, as a postcode is written:
    # digits the network reads right as arrays, so the test is of the reading, not of the network.
    with np.load(root / "models" / "exp3" / "weights.npz") as arrays:
        probabilities = forward(dict(arrays), images.reshape(len(images), -1).astype(np.float32) / 255)[1]
    confident = (probabilities.argmax(axis=1) == labels) & (probabilities.max(axis=1) > 0.99)
    order = [int(np.nonzero(confident & (labels == digit))[0][0]) for digit in (3, 0, 7)]
    page = np.full((80, 150), 245, dtype=np.uint8)
    for position, index in enumerate(order):
        page[20:48, 15 + position * 42 : 43 + position * 42] = np.minimum(
            page[20:48, 15 + position * 42 : 43 + position * 42], 245 - images[index] * 0.9)
    Image.fromarray(page).save(tmp_path / "postcode.png")
    status, rows = read_folder(root, tmp_path / "postcode.png", capsys, "--threshold", "0",
                               "--save-prepared", str(tmp_path / "fed"))
    (row,) = rows
    assert [digit["position"] for digit in row["digits"]] == [1, 2, 3]
    assert row["number"] == "307" and status == 0
    lefts = [digit["box"][1] for digit in row["digits"]]
    assert lefts == sorted(lefts)
    assert sorted(path.name for path in (tmp_path / "fed").iterdir()) == ["postcode-1.png", "postcode-2.png", "postcode-3.png"]
    # The table shows the number and a line per digit.
    assert main(["--project", str(root), "--threshold", "0", "--jobs", "1", str(tmp_path / "postcode.png")]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 4 and all("307" in line for line in lines[1:]) and "1/3" in lines[1] and "3/3" in lines[3]


def test_pictures_without_a_digit_are_refused_with_their_reason(project, tmp_path, capsys):
    root, images, _, _ = project
    rng = np.random.default_rng(0)
    Image.fromarray(rng.integers(0, 256, (200, 200), dtype=np.uint8)).save(tmp_path / "noise.png")
    Image.fromarray(np.full((120, 160), 235, dtype=np.uint8)).save(tmp_path / "blank.png")
    blot = np.full((120, 120), 235, dtype=np.uint8)
    blot[30:90, 30:90] = 20
    Image.fromarray(blot).save(tmp_path / "blot.png")
    status, rows = read_folder(root, tmp_path, capsys, "--threshold", "0", "--save-prepared", str(tmp_path / "fed"))
    by_name = {Path(row["file"]).stem: row for row in rows}
    assert status == 3 and not any(row["answered"] for row in rows)
    assert by_name["noise"]["refusal"].startswith("no mark found") and by_name["noise"]["number"] is None
    assert by_name["blank"]["refusal"].startswith("no mark found")
    assert by_name["blot"]["digits"][0]["refusal"].startswith("the marks do not look like a handwritten digit")
    assert by_name["blot"]["number"] == "?"
    assert (tmp_path / "fed" / "blot.png").is_file()  # what the model was fed, refused or not


def test_bad_files_get_one_line_each_and_the_rest_still_run(project, tmp_path, capsys):
    root, images, _, _ = project
    Image.fromarray(255 - images[0]).save(tmp_path / "good.png")
    (tmp_path / "text.png").write_text("not a picture")
    (tmp_path / "empty.jpg").write_bytes(b"")
    buffer = io.BytesIO()
    Image.fromarray(255 - images[1]).save(buffer, "JPEG")
    (tmp_path / "truncated.jpg").write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 3])
    (tmp_path / "folder.png").mkdir()
    status = main(["--project", str(root), "--threshold", "0", "--jobs", "1", "--save-prepared", str(tmp_path / "prepared"),
                   str(tmp_path / "good.png"), str(tmp_path / "text.png"), str(tmp_path / "empty.jpg"),
                   str(tmp_path / "truncated.jpg"), str(tmp_path / "missing.png"), str(tmp_path / "folder.png")])
    output = capsys.readouterr()
    assert status == 1
    errors = output.err.strip().splitlines()
    assert len(errors) == 4, errors  # the folder named holds no pictures: it adds nothing
    assert "text.png: not an image" in errors[0] and "empty.jpg: not an image" in errors[1]
    assert "truncated.jpg: cannot be read" in errors[2] and "is the file complete?" in errors[2]
    assert "missing.png: no such file" in errors[3]
    assert "good.png" in output.out and len(output.out.strip().splitlines()) == 2  # header and one row
    saved = np.asarray(Image.open(tmp_path / "prepared" / "good.png"))
    assert saved.shape == (28, 28) and saved.max() == 255


def test_a_png_with_a_huge_text_chunk_gets_its_line_and_the_batch_goes_on(project, tmp_path, capsys):
    from PIL import PngImagePlugin

    root, images, _, _ = project
    Image.fromarray(255 - images[0]).save(tmp_path / "a_good.png")
    info = PngImagePlugin.PngInfo()
    info.add_text("comment", "x" * (PngImagePlugin.MAX_TEXT_CHUNK + 1), zip=True)  # inflates past Pillow's limit
    Image.fromarray(255 - images[1]).save(tmp_path / "b_bomb.png", pnginfo=info)
    status = main(["--project", str(root), "--threshold", "0", "--jobs", "1", str(tmp_path)])
    output = capsys.readouterr()
    assert status == 1
    (error,) = output.err.strip().splitlines()
    assert "b_bomb.png: cannot be read safely" in error and "Traceback" not in output.err
    assert "a_good.png" in output.out


def test_error_only_runs_print_no_empty_table(project, tmp_path, capsys):
    root = project[0]
    (tmp_path / "text.png").write_text("not a picture")
    assert main(["--project", str(root), str(tmp_path / "text.png")]) == 1
    output = capsys.readouterr()
    assert output.out == "" and output.err.count("\n") == 1
    assert main(["--project", str(root), "--json", str(tmp_path / "text.png")]) == 1
    assert json.loads(capsys.readouterr().out) == []


def test_damaged_experiment_files_are_one_sentence_naming_the_file(project, tmp_path, capsys):
    import shutil

    root = tmp_path / "copy"
    shutil.copytree(project[0], root)
    Image.fromarray(255 - project[1][0]).save(tmp_path / "digit.png")
    weights = root / "models" / "exp3" / "weights.npz"
    weights.write_bytes(weights.read_bytes()[:500])
    assert main(["--project", str(root), str(tmp_path / "digit.png")]) == 2
    error = capsys.readouterr().err.strip()
    assert error.count("\n") == 0 and "weights.npz cannot be read" in error and "dvc checkout" in error
    shutil.copy(project[0] / "models" / "exp3" / "weights.npz", weights)
    (root / "data" / "dataset.json").write_text("")
    assert main(["--project", str(root), str(tmp_path / "digit.png")]) == 2
    error = capsys.readouterr().err.strip()
    assert error.count("\n") == 0 and "dataset.json is not valid JSON" in error and "dvc repro" in error
    (root / "data" / "dataset.json").write_text("{}")
    assert main(["--project", str(root), str(tmp_path / "digit.png")]) == 2
    error = capsys.readouterr().err.strip()
    assert "dataset.json has no 'class_names'" in error and "Traceback" not in error


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


def test_customers_stage_reads_every_condition_as_the_command_does(project):
    root = project[0]
    calibration(root)
    params = yaml.safe_load((root / "params.yaml").read_text())
    params["customers"] = {"digits": 5}
    (root / "params.yaml").write_text(yaml.safe_dump(params))
    args = ["exp3", "--test", "data/prepared/test.npz", "--dataset-info", "data/dataset.json",
            "--calibration", "metrics/calibration.json", "--familiarity", "metrics/familiarity.json", "--pca", "models/pca.npz",
            "--metrics", "metrics/customers.json", "--table", "metrics/customers_table.json", "--examples-png", "plots/customers.png"]
    result = stage(root, "customers", *args)
    from hiddennodes.conditions import CONDITIONS

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


def test_the_customers_measure_is_repeatable_and_counts_every_digit(project):
    from hiddennodes.customers import measure
    from hiddennodes.predict import load_reader

    root, images, labels, _ = project
    reader, _ = load_reader(root, "exp3")
    first, example = measure(reader, images[:12], labels[:12], "number", 1, seed=42)
    again, _ = measure(reader, images[:12], labels[:12], "number", 1, seed=42)
    first.pop("pictures_per_second"), again.pop("pictures_per_second")
    assert first == again  # same digits, seed and network: the same pictures and the same reading
    assert first["pictures"] == 4 and first["digits"] == 12
    assert example.prepared.shape[1:] == (28, 28) and example.picture.ndim == 2
    assert 0 <= first["answered"] <= 1 and first["raw_accuracy"] > 0.5
