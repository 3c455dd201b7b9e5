"""The hidden layer over its epochs, in numbers: what each snapshot of a training reads right, and what its nodes prefer.

From the train stage's snapshots (``hiddennodes.network.snapshots``), each run on the validation images: the accuracy,
each class's accuracy, and each node's preferred class (the class of its highest mean activation). From those, which
classes a network learns first and last (``learnt_epochs``: the first snapshot at which a class is read right at least
``LEARNT`` of its final rate) and when the nodes' preferred classes settle (``settled_epoch``).
"""

from __future__ import annotations

import numpy as np

from hiddennodes.interpret.node_stats import class_tuning

LEARNT = 0.9  # a class is learnt by the first snapshot that reads it right at this share of its final rate
NEVER = 0.2  # a class read right less often than this at the kept epoch is never learnt
SETTLED = 0.9  # the preferred classes settle once this share of the nodes keep their final one from there on


def epoch_numbers(network, snapshots, features: np.ndarray, labels: np.ndarray) -> dict:
    """Per snapshot epoch, on ``features`` (the validation split, in the network's own inputs): ``val_accuracy``,
    ``class_accuracy`` (one per class), ``preferred`` (each node's class; -1 for a node silent on every image).
    Lists in the order of ``snapshots.epochs``; ``epochs`` and ``kept_epoch`` beside them."""
    classes = len(network.class_names)
    accuracy, per_class, preferred = [], [], []
    for epoch in snapshots.epochs:
        hidden, probabilities = snapshots.network_at(network, int(epoch)).run(features)
        right = probabilities.argmax(axis=1) == labels
        accuracy.append(round(float(right.mean()), 6))
        per_class.append([round(float(right[labels == label].mean()), 6) if np.any(labels == label) else None for label in range(classes)])
        tuning = class_tuning(hidden, labels, classes)
        preferred.append([int(row.argmax()) if np.any(row) else -1 for row in tuning])
    return {"epochs": [int(epoch) for epoch in snapshots.epochs], "kept_epoch": int(snapshots.kept_epoch),
            "val_accuracy": accuracy, "class_accuracy": per_class, "preferred": preferred}


def learnt_epochs(numbers: dict) -> list[int | None]:
    """Per class, the first snapshot epoch from which it is read right at least ``LEARNT`` of its rate at the kept
    epoch at every snapshot up to the kept one (a class an untrained layer happens to answer for everything, then
    loses, is learnt when it comes back); None for a class read right less than ``NEVER`` of the time at the kept
    epoch (never learnt)."""
    epochs, kept = numbers["epochs"], numbers["epochs"].index(numbers["kept_epoch"])
    rates = np.array([[np.nan if value is None else value for value in row] for row in numbers["class_accuracy"]], dtype=float)
    learnt = []
    for label in range(rates.shape[1]):
        final = rates[kept, label]
        if not final >= NEVER:
            learnt.append(None)
            continue
        above = rates[: kept + 1, label] >= LEARNT * final
        staying = np.flip(np.cumprod(np.flip(above))).astype(bool)  # above from each snapshot on, to the kept epoch
        learnt.append(int(epochs[np.flatnonzero(staying)[0]]))
    return learnt


def settled_epoch(numbers: dict) -> int:
    """The first snapshot epoch from which at least ``SETTLED`` of the nodes that fire at the kept epoch prefer, at every
    snapshot up to it, the class they prefer there."""
    epochs, kept = numbers["epochs"], numbers["epochs"].index(numbers["kept_epoch"])
    preferred = np.array(numbers["preferred"][: kept + 1])
    alive = preferred[kept] >= 0
    if not alive.any():
        return int(epochs[kept])
    same = preferred[:, alive] == preferred[kept, alive]
    # from snapshot i on, each node's class never changes again: the run of True at the end of each column
    steady = np.flip(np.cumprod(np.flip(same, axis=0), axis=0), axis=0).astype(bool)
    enough = np.flatnonzero(steady.mean(axis=1) >= SETTLED)
    return int(epochs[enough[0]])


def final_class_shares(numbers: dict) -> list[float]:
    """Per snapshot up to the kept epoch, the share of the nodes firing at the kept epoch that already prefer the class
    they prefer there."""
    kept = numbers["epochs"].index(numbers["kept_epoch"])
    preferred = np.array(numbers["preferred"][: kept + 1])
    alive = preferred[kept] >= 0
    if not alive.any():
        return [1.0] * (kept + 1)
    return [round(float(share), 4) for share in (preferred[:, alive] == preferred[kept, alive]).mean(axis=1)]
