import numpy as np
import pytest
from sklearn.metrics import classification_report as sklearn_report

from hiddennodes.evaluate.classification import classification_report, confusion_matrix, confusion_rows
from hiddennodes.report.tables import comparison_table, markdown_table, study_sources_text


def test_confusion_matrix_by_hand():
    true = np.array([0, 0, 1, 2, 2, 2])
    predicted = np.array([0, 1, 1, 2, 0, 2])
    # rows are true classes, columns predicted: two 2s right, one 2 read as 0, one 0 read as 1
    expected = np.array([[1, 1, 0], [0, 1, 0], [1, 0, 2]])
    np.testing.assert_array_equal(confusion_matrix(true, predicted, 3), expected)


def test_confusion_rows_for_dvc():
    assert confusion_rows(np.array([1, 0]), np.array([1, 1]), ["zero", "one"]) == [
        {"actual": "one", "predicted": "one"},
        {"actual": "zero", "predicted": "one"},
    ]


def test_classification_report_agrees_with_scikit_learn():
    rng = np.random.default_rng(0)
    true = rng.integers(0, 4, 500)
    predicted = np.where(rng.random(500) < 0.7, true, rng.integers(0, 4, 500))
    names = ["a", "b", "c", "d"]
    ours = classification_report(true, predicted, names)
    theirs = sklearn_report(true, predicted, target_names=names, output_dict=True)
    for name in names:
        assert ours[name]["precision"] == pytest.approx(theirs[name]["precision"], abs=1e-6)
        assert ours[name]["recall"] == pytest.approx(theirs[name]["recall"], abs=1e-6)
        assert ours[name]["f1"] == pytest.approx(theirs[name]["f1-score"], abs=1e-6)
        assert ours[name]["support"] == theirs[name]["support"]
    assert ours["accuracy"] == pytest.approx(theirs["accuracy"], abs=1e-6)
    assert ours["macro_avg"]["f1"] == pytest.approx(theirs["macro avg"]["f1-score"], abs=1e-6)


def test_comparison_table_and_markdown():
    metrics = {
        "exp1": {"experiment": "exp1", "inputs": "pixels", "num_inputs": 784, "hidden_units": 1, "trainable_parameters": 805,
                 "train_accuracy": 0.4, "val_accuracy": 0.39, "test_accuracy": 0.385, "best_epoch": 7, "training_seconds": 12.345,
                 "test_loss": 1.5},
    }
    table = comparison_table(metrics)
    assert table == {"exp1": {"inputs": "pixels", "num_inputs": 784, "hidden_units": 1, "trainable_parameters": 805,
                              "train_accuracy": 0.4, "val_accuracy": 0.39, "test_accuracy": 0.385, "best_epoch": 7,
                              "training_seconds": 12.345}}
    lines = markdown_table(table).splitlines()
    assert lines[0].startswith("| experiment | input kind | inputs | hidden nodes |")
    assert lines[2] == "| exp1 | pixels | 784 | 1 | 805 | 0.4000 | 0.3900 | 0.3850 |  |  |  |  | 7 | 12.3 |"
    # Repeated seeds add the mean and its interval; the baseline adds a row with no hidden layer.
    metrics["exp1"].update(repeats=3, test_accuracy_mean=0.38, test_accuracy_ci95={"low": 0.37, "high": 0.39})
    baseline = {"pixels": {"inputs": "pixels", "num_inputs": 784, "trainable_parameters": 7850, "train_accuracy": 0.9,
                           "val_accuracy": 0.88, "test_accuracy": 0.87, "training_seconds": 20.0, "iterations": 100}}
    table = comparison_table(metrics, baseline)
    assert list(table) == ["exp1", "logreg pixels"] and table["logreg pixels"]["hidden_units"] == 0
    lines = markdown_table(table).splitlines()
    assert lines[2] == "| exp1 | pixels | 784 | 1 | 805 | 0.4000 | 0.3900 | 0.3850 | 3 | 0.3800 | 0.3700–0.3900 |  | 7 | 12.3 |"
    assert lines[3] == "| logreg pixels | pixels | 784 | 0 | 7850 | 0.9000 | 0.8800 | 0.8700 |  |  |  |  |  | 20.0 |"
    # On MNIST the study's published figure for the same network stands beside it, its source named under the table.
    table = comparison_table(metrics, baseline, {"exp1": "0.3818 (notebook)"})
    assert markdown_table(table).splitlines()[2].endswith("| 0.3700–0.3900 | 0.3818 (notebook) | 7 | 12.3 |")
    assert study_sources_text(table).startswith("The study's figures are the test accuracies on MNIST's 10,000 test "
                                                "digits published for a network of the same inputs and layers (the "
                                                "study measured MNIST only): (notebook) the assignment's")
    assert study_sources_text(comparison_table(metrics, baseline)) == ""


@pytest.mark.parametrize("dataset, network, inputs, count, augmented, hidden, expected", [
    ("mnist", "dense", "pixels", 784, False, 1, "0.3818 (notebook)"),
    ("mnist", "dense", "pixels", 784, False, 2, "0.6571 (notebook)"),
    ("mnist", "dense", "pixels", 784, False, 128, "0.9753 (notebook); 0.9812 (survey)"),
    ("mnist", "dense", "pixels", 784, False, 700, "0.9818 (graded); 0.9812 (survey)"),
    ("mnist", "dense", "pixels", 784, False, 256, "0.9812 (survey)"),  # no source measured this width
    ("mnist", "dense", "pixels", 784, True, 128, ""),  # exp6: the study trained no dense network on distorted copies
    ("mnist", "dense", "pca", 154, False, 128, "0.9766 (notebook)"),
    ("mnist", "dense", "pca", 87, False, 128, ""),  # -S pca.variance=0.9: other inputs, another network
    ("mnist", "dense", "top_pixels", 70, False, 128, "0.9368 (notebook)"),
    ("mnist", "dense", "top_pixels", 300, False, 128, ""),
    ("mnist", "conv", "pixels", 784, False, 128, "0.9943 (survey)"),
    ("mnist", "conv", "pixels", 784, True, 128, "0.9954 (survey)"),
    ("fashion_mnist", "dense", "pixels", 784, False, 128, ""),  # the study measured MNIST only
])
def test_each_network_gets_the_study_figures_of_its_own_kind(dataset, network, inputs, count, augmented, hidden, expected):
    from hiddennodes.evaluate.published import figures_text, published_figures

    assert figures_text(published_figures(dataset, network, inputs, count, augmented, hidden)) == expected


def test_most_confused_pairs_count_both_directions():
    from hiddennodes.evaluate.classification import most_confused_pairs

    matrix = np.array([[50, 3, 0], [4, 40, 1], [0, 6, 30]])
    # 0/1: 3 + 4 = 7 mistakes; 1/2: 1 + 6 = 7; 0/2: none. Ties go to the lower pair.
    assert most_confused_pairs(matrix, 5) == [(0, 1, 7), (1, 2, 7)]


def test_pair_cells_and_confident_mistakes():
    from hiddennodes.evaluate.classification import confident_mistakes, pair_cells

    true = np.array([0, 0, 1, 1, 1, 2])
    predicted = np.array([0, 1, 1, 0, 0, 2])
    cells = pair_cells(true, predicted, 0, 1, per_cell=1)
    assert {cell: indices.tolist() for cell, indices in cells.items()} == {(0, 0): [0], (0, 1): [1], (1, 0): [3], (1, 1): [2]}
    probabilities = np.full((6, 3), 0.1)
    probabilities[np.arange(6), predicted] = [0.8, 0.6, 0.8, 0.7, 0.9, 0.8]
    assert confident_mistakes(true, probabilities, 2).tolist() == [4, 3]


def test_montage_places_images_in_reading_order():
    from hiddennodes.evaluate.classification import montage

    images = np.stack([np.full((28, 28), value, dtype=np.float32) for value in (0.1, 0.2, 0.3)])
    sheet = montage(images, 2, 2)
    assert sheet.shape == (56, 56)
    assert sheet[0, 0] == pytest.approx(0.1) and sheet[0, 30] == pytest.approx(0.2) and sheet[30, 0] == pytest.approx(0.3)
    assert sheet[30, 30] == 0  # blank where there are fewer images


def probability_rows(confidences, predicted, classes=3):
    """Rows whose top probability is ``confidence`` on class ``predicted``, the rest spread evenly."""
    rows = []
    for confidence, label in zip(confidences, predicted):
        row = np.full(classes, (1 - confidence) / (classes - 1))
        row[label] = confidence
        rows.append(row)
    return np.array(rows)


def test_calibration_error_and_reliability_bins_by_hand():
    from hiddennodes.evaluate.calibration import expected_calibration_error, reliability_bins

    # Four predictions at 0.95 (three right), two at 0.65 (one right).
    probabilities = probability_rows([0.95, 0.95, 0.95, 0.95, 0.65, 0.65], [0, 1, 2, 0, 1, 2])
    labels = np.array([0, 1, 2, 1, 1, 0])
    table = reliability_bins(probabilities, labels, bins=10)
    assert table["count"].tolist() == [0, 0, 0, 0, 0, 0, 2, 0, 0, 4]
    assert table["accuracy"][9] == pytest.approx(0.75) and table["accuracy"][6] == pytest.approx(0.5)
    assert table["confidence"][9] == pytest.approx(0.95) and np.isnan(table["accuracy"][0])
    # (4 * |0.75 - 0.95| + 2 * |0.5 - 0.65|) / 6
    assert expected_calibration_error(probabilities, labels) == pytest.approx((4 * 0.2 + 2 * 0.15) / 6)
    perfect = probability_rows([1.0, 1.0], [0, 1])
    assert expected_calibration_error(perfect, np.array([0, 1])) == 0.0


def test_accuracy_coverage_and_the_threshold_for_99_percent_by_hand():
    from hiddennodes.evaluate.calibration import accuracy_coverage, threshold_for_accuracy

    confidences = [0.99, 0.98, 0.97, 0.90, 0.90, 0.60]
    probabilities = probability_rows(confidences, [0, 0, 0, 0, 0, 0])
    labels = np.array([0, 0, 0, 1, 0, 1])  # the three most confident are right, then one of the two ties, then wrong
    curve = accuracy_coverage(probabilities, labels)
    assert curve["threshold"].tolist() == [0.99, 0.98, 0.97, 0.90, 0.60]
    assert curve["coverage"] == pytest.approx([1 / 6, 2 / 6, 3 / 6, 5 / 6, 1.0])
    assert curve["accuracy"] == pytest.approx([1, 1, 1, 4 / 5, 4 / 6])
    best = threshold_for_accuracy(probabilities, labels, target=0.99)
    assert best == {"threshold": 0.97, "coverage": 0.5, "accuracy": 1.0, "checked_by_hand": 0.5}
    never = threshold_for_accuracy(probability_rows([0.9], [1]), np.array([0]))
    assert never["coverage"] == 0.0 and never["checked_by_hand"] == 1.0
    # Three right out of three is not evidence of 99% accuracy with 95% certainty: nothing qualifies.
    assert threshold_for_accuracy(probabilities, labels, target=0.99, certainty=0.95)["coverage"] == 0.0


def test_wilson_lower_bound_against_known_values():
    from hiddennodes.evaluate.calibration import wilson_lower_bound

    # Wilson's 95% two-sided interval for 81/263 is [0.2553, 0.3662] (Newcombe 1998, table I); its lower end is the one-sided 97.5% bound.
    assert wilson_lower_bound(81, 263, 0.975) == pytest.approx(0.2553, abs=5e-5)
    assert wilson_lower_bound(np.array([5, 990]), np.array([10, 1000]), 0.5) == pytest.approx([0.5, 0.99])
    # All of n right: the bound is n / (n + z^2), rising towards 1 with n.
    z = 1.6448536269514722
    assert wilson_lower_bound(np.array([100, 1000]), np.array([100, 1000]), 0.95) == pytest.approx([100 / (100 + z**2), 1000 / (1000 + z**2)])


def test_the_certain_threshold_keeps_fewer_digits_than_the_observed_one():
    from hiddennodes.evaluate.calibration import threshold_for_accuracy

    rng = np.random.default_rng(0)
    confidence = 1 - 0.5 * rng.uniform(size=5000) ** 4  # most near 1, as a good model's
    labels = np.zeros(5000, dtype=int)
    predicted = np.where(rng.uniform(size=5000) < confidence, 0, 1)  # right as often as it is confident: calibrated
    probabilities = np.zeros((5000, 2))
    probabilities[np.arange(5000), predicted] = confidence
    probabilities[np.arange(5000), 1 - predicted] = 1 - confidence
    observed = threshold_for_accuracy(probabilities, labels, 0.99)
    certain = threshold_for_accuracy(probabilities, labels, 0.99, certainty=0.95)
    assert observed["accuracy"] >= 0.99 and certain["accuracy"] >= 0.99
    assert certain["threshold"] > observed["threshold"] and certain["coverage"] < observed["coverage"]
