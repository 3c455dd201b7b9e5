"""The report's answer: each class's evidence map held to TensorFlow's gradient, and each sentence read back into the
parts of the picture it names and held to the map it describes (the part named as raising the score does raise it)."""

import numpy as np
import pytest

from hiddennodes.data.datasets import IMAGE_SHAPE
from hiddennodes.interpret.evidence import class_evidence
from hiddennodes.interpret.regions import BANDS, CELL_NAMES, evidence_words, ink_weight, regions
from hiddennodes.report.answer import (answer_sentence, class_sentences, node_sentence, parse_places, second_node_sentence,
                                       separation_sentence, with_class_article)
from test_attributions import conv_network, network


def reference_gradients(net, digits, label):
    """d(score_label - mean score)/d(pixels) by TensorFlow's autodiff through shap's Keras model of the network."""
    import tensorflow as tf

    from hiddennodes.interpret.attributions import score_model

    model = score_model(net)
    inputs = tf.constant(digits, tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(inputs)
        scores = model(inputs)
        total = tf.reduce_sum(scores[:, label] - tf.reduce_mean(scores, axis=1))
    return tape.gradient(total, inputs).numpy()


@pytest.mark.parametrize("kind", ["pixels", "pca", "top_pixels"])
@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_the_evidence_map_is_the_mean_gradient_of_the_class_against_the_others(kind, activation):
    net = network(activation=activation, kind=kind)
    rng = np.random.default_rng(1)
    digits = rng.uniform(0, 1, (40, 784)).astype(np.float32)
    labels = np.arange(40) % 4
    maps = class_evidence(net, digits, labels, 4)
    for label in range(4):
        expected = reference_gradients(net, digits[labels == label], label).mean(axis=0)
        np.testing.assert_allclose(maps[label], expected, rtol=1e-3, atol=1e-5)


def test_a_convolutional_networks_evidence_comes_through_its_convolutions():
    net = conv_network()
    digits = np.random.default_rng(2).uniform(0, 1, (12, 784)).astype(np.float32)
    labels = np.arange(12) % 4
    maps = class_evidence(net, digits, labels, 4)
    np.testing.assert_allclose(maps[1], reference_gradients(net, digits[labels == 1], 1).mean(axis=0), rtol=1e-3, atol=1e-5)


def ring_digit() -> np.ndarray:
    """A 0 drawn as a ring around the centre of the field, ink 1 on it."""
    rows, columns = np.mgrid[: IMAGE_SHAPE[0], : IMAGE_SHAPE[1]]
    radius = np.hypot(rows - 13.5, columns - 13.5)
    return ((radius > 6) & (radius < 9)).astype(np.float64)


def test_a_ring_that_raises_the_score_and_a_hole_that_lowers_it_are_said_so():
    zero = ring_digit()
    inked = np.full(IMAGE_SHAPE, 0.2)  # every pixel inked by some training digits
    evidence = zero.copy()
    evidence[11:17, 11:17] = -2.0  # ink in the hole takes evidence away
    words = evidence_words(evidence, zero, inked)
    sentence = answer_sentence("a 0", words)
    assert sentence.startswith("A 0: ink on its strokes at ")
    assert sentence.endswith("raises its score; ink at the centre, where a 0 has little ink, lowers it.")
    assert parse_places(sentence)["lowers"] == [("centre", False)]
    assert all(on for _, on in parse_places(sentence)["raises"])


def test_pixels_training_digits_hardly_ink_are_not_evidence():
    """A large weight along the border, where no training digit inks, says nothing: the middle's small one is named."""
    inked = np.zeros(IMAGE_SHAPE)
    inked[4:24, 4:24] = 0.3
    inked[0:2, :] = 0.002  # almost never inked
    weights = np.zeros(IMAGE_SHAPE)
    weights[0:2, :] = 50.0
    weights[12:16, 12:16] = 0.5
    words = evidence_words(weights, None, inked)
    assert [part["cell"] for part in words["raises"]] == ["centre"] and words["lowers"] == []
    assert ink_weight(inked)[0, 0] == pytest.approx((0.002 / 0.1) ** 2) and ink_weight(inked)[10, 10] == 1.0


def part_sums(evidence, mean_digit, inked) -> dict:
    """Each named part's evidence, summed over its pixels and weighed by how often training digits ink them."""
    weighed = np.asarray(evidence).reshape(IMAGE_SHAPE) * ink_weight(inked).reshape(IMAGE_SHAPE)
    return {(part["cell"], part["on_strokes"]): float(weighed[part["mask"]].sum()) for part in regions(mean_digit, inked)}


def check_sentence(sentence, evidence, mean_digit, inked):
    """What a sentence names holds on its map: every part named as raising the score has a positive sum, every part
    named as lowering it a negative one, and the strongest part each way is among those named."""
    named = parse_places(sentence)
    sums = part_sums(evidence, mean_digit, inked)
    for key, sign in (("raises", 1), ("lowers", -1)):
        for part in named[key]:
            assert sign * sums[part] > 0, (sentence, part, sums[part])
        signed = {part: sign * total for part, total in sums.items() if sign * total > 0}
        if signed:
            assert max(signed, key=signed.get) in named[key], (sentence, key)
        else:
            assert not named[key]


def test_every_class_sentence_of_a_network_trained_on_real_digits_holds_on_its_map(real_network):
    from explorer_pages import pixel_network

    net = pixel_network(real_network["layers"])
    features, labels = real_network["features"], real_network["labels"]
    train, held_out = real_network["train"], real_network["held_out"]
    maps = class_evidence(net, features[held_out], labels[held_out], 10)
    inked = features[train].mean(axis=0)
    means = np.stack([features[train][labels[train] == label].mean(axis=0) for label in range(10)])
    nodes = {"classes": [{"class": str(label), "evidence": evidence_words(maps[label], means[label], inked)} for label in range(10)]}
    sentences = class_sentences(nodes)
    assert [sentence.split(":")[0] for sentence in sentences] == ["A 0", "A 1", "A 2", "A 3", "A 4", "A 5", "A 6", "A 7", "An 8", "A 9"]
    for label, sentence in enumerate(sentences):
        check_sentence(sentence, maps[label], means[label], inked)
    # A sentence that named the wrong part would fail: the raising and lowering parts swapped.
    swapped = sentences[0].replace(" raises its score", "@").replace(" lowers it", " raises its score").replace("@", " lowers it")
    with pytest.raises(AssertionError):
        check_sentence(swapped, maps[0], means[0], inked)


def test_the_grid_names_every_cell_once():
    assert len({name for row in CELL_NAMES for name in row}) == 9
    assert BANDS[0][0] == 0 and BANDS[-1][1] == IMAGE_SHAPE[0]


def test_articles_follow_how_a_class_is_said():
    assert [with_class_article(name) for name in ("0", "8", "Sandal", "Ankle boot", "11")] == [
        "a 0", "an 8", "a Sandal", "an Ankle boot", "an 11"]


def narrow_nodes(accuracies, means):
    classes = [{"class": str(label), "accuracy": accuracy, "confused_with": str((label + 1) % 10), "confusions": 5}
               for label, accuracy in enumerate(accuracies)]
    node = {"node": 0, "weight_words": {"raises": [{"cell": "top", "on_strokes": None, "sum": 2.0}],
                                        "lowers": [{"cell": "centre", "on_strokes": None, "sum": -1.0}]},
            "mean_by_class": {str(label): mean for label, mean in enumerate(means)}}
    return {"hidden_units": 1, "classes": classes, "nodes": [node]}


def test_a_single_nodes_sentences_say_what_it_measures_and_what_it_cannot_tell_apart():
    one = narrow_nodes([0.95, 0.9, 0.1, 0.3, 0.6, 0.2, 0.7, 0.85, 0.4, 0.45], [5, 0.1, 3, 3, 2, 2, 4, 0.5, 3, 2])
    said = node_sentence("exp1", one["nodes"][0], 1)
    assert said == ("exp1's one node: ink at the top raises it and ink at the centre lowers it; on average it is most active "
                    "for 0s and 6s and least for 1s and 7s (mean activation per class).")
    separation = separation_sentence("exp1", one)
    assert separation.startswith("exp1 tells 0s, 1s and 7s from the rest (95%, 90%, 85% read right) but cannot read 2s, 5s, 3s, 8s and 9s")
    assert "2s 10%, taken for 3s" in separation
    two = narrow_nodes([0.95, 0.95, 0.7, 0.3, 0.6, 0.2, 0.7, 0.85, 0.4, 0.45], [0] * 10)
    assert second_node_sentence("exp1", "exp2", one, two) == "What the second node adds (exp2 against exp1): 2s go from 10% to 70% read right."


def test_every_node_description_holds_on_the_means_it_was_made_from_and_a_wrong_one_is_caught():
    from hiddennodes.readback import description_problems, report_problems
    from hiddennodes.words import describe_node

    rng = np.random.default_rng(3)
    fashion = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
    for names in ([str(digit) for digit in range(10)], fashion):
        for _ in range(200):
            row = np.maximum(rng.normal(0, 1, 10) * rng.uniform(0, 3, 10), 0)
            assert description_problems(describe_node(row, names), row, names) == [], (row, describe_node(row, names))
    digits = [str(digit) for digit in range(10)]
    tuning = np.array([[0.0, 0.1, 2.0, 0.0, 0.0, 1.5, 0.0, 0.0, 0.0, 0.0],   # fires for 2s and 5s
                       [3.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.2]])  # fires for 0s
    right = (f'<details><summary>exp3</summary><a id="exp3"></a><ul><li>Its most selective node, 1, '
             f'{describe_node(tuning[1], digits)} (selectivity 0.9); switching node 1 off costs 1.0 points.</li></ul></details>')
    assert report_problems(right, {"exp3": tuning}, digits) == (1, [])
    swapped = right.replace("node, 1,", "node, 0,")  # the sentence of one node said of another
    count, problems = report_problems(swapped, {"exp3": tuning}, digits)
    assert count == 1 and problems == ["exp3 node 0: 'fires for 0s, silent for every other class': classes at half its peak or more are [2, 5]"]
    assert description_problems("fires for 5s and 2s, silent for 1s", tuning[0], digits) == [
        "'fires for 5s and 2s, silent for 1s': not named from the most active down",
        "'fires for 5s and 2s, silent for 1s': classes under a tenth of its peak are [0, 1, 3, 4, 6, 7, 8, 9]"]
