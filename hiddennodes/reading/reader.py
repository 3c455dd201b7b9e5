"""Read the digits in a picture: find them, prepare them, refuse what cannot be trusted, answer the rest.

Shared by ``hiddennodes-predict`` and the customers' digits stage, so the
figures the report gives are the command's own. A picture is prepared on its
own (decode, find the ink, split into digits, MNIST's 28x28 recipe), which can
run in parallel; the network then answers all prepared digits at once. A digit
is refused, with its reason in one sentence, when its 28x28 does not look like
the training digits (``hiddennodes.reading.familiarity``) or when the network's
probability is below the calibration stage's threshold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import BinaryIO

import numpy as np

from hiddennodes.network.trained import Network
from hiddennodes.reading.decode import decode
from hiddennodes.reading.familiarity import features, judge
from hiddennodes.reading.find_digits import NoDigitError, find_digits
from hiddennodes.reading.prepare import FIELD, mnist_like


@dataclass(frozen=True)
class Prepared:
    """What one picture gives before the network: its digits as 28x28s, left to right, or why it has none."""

    digits: np.ndarray  # (k, 28, 28) float32 in [0, 1]
    boxes: list[tuple[int, int, int, int]] = field(default_factory=list)  # top, left, bottom, right in the decoded picture
    refusal: str | None = None  # why no digit was found (k == 0)


def prepare_picture(source: BinaryIO) -> Prepared:
    """Decode a picture file and prepare every digit on it.

    Raises:
        ImageError: the file cannot be read as a picture (one sentence why).
    """
    gray = decode(source)
    try:
        found = find_digits(gray)
    except NoDigitError as error:
        return Prepared(np.zeros((0, FIELD, FIELD), dtype=np.float32), [], str(error))
    return Prepared(np.stack([mnist_like(digit.ink) for digit in found]), [digit.box for digit in found])


@dataclass(frozen=True)
class Answer:
    """The network's reading of one prepared digit, and why it is withheld if it is."""

    predicted: int
    probability: float
    runner_up: int
    runner_up_probability: float
    refusal: str | None  # None: answered

    @property
    def answered(self) -> bool:
        return self.refusal is None


class DigitReader:
    """A trained network with the two checks that decide when it should not answer."""

    def __init__(self, network: Network, threshold: float | None, limits: dict, pca_components: np.ndarray,
                 pca_mean: np.ndarray, target_accuracy: float = 0.99):
        self.network = network
        self.threshold = threshold  # None: no confidence reaches the target accuracy, so every digit goes to a person
        self.limits = limits
        self.pca = (np.asarray(pca_components, dtype=np.float64), np.asarray(pca_mean, dtype=np.float64))
        self.target_accuracy = target_accuracy

    def answer(self, digits: np.ndarray) -> list[Answer]:
        """An Answer for each prepared digit ((n, 28, 28) in [0, 1])."""
        if len(digits) == 0:
            return []
        probabilities = self.network.probabilities(digits)
        unlike = judge(features(digits, *self.pca), self.limits)
        answers = []
        for row, verdict in zip(probabilities, unlike):
            best, second = (int(index) for index in np.argsort(row)[::-1][:2])
            probability = float(row[best])
            refusal = verdict
            if refusal is None and self.threshold is None:
                refusal = (f"not sure: no probability reaches {self.target_accuracy:.0%} accuracy for this experiment "
                           "on the validation digits, so a person should read it.")
            elif refusal is None and probability < self.threshold:
                refusal = f"not sure: {probability:.2f} < {self.threshold:.2f}."
            answers.append(Answer(best, probability, second, float(row[second]), refusal))
        return answers
