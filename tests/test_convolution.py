"""The convolutional network: Keras builds and trains it, NumPy runs it and differentiates it, its file holds it whole."""

import json

import keras
import numpy as np
import pytest
import tensorflow as tf

from hiddennodes.config.distortions import Distortions
from hiddennodes.files import SetupError, load_npz
from hiddennodes.interpret.filters import filter_arrays
from hiddennodes.interpret.preferred import conv_preferred_inputs, conv_sensitivity
from hiddennodes.network.convolution import Filters, convolve, max_pool
from hiddennodes.network.keras_model import build_model, layer_parameters
from hiddennodes.network.trained import Network, load_network, save_network
from hiddennodes.network.training import EpochRunner


def conv_model(activation="relu", filters=(4, 6), kernel=5, pool=2, hidden=12, seed=0):
    keras.utils.set_random_seed(seed)
    return build_model(784, hidden, 10, activation, "adam", 0.003, filters=filters, kernel_size=kernel, pool=pool)


def network_of(model) -> Network:
    return Network(layers=layer_parameters(model), input_kind="pixels", input_arrays={}, class_names=tuple("0123456789"))


def images(count, seed=1):
    return np.random.default_rng(seed).random((count, 784)).astype(np.float32)


def test_the_model_puts_named_convolutions_before_the_dense_hidden_layer():
    model = conv_model(filters=(4, 6), kernel=5, pool=2, hidden=12)
    names = [layer.name for layer in model.layers]
    assert names == ["image", "conv1", "pool1", "conv2", "pool2", "flatten", "hidden", "output"]
    # 28 -> 24 -> 12 -> 8 -> 4: 4 x 4 x 6 values into the hidden layer.
    assert model.count_params() == (25 * 4 + 4) + (25 * 4 * 6 + 6) + (96 * 12 + 12) + (12 * 10 + 10)
    with pytest.raises(ValueError, match="square image"):
        build_model(70, 5, 10, "relu", "adam", 0.01, filters=(4,))


@pytest.mark.parametrize("activation, filters, kernel, pool", [
    ("relu", (4, 6), 5, 2), ("tanh", (3,), 3, 3), ("elu", (2, 3, 4), 3, 2), ("relu", (5,), 4, 1)])
def test_numpy_runs_the_network_as_keras_predicts_it(activation, filters, kernel, pool):
    model = conv_model(activation, filters, kernel, pool)
    digits = images(40)
    hidden, probabilities = network_of(model).run(digits)
    expected_hidden = keras.Model(model.inputs, model.get_layer("hidden").output).predict(digits, verbose=0)
    np.testing.assert_allclose(hidden, expected_hidden, atol=1e-5)
    np.testing.assert_allclose(probabilities, model.predict(digits, verbose=0), atol=1e-5)


def test_convolution_and_pooling_against_a_loop_by_hand():
    rng = np.random.default_rng(3)
    maps, kernel, bias = rng.random((2, 7, 6, 3)), rng.normal(size=(3, 3, 3, 4)), rng.normal(size=4)
    out = convolve(maps, kernel, bias)
    assert out.shape == (2, 5, 4, 4)
    for n, row, column, filter_ in [(0, 0, 0, 0), (1, 4, 3, 3), (1, 2, 1, 2)]:
        window = maps[n, row : row + 3, column : column + 3]
        assert out[n, row, column, filter_] == pytest.approx(float((window * kernel[..., filter_]).sum() + bias[filter_]))
    pooled = max_pool(out, 2)  # 5 x 4 -> 2 x 2: the last row is dropped, as Keras does
    assert pooled.shape == (2, 2, 2, 4)
    assert pooled[1, 1, 0, 2] == out[1, 2:4, 0:2, 2].max()


@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_the_gradient_to_the_pixels_is_tensorflows(activation):
    model = conv_model(activation)
    network = network_of(model)
    digits = images(6)
    weights = np.random.default_rng(2).normal(size=(6, network.filters.flat_size)).astype(np.float32)
    flat = keras.Model(model.inputs, model.get_layer("flatten").output)
    pixels = tf.constant(digits)
    with tf.GradientTape() as tape:
        tape.watch(pixels)
        value = tf.reduce_sum(flat(pixels) * weights)
    np.testing.assert_allclose(network.filters.gradient(digits, weights), tape.gradient(value, pixels).numpy(), atol=1e-5)


def test_the_network_file_describes_the_convolutional_network_whole_and_loads_without_pickle(tmp_path):
    network = network_of(conv_model())
    save_network(tmp_path / "network.npz", network)
    arrays = load_npz(tmp_path / "network.npz")  # allow_pickle=False
    assert {"conv1_kernel", "conv1_bias", "conv2_kernel", "conv2_bias", "conv_activation", "conv_pool"} <= set(arrays)
    again = load_network(tmp_path / "network.npz")
    assert again.convolutional and again.num_inputs == 784 and again.hidden_units == 12
    digits = images(5)
    np.testing.assert_array_equal(again.probabilities(digits), network.probabilities(digits))
    # A kernel that does not chain is refused in words, naming the file.
    arrays["conv2_kernel"] = arrays["conv2_kernel"][:, :, :3]
    np.savez(tmp_path / "broken.npz", **arrays)
    with pytest.raises(SetupError, match=r"broken.npz is not a network file.*conv2_kernel has shape \(5, 5, 3, 6\)"):
        load_network(tmp_path / "broken.npz")


def test_the_epoch_loop_trains_a_convolutional_network_on_distorted_copies_the_same_way_twice(tmp_path):
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 2, 256)
    digits = np.zeros((256, 28, 28), np.float32)
    digits[labels == 0, 6:22, 12:16] = 1.0  # vertical bars
    digits[labels == 1, 12:16, 6:22] = 1.0  # horizontal bars
    digits = digits.reshape(256, 784)

    def train():
        model = conv_model(hidden=8)
        runner = EpochRunner(model, jit_compile=False, distortions=Distortions(rotation=10, shift=2))
        runner.fit(digits, labels, (digits[:64], labels[:64]), epochs=3, batch_size=32, seed=4, verbose=False)
        return model, runner

    model, runner = train()
    assert runner.evaluate(digits, labels)["accuracy"] > 0.9
    again, _ = train()
    for first, second in zip(model.get_weights(), again.get_weights()):
        np.testing.assert_array_equal(first, second)


def test_preferred_inputs_through_the_convolutions_raise_what_they_are_for():
    model = conv_model(hidden=6)
    network = network_of(model)
    layers = network.layers
    start = np.full(784, 0.1)
    class_images, class_probabilities, node_images = conv_preferred_inputs(
        network.filters, layers["hidden_kernel"], layers["hidden_bias"], "relu", layers["output_weights"], layers["output_bias"],
        start, steps=60, node_steps=60, ink_cost=0.0, smoothness=0.0)  # an untrained network's gradients are smaller than the ink cost
    assert class_images.shape == (10, 784) and node_images.shape == (6, 784)
    assert 0 <= class_images.min() and class_images.max() <= 1
    scores = np.log(network.probabilities(class_images))
    blank = np.log(network.probabilities(np.tile(start, (10, 1)).astype(np.float32)))
    # Each class's ascent raised that class's score against the others' above what the blank page had.
    assert (np.diag(scores) - scores.mean(axis=1) > np.diag(blank) - blank.mean(axis=1)).all()
    np.testing.assert_allclose(class_probabilities, network.probabilities(class_images), atol=1e-5)
    pre = network.filters.flat(node_images) @ layers["hidden_kernel"]
    assert (np.diag(pre) > (network.filters.flat(np.tile(start, (6, 1))) @ layers["hidden_kernel"]).diagonal()).all()


def test_a_nodes_sensitivity_is_its_mean_gradient_over_its_images():
    network = network_of(conv_model(hidden=3))
    digits = images(6, seed=5).reshape(3, 2, 784)
    sensitivity = conv_sensitivity(network.filters, network.layers["hidden_kernel"], digits)
    kernel = network.layers["hidden_kernel"]
    for node in range(3):
        by_hand = np.mean([network.filters.gradient(digits[node, [index]], kernel[:, node][None]) for index in range(2)], axis=0)[0]
        np.testing.assert_allclose(sensitivity[node], by_hand, atol=1e-6)
    # Away from the max-pooling's ties (random images have none), a small step along it raises the node by about as much.
    step = 1e-3 * sensitivity[0] / np.abs(sensitivity[0]).max()
    before = network.filters.flat(digits[0]) @ kernel[:, 0]
    after = network.filters.flat((digits[0] + step).astype(np.float32)) @ kernel[:, 0]
    assert after.mean() > before.mean()


def test_the_filters_arrays_say_what_each_filter_responds_to_per_class():
    kernel = np.zeros((3, 3, 1, 2), np.float32)
    kernel[:, 1, 0, 0] = 1.0  # a vertical stroke
    kernel[1, :, 0, 1] = 1.0  # a horizontal stroke
    filters = Filters(kernels=(kernel,), biases=(np.full(2, -2.5, np.float32),), activation="relu", pool=2)
    digits = np.zeros((20, 28, 28), np.float32)
    labels = np.repeat([0, 1], 10)
    digits[:10, 4:24, 13:15] = 1.0
    digits[10:, 13:15, 4:24] = 1.0
    arrays = filter_arrays(filters, digits.reshape(20, 784), labels, 2)
    assert arrays["filter_kernels"].shape == (2, 3, 3)
    assert arrays["filter_tuning_1"].shape == (2, 2)
    assert arrays["filter_tuning_1"][0].argmax() == 0 and arrays["filter_tuning_1"][1].argmax() == 1
    assert (labels[arrays["filter_lit_index"][0]] == 0).all() and (labels[arrays["filter_lit_index"][1]] == 1).all()
    assert arrays["filter_lit"].dtype == np.uint8 and arrays["filter_lit"].shape == (2, 6, 784)
    assert json.dumps(arrays["filter_selectivity"].round(3).tolist())
