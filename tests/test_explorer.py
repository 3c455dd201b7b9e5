"""The explorer page: its data, and the page used as a person uses it, in headless Chromium (Playwright)."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import numpy as np
import pytest
from explorer_pages import clean_picture, digit_strokes, draw_strokes, page_html, pixel_network

from hiddennodes.explorer.page import blob, render_explorer, unblob
from hiddennodes.interpret.node_stats import activation_scale, class_contributions, class_quantiles
from hiddennodes.reading.prepare import mnist_like

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts" / "explorer"
READY = "document.body.dataset.ready === 'yes'"


def test_arrays_travel_bit_for_bit():
    rng = np.random.default_rng(0)
    for array, dtype in ((rng.normal(size=(7, 5)).astype(np.float32), "f32"), (np.arange(-3, 4, dtype=np.int32), "i32"),
                         (rng.integers(0, 256, (2, 3, 4)).astype(np.uint8), "u8")):
        packed = blob(array, dtype)
        assert packed["shape"] == list(array.shape)
        assert unblob(packed).tobytes() == array.tobytes()


def test_node_numbers_against_hand_computation():
    hidden = np.array([[1.0, 0.0], [3.0, 2.0], [5.0, 4.0], [0.0, 0.0]])
    labels = np.array([0, 0, 1, 1])
    weights = np.array([[1.0, -1.0], [2.0, 0.5]])  # (nodes, classes)
    # class 0: node means (2, 1) -> (2*1, 1*2); class 1: means (2.5, 2) -> (2.5*-1, 2*0.5)
    assert np.allclose(class_contributions(hidden, labels, weights, 2), [[2.0, 2.0], [-2.5, 1.0]])
    quantiles = class_quantiles(hidden, labels, 3, quantiles=(0, 50, 100))
    assert np.allclose(quantiles[0, 0], [1, 2, 3]) and np.allclose(quantiles[1, 1], [0, 2, 4])
    assert np.isnan(quantiles[:, 2]).all()  # no item of class 2
    assert np.allclose(activation_scale(np.array([[0.0, 0.0], [0.0, 0.0], [0.0, 1.0]]), percentile=50), [1.0, 1.0])


def test_the_page_is_one_file_and_its_words_cannot_end_its_script():
    network = pixel_network({"hidden_kernel": np.zeros((784, 1), np.float32), "hidden_bias": np.zeros(1, np.float32),
                             "hidden_activation": np.array("relu"), "output_weights": np.zeros((1, 10), np.float32),
                             "output_bias": np.zeros(10, np.float32)})
    images = np.random.default_rng(0).random((40, 784)).astype(np.float32)
    labels = np.arange(40) % 10
    page = page_html({"exp1": (network, "</script><script>alert(1)</script>")}, images, labels, images, labels)
    assert page.count("<script") == 2 and "alert(1)</script>" not in page
    assert not re.search(r'(src|href)="(?!data:|#)', page)
    with pytest.raises(ValueError, match="at least one experiment"):
        render_explorer("t", [], [], "exp1", "", "", "")


def test_the_page_speaks_of_the_datasets_own_images():
    clothes = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")
    network = pixel_network({"hidden_kernel": np.zeros((784, 1), np.float32), "hidden_bias": np.zeros(1, np.float32),
                             "hidden_activation": np.array("relu"), "output_weights": np.zeros((1, 10), np.float32),
                             "output_bias": np.zeros(10, np.float32)}, class_names=clothes)
    images = np.random.default_rng(0).random((40, 784)).astype(np.float32)
    labels = np.arange(40) % 10
    page = page_html({"exp1": (network, "one node")}, images, labels, images, labels, item="garment")
    shown = re.sub(r"<script.*?</script>", "", page, flags=re.S)  # the words on the page before its script runs
    assert "Draw a garment" in shown and "training garments" in shown and "{{" not in shown and "{{item" not in page
    assert "digit" not in shown.lower()
    data = json.loads(re.search(r'<script type="application/json" id="explorer-data">(.*?)</script>', page, re.S).group(1))
    assert (data["item"], data["items"]) == ("garment", "garments")
    # The script's own words come from the data: none of them names digits.
    script = (ROOT / "hiddennodes" / "explorer" / "web" / "explorer.js").read_text()
    words = re.findall(r'"[^"]*"|`[^`]*`', re.sub(r"//.*|/\*.*?\*/", "", script, flags=re.S))
    assert not [text for text in words if re.search(r"\bdigits?\b", text)]


@pytest.fixture(scope="module")
def real_page(real_network, tmp_path_factory):
    """The explorer for the real-digit 784-128-10 network (exp3), interpreted on its 7,000 training digits."""
    import dataclasses

    from hiddennodes.interpret.attributions import BACKGROUND, background_digits

    net = real_network
    features, labels = net["features"], net["labels"]
    network = dataclasses.replace(pixel_network(net["layers"]),
                                  background=background_digits(features[net["train"]], labels[net["train"]], BACKGROUND, 42))
    path = tmp_path_factory.mktemp("explorer") / "explorer.html"
    path.write_text(page_html({"exp3": (network, "the best width on the pixels")}, features[net["train"]], labels[net["train"]],
                              features[net["held_out"]], labels[net["held_out"]]))
    return path, network


@pytest.fixture
def explorer(browser, real_page):
    from browser import visit

    with visit(browser, real_page[0]) as seen:
        seen.page.wait_for_function(READY)
        yield seen
        assert seen.console_errors == [] and seen.outside_requests == []


def test_drawn_real_digits_are_read_from_the_strokes(explorer, real_page, real_network):
    page, network = explorer.page, real_page[1]
    held_out = real_network["features"][real_network["held_out"]][:12]
    labels = real_network["labels"][real_network["held_out"]][:12]
    right = 0
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for index, (image, label) in enumerate(zip(held_out, labels)):
        page.click("#clear")
        draw_strokes(page, *digit_strokes(image))
        state = page.evaluate("explorer.state()")
        fed = np.array(state["digit"], dtype=np.float32)
        # The page prepares the strokes' ink as the prediction command's last step does...
        ink = page.evaluate("explorer.ink()")
        levels = np.frombuffer(base64.b64decode(ink["levels"]), dtype=np.uint8).reshape(ink["height"], ink["width"])
        command = mnist_like((1 - levels / 255).astype(np.float32))
        assert not state["redrawn"] and np.abs(command.ravel() - fed).max() < 1e-4
        # ...and answers what NumPy answers for the 28x28 the page shows it was fed.
        assert state["predicted"] == int(network.probabilities(fed[None]).argmax())
        assert page.locator("#prediction").inner_text().startswith(str(state["predicted"]))
        right += state["predicted"] == label
        if index == 0:
            page.screenshot(path=ARTIFACTS / "exp3_real_digit.png", full_page=True)
    assert right >= 10, f"only {right} of 12 drawn digits read as their labels"


def test_forward_pass_equals_numpy_on_1000_test_digits(explorer, real_page, real_network):
    page, network = explorer.page, real_page[1]
    digits = real_network["features"][8000:9000]
    result = page.evaluate("([flat, count]) => explorer.run('exp3', flat, count)", [digits.ravel().tolist(), len(digits)])
    probabilities = np.array(result["probabilities"])
    expected = network.probabilities(digits)
    assert np.abs(probabilities - expected).max() < 1e-5
    assert (probabilities.argmax(axis=1) == expected.argmax(axis=1)).all()


def test_every_activation_runs_in_the_page_as_in_numpy(browser, real_network, tmp_path):
    from browser import visit
    from explorer_pages import random_network

    from hiddennodes.network.trained import ACTIVATION_FUNCTIONS

    digits = real_network["features"][8000:8200]
    labels = real_network["labels"][8000:8200]
    networks = {name: (random_network(16, seed=index, activation=name), name) for index, name in enumerate(ACTIVATION_FUNCTIONS)}
    path = tmp_path / "activations.html"
    path.write_text(page_html(networks, digits, labels, digits, labels))
    with visit(browser, path) as seen:
        seen.page.wait_for_function(READY)
        for name, (network, _) in networks.items():
            result = seen.page.evaluate("([name, flat, count]) => explorer.run(name, flat, count)", [name, digits.ravel().tolist(), len(digits)])
            hidden, probabilities = network.run(network.features(digits))
            assert np.abs(np.array(result["hidden"]) - hidden).max() < 1e-4, name
            assert np.abs(np.array(result["probabilities"]) - probabilities).max() < 1e-5, name
        assert seen.console_errors == [] and seen.outside_requests == []


def test_preparation_matches_the_prediction_command_on_500_clean_pictures(explorer, real_page, real_network):
    from hiddennodes.reading.prepare import prepare_digit

    page, network = explorer.page, real_page[1]
    digits = real_network["images"][8000:8500].reshape(-1, 784) / 255
    pictures = [clean_picture(digit) for digit in digits]
    command = np.stack([prepare_digit(picture).ravel() for picture in pictures])
    # Each picture travels as its bytes in base64 and becomes grey levels in the page, as a decoded file would.
    mine = np.array([page.evaluate(
        "([bytes, width, height]) => explorer.preparePicture(Array.from(atob(bytes), c => c.charCodeAt(0) / 255), width, height)",
        [base64.b64encode(picture.tobytes()).decode(), picture.shape[1], picture.shape[0]]) for picture in pictures], dtype=np.float32)
    same = int((network.probabilities(command).argmax(axis=1) == network.probabilities(mine).argmax(axis=1)).sum())
    differences = np.abs(command - mine).mean(axis=1)
    print(f"same class on {same} of {len(digits)}; mean absolute pixel difference {np.mean(differences):.4f}")
    assert same >= 0.99 * len(digits)
    assert np.mean(differences) < 0.01


def test_a_picture_file_chosen_in_the_page_is_read(explorer, real_page, real_network, tmp_path):
    from PIL import Image

    from hiddennodes.reading.prepare import prepare_digit

    page, network = explorer.page, real_page[1]
    digit = real_network["images"][8003].reshape(-1) / 255
    picture = clean_picture(digit)
    path = tmp_path / "digit.png"
    Image.fromarray(picture).convert("RGB").save(path)
    page.set_input_files("#file", path)
    page.wait_for_function("document.getElementById('status').textContent.startsWith('digit.png')")
    expected = int(network.probabilities(prepare_digit(picture)[None]).argmax())
    assert page.evaluate("explorer.state().predicted") == expected
    assert "128×128" in page.locator("#status").inner_text()


def test_asking_a_node_and_a_class_and_switching_nodes_off(explorer, real_page, real_network):
    page, network = explorer.page, real_page[1]
    draw_strokes(page, *digit_strokes(real_network["features"][8001]))
    state = page.evaluate("explorer.state()")
    fed = np.array(state["digit"], dtype=np.float32)[None]
    # The strongest contributor to the answer is listed first, with the interpretation's words for it.
    hidden = network.run(network.features(fed))[0][0]
    contributions = hidden * network.layers["output_weights"][:, state["predicted"]]
    strongest = int(np.argmax(contributions))
    first = page.locator("#contributors li").first
    assert first.get_attribute("data-node") == str(strongest)

    # Ask that node by clicking its tile in the grid.
    grid = page.locator("#grid").bounding_box()
    layout = page.evaluate("(() => { const c = document.getElementById('grid'); return [c.width, c.height]; })()")
    columns = int(np.ceil(np.sqrt(128 * 1.8)))
    tile = layout[0] / columns
    x, y = (strongest % columns + 0.5) * tile, (strongest // columns + 0.5) * tile
    page.mouse.click(grid["x"] + x * grid["width"] / layout[0], grid["y"] + y * grid["height"] / layout[1])
    assert page.locator("#node-title").inner_text().endswith(f"node {strongest} of 128")
    words = page.locator("#node-words").inner_text()
    assert first.inner_text().split(": ", 1)[1] in words and "Selectivity" in words
    assert page.locator("#node-top canvas").count() == 6

    # Ask a class: its carrying nodes are the largest mean contributions.
    page.get_by_role("button", name="7", exact=True).click()
    listed = [int(node) for node in page.locator("#class-nodes li").evaluate_all("items => items.map(item => item.dataset.node)")]
    held_out = real_network["features"][real_network["held_out"]]
    carried = class_contributions(network.run(held_out)[0], real_network["labels"][real_network["held_out"]],
                                  network.layers["output_weights"], 10)[7]
    assert listed == np.argsort(-carried, kind="stable")[:8].tolist()
    assert page.locator("#class-preferred-caption").inner_text().startswith("the input class 7 prefers")

    # Switch the strongest node off: the probabilities are NumPy's without it.
    page.check("#ablate-mode")
    page.mouse.click(grid["x"] + x * grid["width"] / layout[0], grid["y"] + y * grid["height"] / layout[1])
    after = page.evaluate("explorer.state()")
    assert after["off"][strongest] == 1 and sum(after["off"]) == 1
    layers = dict(network.layers)
    layers["output_weights"] = layers["output_weights"].copy()
    layers["output_weights"][strongest] = 0
    from hiddennodes.network.trained import forward

    expected = forward(layers, network.features(fed))[1][0]
    assert np.abs(np.array(after["probabilities"]) - expected).max() < 1e-5
    assert page.locator("#off-count").inner_text() == "1 of 128 switched off"
    page.click("#all-on")
    assert sum(page.evaluate("explorer.state().off")) == 0


def test_a_pen_too_fine_for_the_size_drawn_is_widened_as_the_prediction_command_widens_it(explorer, real_network):
    page = explorer.page
    strokes, pen = digit_strokes(real_network["features"][8002])
    draw_strokes(page, strokes, pen)
    normal = page.evaluate("explorer.state()")
    page.click("#clear")
    draw_strokes(page, strokes, 6)  # 6 pad pixels over a ~200-pixel digit: under 1 pixel in the 20-pixel box
    fine = page.evaluate("explorer.state()")
    assert not normal["redrawn"] and fine["redrawn"]
    ink = np.sum(fine["digit"]) / np.sum(normal["digit"])
    assert 0.6 < ink < 1.6, ink  # redrawn as wide as MNIST's middle, not a hairline
    assert fine["predicted"] == normal["predicted"]


def test_the_pixels_that_made_a_drawn_answer_are_shaps(explorer, real_page, real_network):
    """The page's live attributions toward the answer and the runner-up are shap's DeepExplainer values for the 28x28 it was fed."""
    from hiddennodes.interpret.attributions import explain

    page, network = explorer.page, real_page[1]
    image = real_network["features"][real_network["held_out"]][3]
    page.click("#clear")
    draw_strokes(page, *digit_strokes(image))
    state = page.evaluate("explorer.state()")
    digit = np.array(state["digit"], dtype=np.float32)
    probabilities = network.probabilities(digit[None])[0]
    assert state["why"]["classes"] == [int(probabilities.argmax()), int(np.argsort(probabilities)[-2])]
    values, method = explain(network, digit[None], network.background)
    assert method == "deep"
    for target, shown in zip(state["why"]["classes"], state["why"]["maps"]):
        expected = values[0, :, target]
        assert np.abs(np.array(shown) - expected).max() < 1e-4 * np.abs(expected).max()
    assert page.locator("#why-answer-caption").inner_text() == f"toward {state['why']['classes'][0]}, its answer"
    page.locator("#answer-panel").screenshot(path=ARTIFACTS / "exp3_why.png")


def test_attributions_in_the_page_through_pca_and_selected_pixels_are_shaps(browser, tmp_path):
    from browser import visit
    from test_attributions import digits, network

    import dataclasses

    from hiddennodes.interpret.attributions import explain, rescale_attributions

    background = np.round(digits(10, 3) * 255) / 255  # training pixels are whole 255ths, as the page receives them
    nets = {kind: dataclasses.replace(network(activation=activation, kind=kind, classes=4), background=background.astype(np.float32))
            for kind, activation in (("pca", "tanh"), ("top_pixels", "relu"))}
    images = digits(40, 4)
    labels = {kind: net.probabilities(images).argmax(axis=1) for kind, net in nets.items()}
    path = tmp_path / "mapped.html"
    path.write_text(page_html({kind: (net, kind) for kind, net in nets.items()}, images, labels["pca"], images, labels["pca"]))
    with visit(browser, path) as seen:
        seen.page.wait_for_function(READY)
        for kind, net in nets.items():
            values, _ = explain(net, images[:5], net.background)
            exact = rescale_attributions(net, images[:5], net.background)  # float64, as the page computes
            for c in range(4):
                shown = np.array(seen.page.evaluate("([name, flat, count, c]) => explorer.attribution(name, flat, count, c)",
                                                    [kind, images[:5].ravel().tolist(), 5, c]))
                assert np.abs(shown - exact[:, :, c]).max() < 1e-5 * np.abs(exact).max(), (kind, c)
                # shap works in float32: a tanh's rescale multiplier loses digits where a pixel barely moves its node.
                assert np.abs(shown - values[:, :, c]).max() < 1e-2 * np.abs(values).max(), (kind, c)
        assert seen.console_errors == [] and seen.outside_requests == []


def test_a_convolutional_networks_filters_travel_with_it():
    from explorer_pages import conv_network, interpretation

    from hiddennodes.explorer.page import experiment_payload

    network = conv_network(8, filters=(3, 5), kernel_size=3, pool=2)
    images = np.random.default_rng(0).random((40, 784)).astype(np.float32)
    labels = np.arange(40) % 10
    arrays = interpretation(network, images, labels, images, labels)
    conv = experiment_payload("cnn", "a small one", network, arrays, None)["conv"]
    assert (conv["activation"], conv["pool"], conv["flat_size"]) == ("relu", 2, 5 * 5 * 5)  # 28 -> 26 -> 13 -> 11 -> 5
    for index, layer in enumerate(conv["layers"], start=1):
        assert unblob(layer["kernel"]).tobytes() == network.layers[f"conv{index}_kernel"].tobytes()
        assert unblob(layer["bias"]).tobytes() == network.layers[f"conv{index}_bias"].tobytes()
    assert unblob(conv["filter_kernels"]).shape == (3, 3, 3) and unblob(conv["filter_tuning"]).shape == (3, 10)
    dense = experiment_payload("dense", "dense", pixel_network({key: network.layers[key] for key in (
        "hidden_activation", "output_weights", "output_bias", "hidden_bias")} | {"hidden_kernel": np.zeros((784, 8), np.float32)}),
        arrays, None)
    assert "conv" not in dense


def test_the_node_tiles_fade_where_training_digits_hardly_ever_ink_as_the_reports_pictures_do():
    from explorer_pages import interpretation

    from hiddennodes.explorer.page import experiment_payload
    from hiddennodes.interpret.regions import ink_weight

    rng = np.random.default_rng(0)
    network = pixel_network({"hidden_kernel": rng.normal(0, 1, (784, 4)).astype(np.float32), "hidden_bias": np.zeros(4, np.float32),
                             "hidden_activation": np.array("relu"), "output_weights": rng.normal(0, 1, (4, 10)).astype(np.float32),
                             "output_bias": np.zeros(10, np.float32)})
    images = np.zeros((40, 28, 28), np.float32)
    images[:, 6:22, 6:22] = rng.random((40, 16, 16))  # the border is never inked
    images = images.reshape(40, 784)
    arrays = interpretation(network, images, np.arange(40) % 10, images, np.arange(40) % 10)
    tiles = unblob(experiment_payload("dense", "dense", network, arrays, None)["weight_images"]).reshape(-1, 28, 28)
    assert np.all(tiles[:, :6, :] == 0) and np.all(tiles[:, 22:, :] == 0)  # never inked: blank, however large the weight
    inside = ink_weight(arrays["mean_ink"]).reshape(28, 28)[6:22, 6:22] == 1
    assert np.count_nonzero(tiles[:, 6:22, 6:22][:, inside]) > 0.9 * 4 * inside.sum()  # the digit's own pixels keep theirs


def conv_attribution(network, digit: np.ndarray, background: np.ndarray, target: int) -> np.ndarray:
    """What the page draws for a convolutional network: the gradient of class ``target``'s score at ``digit``, back
    through the dense layer and Filters.gradient (held to TensorFlow's), times the digit's change from the mean background."""
    from hiddennodes.network.trained import ACTIVATION_FUNCTIONS

    layers = network.layers
    z = network.filters.flat(digit[None]).astype(np.float64) @ layers["hidden_kernel"] + layers["hidden_bias"]
    slope = ACTIVATION_FUNCTIONS[str(layers["hidden_activation"])][1](z[0])
    flat_gradient = layers["hidden_kernel"].astype(np.float64) @ (slope * layers["output_weights"][:, target])
    return (digit - background.mean(axis=0)) * network.filters.gradient(digit[None], flat_gradient[None])[0]


def test_a_convolutional_network_runs_in_the_page_as_in_numpy(browser, real_network, tmp_path):
    """Convolutional experiments beside a dense one: the page's hidden activations and probabilities for 200 test digits
    and for a digit drawn with the pointer, its first filters' maps and its attributions are NumPy's, and its words say
    what its pictures are."""
    import dataclasses

    from browser import visit
    from explorer_pages import conv_network, random_network

    from hiddennodes.interpret.attributions import BACKGROUND, background_digits

    features, labels = real_network["features"], real_network["labels"]
    background = background_digits(features[:1000], labels[:1000], BACKGROUND, 42)
    networks = {name: dataclasses.replace(network, background=background) for name, network in {
        "cnn": conv_network(16, filters=(4, 6), kernel_size=5, pool=2),
        # One layer of 3x3 kernels pooled by 3: 26 rows and columns, the last two dropped as Keras drops them.
        "cnn_tanh": conv_network(12, filters=(3,), kernel_size=3, pool=3, seed=1, activation="tanh"),
        "dense": random_network(16),
    }.items()}
    digits = features[8000:8200]
    path = tmp_path / "cnn.html"
    path.write_text(page_html({name: (network, name) for name, network in networks.items()}, features[:1000], labels[:1000],
                              digits, labels[8000:8200], reference="cnn"))
    with visit(browser, path) as seen:
        page = seen.page
        page.wait_for_function(READY)
        for name, network in networks.items():
            result = page.evaluate("([name, flat, count]) => explorer.run(name, flat, count)", [name, digits.ravel().tolist(), len(digits)])
            hidden, probabilities = network.run(network.features(digits))
            assert np.abs(np.array(result["hidden"]) - hidden).max() < 1e-5, name
            assert np.abs(np.array(result["probabilities"]) - probabilities).max() < 1e-5, name
        for c in range(4):
            shown = np.array(page.evaluate("([flat, count, c]) => explorer.attribution('cnn_tanh', flat, count, c)",
                                           [digits[:5].ravel().tolist(), 5, c]))
            expected = np.stack([conv_attribution(networks["cnn_tanh"], digit, background, c) for digit in digits[:5]])
            assert np.abs(shown - expected).max() < 1e-5 * np.abs(expected).max(), c

        # A digit drawn with real pointer events on the convolutional experiment.
        network = networks["cnn"]
        page.locator("#experiments button[data-name=cnn]").click()
        draw_strokes(page, *digit_strokes(features[8004]))
        state = page.evaluate("explorer.state()")
        fed = np.array(state["digit"], dtype=np.float32)
        hidden, probabilities = network.run(fed[None])
        assert np.abs(np.array(state["hidden"]) - hidden[0]).max() < 1e-5
        assert np.abs(np.array(state["probabilities"]) - probabilities[0]).max() < 1e-5
        assert state["predicted"] == int(probabilities.argmax())
        assert page.locator("#prediction").inner_text().startswith(str(state["predicted"]))
        assert np.abs(np.array(state["filterMaps"]) - network.filters.maps(fed[None])[0].ravel()).max() < 1e-5
        assert state["why"]["classes"] == [int(probabilities.argmax()), int(np.argsort(probabilities[0])[-2])]
        for target, shown in zip(state["why"]["classes"], state["why"]["maps"]):
            expected = conv_attribution(network, fed, background, target)
            assert np.abs(np.array(shown) - expected).max() < 1e-5 * np.abs(expected).max()
        # Its pictures are named for what they are: sensitivities, not weights; gradient x input, not shap's values.
        assert "through 2 convolutional layers (4 filters of 5×5, then 6 filters of 5×5" in page.locator("#experiment-label").inner_text()
        assert page.locator("#node-weights-caption").inner_text().startswith("its sensitivity near the training digits that drive it most")
        assert "sensitivity near the training digits that drive it most" in page.locator("#nodes-hint").inner_text()
        assert "gradient × input" in page.locator("#why-method").inner_text()
        assert page.locator("#filters").is_visible() and page.locator("#why-method").is_visible()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=ARTIFACTS / "cnn_drawn.png", full_page=True)

        # The dense experiment keeps its own words and its exact attributions.
        page.locator("#experiments button[data-name=dense]").click()
        assert page.locator("#node-weights-caption").inner_text() == "its incoming weights"
        assert not page.locator("#filters").is_visible() and not page.locator("#why-method").is_visible()
        assert page.evaluate("explorer.state().filterMaps") is None
        assert seen.console_errors == [] and seen.outside_requests == []
