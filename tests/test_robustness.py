"""The graded changes against independent references: SciPy's affine transform, NumPy's roll and rot90, hand-drawn strokes."""

import numpy as np
import pytest
from scipy import ndimage

from hiddennodes.evaluate.robustness import (
    CENTRE,
    CHANGES,
    affine_warp,
    blur,
    changed_images,
    contrast,
    draws,
    noise,
    rotate,
    scale,
    severities,
    shift,
    thicker,
    thinner,
)


@pytest.fixture
def digits():
    """Random strokes well inside the field, so no change pushes ink out of it."""
    rng = np.random.default_rng(3)
    images = np.zeros((6, 28, 28), dtype=np.float32)
    images[:, 9:19, 9:19] = rng.uniform(0, 1, (6, 10, 10)) ** 3
    return images


def test_the_warp_matches_scipys_affine_transform(digits):
    rng = np.random.default_rng(0)
    matrices = np.eye(2) + rng.uniform(-0.3, 0.3, (len(digits), 2, 2))
    offsets = rng.uniform(-2, 2, (len(digits), 2))
    warped = affine_warp(digits, matrices, offsets, chunk=4)  # two chunks
    for image, matrix, offset, result in zip(digits, matrices, offsets, warped):
        centre = np.full(2, CENTRE)
        expected = ndimage.affine_transform(image, matrix, offset=centre - matrix @ centre + offset, order=1, mode="constant", cval=0.0)
        np.testing.assert_allclose(result, expected, atol=1e-5)


def test_whole_pixel_shifts_and_right_angle_turns_move_pixels_exactly(digits):
    east = {"direction": np.zeros(len(digits))}
    np.testing.assert_allclose(shift(digits, 3, east), np.roll(digits, 3, axis=2), atol=1e-6)
    south = {"direction": np.full(len(digits), np.pi / 2)}
    np.testing.assert_allclose(shift(digits, 2, south), np.roll(digits, 2, axis=1), atol=1e-6)
    turns = {"turn": np.array([1.0, -1.0] * 3)}
    turned = rotate(digits, 90, turns)
    for image, result, turn in zip(digits, turned, turns["turn"]):
        np.testing.assert_allclose(result, np.rot90(image, k=-1 if turn > 0 else 1), atol=1e-5)
    np.testing.assert_allclose(rotate(digits, 0, turns), digits, atol=1e-6)


def test_scaling_changes_the_inks_extent_about_the_centre():
    square = np.zeros((1, 28, 28), dtype=np.float32)
    square[0, 10:18, 10:18] = 1  # 8 pixels wide, centred on 13.5
    larger, smaller = scale(square, 1.5), scale(square, 0.5)
    assert np.sum(larger > 0.5) == 12 * 12
    assert np.sum(smaller > 0.5) == 4 * 4
    np.testing.assert_allclose(ndimage.center_of_mass(larger[0]), (CENTRE, CENTRE), atol=1e-6)


def test_pens_thicker_and_thinner_by_discs():
    dot = np.zeros((1, 28, 28), dtype=np.float32)
    dot[0, 14, 14] = 1
    assert np.sum(thicker(dot, 1)) == 5  # the radius-1 disc is a plus
    assert np.sum(thicker(dot, 2)) == 13
    np.testing.assert_allclose(thicker(dot, 1.5), (thicker(dot, 1) + thicker(dot, 2)) / 2)
    block = np.zeros((1, 28, 28), dtype=np.float32)
    block[0, 10:13, 10:13] = 1
    thinned = thinner(block, 1)
    assert np.sum(thinned) == 1 and thinned[0, 11, 11] == 1
    np.testing.assert_array_equal(thinner(block, 0), block)


def test_noise_blur_and_contrast(digits):
    random = draws(len(digits), seed=1)
    np.testing.assert_array_equal(noise(digits, 0.0, random), digits)
    noisy = noise(digits, 0.3, random)
    assert noisy.min() >= 0 and noisy.max() <= 1 and np.abs(noisy - digits).mean() > 0.05
    np.testing.assert_array_equal(noisy, noise(digits, 0.3, draws(len(digits), seed=1)))
    blurred = blur(digits, 1.5)
    np.testing.assert_allclose(blurred.sum(axis=(1, 2)), digits.sum(axis=(1, 2)), rtol=1e-4)  # ink far from the edge keeps its mass
    assert blurred.max() < digits.max()
    np.testing.assert_array_equal(blur(digits, 0), digits)
    faint = contrast(digits, 0.25)
    np.testing.assert_allclose(faint.mean(axis=(1, 2)), digits.mean(axis=(1, 2)), rtol=1e-5)
    np.testing.assert_allclose(faint.std(axis=(1, 2)), 0.25 * digits.std(axis=(1, 2)), rtol=1e-5)
    np.testing.assert_allclose(contrast(digits, 1.0), digits, atol=1e-7)


def test_every_change_at_every_level_on_the_same_digits(digits):
    strongest = {"rotation": 30, "contrast": 0.2, "noise": 0.4}
    results = list(changed_images(digits.reshape(len(digits), -1), strongest, levels=4, seed=7))
    assert [(name, level) for name, level, _, _ in results] == [(name, level) for name in strongest for level in range(1, 5)]
    assert [severity for name, _, severity, _ in results if name == "contrast"] == pytest.approx([0.8, 0.6, 0.4, 0.2])
    np.testing.assert_allclose(severities("rotation", 30, 3), [0, 10, 20, 30])
    # Stronger means further from the original, level by level.
    distances = [np.abs(images - digits).mean() for name, _, _, images in results if name == "rotation"]
    assert distances == sorted(distances) and distances[0] > 0
    assert set(CHANGES) == {"rotation", "shift", "smaller", "larger", "thinner", "thicker", "noise", "blur", "contrast"}
