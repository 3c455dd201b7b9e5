"""The report's answer in words: one sentence per class, where ink raises its score and where it lowers it, and one
per hidden node of a narrow layer, from the parts ``hiddennodes.interpret.regions.evidence_words`` found; and the
same sentence read back into parts (``parse_places``), which the tests hold to the map beside it.
"""

from __future__ import annotations

import re
from typing import Mapping, Sequence

from hiddennodes.interpret.regions import CELL_NAMES
from hiddennodes.words import english_list


def _places(parts: Sequence[Mapping]) -> str:
    return english_list([f"the {part['cell']}" for part in parts])


def _where(parts: Sequence[Mapping], one: str = "") -> str:
    """"on its strokes at the top and the left" / "at the centre, where a 0 has little ink," / both named: "on its
    strokes at the top, and off them at the right," (off them: where the class has little ink); "at the top and the
    left" for parts of no class."""
    if all(part["on_strokes"] is None for part in parts):
        return f"at {_places(parts)}"
    on = [part for part in parts if part["on_strokes"]]
    off = [part for part in parts if part["on_strokes"] is False]
    if on and off:
        return f"on its strokes at {_places(on)}, and off them at {_places(off)},"
    return f"on its strokes at {_places(on)}" if on else f"at {_places(off)}, where {one} has little ink,"


def answer_sentence(one: str, words: Mapping) -> str:
    """One sentence in words of the picture, from ``evidence_words``'s parts. ``one``: the class with its article
    ("a 0", "a Sandal")."""
    raises, lowers = words["raises"], words["lowers"]
    parts = []
    if raises:
        parts.append(f"ink {_where(raises, one)} raises its score")
    if lowers:
        parts.append(f"ink {_where(lowers, one)} lowers it" if raises else f"ink {_where(lowers, one)} lowers its score")
    if not parts:
        return f"{one[0].upper()}{one[1:]}: no part of the picture moves its score."
    return f"{one[0].upper()}{one[1:]}: " + "; ".join(parts) + "."


def parse_places(sentence: str) -> dict[str, list[tuple[str, bool]]]:
    """The parts an ``answer_sentence`` names, read back from its words: ``{"raises": [(cell, on_strokes), ...],
    "lowers": [...]}``. What the tests hold every sentence to, against the map beside it."""
    cells = sorted((name for row in CELL_NAMES for name in row), key=len, reverse=True)
    found = {"raises": [], "lowers": []}
    body = sentence.split(": ", 1)[1]
    for clause in body.rstrip(".").split("; "):
        key = "raises" if " raises " in clause else "lowers"
        for piece in re.split(r",? and (?=at |on its strokes|off them)", clause):
            on = piece.removeprefix("ink ").startswith("on its strokes")
            for name in cells:
                if re.search(rf"\bthe {name}\b", piece):
                    piece = re.sub(rf"\bthe {name}\b", "", piece)
                    found[key].append((name, on))
    return found


def with_class_article(name: str) -> str:
    """"a 0", "an 8", "a Sandal", "an Ankle boot": a class with its indefinite article, by how it is said."""
    return f"{'an' if name[:1] in 'aeiouAEIOU8' or name in ('11', '18') else 'a'} {name}"


def class_sentences(nodes: Mapping) -> list[str]:
    """One ``answer_sentence`` per class of an experiment's ``nodes.json``, in class order."""
    return [answer_sentence(with_class_article(row["class"]), row["evidence"]) for row in nodes["classes"]]


def _class_list(names: Sequence[str]) -> str:
    from hiddennodes.words import class_items

    return english_list([class_items(name) for name in names])


def node_sentence(experiment: str, node: Mapping, nodes_in_layer: int) -> str:
    """What one node of a narrow layer measures: where ink raises and lowers it (its weights, faded where training
    digits hardly ink), and the classes it is most and least active for (its mean activation per class on the test
    digits)."""
    words, means = node["weight_words"], node["mean_by_class"]
    name = f"{experiment}'s one node" if nodes_in_layer == 1 else f"Node {node['node']} of {experiment}"
    parts = []
    if words["raises"]:
        parts.append(f"ink {_where(words['raises'], '')} raises it")
    if words["lowers"]:
        parts.append(f"ink {_where(words['lowers'], '')} lowers it")
    order = sorted(means, key=lambda label: -means[label])
    high, low = order[:2], order[-2:][::-1]
    measures = " and ".join(parts) if parts else "no part of the picture moves it"
    return (f"{name}: {measures}; on average it is most active for {_class_list(high)} and least for {_class_list(low)} "
            "(mean activation per class).")


def separation_sentence(experiment: str, nodes: Mapping, good: float = 0.8, poor: float = 0.5) -> str:
    """Which classes a narrow layer tells apart (read at least ``good`` right) and which it cannot (under ``poor``,
    with what they are taken for), from its ``nodes.json``."""
    from hiddennodes.words import class_items

    rows = [row for row in nodes["classes"] if row["accuracy"] is not None]
    separated = sorted((row for row in rows if row["accuracy"] >= good), key=lambda row: -row["accuracy"])
    lost = sorted((row for row in rows if row["accuracy"] < poor), key=lambda row: row["accuracy"])
    text = experiment
    if separated:
        text += (f" tells {_class_list([row['class'] for row in separated])} from the rest ("
                 + ", ".join(f"{row['accuracy']:.0%}" for row in separated) + " read right)")
    if lost:
        taken = ", ".join(f"{class_items(row['class'])} {row['accuracy']:.0%}" + (f", taken for {class_items(row['confused_with'])}"
                                                                                  if row["confused_with"] else "") for row in lost)
        text += f"{' but' if separated else ''} cannot read {_class_list([row['class'] for row in lost])} ({taken})"
    if not separated and not lost:
        text += f" reads every class between {poor:.0%} and {good:.0%} right"
    return text + "."


def second_node_sentence(one: str, two: str, one_nodes: Mapping, two_nodes: Mapping) -> str | None:
    """What a layer of two nodes reads that a layer of one cannot: the classes whose test accuracy rises most, from
    the two experiments' ``nodes.json``. None when the classes differ."""
    from hiddennodes.words import class_items

    before = {row["class"]: row["accuracy"] for row in one_nodes["classes"] if row["accuracy"] is not None}
    after = {row["class"]: row["accuracy"] for row in two_nodes["classes"] if row["accuracy"] is not None}
    if set(before) != set(after) or not before:
        return None
    gains = sorted(before, key=lambda name: before[name] - after[name])[:3]
    gains = [name for name in gains if after[name] - before[name] > 0.05]
    if not gains:
        return f"The second node of {two} reads no class more than 5 points better than {one}'s one node."
    return (f"What the second node adds ({two} against {one}): "
            + ", ".join(f"{_plural(name)} go from {before[name]:.0%} to {after[name]:.0%} read right" for name in gains) + ".")


def _plural(name: str) -> str:
    """A class's items as the subject of a plural verb: "0s", "Ankle boot images"."""
    from hiddennodes.words import class_items

    return class_items(name) if class_items(name) != name else f"{name} images"
