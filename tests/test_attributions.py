"""shap's attributions held to closed forms: a linear network's, DeepLIFT's rescale rule, and the sum that SHAP values keep;
a convolutional network's held to Keras's forward pass, to NumPy's gradient where it is linear, and to the sum."""

import numpy as np
import pytest

from hiddennodes.interpret.attributions import (
    attribute, background_digits, class_attributions, explain, pixel_layers, rescale_attributions, score_model, scores,
)
from hiddennodes.network.trained import Network, softmax


def network(activation="relu", kind="pixels", hidden=12, classes=4, seed=0):
    rng = np.random.default_rng(seed)
    inputs = {"pixels": 784, "pca": 15, "top_pixels": 30}[kind]
    layers = {"hidden_kernel": (rng.standard_normal((inputs, hidden)) * 0.08).astype(np.float32),
              "hidden_bias": (rng.standard_normal(hidden) * 0.2).astype(np.float32),
              "hidden_activation": np.array(activation),
              "output_weights": rng.standard_normal((hidden, classes)).astype(np.float32),
              "output_bias": rng.standard_normal(classes).astype(np.float32)}
    arrays = {}
    if kind == "pca":
        arrays = {"pca_components": np.linalg.qr(rng.standard_normal((784, inputs)))[0].T.astype(np.float32),
                  "pca_mean": rng.uniform(0, 0.3, 784).astype(np.float32)}
    elif kind == "top_pixels":
        arrays = {"pixel_indices": np.sort(rng.choice(784, inputs, replace=False)).astype(np.int64)}
    return Network(layers=layers, input_kind=kind, input_arrays=arrays, class_names=tuple("abcd"[:classes]))


def conv_network(activation="relu", pool=2, filters=(3, 5), kernel=5, hidden=12, classes=4, seed=0):
    """A convolutional network as a network file holds it: (k, k, in, out) kernels, then the dense layers on their maps."""
    rng = np.random.default_rng(seed)
    layers, channels, size = {}, 1, 28
    for index, count in enumerate(filters, start=1):
        scale = 1 / kernel / channels**0.5  # each map's values of order one
        layers[f"conv{index}_kernel"] = (rng.standard_normal((kernel, kernel, channels, count)) * scale).astype(np.float32)
        layers[f"conv{index}_bias"] = (rng.standard_normal(count) * 0.1).astype(np.float32)
        channels, size = count, (size - kernel + 1) // pool
    flat = size * size * channels
    layers |= {"conv_activation": np.array(activation), "conv_pool": np.array(pool),
               "hidden_kernel": (rng.standard_normal((flat, hidden)) / flat**0.5).astype(np.float32),
               "hidden_bias": (rng.standard_normal(hidden) * 0.2).astype(np.float32),
               "hidden_activation": np.array(activation),
               "output_weights": rng.standard_normal((hidden, classes)).astype(np.float32),
               "output_bias": rng.standard_normal(classes).astype(np.float32)}
    return Network(layers=layers, input_kind="pixels", input_arrays={}, class_names=tuple("abcd"[:classes]))


def digits(count, seed):
    return np.random.default_rng(seed).uniform(0, 1, (count, 784)).astype(np.float32) ** 3


@pytest.mark.parametrize("kind", ["pixels", "pca", "top_pixels"])
def test_the_pixel_space_network_is_the_network(kind):
    net = network(kind=kind)
    images = digits(20, 1)
    assert np.allclose(softmax(scores(net, images)), net.probabilities(images), atol=1e-5)
    if kind == "top_pixels":  # pixels it never reads have no weight
        unread = np.setdiff1d(np.arange(784), net.input_arrays["pixel_indices"])
        assert not pixel_layers(net)["hidden_kernel"][unread].any()


def test_a_linear_network_gets_the_linear_models_closed_form():
    """Linear hidden layer: the whole network is linear, and its SHAP values are w_ic (x_i - E[b_i]) exactly."""
    net = network(activation="linear", kind="pca")
    layers = pixel_layers(net)
    weights = layers["hidden_kernel"].astype(np.float64) @ layers["output_weights"]  # (784, classes)
    images, background = digits(6, 2), digits(30, 3)
    expected = (images - background.mean(axis=0))[:, :, None] * weights[None]
    values, method = explain(net, images, background)
    assert method == "deep" and values.shape == (6, 784, 4)
    assert np.abs(values - expected).max() < 1e-5 * np.abs(expected).max()
    assert np.abs(rescale_attributions(net, images, background) - expected).max() < 1e-5 * np.abs(expected).max()


@pytest.mark.parametrize(("activation", "kind"), [("relu", "pixels"), ("relu", "top_pixels"), ("tanh", "pca"), ("sigmoid", "pixels")])
def test_shap_sums_to_the_score_minus_the_backgrounds_and_is_deeplifts_rescale_rule(activation, kind):
    net = network(activation=activation, kind=kind)
    images, background = digits(8, 4), digits(25, 5)
    values, method = explain(net, images, background)
    assert method == "deep"
    gap = values.sum(axis=1) - (scores(net, images) - scores(net, background).mean(axis=0))
    assert np.abs(gap).max() < 1e-4
    reference = rescale_attributions(net, images, background)
    assert np.abs(values - reference).max() < 1e-4 * max(1.0, np.abs(reference).max())


@pytest.mark.parametrize("build, seeds", [("dense", (6, 7)), ("convolutional", (17, 18))])
def test_activations_without_a_deep_rule_are_explained_by_expected_gradients(build, seeds):
    net = network(activation="gelu") if build == "dense" else conv_network(activation="gelu")
    images, background = digits(4, seeds[0]), digits(20, seeds[1])
    values, method = explain(net, images, background)
    assert method == "gradient" and values.shape == (4, 784, 4)
    # Expected gradients keep the sum on average over its samples: loosely per picture.
    gap = values.sum(axis=1) - (scores(net, images) - scores(net, background).mean(axis=0))
    assert np.abs(gap).mean() < 0.25 * np.abs(scores(net, images)).mean()


def test_the_background_takes_each_class_alike_and_is_repeatable():
    labels = np.repeat(np.arange(10), 30)
    images = np.arange(300 * 784, dtype=np.float32).reshape(300, 784)
    chosen = background_digits(images, labels, 50, seed=1)
    assert chosen.shape == (50, 784)
    assert np.bincount(labels[(chosen[:, 0] // 784).astype(int)], minlength=10).tolist() == [5] * 10
    assert np.array_equal(chosen, background_digits(images, labels, 50, seed=1))
    assert not np.array_equal(chosen, background_digits(images, labels, 50, seed=2))


def test_class_attributions_average_each_class_and_pick_the_most_confident_mistakes():
    net = network()
    images = digits(200, 8)
    predicted = scores(net, images).argmax(axis=1)
    labels = predicted.copy()
    labels[:15] = (predicted[:15] + 1) % 4  # 15 mistakes
    found = class_attributions(net, images, labels, digits(20, 9), per_class=5, mistakes=4)
    confidence = softmax(scores(net, images)).max(axis=1)
    assert found["mistake_index"].tolist() == sorted(range(15), key=lambda index: -confidence[index])[:4]
    assert np.array_equal(found["mistake_predicted"], predicted[found["mistake_index"]])
    assert found["additivity_error"] < 1e-4
    assert found["explained"] == sum(min(5, int((labels == label).sum())) for label in range(4)) + 4
    first = [np.flatnonzero(labels == label)[:5] for label in range(4)]
    reference = rescale_attributions(net, images, digits(20, 9))
    for label in range(4):
        if not len(first[label]):
            assert not found["class_mean"][label].any()
            continue
        assert np.allclose(found["class_mean"][label], reference[first[label], :, label].mean(axis=0), atol=1e-4)
    rows = np.arange(4)
    assert np.allclose(found["toward_true"], reference[found["mistake_index"], :, found["mistake_true"]], atol=1e-4)
    assert np.allclose(found["toward_predicted"], reference[found["mistake_index"], :, found["mistake_predicted"]][rows], atol=1e-4)


def test_one_class_per_digit_is_that_column_of_every_class():
    net = network(activation="tanh", kind="pca")
    images, background = digits(9, 10), digits(15, 11)
    classes = np.array([0, 3, 3, 1, 0, 2, 2, 2, 1])
    every, _ = explain(net, images, background)
    chosen, method = explain(net, images, background, classes=classes)
    assert method == "deep" and chosen.shape == (9, 784)
    assert np.allclose(chosen, every[np.arange(9), :, classes], atol=1e-6)


def keras_logits(net, images):
    """The scores of the Keras model the network was trained as (build_model, its weights set from the file's arrays)."""
    import keras

    from hiddennodes.network.keras_model import build_model

    layers = net.layers
    filters = tuple(layers[f"conv{index}_kernel"].shape[3] for index in range(1, len(net.filters.kernels) + 1))
    model = build_model(784, net.hidden_units, layers["output_weights"].shape[1], str(layers["hidden_activation"]), "adam",
                        0.001, filters=filters, kernel_size=layers["conv1_kernel"].shape[0], pool=int(layers["conv_pool"]))
    for index in range(1, len(filters) + 1):
        model.get_layer(f"conv{index}").set_weights([layers[f"conv{index}_kernel"], layers[f"conv{index}_bias"]])
    model.get_layer("hidden").set_weights([layers["hidden_kernel"], layers["hidden_bias"]])
    hidden = keras.Model(model.inputs, model.get_layer("hidden").output).predict(images, verbose=0)
    return hidden.astype(np.float64) @ layers["output_weights"] + layers["output_bias"]


@pytest.mark.parametrize(("activation", "pool"), [("relu", 2), ("tanh", 3)])
def test_a_convolutional_networks_scores_are_its_keras_models(activation, pool):
    net = conv_network(activation=activation, pool=pool, filters=(3, 5) if pool == 2 else (4,))
    images = digits(20, 12)
    logits = scores(net, images)
    assert np.abs(logits - keras_logits(net, images)).max() < 1e-5
    # The network's own forward pass: the same probabilities, so the same logits up to each row's constant.
    logs = np.log(net.probabilities(images).astype(np.float64))
    centred = logits - logits.mean(axis=1, keepdims=True)
    assert np.abs(centred - (logs - logs.mean(axis=1, keepdims=True))).max() < 1e-5
    # What shap explains is that function too.
    assert np.abs(score_model(net).predict(images, verbose=0) - logits).max() < 1e-5


def test_a_linear_convolutional_networks_attributions_are_its_gradient_times_the_change():
    """Linear activations and no pooling: the whole network is linear, its SHAP values w_ic (x_i - E[b_i]) exactly, with
    w_ic the score's gradient, carried back through the convolutions by NumPy (Filters.gradient), not by TensorFlow."""
    net = conv_network(activation="linear", pool=1)
    layers = net.layers
    through = layers["hidden_kernel"].astype(np.float64) @ layers["output_weights"]  # (flat, classes)
    weights = np.stack([net.filters.gradient(np.zeros((1, 784)), through[:, c][None])[0] for c in range(4)], axis=1)
    images, background = digits(5, 13), digits(20, 14)
    expected = (images - background.mean(axis=0))[:, :, None] * weights[None]
    values, method = explain(net, images, background)
    assert method == "deep" and values.shape == (5, 784, 4)
    assert np.abs(values - expected).max() < 1e-4 * np.abs(expected).max()


@pytest.mark.parametrize(("activation", "pool"), [("relu", 2), ("tanh", 2), ("sigmoid", 3)])
def test_a_convolutional_networks_shap_values_sum_to_the_score_minus_the_backgrounds(activation, pool):
    """DeepExplainer through the convolutions and max pooling keeps SHAP's sum per digit and class. The 1e-4 is float32's:
    each score is a sum of about 10^4 float32 products of size up to 1 (rounding near 1e-7 each), and the attributions
    are 784 float32 numbers summed; shap's max-pooling rule drops a pool's share only where a value moves by under 1e-7."""
    net = conv_network(activation=activation, pool=pool, filters=(3, 5) if pool == 2 else (4,))
    images, background = digits(6, 15), digits(20, 16)
    values, method = explain(net, images, background)
    assert method == "deep" and values.shape == (6, 784, 4)
    change = scores(net, images) - scores(net, background).mean(axis=0)
    assert np.abs(values.sum(axis=1) - change).max() < 1e-4
    assert np.abs(change).max() > 0.05  # a sum that could fail: the scores do move
    # One class per digit is that column of every class's (what the stage asks for).
    classes = np.array([0, 3, 3, 1, 2, 0])
    chosen, _ = explain(net, images, background, classes=classes)
    assert np.allclose(chosen, values[np.arange(6), :, classes], atol=1e-6)


def test_a_convolutional_network_has_no_closed_form_and_is_attributed_by_shap():
    import dataclasses

    net = dataclasses.replace(conv_network(), background=digits(10, 19))
    with pytest.raises(ValueError, match="convolutions"):
        rescale_attributions(net, digits(2, 20), net.background)
    images, classes = digits(3, 21), np.array([2, 0, 2])
    toward = attribute(net, images, classes)
    assert np.allclose(toward, explain(net, images, net.background)[0][np.arange(3), :, classes], atol=1e-6)
    expected = scores(net, images)[np.arange(3), classes] - scores(net, net.background).mean(axis=0)[classes]
    assert np.abs(toward.sum(axis=1) - expected).max() < 1e-4


def test_the_stage_explains_a_convolutional_network_file(tmp_path):
    """stages/attributions.py's one experiment on a convolutional network file: its arrays, figures and summary."""
    import dataclasses

    from attributions import explain_experiment

    from hiddennodes.config.sections import AttributionsParams
    from hiddennodes.network.trained import save_network

    net = dataclasses.replace(conv_network(), background=digits(20, 22))
    save_network(tmp_path / "network.npz", net)
    images = digits(60, 23)
    labels = np.random.default_rng(24).integers(0, 4, 60)
    mean_digits = np.stack([images[labels == label].mean(axis=0) for label in range(4)])
    (tmp_path / "plots" / "cnn").mkdir(parents=True)
    (tmp_path / "arrays").mkdir()
    summary = explain_experiment("cnn", tmp_path / "network.npz", {"features": images, "labels": labels}, mean_digits,
                                 AttributionsParams(per_class=3, mistakes=2), tmp_path / "arrays", tmp_path / "plots")
    assert summary["method"] == "deep" and summary["explained"] == 3 * 4 + 2 and summary["background"] == 20
    assert summary["additivity_error"] < 1e-4
    assert sorted(path.name for path in (tmp_path / "plots" / "cnn").iterdir()) == ["classes.png", "mistakes.png"]
    with np.load(tmp_path / "arrays" / "cnn.npz") as arrays:
        assert arrays["class_mean"].shape == (4, 784) and arrays["toward_true"].shape == (2, 784)
        first = [np.flatnonzero(labels == label)[:3] for label in range(4)]
        own = explain(net, images, net.background)[0]
        for label in range(4):
            assert np.allclose(arrays["class_mean"][label], own[first[label], :, label].mean(axis=0), atol=1e-5)
