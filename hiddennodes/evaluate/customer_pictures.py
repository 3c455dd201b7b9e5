"""Customers' pictures drawn once for every network: the test digits under each condition, encoded and prepared.

Everything of the customers' measure that does not depend on a network: each
set of pictures (a condition at a level of ``hiddennodes.conditions.catalogue``)
drawn from the test digits, encoded as the file a phone or scanner writes, and
prepared as ``hiddennodes-predict`` prepares a file (found, cut out and made
28x28, or refused with a reason). The ``customer_pictures`` stage draws them and
stores them as plain arrays; ``hiddennodes.evaluate.customers`` answers them with
every network. Kept apart from the answering, so a change to how answers are
counted does not draw the pictures again.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass

import numpy as np

from hiddennodes.conditions.catalogue import CONDITIONS, digits_per_picture, render
from hiddennodes.data.datasets import IMAGE_SHAPE
from hiddennodes.reading.decode import decode
from hiddennodes.reading.reader import Prepared, prepare_picture


@dataclass
class Drawn:
    """The pictures of one condition and level, drawn, encoded and prepared as ``hiddennodes-predict`` prepares a
    file: everything of the measure that does not depend on a network, so it is done once for every network."""

    condition: str
    level: int
    written: np.ndarray  # (pictures, per_picture): which of the digits each picture shows, left to right
    prepared: list[Prepared]  # one a picture: its 28x28s, or why none was found
    picture: np.ndarray | None  # the first picture decoded (longest side 320), for the examples figure
    seconds: float  # decoding and preparing them: the reader's own time, for pictures_per_second


def drawn_arrays(sets: list[Drawn]) -> dict[str, np.ndarray]:
    """``sets`` as plain arrays for an ``.npz`` that loads without pickle (``drawn_from_arrays`` reads them back);
    a set's picture is kept only where it has one."""
    arrays = {"conditions": np.array([drawn.condition for drawn in sets], dtype=str),
              "levels": np.array([drawn.level for drawn in sets], dtype=np.int64)}
    for index, drawn in enumerate(sets):
        key = f"set{index}"
        arrays[f"{key}_written"] = drawn.written.astype(np.int64)
        arrays[f"{key}_digits"] = np.concatenate([np.zeros((0, *IMAGE_SHAPE), np.float32)]
                                                 + [prepared.digits.astype(np.float32) for prepared in drawn.prepared])
        arrays[f"{key}_counts"] = np.array([len(prepared.digits) for prepared in drawn.prepared], dtype=np.int64)
        arrays[f"{key}_refusals"] = np.array([prepared.refusal or "" for prepared in drawn.prepared], dtype=str)
        arrays[f"{key}_seconds"] = np.array(drawn.seconds)
        if drawn.picture is not None:
            arrays[f"{key}_picture"] = drawn.picture.astype(np.float32)
    return arrays


def drawn_from_arrays(arrays: dict[str, np.ndarray]) -> list[Drawn]:
    """The sets ``drawn_arrays`` wrote."""
    sets = []
    for index, (condition, level) in enumerate(zip(arrays["conditions"], arrays["levels"])):
        key = f"set{index}"
        ends = np.cumsum(arrays[f"{key}_counts"])
        digits = np.split(arrays[f"{key}_digits"], ends[:-1]) if len(ends) else []
        prepared = [Prepared(found, [], str(refusal) or None) for found, refusal in zip(digits, arrays[f"{key}_refusals"])]
        sets.append(Drawn(str(condition), int(level), arrays[f"{key}_written"], prepared, arrays.get(f"{key}_picture"),
                          float(arrays[f"{key}_seconds"])))
    return sets


def draw_pictures(images: np.ndarray, condition: str, level: int, seed: int, picture: bool = True) -> Drawn:
    """Draw ``images`` ((n, 28, 28) uint8, MNIST's) under ``condition`` at ``level``, encode and prepare each picture.

    With fewer digits than a number needs, the digits are used again in turn. The pictures come from a generator
    keyed by ``seed``, the condition and the level alone, so each set can be drawn on its own (in another process).
    ``picture``: keep the first picture, decoded, for the examples figure (None otherwise)."""
    per_picture = digits_per_picture(condition, level)
    pictures = max(1, len(images) // per_picture)
    written = (np.arange(pictures * per_picture) % len(images)).reshape(pictures, per_picture)
    rng = np.random.default_rng([seed, list(CONDITIONS).index(condition), level])
    prepared, seconds, first = [], 0.0, None
    for shown in written:
        data = render(images[shown], condition, level, rng)
        start = time.perf_counter()
        prepared.append(prepare_picture(io.BytesIO(data)))
        seconds += time.perf_counter() - start
        if picture and first is None:
            first = decode(io.BytesIO(data), longest_side=320)
    return Drawn(condition, level, written, prepared, first, seconds)
