import numpy as np
import pytest
from sklearn.decomposition import PCA

from hiddennodes.interpret import (
    decision_regions,
    interval_overlap,
    ablation_importance,
    extreme_items,
    class_tuning,
    dead_nodes,
    describe_node,
    preferred_input_in_box,
    preferred_input_on_sphere,
    selectivity_index,
    weights_in_pixel_space,
)


def test_pca_weights_back_project_like_inverse_transform():
    rng = np.random.default_rng(0)
    images = rng.random((300, 784))
    pca = PCA(n_components=20, svd_solver="full").fit(images)
    kernel = rng.normal(size=(20, 5))  # (inputs, nodes) as Keras stores it
    pixel_weights = weights_in_pixel_space(kernel, pca_components=pca.components_)
    np.testing.assert_allclose(pixel_weights, pca.inverse_transform(kernel.T) - pca.mean_, atol=1e-10)
    # The node computes the same pre-activation from pixels as from components.
    from_components = pca.transform(images) @ kernel
    from_pixels = (images - pca.mean_) @ pixel_weights.T
    np.testing.assert_allclose(from_pixels, from_components, atol=1e-9)


def test_selected_pixel_weights_land_on_their_pixels():
    kernel = np.array([[1.0, -2.0], [3.0, 4.0]])  # inputs: pixels 10 and 700
    placed = weights_in_pixel_space(kernel, pixel_indices=np.array([10, 700]))
    assert placed.shape == (2, 784)
    assert placed[0, 10] == 1.0 and placed[0, 700] == 3.0 and placed[1, 10] == -2.0 and placed[1, 700] == 4.0
    assert np.count_nonzero(placed) == 4


def test_raw_pixel_weights_need_784_inputs():
    with pytest.raises(ValueError, match="PCA components or pixel indices"):
        weights_in_pixel_space(np.ones((70, 3)))


def test_box_preferred_input_beats_random_images():
    rng = np.random.default_rng(1)
    weights = rng.normal(size=(3, 784))
    best = preferred_input_in_box(weights)
    assert set(np.unique(best)) <= {0.0, 1.0}
    best_scores = np.einsum("np,np->n", weights, best)
    random_scores = weights @ rng.random((784, 1000))
    assert np.all(best_scores[:, None] >= random_scores)


def test_sphere_preferred_input_has_the_norm_and_direction():
    weights = np.array([[3.0, 4.0], [0.0, 0.0]])
    chosen = preferred_input_on_sphere(weights, norm=10.0)
    np.testing.assert_allclose(chosen, [[6.0, 8.0], [0.0, 0.0]])


def test_class_tuning_selectivity_and_dead_nodes_by_hand():
    labels = np.array([0, 0, 1, 2])
    hidden = np.array([[2.0, 1.0, 0.0], [4.0, 1.0, 0.0], [0.0, 1.0, 0.0], [0.0, 1.0, 0.0]])
    tuning = class_tuning(hidden, labels, 3)
    np.testing.assert_allclose(tuning, [[3.0, 0.0, 0.0], [1.0, 1.0, 1.0], [0.0, 0.0, 0.0]])
    np.testing.assert_allclose(selectivity_index(tuning), [1.0, 0.0, 0.0])
    assert dead_nodes(hidden).tolist() == [False, False, True]


def test_describe_node():
    digits = [str(d) for d in range(10)]
    row = np.array([5.0, 0.0, 1.0, 1.0, 1.0, 1.0, 4.0, 1.0, 1.0, 1.0])
    assert describe_node(row, digits) == "fires for 0s and 6s, silent for 1s"
    assert describe_node(np.zeros(10), digits) == "never fires"
    assert describe_node(np.eye(10)[7], digits) == "fires for 7s, silent for every other class"
    assert describe_node(np.array([0.0, 2.0, 1.5]), ["Shirt", "Bag", "Coat"]) == "fires for Bag and Coat, silent for Shirt"


def test_ablation_matches_zeroing_the_node_in_the_network_by_hand():
    rng = np.random.default_rng(2)
    hidden = np.maximum(rng.normal(size=(400, 6)), 0)
    weights, bias = rng.normal(size=(6, 10)), rng.normal(size=10)
    labels = (hidden @ weights + bias).argmax(axis=1)
    labels[:40] = rng.integers(0, 10, 40)  # not every prediction right
    lost = ablation_importance(hidden, weights, bias, labels)
    base = np.mean((hidden @ weights + bias).argmax(axis=1) == labels)
    for node in range(6):
        zeroed = hidden.copy()
        zeroed[:, node] = 0
        assert lost[node] == pytest.approx(base - np.mean((zeroed @ weights + bias).argmax(axis=1) == labels))
    assert lost.max() > 0


def test_extreme_items():
    hidden = np.array([[0.0, 1.0], [5.0, 0.0], [2.0, 0.0], [0.0, 3.0]])
    top, silent = extreme_items(hidden, node=0, count=2)
    assert top.tolist() == [1, 2]
    assert set(silent.tolist()) == {0, 3}


def test_interval_overlap_by_hand():
    # class 0 spans 0..4, class 1 spans 2..6 (quartiles of evenly spaced values), class 2 sits at 10..12
    values = np.concatenate([np.linspace(-2, 6, 5), np.linspace(0, 8, 5), np.linspace(9, 13, 5)])
    labels = np.repeat([0, 1, 2], 5)
    overlap = interval_overlap(values, labels, 3)
    assert overlap[0, 1] == pytest.approx(2 / 6)  # intersection 2..4, union 0..6
    assert overlap[0, 2] == 0 and overlap[1, 2] == 0
    np.testing.assert_allclose(np.diag(overlap), 1)
    np.testing.assert_allclose(overlap, overlap.T)


def test_decision_regions_follow_the_output_layer():
    # class 0 wins where x > y, class 1 where y > x
    weights = np.array([[1.0, 0.0], [0.0, 1.0]])
    xs, ys, classes = decision_regions(weights, np.zeros(2), (0, 1), (0, 1), steps=11)
    assert classes.shape == (11, 11)
    assert classes[0, 10] == 0  # y = 0, x = 1
    assert classes[10, 0] == 1  # y = 1, x = 0
