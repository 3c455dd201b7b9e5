"""Preparing pictures of digits the way MNIST's were made."""

import numpy as np
import pytest
from scipy import ndimage

from hiddennodes.data.datasets import DATASETS
from hiddennodes.data.checks import verify
from hiddennodes.reading.prepare import ImageError, prepare_digit


def seven(height=120, width=90, top=10, left=15, thickness=8):
    """A dark '7' on light paper, as a photo would give it (uint8, 255 = white)."""
    page = np.full((height, width), 230, dtype=np.uint8)
    page[top : top + thickness, left : left + 50] = 20
    for row in range(top, top + 80):
        column = left + 50 - (row - top) * 35 // 80
        page[row, column - thickness // 2 : column + thickness // 2] = 20
    return page


def test_dark_on_light_and_light_on_dark_give_the_same_digit():
    dark_ink = prepare_digit(seven())
    light_ink = prepare_digit(255 - seven())
    np.testing.assert_allclose(light_ink, dark_ink, atol=1e-6)
    assert dark_ink.shape == (28, 28) and dark_ink.dtype == np.float32
    assert dark_ink.max() == pytest.approx(1.0) and dark_ink.min() == 0.0


def test_the_digit_fills_a_20_pixel_box_centred_by_mass_wherever_it_was():
    for top, left in ((5, 5), (30, 30)):
        digit = prepare_digit(seven(height=200, width=200, top=top, left=left))
        rows, columns = np.nonzero(digit > 0.05)
        assert max(rows.max() - rows.min(), columns.max() - columns.min()) + 1 in (20, 21, 22)
        centre = ndimage.center_of_mass(digit)
        assert abs(centre[0] - 14) <= 0.5 and abs(centre[1] - 14) <= 0.5


def test_rgb_and_noisy_paper_still_give_the_digit():
    rng = np.random.default_rng(0)
    clean = prepare_digit(seven())
    noisy = np.clip(seven().astype(int) + rng.integers(-20, 21, (120, 90)), 0, 255).astype(np.uint8)
    rgb = np.stack([noisy] * 3, axis=2)
    assert np.corrcoef(prepare_digit(rgb).ravel(), clean.ravel())[0, 1] > 0.95


def test_an_empty_page_is_rejected_in_one_sentence():
    with pytest.raises(ImageError, match="no mark found"):
        prepare_digit(np.full((50, 50), 200, dtype=np.uint8))
    with pytest.raises(ImageError, match="neither grey nor RGB"):
        prepare_digit(np.zeros((4, 4, 2)))


def test_real_mnist_digits_come_back_almost_unchanged(mnist_t10k):
    mnist = DATASETS["mnist"]
    images = verify(mnist, "test_images", (mnist_t10k / "t10k-images-idx3-ubyte.gz").read_bytes())[:200]
    # Photo-like: inverted, on a larger page, scaled up three times.
    correlations = []
    for image in images:
        photo = np.kron(255 - image, np.ones((3, 3), dtype=np.uint8))
        photo = np.pad(photo, 40, constant_values=255)
        prepared = prepare_digit(photo)
        correlations.append(np.corrcoef(prepared.ravel(), image.ravel() / 255.0)[0, 1])
    assert np.median(correlations) > 0.95
    assert np.mean(np.array(correlations) > 0.8) > 0.9


def test_uci_digits_are_prepared_like_mnist():
    from hiddennodes.reading.prepare import uci_digits_as_mnist

    images, labels = uci_digits_as_mnist()
    assert images.shape == (1797, 28, 28) and labels.shape == (1797,)
    assert set(np.unique(labels)) == set(range(10))
    centres = np.array([ndimage.center_of_mass(image) for image in images[:100]])
    assert np.all(np.abs(centres - 14) <= 0.5)
    boxes = [max(np.ptp(np.nonzero(image)[0]), np.ptp(np.nonzero(image)[1])) + 1 for image in images[:100]]
    assert min(boxes) >= 19 and max(boxes) <= 22
