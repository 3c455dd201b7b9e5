"""How the predictions compare with the labels: confusion counts, per-class
precision and recall, the pairs most mixed up and the mistakes to look at."""

from __future__ import annotations

from typing import Sequence

import numpy as np

from hiddennodes.data.datasets import IMAGE_SHAPE


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
    height, width = IMAGE_SHAPE
    sheet = np.zeros((rows * height, columns * width), dtype=np.float32)
    for index, image in enumerate(np.asarray(images).reshape(-1, height, width)[: rows * columns]):
        row, column = divmod(index, columns)
        sheet[row * height:(row + 1) * height, column * width:(column + 1) * width] = image
    return sheet
