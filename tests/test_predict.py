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
from hiddennodes.model import build_model, layer_parameters
from hiddennodes.predict import main
from hiddennodes.training import EpochRunner


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


def test_realworld_stage_reads_the_uci_digits_with_each_experiment(project):
    root, _, _, raw_accuracy = project
    script = Path(__file__).resolve().parent.parent / "stages" / "realworld.py"
    subprocess.run([sys.executable, str(script), "exp3", "--dataset-info", "data/dataset.json", "--metrics",
                    "metrics/realworld.json"], cwd=root, check=True, capture_output=True)
    result = json.loads((root / "metrics" / "realworld.json").read_text())
    assert result["applicable"] is True and result["uci_digits"] == 1797
    row = result["exp3"]
    assert row["mnist_test_accuracy"] == raw_accuracy
    # Other writers and another scanner: well above chance, below MNIST's own test digits.
    assert 0.6 < row["uci_accuracy"] < raw_accuracy
    assert row["drop"] == pytest.approx(raw_accuracy - row["uci_accuracy"], abs=1e-6)
