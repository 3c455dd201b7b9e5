"""How the picture reader copes with digits as customers really send them: the measure behind the report and the benchmark.

Real digits the network never trained on are drawn as photos and scans under
each condition of ``hiddennodes.conditions`` at each of its strengths, encoded
as the files a phone or scanner writes, and read exactly as
``hiddennodes-predict`` reads a file (``hiddennodes.reading``). For each
condition and level it counts how many written digits were answered, how many
of those were right, and how well the network reads the raw arrays of the
same digits, so the picture's cost is measured apart from the network's own
errors. A picture whose digits were found in another number than written
counts all its digits as answered wrongly when every digit found was answered
(a number of the wrong length, read with confidence), as refused otherwise (a
"?" in the number sends it to a person).
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass

import numpy as np

from hiddennodes.conditions import CONDITIONS, digits_per_picture, render
from hiddennodes.pictures import decode
from hiddennodes.reading import DigitReader, prepare_picture


@dataclass
class Example:
    """One picture of a condition beside what the network was fed."""

    picture: np.ndarray  # the decoded picture, grey in [0, 1]
    prepared: np.ndarray  # (k, 28, 28)
    read: str  # what was answered, e.g. "7" or "4?1" or "refused: no mark found"


def refusal_kind(reason: str) -> str:
    """The short name of a refusal: its words before the first colon ("no mark found", "not sure", ...)."""
    return reason.split(":")[0].split(";")[0].strip()


def measure(reader: DigitReader, images: np.ndarray, labels: np.ndarray, condition: str, level: int,
            seed: int) -> tuple[dict, Example]:
    """Read ``images`` ((n, 28, 28) uint8, MNIST's) drawn under ``condition`` at ``level``.

    Returns:
        The counts and rates (JSON-ready) and the first picture as an Example.
    """
    per_picture = digits_per_picture(condition, level)
    pictures = len(images) // per_picture
    rng = np.random.default_rng([seed, list(CONDITIONS).index(condition), level])
    raw = reader.network.probabilities(images[: pictures * per_picture].astype(np.float32) / 255).argmax(axis=1)
    right = wrong = refused = numbers_right = 0
    refusals: dict[str, int] = {}
    seconds = 0.0
    example = None
    for index in range(pictures):
        written = slice(index * per_picture, (index + 1) * per_picture)
        data = render(images[written], condition, level, rng)
        start = time.perf_counter()
        prepared = prepare_picture(io.BytesIO(data))
        answers = reader.answer(prepared.digits)
        seconds += time.perf_counter() - start
        truth = labels[written]
        reasons = [prepared.refusal] if prepared.refusal else [answer.refusal for answer in answers if answer.refusal]
        for reason in reasons:
            refusals[refusal_kind(reason)] = refusals.get(refusal_kind(reason), 0) + 1
        if len(answers) == per_picture:
            for answer, digit in zip(answers, truth):
                if not answer.answered:
                    refused += 1
                elif answer.predicted == digit:
                    right += 1
                else:
                    wrong += 1
            numbers_right += all(answer.answered and answer.predicted == digit for answer, digit in zip(answers, truth))
        elif answers and all(answer.answered for answer in answers):
            wrong += per_picture  # a number of the wrong length, read with confidence
        else:
            refused += per_picture  # a "?" in the number sends it to a person
        if example is None:
            read = prepared.refusal and f"refused: {refusal_kind(prepared.refusal)}"
            read = read or "".join(str(answer.predicted) if answer.answered else "?" for answer in answers)
            example = Example(decode(io.BytesIO(data), longest_side=320), prepared.digits, read)
    written_digits = pictures * per_picture
    answered = right + wrong
    row = {
        "condition": condition, "group": CONDITIONS[condition].group, "level": level, "label": CONDITIONS[condition].levels[level],
        "pictures": pictures, "digits": written_digits,
        "answered": round(answered / written_digits, 6),
        "accuracy_answered": round(right / answered, 6) if answered else None,
        "raw_accuracy": round(float(np.mean(raw == labels[:written_digits])), 6),
        "wrong_share_of_answered": round(wrong / answered, 6) if answered else None,
        "numbers_right": round(numbers_right / pictures, 6),
        "pictures_per_second": round(pictures / seconds, 2) if seconds else None,
        "refusals": dict(sorted(refusals.items(), key=lambda item: -item[1])),
    }
    return row, example


def meets_target(row: dict, share_of_raw: float = 0.95, most_wrong: float = 0.10) -> bool:
    """The benchmark's target for one condition: the answered digits are read at ``share_of_raw`` of the raw
    arrays' accuracy and no more than ``most_wrong`` of them are wrong (nothing answered passes: all refused)."""
    if row["accuracy_answered"] is None:
        return True
    return row["accuracy_answered"] >= share_of_raw * row["raw_accuracy"] and row["wrong_share_of_answered"] <= most_wrong
