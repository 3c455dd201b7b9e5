"""The network builder and the best-epoch rule, on real MNIST digits."""

import keras
import numpy as np
import pytest

from hiddennodes.data.datasets import DATASETS
from hiddennodes.data.checks import verify
from hiddennodes.network.trained import forward
from hiddennodes.network.keras_model import KeepBestWeights, build_model, hidden_layer_model, layer_parameters
from hiddennodes.config.sections import ACTIVATIONS




@pytest.fixture(scope="module")
def real_digits(mnist_t10k):
    mnist = DATASETS["mnist"]
    images = verify(mnist, "test_images", (mnist_t10k / "t10k-images-idx3-ubyte.gz").read_bytes())
    labels = verify(mnist, "test_labels", (mnist_t10k / "t10k-labels-idx1-ubyte.gz").read_bytes())
    return images.reshape(-1, 784).astype(np.float32) / 255.0, labels


def test_model_shape_and_parameter_count():
    model = build_model(num_inputs=70, hidden_units=5, num_classes=10, activation="sigmoid", optimizer="adam", learning_rate=0.01)
    assert model.count_params() == 70 * 5 + 5 + 5 * 10 + 10
    assert model.get_layer("hidden").activation.__name__ == "sigmoid"
    assert type(model.optimizer).__name__ == "Adam"
    assert float(model.optimizer.learning_rate.numpy()) == pytest.approx(0.01)
    hidden = hidden_layer_model(model).predict(np.zeros((3, 70), dtype=np.float32), verbose=0)
    assert hidden.shape == (3, 5)


def test_real_digits_reach_90_percent_and_best_epoch_is_kept(real_digits):
    """784->128->10 on the first 8,000 real test digits, judged on the last 2,000."""
    images, labels = real_digits
    keras.utils.set_random_seed(0)
    model = build_model(784, 128, 10, "relu", "rmsprop", 0.001)
    keep_best = KeepBestWeights()
    history = model.fit(
        images[:7000], labels[:7000], validation_data=(images[7000:8000], labels[7000:8000]),
        epochs=4, batch_size=32, callbacks=[keep_best], verbose=0,
    )
    val_losses = history.history["val_loss"]
    assert keep_best.best_epoch == int(np.argmin(val_losses)) + 1
    restored_loss, _ = model.evaluate(images[7000:8000], labels[7000:8000], verbose=0)
    assert restored_loss == pytest.approx(min(val_losses), rel=1e-4)
    _, held_out_accuracy = model.evaluate(images[8000:], labels[8000:], verbose=0)
    assert held_out_accuracy >= 0.90


def test_keep_best_weights_restores_an_earlier_epoch():
    rng = np.random.default_rng(0)
    inputs = rng.random((200, 8)).astype(np.float32)
    labels = rng.integers(0, 10, 200)
    keras.utils.set_random_seed(1)
    # Random labels and a large learning rate: validation loss rises after the first epochs.
    model = build_model(8, 64, 10, "relu", "adam", 0.05)
    keep_best = KeepBestWeights()
    history = model.fit(inputs[:150], labels[:150], validation_data=(inputs[150:], labels[150:]), epochs=8,
                        callbacks=[keep_best], verbose=0)
    val_losses = history.history["val_loss"]
    assert keep_best.best_epoch < 8, "the fixture should make a later epoch worse"
    final_loss, _ = model.evaluate(inputs[150:], labels[150:], verbose=0)
    assert final_loss == pytest.approx(min(val_losses), rel=1e-4)
    assert final_loss < val_losses[-1]


def test_steps_per_execution_keeps_the_same_updates():
    # Batches grouped into one TensorFlow call must train exactly like one call
    # per batch: same shuffling, same order of updates, same weights.
    rng = np.random.default_rng(3)
    inputs = rng.random((1000, 40)).astype(np.float32)  # 32 batches of 32 with a remainder of 8
    labels = rng.integers(0, 10, 1000)
    weights = []
    for steps in (1, 64, 5):
        keras.utils.set_random_seed(11)
        model = build_model(40, 16, 10, "relu", "rmsprop", 0.001, steps_per_execution=steps)
        model.fit(inputs, labels, validation_data=(inputs[:100], labels[:100]), epochs=2, batch_size=32, shuffle=True, verbose=0)
        weights.append(model.get_weights())
    for other in weights[1:]:
        for expected, actual in zip(weights[0], other):
            np.testing.assert_allclose(actual, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_numpy_forward_pass_gives_what_keras_predicts(activation):
    rng = np.random.default_rng(4)
    keras.utils.set_random_seed(4)
    model = build_model(30, 7, 10, activation, "adam", 0.01)
    images = rng.random((2500, 30)).astype(np.float32) * 2 - 0.5
    model.fit(images, rng.integers(0, 10, 2500), epochs=1, verbose=0)  # weights away from their initial values
    hidden, probabilities = forward(layer_parameters(model), images, chunk_rows=1000)
    np.testing.assert_allclose(hidden, hidden_layer_model(model).predict(images, verbose=0), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(probabilities, model.predict(images, verbose=0), rtol=1e-4, atol=1e-6)
    assert hidden.dtype == probabilities.dtype == np.float32
