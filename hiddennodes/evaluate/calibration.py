"""How far the network's confidence can be trusted: reliability bins, the
expected calibration error, and the confidence threshold below which it should
abstain so that what it answers reaches a target accuracy."""

from __future__ import annotations

import numpy as np


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
