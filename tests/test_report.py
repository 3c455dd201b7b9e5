"""The report's findings, its HTML, and that dvc.yaml declares what it reads."""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pytest
import yaml
from matplotlib.figure import Figure as MatplotlibFigure

from hiddennodes.report.findings import (accuracy_findings, augment_findings, away_findings, embedding_finding, inputs_finding,
                                         node_findings, overlap_finding, paired_findings, sparse_findings)
from hiddennodes.report.page import Figure, Section, Table, realworld_table, render_html, strongest_table

ROOT = Path(__file__).resolve().parent.parent


def row(inputs, num_inputs, hidden, train, test):
    return {"inputs": inputs, "num_inputs": num_inputs, "hidden_units": hidden, "trainable_parameters": 10 * hidden,
            "train_accuracy": train, "val_accuracy": test, "test_accuracy": test, "best_epoch": 3, "training_seconds": 12.5}


COMPARISON = {
    "exp1": row("pixels", 784, 1, 0.41, 0.40),
    "exp2": row("pixels", 784, 2, 0.71, 0.70),
    "exp3": row("pixels", 784, 128, 0.95, 0.86),
    "exp4": row("pca", 188, 128, 0.92, 0.885),
    "exp5": row("top pixels", 70, 128, 0.84, 0.82),
}


def test_inputs_finding_says_what_the_reduced_inputs_keep_of_those_the_experiments_use():
    pca, pixels = {"n_components": 188, "explained_variance": 0.9503}, {"top_pixels": 70, "importance_covered": 0.304}
    both = inputs_finding({"pixels", "pca", "top_pixels"}, pca, pixels).sentence
    assert both == ("The PCA inputs are 188 components keeping 95.0% of the pixel variance and the selected pixels are the 70 "
                    "the random forest ranks highest, 30% of its importance.")
    assert inputs_finding({"pixels", "pca"}, pca, pixels).sentence.endswith("95.0% of the pixel variance.")
    assert inputs_finding({"pixels"}, pca, pixels) is None


def test_overlap_finding_counts_and_names_the_separate_classes():
    one = overlap_finding("exp1", {"mean_pairwise_iqr_overlap": 0.168, "overlapping_pairs": 11, "pairs": 45, "classes_with_a_range_of_their_own": ["Trouser"]})
    assert one.startswith("With one node (exp1), ") and "overlap by 17% of their joint range" in one and "11 of 45 class pairs" in one and one.endswith("Trouser has a range of its own.")
    two = overlap_finding("exp7", {"mean_pairwise_iqr_overlap": 0.5, "overlapping_pairs": 40, "pairs": 45, "classes_with_a_range_of_their_own": ["0", "1"]})
    assert two.endswith("0 and 1 have ranges of their own.")
    none = overlap_finding("exp1", {"mean_pairwise_iqr_overlap": 0.5, "overlapping_pairs": 45, "pairs": 45, "classes_with_a_range_of_their_own": []})
    assert none.endswith("no class has a range of its own.")


def node(number, selectivity, importance, description, dead=False):
    return {"node": number, "selectivity": selectivity, "importance": importance, "dead": dead, "description": description}


def test_node_findings_pick_the_most_selective_and_most_important_live_nodes():
    nodes = {
        "dead_nodes": 1, "mean_selectivity": 0.41, "class_preferred_probability": {"0": 0.95, "1": 0.80, "2": 0.99},
        "nodes": [node(0, 0.2, 0.004, "fires for 0s and 6s, silent for 1s"), node(1, 0.0, 0.0, "never fires", dead=True),
                  node(2, 0.9, 0.001, "fires for 7s, silent for every other class"), node(3, 0.5, 0.006, "fires for 3s")],
    }
    found = node_findings("exp3", nodes)
    assert found[0].startswith("exp3: one of its 4 hidden nodes never fires on the test set; mean class selectivity 0.41")
    assert found[1] == "Its most selective node, 2, fires for 7s, silent for every other class (selectivity 0.90); switching node 2 off costs 0.1 points."
    assert found[2] == ("Its most important node, 3, fires for 3s; switching node 3 off costs 0.6 points: no single node matters much, "
                        "each class is spread over many nodes.")
    assert "mean probability of 0.91" in found[3] and "is 1 (0.80)" in found[3]


def test_node_findings_of_one_node_say_it_once():
    nodes = {"dead_nodes": 0, "mean_selectivity": 0.6, "nodes": [node(0, 0.6, 0.2951, "fires for 0s, silent for 1s")]}
    found = node_findings("exp1", nodes)
    # Nothing trivial: no "0 of 1 hidden node never fires", no "its most selective node is also its most important".
    assert found == ["exp1's one node fires for 0s, silent for 1s (mean activation per class); switching it off costs 29.5 points."]
    silent = node_findings("exp1", {**nodes, "dead_nodes": 1, "nodes": [node(0, 0.0, 0.0, "never fires", dead=True)]})
    assert silent == ["exp1's one hidden node never fires on the test set."]
    tiny = node_findings("exp3", {"dead_nodes": 0, "mean_selectivity": 0.5,
                                  "nodes": [node(0, 0.9, 0.0, "a"), node(1, 0.1, 0.0002, "b"), node(2, 0.1, 0.0001, "c")]})
    assert "switching node 0 off makes less than 0.1 points of difference" in tiny[1]
    better = node_findings("exp3", {"dead_nodes": 0, "mean_selectivity": 0.5,
                                    "nodes": [node(0, 0.9, -0.003, "a"), node(1, 0.1, 0.02, "b")]})
    assert "switching node 0 off gains 0.3 points" in " ".join(better)  # a negative cost is said as a gain, never as "-0.3"


def test_embedding_finding():
    text = embedding_finding("exp5", {"tsne_neighbour_agreement": 0.8123, "pca_neighbour_agreement": 0.55, "pca_variance_2d": 0.4}, 10)
    assert text == ("exp5: on the t-SNE map of its hidden activations 81% of each training image's 10 nearest neighbours share its class, "
                    "against 55% on the 2-D PCA map (40% of the hidden variance) and 10% by chance.")


def png_bytes() -> bytes:
    figure = MatplotlibFigure(figsize=(2, 2))
    figure.add_subplot().plot([0, 1], [1, 0])
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def small_report() -> str:
    sections = [Section("exp1", "exp1 <one node>", ["a paragraph & more"], [Figure("a <plot>", png_bytes()), Figure("another", png_bytes())])]
    return render_html("Title", "Intro", ["finding with <script>alert(1)</script>"], COMPARISON, sections)


REALWORLD = {"applicable": True, "uci_digits": 1797,
             "exp3": {"test_accuracy": 0.97, "uci_accuracy": 0.83, "drop": 0.14, "uci_ece": 0.11, "threshold": 0.96,
                      "uci_coverage": 0.7, "uci_accuracy_kept": 0.927}}
ROBUSTNESS = {"severities": {"rotation": {"unit": "degrees", "0": 0, "1": 15, "2": 30}, "blur": {"unit": "sigma in pixels", "0": 0, "1": 1, "2": 2}},
              "exp3": {"clean": 0.97, "strongest": {"rotation": 0.6, "blur": 0.83}}}
CALIBRATION = {"target_accuracy": 0.99, "certainty": 0.95,
               "exp3": {"test_ece": 0.022, "test_accuracy": 0.97, "test_mean_confidence": 0.95, "threshold": 0.96,
                        "test_coverage": 0.886, "test_accuracy_kept": 0.986, "test_checked_by_hand": 0.114}}


def test_baseline_and_paired_test_findings():
    comparison = {**COMPARISON, "logreg pixels": {**row("pixels", 784, 0, 0.93, 0.84), "penalty": "l2"}}
    found = {f.kind: f.sentence for f in accuracy_findings(comparison, "exp3", {"exp4": "inputs", "exp5": "inputs"}, 10)}
    assert found["headline"].startswith("exp4 reads the test digits best")  # the baseline row is not a candidate
    assert found["linear"] == ("The hidden layer of exp3 reads the test digits 2.0 points better than logistic regression on the same "
                               "inputs (86.0% against 84.0%).")
    comparison["logreg pixels l1"] = {**row("pixels", 784, 0, 0.9, 0.83), "penalty": "l1", "zero_weights": 0.62}
    comparison["logreg pca l1"] = {**row("pca", 188, 0, 0.9, 0.83), "penalty": "l1", "zero_weights": 0.1}  # not the reference's inputs
    assert [f.sentence for f in sparse_findings(comparison, "exp3")] == [
        "With an L1 penalty (logreg pixels l1) logistic regression sets 62% of its weights to zero and reaches 83.0% "
        "(1.0 points worse than with L2)."]
    tests = {"exp3 vs exp4": {"only_exp3": 120, "only_exp4": 180, "p_value": 0.00063, "differ": True},
             "exp4 vs exp5": {"only_exp4": 50, "only_exp5": 45, "p_value": 0.68, "differ": False}}
    found = paired_findings(tests, {"exp3": {"repeats": 1}, "exp4": {}, "exp5": {}})
    assert found[0] == ("exp3 against exp4 on the same test images: only exp3 is right on 120, only exp4 on 180; "
                        "McNemar's p = 0.00063, a real difference.")
    assert found[1].endswith("no evidence that they differ: the gap is within chance.")
    with_seeds = {name: {"repeats": 3, "test_accuracy_ci95": {"low": 0.86, "high": 0.87}} for name in ("exp4", "exp5")}
    assert "Over 3 seeds their mean test accuracies' 95% intervals are 0.8600–0.8700 and 0.8600–0.8700." in paired_findings(tests, with_seeds)[1]


def test_realworld_findings_and_tables_say_the_numbers():
    found = [f.sentence for f in away_findings("exp3", REALWORLD, ROBUSTNESS, CALIBRATION)]
    assert found[0].startswith("On scikit-learn's 1,797 8×8 digits (UCI: other writers") and "right on 83.0%, against 97.0%" in found[0] and "14.0 points lower" in found[0]
    assert "most fragile to rotation: at 30 degrees it reads 60.0% of the test digits right, against 97.0% as they are" in found[1]
    assert "holds best under blur (83.0% at 2 sigma in pixels)" in found[1]
    assert "0.022" in found[2] and "0.110 on the UCI digits" in found[2]
    assert found[3] == ("To be 99% right on what it answers, exp3 must hand 11.4% of the test digits to a person: it abstains below a "
                        "top probability of 0.960 and reads the rest 98.6% right; on the UCI digits the same threshold answers 70.0%, "
                        "92.7% right.")
    table = realworld_table(REALWORLD, ROBUSTNESS, CALIBRATION, ["exp3"])
    assert table.rows == [["exp3", "0.9700", "0.8300", "0.0220", "0.1100", "0.960", "88.6%", "98.6%", "70.0%", "92.7%", "rotation (0.6000)"]]
    assert strongest_table(ROBUSTNESS, ["exp3"]).headers == ["experiment", "no change", "rotation 30", "blur 2"]
    # Another dataset: no UCI sentence, and no threshold means every answer is checked.
    other = {**CALIBRATION, "exp3": {**CALIBRATION["exp3"], "threshold": None}}
    found = [f.sentence for f in away_findings("exp3", {"applicable": False, "exp3": {"test_accuracy": 0.97}}, ROBUSTNESS, other)]
    assert not found[0].startswith("On ") and found[-1].startswith("No confidence threshold makes exp3 99% right")
    page = render_html("t", "i", [], COMPARISON, [Section("s", "S", tables=[Table(["a", "b"], [["x<", "1"]])])])
    assert "<th>a</th><th>b</th>" in page and "<td>x&lt;</td><td class=num>1</td>" in page


def test_html_is_self_contained_and_escapes_text():
    page = small_report()
    assert "<script>" not in page and "&lt;script&gt;" in page
    sources = re.findall(r'<img src="([^"]+)"', page)
    assert len(sources) == 2 and all(re.match(r"data:image/(webp|png);base64,", source) for source in sources)
    assert re.findall(r'(?:src|href)="(?!data:|#)([^"]*)"', page) == ["explorer.html"]  # nothing outside but the explorer beside it
    assert page.count("<tr>") == 1 + len(COMPARISON) and ">0.8850<" in page and ">exp4<" in page


def test_page_opens_on_the_summary_with_a_contents_bar_and_folded_sections():
    page = small_report()
    contents = re.search(r'<nav class="contents"[^>]*>(.*?)</nav>', page).group(1)
    links = re.findall(r'href="#([^"]+)"', contents)
    assert links == ["summary", "comparison", "exp1"]
    assert all(f'id="{anchor}"' in page for anchor in links)  # every link has its place
    assert page.index("finding with") < page.index("<details")  # the summary comes before any section
    assert page.count("<details>") == 2 and "<details open" not in page  # the comparison and exp1, both closed
    assert "position: sticky" in page  # the contents bar stays in view


def test_figures_are_stored_small_and_look_the_same():
    from PIL import Image

    from hiddennodes.report.images import compact_image, png_size

    original = png_bytes()
    mime, data = compact_image(original)
    assert len(data) < len(original) and mime == "image/webp"
    before = np.asarray(Image.open(io.BytesIO(original)).convert("RGB"), dtype=int)
    after = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"), dtype=int)
    assert after.shape == before.shape and png_size(original) == (before.shape[1], before.shape[0])
    # A line plot has far fewer than 256 colours: the palette keeps nearly every pixel exactly.
    assert np.mean(np.all(after == before, axis=2)) > 0.99 and np.abs(after - before).max() < 40
    with pytest.raises(ValueError, match="not a PNG file"):
        png_size(b"GIF89a" + bytes(30))


def test_html_loads_in_chromium_without_errors(tmp_path, browser):
    from browser import check_page

    path = tmp_path / "report.html"
    path.write_text(small_report())
    page = check_page(path, browser)
    assert page.title == "Title"
    assert page.console_errors == [] and page.failed_requests == []
    assert [image["decoded"] for image in page.images] == [True, True]
    assert all(image["width"] == 200 for image in page.images)


def test_contents_bar_opens_each_section_with_the_pointer(tmp_path, browser):
    from browser import open_every_section

    path = tmp_path / "report.html"
    path.write_text(small_report())
    opened, problems = open_every_section(path, browser)
    assert [anchor for anchor, _ in opened] == ["summary", "comparison", "exp1"] and problems == []
    # Following a link opens its closed section and brings its title under the bar, in sight.
    assert all(state["open"] and state["title_visible"] for anchor, state in opened if anchor != "summary"), opened


def test_browser_check_catches_broken_images_and_console_errors(tmp_path, browser):
    from browser import check_page

    path = tmp_path / "broken.html"
    path.write_text('<!DOCTYPE html><title>x</title><img alt="bad" src="data:image/png;base64,AAAA">'
                    '<img alt="remote" src="http://127.0.0.1:9/none.png"><script>console.error("boom")</script>')
    page = check_page(path, browser)
    assert "boom" in page.console_errors
    assert len(page.failed_requests) == 1
    assert [image["decoded"] for image in page.images] == [False, False]


def test_dvc_yaml_declares_every_file_the_report_reads_and_a_stage_writes_each():
    from report import report_inputs

    from hiddennodes.config.params import parse_params

    params = parse_params(yaml.safe_load((ROOT / "params.yaml").read_text()))
    pipeline = yaml.safe_load((ROOT / "dvc.yaml").read_text())
    deps = [dep for dep in pipeline["stages"]["report"]["deps"] if not dep.endswith(".py")]
    reads = report_inputs(params.experiments)
    # The report depends on the folders the others write into, so a new experiment needs no edit here.
    assert all(any(path == dep or path.startswith(dep + "/") for dep in deps) for path in reads)
    experiments = {e.name: vars(e) for e in params.experiments}
    written = set()
    for definition in pipeline["stages"].values():
        body = definition.get("do", definition)
        items = experiments.items() if definition.get("foreach") == "${experiments}" else [(None, None)]
        for key, item in items:
            for section in ("outs", "metrics", "plots"):
                for entry in body.get(section, []):
                    path = next(iter(entry)) if isinstance(entry, dict) else entry
                    path = path.replace("${key}", str(key))
                    for name, value in (item or {}).items():
                        path = path.replace("${item.%s}" % name, str(value))
                    written.add(path)
    unwritten = [path for path in reads if not any(path == out or path.startswith(out + "/") for out in written)]
    assert not unwritten


def declared(**seventh):
    """params.yaml's experiments with a seventh, ``exp7``, declared as ``seventh`` says."""
    from hiddennodes.config.params import parse_params

    raw = yaml.safe_load((ROOT / "params.yaml").read_text())
    raw["experiments"]["exp7"] = {"augment": "none", "label": "a seventh experiment", "view": "map", "network": "dense", **seventh}
    return parse_params(raw)


def comparison_of(params, accuracies):
    inputs = {"pixels": 784, "pca": 154, "top_pixels": 70}
    return {e.name: {"inputs": e.inputs, "num_inputs": inputs[e.inputs], "hidden_units": params.width(e),
                     "train_accuracy": accuracies[e.name] + 0.02, "test_accuracy": accuracies[e.name]} for e in params.experiments}


ACCURACIES = {"exp1": 0.39, "exp2": 0.71, "exp3": 0.89, "exp4": 0.88, "exp5": 0.83, "exp6": 0.82}


def test_a_seventh_experiment_gets_its_sentences_from_its_declaration_not_its_name():
    from report import plain_twin, twins_of

    # Two nodes on the PCA components: one of the layers narrower than the classes, wherever it stands in the list.
    params = declared(inputs="pca", training="small", width="small.hidden_exp2", view="scatter")
    comparison = comparison_of(params, {**ACCURACIES, "exp7": 0.66})
    found = {f.kind: f.sentence for f in accuracy_findings(comparison, params.reference, twins_of(params.experiments, params.reference), 10)}
    assert "exp7 (2 hidden nodes) 66.0%" in found["narrow"] and "exp1 (1 hidden node) reads 39.0%" in found["narrow"]

    # The reference's width on the top pixels, trained on distorted copies: exp5's augmented twin, compared with exp5.
    params = declared(inputs="top_pixels", training="model", width="model.hidden", augment="paper")
    experiments = {e.name: e for e in params.experiments}
    assert plain_twin(experiments["exp7"], params.experiments).name == "exp5"
    assert plain_twin(experiments["exp6"], params.experiments).name == "exp3"
    rows = [("test accuracy", 0.83, 0.81), ("mean over the strongest changes", 0.40, 0.55)]
    first = augment_findings("exp5", "exp7", params.distortions(experiments["exp7"]).describe(), rows)[0]
    assert first.kind == "augment exp7" and first.sentence.startswith("exp7 is exp5 trained on distorted copies (turned up to 15°")

    # The reference's width and training on the PCA components, the images as they are: a twin of the reference on other inputs.
    params = declared(inputs="pca", training="model", width="model.hidden")
    twins = twins_of(params.experiments, params.reference)
    assert twins["exp7"] == "inputs"
    comparison = comparison_of(params, {**ACCURACIES, "exp7": 0.87})
    found = {f.kind: f.sentence for f in accuracy_findings(comparison, params.reference, twins, 10)}
    assert found["inputs exp7"] == "exp7 reads the test digits from 154 PCA components 2.0 points worse than exp3 from 784 pixels (87.0% against 89.0%)."


def test_the_page_speaks_of_the_datasets_own_images():
    page = render_html("t", "i", [], COMPARISON, [], item="image")
    assert "Draw an image and watch every hidden node answer" in page and "digit" not in page
    assert "Draw a digit and watch" in render_html("t", "i", [], COMPARISON, [])
    from hiddennodes.report.page import carriers_table

    nodes = {"classes": [{"class": "Bag", "confused_with": None, "confusions": 0, "accuracy": 0.97,
                          "carriers": [{"node": 3, "contribution": 1.5}]}]}
    assert carriers_table(nodes, "images").headers[1::2] == ["most often taken for (images)", "test images right"]


def nodes_of(preferred: list[str], selectivity: float, accuracies: list[float], filters: list[str] | None = None) -> dict:
    """An interpret stage's nodes.json, as much of it as the convolutional comparison reads."""
    classes = [str(label) for label in range(len(accuracies))]
    found = {"mean_selectivity": selectivity, "dead_nodes": 1,
             "nodes": [{"node": node, "preferred_class": name, "dead": False} for node, name in enumerate(preferred)],
             "classes": [{"class": name, "accuracy": accuracy, "carriers": [{"node": 0, "contribution": 1.5}]}
                         for name, accuracy in zip(classes, accuracies)]}
    if filters is not None:
        found["filters"] = {"first_layer": len(filters), "mean_selectivity": 0.1,
                            "filters": [{"filter": index + 1, "preferred_class": name, "selectivity": 0.1} for index, name in enumerate(filters)]}
    return found


def test_the_convolutional_row_is_compared_with_the_dense_network_of_its_inputs_and_distortions():
    from conv_row import with_conv_row
    from report import dense_peer, plain_twin

    from hiddennodes.config.params import parse_params
    from hiddennodes.report.findings import conv_findings, conv_rows

    params = parse_params(yaml.safe_load(with_conv_row((ROOT / "params.yaml").read_text())))
    experiments = {e.name: e for e in params.experiments}
    convolutional = {name for name, e in experiments.items() if params.architecture(e).convolutional}
    assert dense_peer(experiments["exp7"], params.experiments, convolutional).name == "exp3"
    # exp8 and exp6 both train on paper's distorted copies.
    assert dense_peer(experiments["exp8"], params.experiments, convolutional).name == "exp6"
    assert dense_peer(experiments["exp3"], params.experiments, convolutional) is None
    assert plain_twin(experiments["exp8"], params.experiments).name == "exp7"

    dense = nodes_of(["0", "0", "1"], 0.4, [0.9, 0.8])
    conv = nodes_of(["0", "1", "1"], 0.6, [0.95, 0.7], filters=["0", "0", "1"])
    assert conv_rows(dense, conv) == [("0", 2, 1, 0.9, 0.95, 1.5, 1.5), ("1", 1, 2, 0.8, 0.7, 1.5, 1.5)]
    comparison = {"exp3": {"test_accuracy": 0.85, "trainable_parameters": 101770, "hidden_units": 128},
                  "exp7": {"test_accuracy": 0.9, "trainable_parameters": 82890, "hidden_units": 128, "filters": [16, 32], "kernel": 5}}
    found = conv_findings("exp3", "exp7", comparison, dense, conv)
    assert found[0].sentence == ("exp7, 16 and 32 filters of 5x5 before its 128 hidden nodes, reads the test digits 5.0 points better "
                                 "than exp3 (90.00% against 85.00%) with 82,890 parameters against 101,770.")
    assert found[0].size == pytest.approx(0.05) and found[0].kind == "conv exp7" and not found[0].surprising
    assert found[1].sentence.startswith("Its hidden nodes are more class-selective: mean selectivity 0.60 against 0.40")
    assert found[2].sentence.startswith("0s gain the most: 95.0% right against 90.0%")
    assert found[3].sentence == "1s lose the most: 70.0% against 80.0%."
    assert found[4].sentence.startswith("Its 3 first-layer filters are far less class-selective than its hidden nodes (mean 0.10 "
                                        "against 0.60; 2 of them respond most to 0s)")
