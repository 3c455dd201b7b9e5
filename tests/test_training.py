"""The compiled epoch loop against Keras's own fit and train_on_batch."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from hiddennodes.data.datasets import DATASETS
from hiddennodes.data.checks import verify
from hiddennodes.network.keras_model import KeepBestWeights, build_model
from hiddennodes.network.training import EpochRunner, epoch_order


def random_problem(seed, examples=1000, inputs=40):
    rng = np.random.default_rng(seed)
    return rng.random((examples, inputs)).astype(np.float32), rng.integers(0, 10, examples).astype(np.uint8)


class RecordLogs(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.calls = []

    def on_train_begin(self, logs=None):
        self.calls.append(("train_begin", None))

    def on_epoch_end(self, epoch, logs=None):
        self.calls.append((epoch, dict(logs)))

    def on_train_end(self, logs=None):
        self.calls.append(("train_end", None))


def test_epoch_order_covers_every_example_once_and_pads_the_last_batch():
    batches, weights = epoch_order(1000, 32, np.random.default_rng(0))
    assert batches.shape == weights.shape == (32, 32)
    assert batches.dtype == np.int32
    real = batches[weights == 1]
    assert sorted(real.tolist()) == list(range(1000))
    assert weights[:31].all() and weights[31].sum() == 8  # 31 batches of 32 and one of 8
    assert (weights[31, :8] == 1).all()
    again, _ = epoch_order(1000, 32, np.random.default_rng(0))
    np.testing.assert_array_equal(again, batches)
    other, _ = epoch_order(1000, 32, np.random.default_rng(1))
    assert not np.array_equal(other, batches)
    batches, weights = epoch_order(64, 32, np.random.default_rng(0))
    assert batches.shape == (2, 32) and weights.all()


@pytest.mark.parametrize(("jit_compile", "l2"), [(True, 0.0), (False, 0.0), (True, 0.01)])
@pytest.mark.parametrize("optimizer", ["rmsprop", "adam", "sgd"])
def test_an_epoch_makes_the_same_updates_as_train_on_batch(jit_compile, optimizer, l2):
    """The same batches in the same order: Keras's train_on_batch, one call per
    batch, and the compiled epoch must end with the same weights and report
    the mean of the batch losses Keras reports, weighted by batch size."""
    images, labels = random_problem(3)
    order, weights = epoch_order(len(labels), 32, np.random.default_rng(5))
    batches = [rows[mask == 1] for rows, mask in zip(order, weights)]
    assert len(batches[-1]) == 8

    keras.utils.set_random_seed(11)
    reference = build_model(40, 16, 10, "relu", optimizer, 0.01, l2=l2)
    losses, correct = [], 0
    for batch in batches:
        predicted = reference.predict_on_batch(images[batch]).argmax(axis=1)
        correct += int((predicted == labels[batch]).sum())
        reference.reset_metrics()
        losses.append(reference.train_on_batch(images[batch], labels[batch], return_dict=True)["loss"] * len(batch))

    keras.utils.set_random_seed(11)
    model = build_model(40, 16, 10, "relu", optimizer, 0.01, l2=l2)
    runner = EpochRunner(model, jit_compile=jit_compile)
    logs = runner.train_epoch(tf.constant(images), tf.constant(labels.astype(np.int32)), order, weights)

    assert int(model.optimizer.iterations) == len(batches) == 32
    for expected, actual in zip(reference.get_weights(), model.get_weights()):
        np.testing.assert_allclose(actual, expected, rtol=1e-4, atol=1e-5)
    assert logs["loss"] == pytest.approx(sum(losses) / len(labels), rel=1e-4)
    assert logs["accuracy"] == pytest.approx(correct / len(labels), abs=2 / len(labels))


def test_evaluate_matches_keras_evaluate():
    images, labels = random_problem(4, examples=300)
    keras.utils.set_random_seed(2)
    model = build_model(40, 8, 10, "tanh", "adam", 0.01)
    model.fit(images, labels, epochs=2, verbose=0)
    expected_loss, expected_accuracy = model.evaluate(images, labels, verbose=0)
    scores = EpochRunner(model).evaluate(images, labels, batch_size=128)  # 128 + 128 + 44
    assert scores["loss"] == pytest.approx(expected_loss, rel=1e-5)
    assert scores["accuracy"] == pytest.approx(expected_accuracy)


def test_fit_calls_the_callbacks_as_keras_fit_does_and_keeps_the_best_epoch():
    images, labels = random_problem(6, examples=200, inputs=8)
    keras.utils.set_random_seed(1)
    # Random labels and a large learning rate: validation loss rises after the first epochs.
    model = build_model(8, 64, 10, "relu", "adam", 0.05)
    keep_best, record = KeepBestWeights(), RecordLogs()
    history = EpochRunner(model).fit(
        images[:150], labels[:150], validation_data=(images[150:], labels[150:]), epochs=8, batch_size=32, seed=0,
        callbacks=[keep_best, record], verbose=False,
    )
    assert [call for call, _ in record.calls] == ["train_begin", *range(8), "train_end"]
    epoch_logs = [logs for _, logs in record.calls[1:-1]]
    assert all(set(logs) == {"loss", "accuracy", "val_loss", "val_accuracy"} for logs in epoch_logs)
    assert history.history["val_loss"] == [logs["val_loss"] for logs in epoch_logs]
    assert int(model.optimizer.iterations) == 8 * 5  # 150 examples: 4 batches of 32 and one of 22
    val_losses = history.history["val_loss"]
    assert keep_best.best_epoch == int(np.argmin(val_losses)) + 1 < 8, "the fixture should make a later epoch worse"
    final_loss, _ = model.evaluate(images[150:], labels[150:], verbose=0)
    assert final_loss == pytest.approx(min(val_losses), rel=1e-4)


def test_same_seed_same_weights_other_seed_other_weights():
    images, labels = random_problem(7, examples=500)
    weights = []
    for order_seed in (0, 0, 1):
        keras.utils.set_random_seed(3)
        model = build_model(40, 12, 10, "relu", "rmsprop", 0.001)
        EpochRunner(model).fit(images, labels, (images[:50], labels[:50]), epochs=2, batch_size=32, seed=order_seed,
                               verbose=False)
        weights.append(model.get_weights())
    for first, second in zip(weights[0], weights[1]):
        np.testing.assert_array_equal(first, second)
    assert not np.allclose(weights[0][0], weights[2][0])


def test_dropout_trains_repeatably_and_is_off_outside_training():
    from hiddennodes.network.trained import forward
    from hiddennodes.network.keras_model import layer_parameters

    images, labels = random_problem(8, examples=400)
    runs = []
    for _ in range(2):
        keras.utils.set_random_seed(5)
        model = build_model(40, 32, 10, "relu", "adam", 0.01, dropout=0.5)
        EpochRunner(model).fit(images, labels, (images[:50], labels[:50]), epochs=2, batch_size=32, seed=0, verbose=False)
        runs.append(model)
    assert [layer.name for layer in runs[0].layers] == ["hidden", "dropout", "output"]
    for first, second in zip(runs[0].get_weights(), runs[1].get_weights()):
        np.testing.assert_array_equal(first, second)
    model = runs[0]
    training = [model(images[:20], training=True).numpy() for _ in range(2)]
    assert not np.allclose(training[0], training[1])  # units dropped at random while training
    np.testing.assert_allclose(forward(layer_parameters(model), images[:20])[1], model.predict(images[:20], verbose=0), atol=1e-5)


def test_early_stopping_ends_training_and_the_best_epoch_is_kept():
    images, labels = random_problem(6, examples=200, inputs=8)
    keras.utils.set_random_seed(1)
    model = build_model(8, 64, 10, "relu", "adam", 0.05)  # random labels: validation loss soon rises
    keep_best = KeepBestWeights()
    stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=2)
    history = EpochRunner(model).fit(images[:150], labels[:150], validation_data=(images[150:], labels[150:]), epochs=30,
                                     batch_size=32, seed=0, callbacks=[keep_best, stop], verbose=False)
    epochs_run = len(history.history["val_loss"])
    assert epochs_run == keep_best.best_epoch + 2 < 30
    assert int(model.optimizer.iterations) == epochs_run * 5


def test_rejects_a_model_with_another_loss():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ValueError, match="sparse categorical cross-entropy"):
        EpochRunner(model)


def test_real_digits_train_as_well_as_with_keras_fit(mnist_t10k):
    """784->128->10 on 7,000 real test digits for 4 epochs, both ways, judged on
    the last 2,000: the compiled loop must learn as Keras's fit does."""
    mnist = DATASETS["mnist"]
    images = verify(mnist, "test_images", (mnist_t10k / "t10k-images-idx3-ubyte.gz").read_bytes())
    labels = verify(mnist, "test_labels", (mnist_t10k / "t10k-labels-idx1-ubyte.gz").read_bytes())
    images = images.reshape(-1, 784).astype(np.float32) / 255.0
    train, val, held_out = slice(0, 7000), slice(7000, 8000), slice(8000, None)
    accuracies = {}
    for path in ("keras", "compiled"):
        keras.utils.set_random_seed(0)
        model = build_model(784, 128, 10, "relu", "rmsprop", 0.001)
        if path == "keras":
            model.fit(images[train], labels[train], validation_data=(images[val], labels[val]), epochs=4, batch_size=32,
                      verbose=0)
        else:
            EpochRunner(model).fit(images[train], labels[train], (images[val], labels[val]), epochs=4, batch_size=32,
                                   seed=0, verbose=False)
        accuracies[path] = model.evaluate(images[held_out], labels[held_out], verbose=0)[1]
    assert accuracies["compiled"] >= 0.90
    assert abs(accuracies["compiled"] - accuracies["keras"]) < 0.015, accuracies
