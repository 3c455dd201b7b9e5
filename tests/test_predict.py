"""hiddennodes-predict on real MNIST digits saved as pictures, and on bad files."""

import io
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from hiddennodes.cli.predict import main
from hiddennodes.network.trained import load_network

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def project(reading_project, real_network, tmp_path):
    """A copy of the session's reading project (exp3 trained on 7,000 real digits), 300 held-out digits and the
    network's accuracy on them; a copy, so a test that damages a file harms no other test."""
    root = tmp_path / "project"
    shutil.copytree(reading_project, root)
    held_out = slice(8000, 8300)  # the digits whose accuracy the reading project records as its test accuracy
    raw = json.loads((root / "metrics" / "train" / "exp3.json").read_text())["test_accuracy"]
    return root, real_network["images"][held_out], real_network["labels"][held_out], raw


def photo_like(image, variant):
    if variant == "inverted":
        return 255 - image
    if variant == "padded":  # off-centre on a large dark-on-light page
        return np.pad(255 - image, ((10, 70), (60, 5)), constant_values=250)
    if variant == "scaled":  # four times larger, smoothed, as a scan would be
        return np.asarray(Image.fromarray(255 - image).resize((112, 112), Image.Resampling.BICUBIC))
    return image


def table_lines(out: str) -> list[str]:
    """The table's lines of the command's output, below the line that says which experiment read the pictures."""
    chosen, _, table = out.strip().partition("\n\n")
    assert chosen.startswith("Read with exp"), chosen
    return table.splitlines()


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
    probabilities = load_network(root / "models" / "exp3" / "network.npz").probabilities(images.astype(np.float32) / 255)
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
    lines = table_lines(capsys.readouterr().out)
    assert len(lines) == 4 and all("307" in line for line in lines[1:]) and "1/3" in lines[1] and "3/3" in lines[3]
    # --explain draws why: one picture per file, named in the JSON; its attributions add up as SHAP values do.
    status, rows = read_folder(root, tmp_path / "postcode.png", capsys, "--threshold", "0", "--explain", str(tmp_path / "why"))
    assert status == 0 and rows[0]["explanation"] == str(tmp_path / "why" / "postcode.png")
    with Image.open(rows[0]["explanation"]) as drawn:
        assert drawn.size[0] > 500 and drawn.size[1] > 3 * 150  # a row per digit
    from hiddennodes.interpret.attributions import attribute, scores

    network = load_network(root / "models" / "exp3" / "network.npz")
    fed = np.stack([np.asarray(Image.open(tmp_path / "fed" / f"postcode-{n}.png"), dtype=np.float32) / 255 for n in (1, 2, 3)])
    answers = [int(digit["predicted"]) for digit in rows[0]["digits"]]
    toward = attribute(network, fed.reshape(3, -1), np.array(answers))
    expected = scores(network, fed.reshape(3, -1))[np.arange(3), answers] - scores(network, network.background).mean(axis=0)[answers]
    assert np.allclose(toward.sum(axis=1), expected, atol=1e-3)


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
    assert "good.png" in output.out and len(table_lines(output.out)) == 2  # header and one row
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
    root = project[0]
    Image.fromarray(255 - project[1][0]).save(tmp_path / "digit.png")
    network = root / "models" / "exp3" / "network.npz"
    good = network.read_bytes()
    network.write_bytes(good[:500])
    assert main(["--project", str(root), str(tmp_path / "digit.png")]) == 2
    error = capsys.readouterr().err.strip()
    assert error.count("\n") == 0 and "network.npz cannot be read" in error and "dvc checkout" in error
    np.savez(network, hidden_kernel=np.zeros((784, 3)))  # an .npz, but not a network file
    assert main(["--project", str(root), str(tmp_path / "digit.png")]) == 2
    error = capsys.readouterr().err.strip()
    assert error.count("\n") == 0 and "is not a network file the train stage wrote" in error and "Traceback" not in error
    network.write_bytes(good)
    (root / "metrics" / "calibration.json").write_text("")
    assert main(["--project", str(root), str(tmp_path / "digit.png")]) == 2
    error = capsys.readouterr().err.strip()
    assert error.count("\n") == 0 and "calibration.json is not valid JSON" in error and "dvc repro" in error
    (root / "metrics" / "calibration.json").write_text("{}")
    assert main(["--project", str(root), str(tmp_path / "digit.png")]) == 2
    assert "calibration.json has no 'exp3'" in capsys.readouterr().err


def test_a_network_file_alone_names_the_experiment_and_its_classes(project, tmp_path, capsys):
    root, images, labels, _ = project
    Image.fromarray(255 - images[0]).save(tmp_path / "digit.png")
    (root / "params.yaml").unlink()  # --network needs no params.yaml: the file says which experiment it is
    assert main(["--project", str(root), "--network", str(root / "models/exp3/network.npz"), "--json", "--threshold", "0",
                 str(tmp_path / "digit.png")]) in (0, 3)
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["digits"] and rows[0]["digits"][0]["predicted"] in [str(digit) for digit in range(10)]


def test_a_missing_model_is_one_sentence(tmp_path, capsys):
    assert main(["--project", str(tmp_path), "x.png"]) == 2
    assert "params.yaml not found" in capsys.readouterr().err
    (tmp_path / "params.yaml").write_text((Path(__file__).resolve().parent.parent / "params.yaml").read_text())
    assert main(["--project", str(tmp_path), "x.png"]) == 2
    assert "run `dvc repro` first" in capsys.readouterr().err
    assert main(["--project", str(tmp_path), "--experiment", "exp9", "x.png"]) == 2
    assert "no experiment 'exp9' in params.yaml" in capsys.readouterr().err


def test_the_customers_measure_is_repeatable_and_counts_every_digit(project):
    from hiddennodes.cli.predict import load_reader
    from hiddennodes.evaluate.customers import measure

    root, images, labels, _ = project
    reader, _ = load_reader(root, root / "models" / "exp3" / "network.npz")
    first, example = measure(reader, images[:12], labels[:12], "number", 1, seed=42)
    again, _ = measure(reader, images[:12], labels[:12], "number", 1, seed=42)
    first.pop("pictures_per_second"), again.pop("pictures_per_second")
    assert first == again  # same digits, seed and network: the same pictures and the same reading
    assert first["pictures"] == 4 and first["digits"] == 12
    assert example.prepared.shape[1:] == (28, 28) and example.picture.ndim == 2
    assert 0 <= first["answered"] <= 1 and first["raw_accuracy"] > 0.5


def test_pictures_drawn_once_and_stored_read_as_those_drawn_on_the_spot(project, tmp_path):
    """The customer_pictures stage stores the prepared pictures (an .npz that loads without pickle) and the customers
    stage answers them: the same rows as drawing and answering in one go, for a single and a several-digit set."""
    from hiddennodes.cli.predict import load_reader
    from hiddennodes.evaluate.customer_pictures import draw_pictures, drawn_arrays, drawn_from_arrays
    from hiddennodes.evaluate.customers import measure_many, read_pictures
    from hiddennodes.files import load_arrays, save_arrays

    root, images, labels, _ = project
    reader, _ = load_reader(root, root / "models" / "exp3" / "network.npz")
    readers = {"exp3": reader}
    sets = [draw_pictures(images[:10], "number", 1, seed=7), draw_pictures(images[:10], "ruled", 2, seed=7)]
    save_arrays(tmp_path / "pictures.npz", **drawn_arrays(sets))
    stored = drawn_from_arrays(load_arrays(tmp_path / "pictures.npz"))
    assert [(drawn.condition, drawn.level) for drawn in stored] == [("number", 1), ("ruled", 2)]
    for drawn, (condition, level) in zip(stored, [("number", 1), ("ruled", 2)]):
        rows, example = read_pictures(readers, drawn, images[:10], labels[:10])
        expected, expected_example = measure_many(readers, images[:10], labels[:10], condition, level, seed=7)
        rows["exp3"].pop("pictures_per_second"), expected["exp3"].pop("pictures_per_second")
        assert rows == expected
        assert example.read == expected_example.read and np.array_equal(example.prepared, expected_example.prepared)
        assert np.allclose(example.picture, expected_example.picture, atol=1e-6)


def test_the_default_reader_is_the_network_that_reads_customers_best(project, tmp_path, capsys):
    import dataclasses

    import yaml

    from hiddennodes.network.trained import save_network

    root, images, _, _ = project
    # A second network in the project, exp7 (exp3's weights under another name), with its own calibrated threshold.
    raw = yaml.safe_load((root / "params.yaml").read_text())
    raw["experiments"]["exp7"] = {**raw["experiments"]["exp3"], "label": "another network"}
    (root / "params.yaml").write_text(yaml.safe_dump(raw, sort_keys=False))
    network = load_network(root / "models/exp3/network.npz")
    save_network(root / "models/exp7/network.npz", dataclasses.replace(network, settings={**network.settings, "experiment": "exp7"}))
    calibration = json.loads((root / "metrics/calibration.json").read_text())
    (root / "metrics/calibration.json").write_text(json.dumps({**calibration, "exp7": calibration["exp3"]}))
    folder = tmp_path / "pictures"
    folder.mkdir()
    Image.fromarray(255 - images[0]).save(folder / "one.png")
    customers = root / "metrics/customers.json"

    def reader(*options):
        return read_folder(root, folder, capsys, *options)[1][0]["experiment"]

    customers.write_text(json.dumps({"applicable": True, "reader": {"experiment": "exp7", "clean_answered": 0.91,
                                                                    "clean_accuracy_answered": 0.996, "hard_answered": 0.9,
                                                                    "hard_accuracy_answered": 0.9925, "target_accuracy": 0.99}}))
    assert main(["--project", str(root), "--jobs", "1", str(folder)]) in (0, 3)  # answered, or refused with its reason
    assert capsys.readouterr().out.startswith("Read with exp7: of the networks measured on customers' pictures it answers the "
                                              "most clean ones (91.0%, 99.6% of them right; hard ones 99.2% right; "
                                              "metrics/customers.json)")
    assert reader() == "exp7" and reader("--experiment", "exp3") == "exp3"  # the reference stays one option away
    customers.write_text(json.dumps({"applicable": True, "reader": None}))
    main(["--project", str(root), "--jobs", "1", str(folder)])
    assert capsys.readouterr().out.startswith("Read with exp3: params.yaml's reference (no network reaches the target")
    customers.unlink()
    assert reader() == "exp3"
