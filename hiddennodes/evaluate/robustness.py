"""Graded, realistic changes to 28x28 digits: how far accuracy falls away from MNIST's conditions.

A real digit differs from MNIST's test digits in ways a reader can name:
turned, off-centre, smaller or larger, written with a thinner or thicker pen,
scanned with noise, out of focus, or faint. Each change here takes a stack of
images ``(n, 28, 28)`` in [0, 1] (ink high) and a severity, and returns the
changed stack. The random parts (which way each digit turns or moves, the
noise pattern) are drawn once per image from a seed and only scaled by the
severity, so each accuracy curve follows the same digits getting worse.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator, Mapping

import numpy as np

from hiddennodes.strokes import by_disc

FIELD = 28
CENTRE = (FIELD - 1) / 2  # turning and scaling about the field's centre, where MNIST centres the ink's mass


def affine_warp(images: np.ndarray, matrices: np.ndarray, offsets: np.ndarray, chunk: int = 2048) -> np.ndarray:
    """Resample each image at ``matrix @ (p - c) + c + offset`` for every output pixel ``p``.

    Bilinear interpolation, zero (no ink) outside the field; ``c`` is the field's centre.

    Args:
        images: ``(n, 28, 28)``.
        matrices: ``(n, 2, 2)``, acting on (row, column) coordinates.
        offsets: ``(n, 2)``, in pixels (row, column).
    """
    images = np.asarray(images, dtype=np.float32)
    count, height, width = images.shape
    rows, columns = np.mgrid[0:height, 0:width]
    grid = np.stack([rows.ravel(), columns.ravel()]).astype(np.float64) - CENTRE
    result = np.empty((count, height * width), dtype=np.float32)
    for start in range(0, count, chunk):
        part = slice(start, start + chunk)
        source = np.asarray(matrices[part], dtype=np.float64) @ grid + CENTRE + np.asarray(offsets[part], dtype=np.float64)[:, :, None]
        row0, column0 = np.floor(source[:, 0]), np.floor(source[:, 1])
        row_fraction, column_fraction = source[:, 0] - row0, source[:, 1] - column0
        flat = images[part].reshape(len(source), -1)
        total = np.zeros(flat.shape, dtype=np.float64)
        for row_step, column_step in ((0, 0), (0, 1), (1, 0), (1, 1)):
            row, column = row0 + row_step, column0 + column_step
            weight = (row_fraction if row_step else 1 - row_fraction) * (column_fraction if column_step else 1 - column_fraction)
            inside = (row >= 0) & (row < height) & (column >= 0) & (column < width)
            index = np.where(inside, row * width + column, 0).astype(np.intp)
            total += np.where(inside, weight, 0.0) * np.take_along_axis(flat, index, axis=1)
        result[part] = total
    return result.reshape(count, height, width)


def draws(count: int, seed: int) -> dict[str, np.ndarray]:
    """The random part of every change, fixed per image: a turning direction
    (+1 or -1), a shifting direction (radians) and a unit Gaussian noise pattern."""
    rng = np.random.default_rng(seed)
    return {
        "turn": rng.choice(np.array([-1.0, 1.0]), size=count),
        "direction": rng.uniform(0.0, 2 * np.pi, size=count),
        "noise": rng.standard_normal((count, FIELD, FIELD)).astype(np.float32),
    }


def rotate(images: np.ndarray, degrees: float, random: Mapping[str, np.ndarray]) -> np.ndarray:
    """Each digit turned by ``degrees``, clockwise or anticlockwise as drawn."""
    angles = np.radians(degrees) * random["turn"]
    cos, sin = np.cos(angles), np.sin(angles)
    matrices = np.stack([np.stack([cos, -sin], axis=1), np.stack([sin, cos], axis=1)], axis=1)
    return affine_warp(images, matrices, np.zeros((len(images), 2)))


def shift(images: np.ndarray, pixels: float, random: Mapping[str, np.ndarray]) -> np.ndarray:
    """Each digit moved ``pixels`` in its drawn direction (ink leaving the field is lost)."""
    offsets = -pixels * np.stack([np.sin(random["direction"]), np.cos(random["direction"])], axis=1)
    return affine_warp(images, np.broadcast_to(np.eye(2), (len(images), 2, 2)), offsets)


def scale(images: np.ndarray, factor: float, random: Mapping[str, np.ndarray] | None = None) -> np.ndarray:
    """Each digit enlarged (``factor`` > 1) or shrunk (< 1) about the field's centre."""
    return affine_warp(images, np.broadcast_to(np.eye(2) / factor, (len(images), 2, 2)), np.zeros((len(images), 2)))


def thicker(images: np.ndarray, radius: float, random: Mapping[str, np.ndarray] | None = None) -> np.ndarray:
    """Strokes widened by ``radius`` pixels on each side (grey dilation by a disc)."""
    from scipy import ndimage

    return by_disc(np.asarray(images, dtype=np.float32), radius, ndimage.grey_dilation).astype(np.float32)


def thinner(images: np.ndarray, radius: float, random: Mapping[str, np.ndarray] | None = None) -> np.ndarray:
    """Strokes narrowed by ``radius`` pixels on each side (grey erosion by a disc)."""
    from scipy import ndimage

    return by_disc(np.asarray(images, dtype=np.float32), radius, ndimage.grey_erosion).astype(np.float32)


def noise(images: np.ndarray, sigma: float, random: Mapping[str, np.ndarray]) -> np.ndarray:
    """Gaussian noise of standard deviation ``sigma`` (full ink is 1), clipped to [0, 1] as a sensor clips."""
    return np.clip(images + sigma * random["noise"], 0.0, 1.0).astype(np.float32)


def blur(images: np.ndarray, sigma: float, random: Mapping[str, np.ndarray] | None = None) -> np.ndarray:
    """A Gaussian blur of ``sigma`` pixels, as an out-of-focus photo."""
    from scipy import ndimage

    images = np.asarray(images, dtype=np.float32)
    return images if sigma == 0 else ndimage.gaussian_filter(images, sigma=(0, sigma, sigma), mode="constant")


def contrast(images: np.ndarray, factor: float, random: Mapping[str, np.ndarray] | None = None) -> np.ndarray:
    """Ink and paper pulled towards each image's mean grey, keeping ``factor`` of the contrast
    (as ImageNet-C's contrast change): a faint pencil on grey paper."""
    images = np.asarray(images, dtype=np.float32)
    means = images.mean(axis=(1, 2), keepdims=True)
    return (means + factor * (images - means)).astype(np.float32)


@dataclass(frozen=True)
class Change:
    name: str
    apply: Callable[..., np.ndarray]
    neutral: float  # the severity that changes nothing
    unit: str


CHANGES = {
    change.name: change
    for change in (
        Change("rotation", rotate, 0.0, "degrees"),
        Change("shift", shift, 0.0, "pixels"),
        Change("smaller", scale, 1.0, "times the size"),
        Change("larger", scale, 1.0, "times the size"),
        Change("thinner", thinner, 0.0, "pixels off each side"),
        Change("thicker", thicker, 0.0, "pixels on each side"),
        Change("noise", noise, 0.0, "sigma, ink = 1"),
        Change("blur", blur, 0.0, "sigma in pixels"),
        Change("contrast", contrast, 1.0, "share of contrast kept"),
    )
}


def severities(change: str, strongest: float, levels: int) -> np.ndarray:
    """``levels`` + 1 evenly spaced severities from no change to ``strongest``."""
    return np.linspace(CHANGES[change].neutral, strongest, levels + 1)


def change_levels(strongest: Mapping[str, float], levels: int) -> list[tuple[str, int, float]]:
    """Every change at every level above none, in order: ``(change, level, severity)``."""
    return [(name, level, float(severity)) for name, last in strongest.items()
            for level, severity in enumerate(severities(name, last, levels)[1:], start=1)]


def changed_images(images: np.ndarray, strongest: Mapping[str, float], levels: int, seed: int) -> Iterator[tuple[str, int, float, np.ndarray]]:
    """Every change at every level above none: ``(change, level, severity, images)``.

    Args:
        images: ``(n, 28, 28)`` in [0, 1], ink high.
        strongest: the severity of the last level for each change named in :data:`CHANGES`.
        levels: the number of levels above none.
        seed: fixes the random part of every change (:func:`draws`); each set is ``CHANGES[change].apply(images,
            severity, draws(len(images), seed))``, so the sets can be made apart, in any order.
    """
    images = np.asarray(images, dtype=np.float32).reshape(-1, FIELD, FIELD)
    random = draws(len(images), seed)
    for name, level, severity in change_levels(strongest, levels):
        yield name, level, severity, CHANGES[name].apply(images, severity, random)
