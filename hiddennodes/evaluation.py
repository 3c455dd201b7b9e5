"""Metrics and tables computed from labels and predictions."""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np


def confusion_matrix(true_labels: np.ndarray, predicted_labels: np.ndarray, num_classes: int) -> np.ndarray:
    """Counts with true classes as rows and predicted classes as columns."""
    matrix = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(matrix, (np.asarray(true_labels, dtype=np.int64), np.asarray(predicted_labels, dtype=np.int64)), 1)
    return matrix


def confusion_rows(true_labels: np.ndarray, predicted_labels: np.ndarray, class_names: Sequence[str]) -> list[dict]:
    """One ``{"actual", "predicted"}`` row per item, as DVC's confusion template reads."""
    return [
        {"actual": class_names[actual], "predicted": class_names[predicted]}
        for actual, predicted in zip(np.asarray(true_labels).tolist(), np.asarray(predicted_labels).tolist())
    ]


def classification_report(true_labels: np.ndarray, predicted_labels: np.ndarray, class_names: Sequence[str]) -> dict:
    """Precision, recall, F1 and support per class, plus accuracy and macro averages."""
    matrix = confusion_matrix(true_labels, predicted_labels, len(class_names))
    true_positives = np.diag(matrix).astype(float)
    support = matrix.sum(axis=1)
    predicted = matrix.sum(axis=0)
    precision = np.divide(true_positives, predicted, out=np.zeros_like(true_positives), where=predicted > 0)
    recall = np.divide(true_positives, support, out=np.zeros_like(true_positives), where=support > 0)
    denominator = precision + recall
    f1 = np.divide(2 * precision * recall, denominator, out=np.zeros_like(true_positives), where=denominator > 0)
    report = {
        name: {
            "precision": round(float(precision[index]), 6),
            "recall": round(float(recall[index]), 6),
            "f1": round(float(f1[index]), 6),
            "support": int(support[index]),
        }
        for index, name in enumerate(class_names)
    }
    report["accuracy"] = round(float(true_positives.sum() / max(matrix.sum(), 1)), 6)
    report["macro_avg"] = {
        "precision": round(float(precision.mean()), 6),
        "recall": round(float(recall.mean()), 6),
        "f1": round(float(f1.mean()), 6),
        "support": int(support.sum()),
    }
    return report


COMPARISON_COLUMNS = (
    ("experiment", "experiment"),
    ("inputs", "input kind"),
    ("num_inputs", "inputs"),
    ("hidden_units", "hidden nodes"),
    ("trainable_parameters", "parameters"),
    ("train_accuracy", "train acc"),
    ("val_accuracy", "val acc"),
    ("test_accuracy", "test acc"),
    ("repeats", "seeds"),
    ("test_accuracy_mean", "test acc mean"),
    ("test_accuracy_ci95", "95% interval"),
    ("best_epoch", "best epoch"),
    ("training_seconds", "seconds"),
)
BASELINE_PREFIX = "logreg"


def comparison_table(metrics_by_experiment: Mapping[str, Mapping], baseline: Mapping[str, Mapping] | None = None) -> dict[str, dict]:
    """The comparison of the experiments, keyed by experiment name, then one
    ``logreg <inputs>`` row per input kind of the logistic-regression baseline (0 hidden nodes)."""
    table = {}
    for name, metrics in metrics_by_experiment.items():
        table[name] = {key: metrics[key] for key, _ in COMPARISON_COLUMNS if key in metrics and key != "experiment"}
    for kind, metrics in (baseline or {}).items():
        row = {key: metrics[key] for key, _ in COMPARISON_COLUMNS if key in metrics and key != "experiment"}
        table[f"{BASELINE_PREFIX} {kind}"] = {**row, "hidden_units": 0}
    return table


def table_cells(table: Mapping[str, Mapping]) -> list[list[str]]:
    """The rows of :func:`comparison_table` as text cells in COMPARISON_COLUMNS order."""
    rows = []
    for name, row in table.items():
        cells = []
        for key, _ in COMPARISON_COLUMNS:
            value = name if key == "experiment" else row.get(key, "")
            if key == "test_accuracy_ci95" and isinstance(value, Mapping):
                value = f"{value['low']:.4f}–{value['high']:.4f}"
            elif isinstance(value, float):
                value = f"{value:.1f}" if key == "training_seconds" else f"{value:.4f}"
            cells.append(str(value))
        rows.append(cells)
    return rows


def markdown_table(table: Mapping[str, Mapping]) -> str:
    """Render :func:`comparison_table`'s result as a GitHub Markdown table."""
    header = "| " + " | ".join(title for _, title in COMPARISON_COLUMNS) + " |"
    rule = "|" + "|".join(" --- " if key in ("experiment", "inputs") else " ---: " for key, _ in COMPARISON_COLUMNS) + "|"
    return "\n".join([header, rule] + ["| " + " | ".join(cells) + " |" for cells in table_cells(table)]) + "\n"


def most_confused_pairs(matrix: np.ndarray, count: int) -> list[tuple[int, int, int]]:
    """The class pairs (a < b) mixed up most often, counting both directions.

    Returns ``(a, b, mistakes)`` tuples, most mistakes first.
    """
    matrix = np.asarray(matrix)
    symmetric = matrix + matrix.T
    pairs = [(a, b, int(symmetric[a, b])) for a in range(len(matrix)) for b in range(a + 1, len(matrix))]
    pairs.sort(key=lambda pair: (-pair[2], pair[0], pair[1]))
    return [pair for pair in pairs[:count] if pair[2] > 0]


def pair_cells(true_labels: np.ndarray, predicted_labels: np.ndarray, a: int, b: int, per_cell: int) -> dict[tuple[int, int], np.ndarray]:
    """For the study's 2x2 grid of a pair: indices of up to ``per_cell`` items
    in each cell (a read as a, a as b, b as a, b as b)."""
    return {
        (actual, predicted): np.flatnonzero((true_labels == actual) & (predicted_labels == predicted))[:per_cell]
        for actual in (a, b)
        for predicted in (a, b)
    }


def confident_mistakes(true_labels: np.ndarray, probabilities: np.ndarray, count: int) -> np.ndarray:
    """Indices of the wrong predictions made with the highest probability."""
    predicted = probabilities.argmax(axis=1)
    wrong = np.flatnonzero(predicted != true_labels)
    confidence = probabilities[wrong, predicted[wrong]]
    return wrong[np.argsort(-confidence, kind="stable")][:count]


def montage(images: np.ndarray, rows: int, columns: int) -> np.ndarray:
    """Up to rows x columns 28x28 images tiled into one array (blank where fewer)."""
    sheet = np.zeros((rows * 28, columns * 28), dtype=np.float32)
    for index, image in enumerate(np.asarray(images).reshape(-1, 28, 28)[: rows * columns]):
        row, column = divmod(index, columns)
        sheet[row * 28:(row + 1) * 28, column * 28:(column + 1) * 28] = image
    return sheet


def reliability_bins(probabilities: np.ndarray, labels: np.ndarray, bins: int = 10) -> dict[str, np.ndarray]:
    """Confidence against accuracy, for a reliability diagram.

    The confidence of a prediction is its top probability; predictions are
    grouped by confidence into ``bins`` equal-width bins over [0, 1].

    Returns:
        ``edges`` (bins + 1), and per bin ``count``, mean ``confidence`` and
        ``accuracy`` (NaN where a bin is empty).
    """
    confidence = probabilities.max(axis=1)
    correct = probabilities.argmax(axis=1) == labels
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1], right=True), 0, bins - 1)
    count = np.bincount(which, minlength=bins)
    with np.errstate(invalid="ignore"):
        mean_confidence = np.bincount(which, weights=confidence, minlength=bins) / count
        accuracy = np.bincount(which, weights=correct, minlength=bins) / count
    return {"edges": edges, "count": count, "confidence": mean_confidence, "accuracy": accuracy}


def expected_calibration_error(probabilities: np.ndarray, labels: np.ndarray, bins: int = 10) -> float:
    """The mean gap between confidence and accuracy over the bins, weighted by
    how many predictions fall in each (Guo et al. 2017)."""
    table = reliability_bins(probabilities, labels, bins)
    filled = table["count"] > 0
    gaps = np.abs(table["accuracy"][filled] - table["confidence"][filled])
    return float(np.sum(gaps * table["count"][filled]) / len(labels))


def accuracy_coverage(probabilities: np.ndarray, labels: np.ndarray) -> dict[str, np.ndarray]:
    """What abstaining below a confidence threshold buys: for every threshold
    (each distinct top probability), the share of predictions kept and their accuracy."""
    confidence = probabilities.max(axis=1)
    correct = probabilities.argmax(axis=1) == labels
    order = np.argsort(-confidence, kind="stable")
    kept = np.arange(1, len(order) + 1)
    accuracy = np.cumsum(correct[order]) / kept
    # Ties share a threshold: keep the last position of each run of equal confidences.
    last = np.r_[confidence[order][1:] != confidence[order][:-1], True]
    return {"threshold": confidence[order][last], "coverage": kept[last] / len(order), "accuracy": accuracy[last]}


def wilson_lower_bound(successes: np.ndarray, trials: np.ndarray, certainty: float) -> np.ndarray:
    """The one-sided lower confidence bound of a success rate (Wilson's score interval):
    the true rate is at least this with probability ``certainty``; 0.5 gives the observed rate back."""
    from statistics import NormalDist

    z = NormalDist().inv_cdf(certainty)
    successes, trials = np.asarray(successes, dtype=np.float64), np.asarray(trials, dtype=np.float64)
    rate = successes / trials
    denominator = 1 + z**2 / trials
    centre = (rate + z**2 / (2 * trials)) / denominator
    margin = z * np.sqrt(rate * (1 - rate) / trials + z**2 / (4 * trials**2)) / denominator
    return centre - margin


def threshold_for_accuracy(probabilities: np.ndarray, labels: np.ndarray, target: float = 0.99, certainty: float = 0.5) -> dict[str, float]:
    """The lowest confidence threshold whose kept predictions reach ``target``
    accuracy, and the share of inputs a person would still check by hand.

    With ``certainty`` above 0.5 the kept predictions must reach the target
    with that confidence (Wilson's lower bound), not just on the images given:
    a threshold picked on a few thousand validation images is otherwise chosen
    where they happen to be lucky, and new images fall short of the target.
    """
    curve = accuracy_coverage(probabilities, labels)
    kept = np.round(curve["coverage"] * len(labels))
    bound = wilson_lower_bound(curve["accuracy"] * kept, kept, certainty)  # at certainty 0.5 it is the accuracy itself
    reaching = np.nonzero(bound >= target - 1e-12)[0]
    if reaching.size == 0:
        return {"threshold": float("nan"), "coverage": 0.0, "accuracy": float("nan"), "checked_by_hand": 1.0}
    best = reaching[np.argmax(curve["coverage"][reaching])]
    return {"threshold": float(curve["threshold"][best]), "coverage": float(curve["coverage"][best]),
            "accuracy": float(curve["accuracy"][best]), "checked_by_hand": float(1 - curve["coverage"][best])}


def kept_at_threshold(probabilities: np.ndarray, labels: np.ndarray, threshold: float) -> dict[str, float]:
    """The share of predictions whose confidence reaches ``threshold``, and their
    accuracy (NaN if none is kept; a NaN threshold keeps none)."""
    confidence = probabilities.max(axis=1)
    kept = confidence >= threshold
    correct = probabilities.argmax(axis=1) == labels
    accuracy = float(np.mean(correct[kept])) if kept.any() else float("nan")
    return {"coverage": float(np.mean(kept)), "accuracy": accuracy}

