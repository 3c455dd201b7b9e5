"""The distortions of the training digits: held to the robustness stage's NumPy warps and to SciPy, drawn
repeatably, and trained on inside the compiled loop as the plain loop trains."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import tensorflow as tf  # noqa: E402
from scipy import ndimage  # noqa: E402

from hiddennodes.config.distortions import Distortions  # noqa: E402
from hiddennodes.network.augment import (  # noqa: E402
    _morphology, affine_sources, bilinear_sample, distort, elastic_basis, uniform_draws,
)
from hiddennodes.network.trained import input_map  # noqa: E402
from hiddennodes.network.keras_model import build_model  # noqa: E402
from hiddennodes.evaluate.robustness import affine_warp  # noqa: E402
from hiddennodes.network.training import EpochRunner  # noqa: E402


def digits(count=32, seed=0):
    """Blobs of ink off-centre, so that every warp moves something."""
    rng = np.random.default_rng(seed)
    images = np.zeros((count, 28, 28), np.float32)
    for image in images:
        row, column = rng.integers(6, 22, size=2)
        image[row - 4 : row + 4, column - 2 : column + 3] = rng.uniform(0.5, 1.0)
        image[row - 5 : row + 5, column] = 1.0
    return images


def test_the_affine_warp_is_the_robustness_stages_numpy_warp():
    images = digits()
    rng = np.random.default_rng(1)
    angles = rng.uniform(-0.6, 0.6, len(images)).astype(np.float32)
    factors = rng.uniform(0.7, 1.3, len(images)).astype(np.float32)
    offsets = rng.uniform(-4, 4, (len(images), 2)).astype(np.float32)
    rows, columns = affine_sources(tf.constant(angles), tf.constant(factors), tf.constant(offsets))
    warped = bilinear_sample(tf.constant(images), rows, columns).numpy()
    # robustness.affine_warp reads at M (p - c) + c + offset: the inverse turn and size, and the opposite move.
    matrices = np.stack([[np.cos(angles), -np.sin(angles)], [np.sin(angles), np.cos(angles)]]).transpose(2, 0, 1) / factors[:, None, None]
    expected = affine_warp(images, matrices, -offsets)
    assert np.abs(warped - expected).max() < 1e-5
    assert np.abs(warped - images).max() > 0.5  # it moved the ink


@pytest.mark.parametrize("radius", [1, 2])
def test_the_pen_is_scipys_grey_dilation_and_erosion_by_a_disc(radius):
    images = digits()
    offsets = np.arange(-radius, radius + 1)
    disc = (offsets[:, None] ** 2 + offsets[None, :] ** 2) <= radius**2
    wider = ndimage.grey_dilation(images, footprint=disc[None], mode="constant", cval=0.0)
    thinner = ndimage.grey_erosion(images, footprint=disc[None], mode="constant", cval=0.0)
    assert np.array_equal(_morphology(tf.constant(images), radius, dilate=True).numpy(), wider)
    assert np.array_equal(_morphology(tf.constant(images), radius, dilate=False).numpy(), thinner)


@pytest.mark.parametrize("sigma", [0.5, 4.0, 8.0])
def test_the_elastic_field_has_the_variance_of_simards_blurred_noise(sigma):
    """Per pixel, the kept directions carry the variance of uniform noise blurred by the full Gaussian, to 1%."""
    basis = elastic_basis(sigma)
    radius = max(1, int(np.ceil(3 * sigma)))
    kernel = np.exp(-0.5 * (np.arange(-radius, radius + 1) / sigma) ** 2)
    kernel /= kernel.sum()
    impulses = np.eye(28)
    blur = np.stack([ndimage.convolve1d(impulse, kernel, mode="constant") for impulse in impulses])  # row i: pixel i's weights
    full = np.outer(np.diag(blur @ blur.T), np.diag(blur @ blur.T)) / 3  # variance of (G F G.T)[r, c] for F uniform in [-1, 1]
    kept = np.outer(np.diag(basis @ basis.T), np.diag(basis @ basis.T)) / 3
    assert np.allclose(kept, full, rtol=0.01)
    # And a sample of fields drawn as distort draws them has that variance.
    draws = uniform_draws(tf.constant([3, 4]), 3, [4000, basis.shape[1], basis.shape[1]]).numpy()
    fields = basis @ draws @ basis.T
    assert np.allclose(fields.var(axis=0), full, rtol=0.1)


def test_draws_are_uniform_repeatable_and_differ_by_seed_and_stream():
    seed = tf.constant([42, 7])
    first = uniform_draws(seed, 0, [200_000]).numpy()
    assert first.min() >= -1 and first.max() < 1
    assert abs(first.mean()) < 0.01 and abs(first.std() - 1 / np.sqrt(3)) < 0.01
    assert np.histogram(first, bins=10, range=(-1, 1))[0].min() > 19_000  # flat
    assert np.array_equal(first, uniform_draws(seed, 0, [200_000]).numpy())
    for other in (uniform_draws(tf.constant([42, 8]), 0, [200_000]), uniform_draws(seed, 1, [200_000]),
                  uniform_draws(tf.constant([43, 7]), 0, [200_000])):
        assert abs(np.corrcoef(first, other.numpy())[0, 1]) < 0.01


def test_distort_is_repeatable_keeps_ink_in_range_and_none_changes_nothing():
    images = tf.constant(digits().reshape(32, 784))
    distortions = Distortions(rotation=15, shift=3, scale=0.15, elastic_alpha=34, elastic_sigma=4, thickness=1)
    compiled = tf.function(lambda batch, seed: distort(batch, distortions, seed), jit_compile=True)
    once = compiled(images, tf.constant([1, 2])).numpy()
    assert once.shape == (32, 784) and once.min() >= 0 and once.max() <= 1.0 + 1e-6
    assert np.array_equal(once, compiled(images, tf.constant([1, 2])).numpy())
    assert np.abs(once - compiled(images, tf.constant([1, 3])).numpy()).max() > 0.5
    assert np.abs(once - images.numpy()).mean() > 0.01
    assert not Distortions().active and Distortions().describe() == "none"
    assert np.array_equal(distort(images, Distortions(), tf.constant([1, 2])).numpy(), images.numpy())
    # Outside XLA (eager, or a runner with jit_compile=False) the same distortions run, and draw the same.
    eager = distort(images, distortions, tf.constant([1, 2]), compiled=False).numpy()
    assert np.abs(eager - once).max() < 1e-5


def _data(count=600, seed=0):
    rng = np.random.default_rng(seed)
    images = digits(count, seed).reshape(count, 784)
    labels = (images.reshape(count, 28, 28).sum(axis=1).argmax(axis=1) // 3).astype(np.int32)  # where the ink stands
    return images, labels, rng


def test_mapped_inputs_train_as_the_same_network_on_the_mapped_features():
    """No distortion, a PCA-like map inside the loop: the same updates as training on the mapped features."""
    images, labels, rng = _data()
    components = np.linalg.qr(rng.standard_normal((784, 20)))[0].T.astype(np.float32)
    mean = images.mean(axis=0)
    matrix, offset = input_map(20, pca_components=components, pca_mean=mean)
    features = (images @ matrix + offset).astype(np.float32)
    weights = []
    for train, mapping in ((features, None), (images, (matrix, offset))):
        keras.utils.set_random_seed(5)
        model = build_model(20, 8, 10, "relu", "adam", 0.01)
        EpochRunner(model, input_map=mapping).fit(train, labels, (features[:100], labels[:100]), epochs=2, batch_size=32, seed=5,
                                                  verbose=False)
        weights.append(model.get_weights())
    for plain, mapped in zip(*weights):
        assert np.allclose(plain, mapped, atol=1e-5)


def test_augmented_training_is_repeatable_and_sees_other_digits_than_plain_training():
    images, labels, _ = _data()
    distortions = Distortions(rotation=20, shift=2, elastic_alpha=20, thickness=1)
    results = []
    for chosen in (distortions, distortions, None):
        keras.utils.set_random_seed(3)
        model = build_model(784, 8, 10, "relu", "adam", 0.01)
        history = EpochRunner(model, distortions=chosen).fit(images, labels, (images[:100], labels[:100]), epochs=2, batch_size=50,
                                                             seed=3, verbose=False)
        results.append((model.get_weights(), history.history["loss"]))
    (first, first_loss), (second, second_loss), (plain, plain_loss) = results
    assert all(np.array_equal(a, b) for a, b in zip(first, second)) and first_loss == second_loss
    assert not np.allclose(first[0], plain[0]) and first_loss[-1] > plain_loss[-1]  # distorted copies are harder to fit


def test_copies_send_each_digit_through_that_often_and_the_cosine_schedule_ends_at_zero():
    images, labels, _ = _data(300)
    batches = -(-300 * 3 // 64)
    keras.utils.set_random_seed(2)
    model = build_model(784, 8, 10, "relu", "adam", 0.01, schedule="cosine", decay_steps=batches * 2)
    EpochRunner(model, distortions=Distortions(rotation=10)).fit(images, labels, (images[:50], labels[:50]), epochs=2, batch_size=64,
                                                                 seed=2, verbose=False, copies=3)
    assert int(model.optimizer.iterations) == batches * 2
    assert float(model.optimizer.learning_rate) == pytest.approx(0.0, abs=1e-9)
    with pytest.raises(ValueError, match="a cosine schedule needs decay_steps"):
        build_model(784, 8, 10, "relu", "adam", 0.01, schedule="cosine")
