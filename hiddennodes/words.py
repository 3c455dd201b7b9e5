"""Numbers and lists put into words, shared by the texts the pipeline writes:
a node's one-line description, the report's sentences and its tables."""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np


def english_list(names: Sequence[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def describe_node(tuning_row: np.ndarray, class_names: Sequence[str], share: float = 0.5) -> str:
    """One line such as "fires for 0s and 6s, silent for 1s".

    "Fires for" means one thing wherever the project says it: the classes whose **mean activation** on the test
    images reaches ``share`` of the node's strongest class's (never the classes of its top images, which can
    differ); classes below a tenth of it are silent. Most classes firing: "fires for every class but 1s, most for 0s".
    """
    row = np.asarray(tuning_row, dtype=np.float64)
    peak = row.max()
    if peak <= 0:
        return "never fires"
    digits = all(len(name) == 1 and name.isdigit() for name in class_names)

    def names(indices) -> str:
        return english_list(f"{class_names[i]}s" if digits else class_names[i] for i in indices)

    order = np.argsort(-row, kind="stable")
    firing = [int(i) for i in order if row[i] >= share * peak]
    silent = [int(i) for i in np.argsort(row, kind="stable") if row[i] < 0.1 * peak]
    if len(firing) == len(row):
        return f"fires for every class, most for {names(firing[:1])}"
    if len(firing) > len(row) / 2 and len(row) > 4:  # the few it does not fire for say more than a list of most classes
        others = [int(i) for i in order if row[i] < share * peak]
        return f"fires for every class but {names(others)}, most for {names(firing[:1])}"
    text = f"fires for {names(firing)}"
    if len(silent) > 2 and len(silent) == len(row) - len(firing):
        text += ", silent for every other class"
    elif silent:
        text += f", silent for {names(silent)}"
    return text


def amount(value: float, unit: str) -> str:
    """A severity with its unit, singular where it is one: "1 pixel off each side", "2 pixels on each side", "15 degrees"."""
    if value == 1:
        for plural in ("pixels", "degrees"):
            if unit.startswith(plural):
                unit = plural[:-1] + unit[len(plural):]
    return f"{value:g} {unit}"


def percentage(value: float | None, decimals: int = 1) -> str:
    """A share as a percentage with ``decimals`` decimals (one by default); "n/a" for a missing value."""
    return "n/a" if value is None else f"{value:.{decimals}%}"


def interval_text(interval: Mapping[str, float]) -> str:
    """A confidence interval ``{"low", "high"}`` (``hiddennodes.evaluate.stats.mean_interval``'s ``ci95``) as "0.8512–0.8633"."""
    return f"{interval['low']:.4f}–{interval['high']:.4f}"


_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")


def count_words(count: int) -> str:
    """A count as a sentence writes it: "five" up to twelve, digits from 13 ("five single-hidden-layer networks")."""
    return _NUMBER_WORDS[count] if 0 <= count < len(_NUMBER_WORDS) else str(count)


def costs(loss: float) -> str:
    """What losing ``loss`` of accuracy (a share; negative: a gain) does, in points and plain words: "costs 0.5 points",
    "gains 0.3 points", or "makes less than 0.1 points of difference"; never a negative number."""
    if abs(loss) < 0.0005:
        return "makes less than 0.1 points of difference"
    return f"costs {100 * loss:.1f} points" if loss > 0 else f"gains {-100 * loss:.1f} points"


def better_or_worse(difference: float, unit: str = "points") -> str:
    """A difference of accuracies (a share) as "1.2 points better", "0.4 points worse" or "within 0.1 points"."""
    if abs(difference) < 0.0005:
        return f"within 0.1 {unit}"
    return f"{abs(100 * difference):.1f} {unit} {'better' if difference > 0 else 'worse'}"


def class_items(name: str) -> str:
    """A class's items in words: "7s" for a digit, the class's own name ("Sandal") otherwise."""
    return f"{name}s" if len(name) == 1 and name.isdigit() else name


def class_test_images(name: str) -> str:
    """A class's test images in words: "test 7s" for a digit, "Sandal test images" for a named class."""
    return f"test {class_items(name)}" if class_items(name) != name else f"{name} test images"


def items_of(class_names: Sequence[str]) -> str:
    """What a dataset's images are, in words: "digits" for the ten digits, "images" for any other classes
    (Fashion-MNIST's clothes, a custom set's own)."""
    return "digits" if all(len(name) == 1 and name.isdigit() for name in class_names) else "images"


def with_article(noun: str) -> str:
    """"a digit", "an image": the noun with its indefinite article (by its first letter, enough for these nouns)."""
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"
