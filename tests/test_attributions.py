"""shap's attributions held to closed forms: a linear network's, DeepLIFT's rescale rule, and the sum that SHAP values keep."""

import numpy as np
import pytest

from hiddennodes.interpret.attributions import (
    background_digits, class_attributions, explain, pixel_layers, rescale_attributions, scores,
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


def test_activations_without_a_deep_rule_are_explained_by_expected_gradients():
    net = network(activation="gelu")
    images, background = digits(4, 6), digits(20, 7)
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
