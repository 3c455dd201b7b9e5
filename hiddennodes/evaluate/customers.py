"""How the picture reader copes with digits as customers really send them: the measure behind the report and the benchmark.

Real digits the network never trained on are drawn as photos and scans under
each condition of ``hiddennodes.conditions.catalogue`` at each of its strengths, encoded
as the files a phone or scanner writes, and read exactly as
``hiddennodes-predict`` reads a file (``hiddennodes.reading.reader``). For each
condition and level it counts how many written digits were answered, how many
of those were right, and how well the network reads the raw arrays of the
same digits, so the picture's cost is measured apart from the network's own
errors. A picture whose digits were found in another number than written
counts all its digits as answered wrongly when every digit found was answered
(a number of the wrong length, read with confidence), as refused otherwise (a
"?" in the number sends it to a person).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from hiddennodes.conditions.catalogue import CONDITIONS
from hiddennodes.evaluate.customer_pictures import Drawn, draw_pictures
from hiddennodes.reading.reader import DigitReader, Prepared


@dataclass
class Example:
    """One picture of a condition beside what the network was fed."""

    picture: np.ndarray  # the decoded picture, grey in [0, 1]
    prepared: np.ndarray  # (k, 28, 28)
    read: str  # what was answered, e.g. "7" or "4?1" or "refused: no mark found"


def refusal_kind(reason: str) -> str:
    """The short name of a refusal: its words before the first colon ("no mark found", "not sure", ...)."""
    return reason.split(":")[0].split(";")[0].strip()


@dataclass
class _Tally:
    """What one network made of the pictures of one condition and level."""

    right: int = 0
    wrong: int = 0
    refused: int = 0
    numbers_right: int = 0
    refusals: dict = field(default_factory=dict)

    def add(self, prepared: Prepared, answers: list, truth: np.ndarray) -> None:
        reasons = [prepared.refusal] if prepared.refusal else [answer.refusal for answer in answers if answer.refusal]
        for reason in reasons:
            self.refusals[refusal_kind(reason)] = self.refusals.get(refusal_kind(reason), 0) + 1
        if len(answers) == len(truth):
            for answer, digit in zip(answers, truth):
                if not answer.answered:
                    self.refused += 1
                elif answer.predicted == digit:
                    self.right += 1
                else:
                    self.wrong += 1
            self.numbers_right += all(answer.answered and answer.predicted == digit for answer, digit in zip(answers, truth))
        elif answers and all(answer.answered for answer in answers):
            self.wrong += len(truth)  # a number of the wrong length, read with confidence
        else:
            self.refused += len(truth)  # a "?" in the number sends it to a person


def read_pictures(readers: dict[str, DigitReader], drawn: Drawn, images: np.ndarray,
                  labels: np.ndarray) -> tuple[dict[str, dict], Example]:
    """Answer the prepared ``drawn`` pictures of ``images`` (whose classes are ``labels``) with each reader.

    Returns:
        Per reader, the counts and rates (JSON-ready); and the first picture as an Example (the first reader's reading).
    """
    condition, level = drawn.condition, drawn.level
    pictures, per_picture = drawn.written.shape
    written_digits = pictures * per_picture
    tallies = {name: _Tally() for name in readers}
    example = None
    for shown, prepared in zip(drawn.written, drawn.prepared):
        for name, reader in readers.items():
            answers = reader.answer(prepared.digits)
            tallies[name].add(prepared, answers, labels[shown])
            if example is None:
                read = prepared.refusal and f"refused: {refusal_kind(prepared.refusal)}"
                read = read or "".join(str(answer.predicted) if answer.answered else "?" for answer in answers)
                example = Example(drawn.picture, prepared.digits, read)
    rows = {}
    order = drawn.written.ravel()
    raw_images, raw_labels = images[order].astype(np.float32) / 255, labels[order]
    for name, reader in readers.items():
        tally = tallies[name]
        raw = reader.network.probabilities(raw_images)
        raw_right = raw.argmax(axis=1) == raw_labels
        raw_kept = raw.max(axis=1) >= (reader.threshold if reader.threshold is not None else np.inf)
        answered = tally.right + tally.wrong
        rows[name] = {
            "condition": condition, "group": CONDITIONS[condition].group, "words": CONDITIONS[condition].words,
            "level": level, "label": CONDITIONS[condition].levels[level], "pictures": pictures, "digits": written_digits,
            "answered": round(answered / written_digits, 6),
            "accuracy_answered": round(tally.right / answered, 6) if answered else None,
            "wrong_share_of_answered": round(tally.wrong / answered, 6) if answered else None,
            "raw_accuracy": round(float(raw_right.mean()), 6),
            "raw_answered": round(float(raw_kept.mean()), 6),
            "raw_accuracy_answered": round(float(raw_right[raw_kept].mean()), 6) if raw_kept.any() else None,
            "numbers_right": round(tally.numbers_right / pictures, 6),
            "pictures_per_second": round(pictures / drawn.seconds, 2) if drawn.seconds else None,
            "refusals": dict(sorted(tally.refusals.items(), key=lambda item: -item[1])),
        }
    return rows, example


def measure_many(readers: dict[str, DigitReader], images: np.ndarray, labels: np.ndarray, condition: str, level: int,
                 seed: int) -> tuple[dict[str, dict], Example]:
    """Read ``images`` ((n, 28, 28) uint8, MNIST's) drawn under ``condition`` at ``level`` with each reader.

    Each picture is drawn and prepared once (``draw_pictures``) and answered by every reader (``read_pictures``),
    so the networks are compared on the same pictures.

    Returns:
        Per reader, the counts and rates (JSON-ready); and the first picture as an Example (the first reader's reading).
    """
    return read_pictures(readers, draw_pictures(images, condition, level, seed), images, labels)


def measure(reader: DigitReader, images: np.ndarray, labels: np.ndarray, condition: str, level: int,
            seed: int) -> tuple[dict, Example]:
    """:func:`measure_many` with one reader: its row and the Example."""
    rows, example = measure_many({"reader": reader}, images, labels, condition, level, seed)
    return rows["reader"], example


def meets_target(row: dict, target_accuracy: float) -> bool:
    """Whether one condition keeps the threshold's promise: at least ``target_accuracy`` (the calibration target,
    0.99 by default) of the digits answered are read right. A condition refused whole does not meet it: a reader
    that answers none of the pictures reads none of them."""
    return row["accuracy_answered"] is not None and row["accuracy_answered"] >= target_accuracy


def best_reader(summaries: dict[str, dict], target_accuracy: float) -> dict | None:
    """The network the prediction command should read customers' pictures with: of those whose answers on the clean
    pictures reach ``target_accuracy`` (each at its own calibrated threshold), the one that answers the most of them
    (ties: the more accurate, then the first); when some of them reach it on the hard pictures too, only those, since a
    customer's picture does not say which kind it is. ``summaries``: experiment -> {"clean": ..., "hard": ...} as the
    customers stage writes them. None when no network reaches the target on the clean pictures."""
    def reaches(group: dict) -> bool:
        return group.get("accuracy_answered") is not None and group["accuracy_answered"] >= target_accuracy

    reaching = [(name, groups) for name, groups in summaries.items() if reaches(groups["clean"])]
    if not reaching:
        return None
    everywhere = [(name, groups) for name, groups in reaching if reaches(groups["hard"])]
    name, groups = max(everywhere or reaching, key=lambda item: (item[1]["clean"]["answered"], item[1]["clean"]["accuracy_answered"]))
    clean, hard = groups["clean"], groups["hard"]
    return {"experiment": name, "clean_answered": clean["answered"], "clean_accuracy_answered": clean["accuracy_answered"],
            "hard_answered": hard.get("answered"), "hard_accuracy_answered": hard.get("accuracy_answered"),
            "target_accuracy": target_accuracy}
