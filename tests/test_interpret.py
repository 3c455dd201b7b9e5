import numpy as np
import pytest
from sklearn.decomposition import PCA

from hiddennodes.interpret.embedding import (approximate_neighbours, neighbour_agreement, pca_embedding, spread_points,
                                             tsne_embedding)
from hiddennodes.interpret.node_stats import (ablation_importance, class_tuning, dead_nodes, decision_regions,
                                              extreme_items, extreme_items_of_all, interval_overlap, selectivity_index)
from hiddennodes.interpret.preferred import class_preferred_inputs, preferred_input_in_box, weights_in_pixel_space
from hiddennodes.network.trained import ACTIVATION_FUNCTIONS, input_map
from hiddennodes.words import describe_node


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
    # Ten classes all above half the strongest: not a list of ten, but where it is strongest.
    assert describe_node(np.linspace(1.0, 0.6, 10), digits) == "fires for every class, most for 0s"
    assert describe_node(np.array([1.0, 0.9, 0.8, 0.7, 0.6, 0.55, 0.2, 0.1, 0.05, 0.0]), digits) == (
        "fires for every class but 6s, 7s, 8s and 9s, most for 0s")


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


def test_extreme_items_are_the_head_and_tail_of_a_stable_sort():
    # Found by partitioning, they must be what a full stable sort gives, ties (ReLU's zeros) included.
    rng = np.random.default_rng(3)
    for trial in range(300):
        items, count = int(rng.integers(1, 40)), int(rng.integers(0, 8))
        hidden = (np.maximum(rng.integers(-3, 4, (items, 2)), 0) if trial % 2 else rng.normal(size=(items, 2))).astype(np.float32)
        for node in range(2):
            order = np.argsort(-hidden[:, node], kind="stable")
            top, silent = extreme_items(hidden, node, count)
            assert top.tolist() == order[:count].tolist() and silent.tolist() == order[::-1][:count].tolist()
    tops, silents = extreme_items_of_all(hidden, 3)
    assert [tops[node].tolist() for node in range(2)] == [extreme_items(hidden, node, 3)[0].tolist() for node in range(2)]
    assert [silents[node].tolist() for node in range(2)] == [extreme_items(hidden, node, 3)[1].tolist() for node in range(2)]


def test_a_wide_layers_extreme_items_are_shared_out_and_come_back_in_order(monkeypatch):
    import os

    import hiddennodes.interpret.node_stats as node_stats

    # Ties (a ReLU's zeros) and enough nodes for several processes.
    hidden = np.maximum(np.random.default_rng(3).normal(size=(500, 200)), 0).astype(np.float32)
    serial = node_stats.extreme_items
    here = []  # the nodes this process worked out: the helpers' calls are not seen here

    def noting(values, node, count):
        here.append(node)
        return serial(values, node, count)

    monkeypatch.setattr(node_stats, "extreme_items", noting)
    tops, silents = extreme_items_of_all(hidden, 4)
    expected = [serial(hidden, node, 4) for node in range(200)]
    assert tops.tolist() == [top.tolist() for top, _ in expected] and silents.tolist() == [silent.tolist() for _, silent in expected]
    if (os.cpu_count() or 1) > 1:
        assert 0 < len(here) < 200
    # Each node's usual top activation, shared out the same way: NumPy's percentile of each column, bit for bit.
    hidden[:, 7] = 0  # a node that never fires: 1
    expected_scale = np.percentile(hidden.astype(np.float64), 99, axis=0)
    expected_scale = np.where(expected_scale > 0, expected_scale, hidden.max(axis=0))
    assert node_stats.activation_scale(hidden).tobytes() == np.where(expected_scale > 0, expected_scale, 1.0).astype(np.float32).tobytes()


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


@pytest.mark.parametrize("name", sorted(ACTIVATION_FUNCTIONS))
def test_numpy_activations_match_keras_and_their_derivatives(name):
    import keras

    forward, derivative = ACTIVATION_FUNCTIONS[name]
    z = np.linspace(-4, 4, 81) + 0.013  # avoid the kink of ReLU-like functions at 0
    expected = keras.ops.convert_to_numpy(keras.activations.get(name)(keras.ops.convert_to_tensor(z.astype(np.float32))))
    np.testing.assert_allclose(forward(z), expected, rtol=1e-4, atol=1e-5)
    step = 1e-5
    np.testing.assert_allclose(derivative(z), (forward(z + step) - forward(z - step)) / (2 * step), rtol=1e-4, atol=1e-6)


def _small_network(rng, inputs=784, nodes=6, classes=4):
    return rng.normal(scale=0.1, size=(inputs, nodes)), rng.normal(scale=0.1, size=nodes), rng.normal(size=(nodes, classes)), rng.normal(size=classes)


def _probabilities(images, kernel, bias, weights, output_bias, activation="relu"):
    logits = ACTIVATION_FUNCTIONS[activation][0](images @ kernel + bias) @ weights + output_bias
    exp = np.exp(logits - logits.max(axis=1, keepdims=True))
    return exp / exp.sum(axis=1, keepdims=True)


def _logits(images, kernel, bias, weights, output_bias, activation="relu"):
    return ACTIVATION_FUNCTIONS[activation][0](images @ kernel + bias) @ weights + output_bias


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh"])
def test_class_preferred_inputs_raise_each_class_score(activation):
    rng = np.random.default_rng(1)
    kernel, bias, weights, output_bias = _small_network(rng)
    start = np.full(784, 0.2)
    images, probabilities = class_preferred_inputs(kernel, bias, activation, weights, output_bias, start, steps=150, ink_cost=0, smoothness=0, jitter=0, blur=0)
    assert images.shape == (4, 784) and images.min() >= 0 and images.max() <= 1
    np.testing.assert_allclose(probabilities, _probabilities(images.astype(np.float64), kernel, bias, weights, output_bias, activation), atol=1e-5)
    before = _logits(start[None], kernel, bias, weights, output_bias, activation)[0]
    scores = _logits(images.astype(np.float64), kernel, bias, weights, output_bias, activation)
    for target in range(4):
        assert scores[target, target] > before[target] + 0.1
        # No other class's preferred image scores this class clearly higher (ascent finds a local optimum).
        assert scores[target, target] >= scores[:, target].max() - 0.01 * abs(scores[:, target].max())
    again, _ = class_preferred_inputs(kernel, bias, activation, weights, output_bias, start, steps=150, ink_cost=0, smoothness=0, jitter=0, blur=0)
    np.testing.assert_array_equal(images, again)


def test_ink_cost_and_smoothness_regularise_the_preferred_inputs():
    rng = np.random.default_rng(1)
    kernel, bias, weights, output_bias = _small_network(rng)
    start = np.full(784, 0.2)
    plain, _ = class_preferred_inputs(kernel, bias, "relu", weights, output_bias, start, steps=150, ink_cost=0, smoothness=0, jitter=0, blur=0)
    sparse, _ = class_preferred_inputs(kernel, bias, "relu", weights, output_bias, start, steps=150, ink_cost=0.05, smoothness=0, jitter=0, blur=0)
    smooth, _ = class_preferred_inputs(kernel, bias, "relu", weights, output_bias, start, steps=150, ink_cost=0, smoothness=2.0, jitter=0, blur=0)

    def roughness(images):
        images = images.reshape(-1, 28, 28)
        return np.abs(np.diff(images, axis=1)).mean() + np.abs(np.diff(images, axis=2)).mean()

    assert sparse.sum() < 0.8 * plain.sum()
    assert roughness(smooth) < 0.8 * roughness(plain)


def test_jitter_and_blur_smooth_the_preferred_inputs_and_keep_them_the_same_each_run():
    # The feature visualisation literature's transformations: an image only one exact placement of pixels drives is
    # rougher than one that survives a move of a pixel and a blur; the moves are a seeded draw.
    rng = np.random.default_rng(1)
    kernel, bias, weights, output_bias = _small_network(rng)
    start = np.full(784, 0.2)
    plain, _ = class_preferred_inputs(kernel, bias, "relu", weights, output_bias, start, steps=150, ink_cost=0, smoothness=0, jitter=0, blur=0)
    moved, _ = class_preferred_inputs(kernel, bias, "relu", weights, output_bias, start, steps=150, ink_cost=0, smoothness=0)
    again, _ = class_preferred_inputs(kernel, bias, "relu", weights, output_bias, start, steps=150, ink_cost=0, smoothness=0)
    np.testing.assert_array_equal(moved, again)

    def roughness(images):
        images = images.reshape(-1, 28, 28)
        return np.abs(np.diff(images, axis=1)).mean() + np.abs(np.diff(images, axis=2)).mean()

    assert roughness(moved) < 0.8 * roughness(plain)
    before = _logits(start[None], kernel, bias, weights, output_bias)[0]
    scores = _logits(moved.astype(np.float64), kernel, bias, weights, output_bias)
    assert all(scores[target, target] > before[target] for target in range(4))


def test_pixels_training_digits_never_ink_stay_blank_in_the_preferred_inputs():
    rng = np.random.default_rng(1)
    kernel, bias, weights, output_bias = _small_network(rng)
    allowed = np.zeros((28, 28))
    allowed[4:24, 4:24] = 1.0  # the border is never inked
    images, _ = class_preferred_inputs(kernel, bias, "relu", weights, output_bias, np.full(784, 0.2), steps=150,
                                       ink_cost=0, smoothness=0, jitter=0, blur=0, allowed=allowed.ravel())
    grids = images.reshape(-1, 28, 28)
    assert np.all(grids[:, :3, :] == 0) and np.all(grids[:, 24:, :] == 0) and np.all(grids[:, :, 24:] == 0)
    before = _logits(np.full((1, 784), 0.2) * allowed.ravel(), kernel, bias, weights, output_bias)[0]
    scores = _logits(images.astype(np.float64), kernel, bias, weights, output_bias)
    assert all(scores[target, target] > before[target] for target in range(4))  # the rest still moves toward each class


def test_class_preferred_inputs_through_pca_equal_the_folded_network():
    rng = np.random.default_rng(2)
    pca = PCA(n_components=12, svd_solver="full").fit(rng.random((200, 784)))
    kernel, bias, weights, output_bias = _small_network(rng, inputs=12)
    matrix, offset = input_map(12, pca_components=pca.components_, pca_mean=pca.mean_)
    images = rng.random((5, 784))
    np.testing.assert_allclose(images @ matrix + offset, pca.transform(images), atol=1e-10)
    through_pca, _ = class_preferred_inputs(kernel, bias, "relu", weights, output_bias, np.full(784, 0.2), matrix, offset, steps=50)
    folded, _ = class_preferred_inputs(matrix @ kernel, bias + offset @ kernel, "relu", weights, output_bias, np.full(784, 0.2), steps=50)
    np.testing.assert_allclose(through_pca, folded, atol=1e-5)


def test_selected_pixel_input_map_picks_those_pixels():
    matrix, offset = input_map(3, pixel_indices=np.array([5, 400, 783]))
    images = np.random.default_rng(3).random((4, 784))
    assert offset is None
    np.testing.assert_array_equal(images @ matrix, images[:, [5, 400, 783]])
    assert input_map(784) == (None, None)


def test_spread_points_keep_their_distance():
    points = np.random.default_rng(4).random((2000, 2)) * [10, 3]
    chosen = spread_points(points, 0.1)
    scaled = (points - points.min(axis=0)) / (points.max(axis=0) - points.min(axis=0))
    gaps = np.linalg.norm(scaled[chosen][:, None] - scaled[chosen][None], axis=-1)
    np.fill_diagonal(gaps, np.inf)
    assert chosen[0] == 0 and gaps.min() >= 0.1
    # Greedy and maximal: every other point is within the distance of a chosen one.
    nearest = np.linalg.norm(scaled[:, None] - scaled[chosen][None], axis=-1).min(axis=1)
    assert nearest.max() < 0.1
    assert 20 < len(chosen) < 200


def test_neighbour_agreement_of_separated_and_mixed_classes():
    rng = np.random.default_rng(5)
    labels = np.repeat(np.arange(4), 100)
    separated = rng.normal(scale=0.1, size=(400, 2)) + np.array([[0, 0], [5, 0], [0, 5], [5, 5]])[labels]
    assert neighbour_agreement(separated, labels) == 1.0
    mixed = rng.normal(size=(400, 2))
    assert abs(neighbour_agreement(mixed, labels) - 0.25) < 0.08


def test_embeddings_separate_clustered_classes_and_repeat():
    rng = np.random.default_rng(6)
    labels = np.repeat(np.arange(3), 150)
    centres = rng.normal(scale=4, size=(3, 60))
    values = centres[labels] + rng.normal(size=(450, 60))
    coordinates, variance = pca_embedding(values)
    assert coordinates.shape == (450, 2) and 0 < variance.sum() <= 1 and variance[0] >= variance[1]
    assert neighbour_agreement(coordinates, labels) > 0.95
    first = tsne_embedding(values, seed=7, perplexity=20, pca_dimensions=20, n_jobs=1)
    second = tsne_embedding(values, seed=7, perplexity=20, pca_dimensions=20, n_jobs=1)
    assert first.shape == (450, 2)
    np.testing.assert_allclose(first, second)
    assert neighbour_agreement(first, labels) > 0.95


def test_approximate_neighbours_find_the_true_neighbours():
    from sklearn.neighbors import NearestNeighbors

    rng = np.random.default_rng(8)
    points = rng.normal(size=(600, 10))
    points[1] = points[0]  # a duplicate: neither may list itself
    indices, distances = approximate_neighbours(points, 8, seed=0, trees=50)
    reference_distances, reference_indices = NearestNeighbors(n_neighbors=9).fit(points).kneighbors(points)
    assert indices.shape == distances.shape == (600, 8)
    assert not np.any(indices == np.arange(600)[:, None])
    assert indices[0, 0] == 1 and indices[1, 0] == 0 and distances[0, 0] == pytest.approx(0, abs=1e-6)
    recall = np.mean([len(set(found) & set(true)) / 8 for found, true in zip(indices, reference_indices[:, 1:])])
    assert recall > 0.9
    np.testing.assert_allclose(distances, np.linalg.norm(points[indices] - points[:, None], axis=2), rtol=1e-5)
    assert np.all(np.diff(distances, axis=1) >= -1e-9)
    with pytest.raises(ValueError, match="between 1 and the number of rows less one"):
        approximate_neighbours(points[:5], 5, seed=0)


def test_class_carriers_are_the_largest_contributions_by_hand():
    from hiddennodes.interpret.node_stats import class_carriers, class_contributions

    hidden = np.array([[1.0, 0.0, 2.0], [3.0, 1.0, 0.0], [0.0, 2.0, 2.0], [0.0, 4.0, 0.0]])
    labels = np.array([0, 0, 1, 1])
    weights = np.array([[1.0, -1.0], [0.5, 2.0], [-1.0, 1.0]])
    contributions = class_contributions(hidden, labels, weights, 2)
    # Class 0's items: mean activations (2, 0.5, 1) times the weights to class 0 (1, 0.5, -1) = (2, 0.25, -1).
    assert np.allclose(contributions[0], [2.0, 0.25, -1.0]) and np.allclose(contributions[1], [0.0, 6.0, 1.0])
    assert class_carriers(contributions, 2).tolist() == [[0, 1], [1, 2]]
    assert class_carriers(contributions, 10).shape == (2, 3)  # never more than the nodes there are


def test_class_confusions_by_hand():
    from hiddennodes.interpret.node_stats import class_confusions

    probabilities = np.array([[0.9, 0.1, 0.0], [0.2, 0.7, 0.1], [0.4, 0.6, 0.0], [0.1, 0.1, 0.8], [0.0, 1.0, 0.0], [0.3, 0.3, 0.4]])
    labels = np.array([0, 0, 0, 1, 1, 2])
    rows = class_confusions(probabilities, labels, 3)
    # Class 0: one of three right, both mistakes read as 1; the more confident one (0.7) is the example.
    assert rows[0] == {"accuracy": 1 / 3, "items": 3, "confused_with": 1, "confusions": 2, "example": 1}
    assert rows[1] == {"accuracy": 0.5, "items": 2, "confused_with": 2, "confusions": 1, "example": 3}
    assert rows[2] == {"accuracy": 1.0, "items": 1, "confused_with": None, "confusions": 0, "example": None}


def test_weight_pages_put_the_most_important_first_ordered_by_preferred_class():
    from hiddennodes.interpret.node_stats import weight_pages

    tuning = np.eye(3)[[2, 0, 1, 0, 2]]  # nodes 0..4 prefer classes 2, 0, 1, 0, 2
    importance = np.array([0.05, 0.01, 0.03, 0.04, 0.02])
    pages = weight_pages(tuning, importance, per_page=3)
    # The three most important (0, 3, 2) come first, ordered by class (3: class 0, 2: class 1, 0: class 2); then 4 and 1.
    assert [page.tolist() for page in pages] == [[3, 2, 0], [1, 4]]
    assert sorted(np.concatenate(pages).tolist()) == list(range(5))


def test_weight_images_are_clipped_at_the_stated_percentile():
    from hiddennodes.figures.grid import WEIGHT_PERCENTILE, clipped_limit, image_grid_figure
    from hiddennodes.figures.nodes import class_carriers_figure

    weights = np.random.default_rng(0).normal(size=(4, 784))
    weights[0, 0] = 100.0  # one extreme weight would otherwise set the whole scale
    limit = clipped_limit(weights)
    assert limit == np.percentile(np.abs(weights), WEIGHT_PERCENTILE) and limit < 4
    # A network on a few selected pixels has 0 everywhere else: the scale comes from the weights that are there.
    sparse = np.zeros((2, 784))
    sparse[:, :5] = [[0.1, -0.2, 0.05, 0.15, -0.1], [0.2, 0.1, -0.05, 0.1, 0.0]]
    assert clipped_limit(sparse) == np.percentile(np.abs(sparse[sparse != 0]), WEIGHT_PERCENTILE) and clipped_limit(np.zeros(5)) == 1.0
    figure = image_grid_figure(weights, [str(n) for n in range(4)], "t", columns=2, symmetric=True, limit=limit)
    assert all(image.get_clim() == (-limit, limit) for axes in figure.axes for image in axes.get_images())
    carriers = class_carriers_figure(["a", "b", "c"], weights[:3, None].repeat(2, axis=1), [["x", "y"]] * 3,
                                     np.abs(weights[:3]), [np.zeros(784), None, np.ones(784)], ["e", "never", "e"], limit, "t")
    weight_tiles = [image for axes in carriers.axes for image in axes.get_images() if image.get_cmap().name == "RdBu_r"]
    assert len(weight_tiles) == 6 and all(image.get_clim() == (-limit, limit) for image in weight_tiles)
