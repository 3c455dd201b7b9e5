"""The real pipeline, end to end, on a tiny synthetic dataset: the first run, what it wrote, and what reruns.

The tests that change the project further (repeats, a seventh experiment, bad params) are in
tests/test_pipeline_changes.py; both modules work in copies of one reproduced project (tests/pipeline_project.py).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
import yaml
from matplotlib.image import imread

from pipeline_project import BIN, ROOT, lock_outputs, run, stages_run, would_rerun

# The slow layer (`-m "not pipeline"` leaves it out). scripts/test.sh runs the tests with pytest-xdist's
# --dist loadfile: a module's tests on one worker.
# Fixtures `project` and `clean_project`: tests/pipeline_project.py (a plugin of tests/conftest.py).
pytestmark = pytest.mark.pipeline


def test_first_repro_runs_every_stage(project):
    ran = stages_run((project / "first_repro.log").read_text())
    experiments = list(yaml.safe_load((project / "params.yaml").read_text())["experiments"])
    expected = {"check_params", "download", "prepare", "overview", "pca", "select_pixels", "compare", "realworld",
                "robustness", "calibration", "baseline", "familiarity", "customer_pictures", "customers", "attributions", "headline", "report", "explorer",
                "width_sweep"}
    expected |= {f"{stage}@{name}" for stage in ("train", "activations", "evaluate", "interpret", "hidden") for name in experiments}
    assert ran == expected



def test_the_committed_gitignore_files_already_ignore_every_output(project):
    # DVC adds each output to a .gitignore beside it; committed in advance, a
    # user's `git status` after `dvc repro` shows only dvc.lock.
    changed = (project / "first_status.log").read_text().splitlines()
    assert changed == ["?? dvc.lock", "?? first_repro.log"]



def test_every_declared_output_exists_and_parses(project):
    realworld = json.loads((project / "metrics/realworld.json").read_text())
    assert realworld["applicable"] is False and "test networks trained on MNIST" in realworld["reason"]
    # The synthetic classes are named 0-9, so the customers' pictures are drawn from its test images.
    customers = json.loads((project / "metrics/customers.json").read_text())
    assert customers["applicable"] is True and customers["digits"] == 2
    assert set(customers["exp3"]) == {"clean", "hard"}
    familiarity = json.loads((project / "metrics/familiarity.json").read_text())
    assert familiarity["val_digits"] == 100 and familiarity["val_pass_share"] >= 0.99
    assert familiarity["val_digits_unprepared"] == 0  # every synthetic digit has ink the reader finds
    assert set(realworld) >= {f"exp{number}" for number in range(1, 6)}
    # The robustness stage's unchanged test set and the calibration stage read the network as training measured it.
    robustness = json.loads((project / "metrics/robustness.json").read_text())
    calibration = json.loads((project / "metrics/calibration.json").read_text())
    for number in range(1, 6):
        test_accuracy = json.loads((project / f"metrics/train/exp{number}.json").read_text())["test_accuracy"]
        assert robustness[f"exp{number}"]["clean"] == pytest.approx(test_accuracy, abs=1 / 200)
        assert calibration[f"exp{number}"]["test_accuracy"] == pytest.approx(test_accuracy, abs=1 / 200)
        assert len(robustness[f"exp{number}"]["strongest"]) == 9
    assert robustness["test_images"] == 200
    outputs = lock_outputs(project)
    assert len(outputs) >= 30
    for name in outputs:
        path = project / name
        assert path.exists(), name
        if path.is_dir():
            assert any(path.iterdir()) or name.endswith("/filters"), name  # a dense network has no filters to draw
        elif path.suffix == ".json":
            assert json.loads(path.read_text()), name
        elif path.suffix == ".npz":
            with np.load(path) as arrays:
                assert arrays.files, name
        elif path.suffix == ".png":
            assert imread(path).shape[2] in (3, 4), name
        elif path.suffix == ".md":
            assert len(re.findall(r"^\| exp\d ", path.read_text(), re.M)) == 6
        elif name == "report.html":
            page = path.read_text()
            # a picture a class beside the answer, the data's three, and each experiment's weights at least
            assert page.count('<figure class="card">') == 10 and page.count("<img ") >= 10 + 3 + 6, name
        elif name == "explorer.html":
            # one network per experiment, and the earlier epochs of the one- and two-node layers and of the reference
            assert path.read_text().count('"hidden_kernel":{') == 6 + 3, name
        elif path.suffix == ".gz" or path.suffix == ".keras":
            assert path.stat().st_size > 0
    activations = np.load(project / "data/activations/exp2.npz")
    assert activations["train_hidden"].shape == (500, 2)
    assert activations["test_hidden"].shape == (200, 2)
    assert activations["test_probabilities"].shape == (200, 10)
    comparison = json.loads((project / "metrics/comparison.json").read_text())
    kinds = [f"logreg {kind}{penalty}" for kind in ("pixels", "pca", "top pixels") for penalty in ("", " l1", " elasticnet")]
    assert list(comparison) == ["exp1", "exp2", "exp3", "exp4", "exp5", "exp6", *kinds]
    assert [row["hidden_units"] for row in comparison.values()] == [1, 2, 8, 8, 8, 8] + [0] * 9
    baseline = json.loads((project / "metrics/baseline.json").read_text())
    assert [row["num_inputs"] for row in baseline.values()] == [784] * 3 + [comparison["exp4"]["num_inputs"]] * 3 + [20] * 3
    assert baseline["pixels l1"]["penalty"] == "l1" and 0 < baseline["pixels l1"]["zero_weights"] < 1
    # exp6 trained on distorted copies of the same digits: its network records how.
    exp6 = json.loads(str(np.load(project / "models/exp6/network.npz")["settings"]))
    assert exp6["augment"] == "paper" and exp6["distortions"]["rotation"] > 0
    attributions = json.loads((project / "metrics/attributions.json").read_text())["exp4"]
    assert sorted(path.name for path in (project / "plots/attributions/exp4").iterdir()) == ["classes.png", "mistakes.png"]
    assert attributions["method"] == "deep" and attributions["additivity_error"] < 1e-3 and attributions["background"] == 50
    # Bars are the easiest kind of digit: the linear model reads them too.
    assert baseline["pixels"]["test_accuracy"] > 0.6 and comparison["logreg pixels"]["test_accuracy"] == baseline["pixels"]["test_accuracy"]
    assert comparison["exp5"]["num_inputs"] == 20
    assert comparison["exp4"]["num_inputs"] == json.loads((project / "metrics/pca.json").read_text())["n_components"]
    counts = json.loads((project / "metrics/class_counts.json").read_text())
    assert [sum(counts[split].values()) for split in ("train", "val", "test")] == [500, 100, 200]
    nodes = json.loads((project / "metrics/exp4/nodes.json").read_text())
    assert nodes["hidden_units"] == 8 and [node["node"] for node in nodes["nodes"]] == list(range(8))
    assert all(0 <= node["selectivity"] <= 1 and node["description"] for node in nodes["nodes"])
    assert len(nodes["class_preferred_probability"]) == 10
    # What carries each class: the four nodes adding most to its score, strongest first, and its accuracy as the
    # evaluate stage measured it from the same activations.
    recalls = json.loads((project / "metrics/exp4/classification_report.json").read_text())
    assert [row["class"] for row in nodes["classes"]] == [str(digit) for digit in range(10)]
    for row in nodes["classes"]:
        contributions = [carrier["contribution"] for carrier in row["carriers"]]
        assert len(contributions) == 4 and contributions == sorted(contributions, reverse=True)
        assert abs(row["accuracy"] - recalls[row["class"]]["recall"]) < 1e-4
    assert nodes["weight_figures"] == {"figures": 1, "per_figure": 32, "percentile": 99}
    assert sorted(path.name for path in (project / "plots/exp4/nodes/weights").iterdir()) == ["1.png"]
    embedding = json.loads((project / "metrics/exp5/hidden.json").read_text())
    assert embedding["images"] == 500 and 0 <= embedding["tsne_neighbour_agreement"] <= 1
    overlap = json.loads((project / "metrics/exp1/hidden.json").read_text())
    assert overlap["pairs"] == 45 and 0 <= overlap["mean_pairwise_iqr_overlap"] <= 1
    assert sorted(path.name for path in (project / "plots/exp2/hidden").iterdir()) == ["scatter_predicted.png", "scatter_true.png"]
    network = np.load(project / "models/exp4/network.npz", allow_pickle=False)
    assert str(network["input_kind"]) == "pca" and network["pca_components"].shape[0] == comparison["exp4"]["num_inputs"]
    assert list(network["class_names"]) == [str(digit) for digit in range(10)]
    assert json.loads(str(network["settings"]))["experiment"] == "exp4"
    rows = json.loads((project / "plots/exp3/confusion.json").read_text())
    assert len(rows) == 200 and set(rows[0]) == {"actual", "predicted"}
    # Ten epochs on 500 synthetic images of bars: far above chance (0.1).
    assert comparison["exp3"]["test_accuracy"] > 0.6



def test_second_repro_runs_nothing(project):
    result = run([str(BIN / "dvc"), "repro"], project)
    assert stages_run(result.stdout) == set()
    status = run([str(BIN / "dvc"), "status", "--json"], project)
    assert json.loads(status.stdout) == {}



def declared_plots(project: Path) -> set[str]:
    """The plots `dvc plots show` finds in dvc.yaml, as the ids of its page's divs."""
    shown = json.loads(run([str(BIN / "dvc"), "plots", "show", "--json"], project).stdout)
    assert not shown.get("errors"), shown["errors"]
    return {re.sub(r"[^a-zA-Z0-9-]", "_", name) for name in shown["data"]}  # as dvc-render names its divs



def test_plots_show_draws_every_declared_plot_offline(project, tmp_path, browser):
    from browser import dvc_plots_page

    run([str(BIN / "dvc"), "plots", "show", "-o", str(tmp_path / "plots")], project)
    drawn, problems = dvc_plots_page(tmp_path / "plots" / "index.html", browser)
    assert problems == []  # vega, vega-lite and vega-embed come inside the page (.dvc/plots_page/page.html)
    assert set(drawn) == declared_plots(project) and all(drawn.values()), drawn
    # The curves that compare well are data: robustness by level, a line per change, and each reliability diagram.
    ids = set(drawn)
    assert {f"plots_robustness_levels_exp{n}_json" for n in range(1, 7)} <= ids
    assert {f"plots_calibration_reliability_exp{n}_json" for n in range(1, 7)} <= ids
    assert {f"plots_exp{n}_learning_loss_json" for n in range(1, 7)} <= ids and any("confusion" in name for name in ids)
    # The hidden layer over its epochs: DVCLive's image steps, one image per snapshot epoch, named by it.
    epochs = json.loads((project / "metrics/exp2/epochs.json").read_text())["epochs"]
    assert {f"dvclive_exp2-epochs_plots_images_scatter_{epoch}_png" for epoch in epochs} <= ids
    assert "dvclive_exp1-epochs_plots_images_box_0_png" in ids and "dvclive_exp3-epochs_plots_images_weights_0_png" in ids



def test_the_hidden_layer_over_its_epochs(project):
    """Each training keeps its layers at the snapshot epochs (the network file's at the kept one), and the interpret stage
    reads and draws each: the numbers, a DVCLive image per epoch, an animation under 300 KB, the report's sentence."""
    import io

    from PIL import Image

    from hiddennodes.network.snapshots import load_snapshots
    from hiddennodes.network.trained import load_network

    params = yaml.safe_load((project / "params.yaml").read_text())
    report = (project / "report.html").read_text()
    for name, experiment in params["experiments"].items():
        network, snapshots = load_network(project / f"models/{name}/network.npz"), load_snapshots(project / f"models/{name}/snapshots.npz")
        numbers = json.loads((project / f"metrics/{name}/epochs.json").read_text())
        last = params[experiment["training"]]["epochs"]
        wanted = {epoch for epoch in params["snapshots"]["epochs"] if epoch <= last} | {last, numbers["kept_epoch"]}
        assert numbers["epochs"] == sorted(wanted) == list(snapshots.epochs)
        kept = snapshots.network_at(network, numbers["kept_epoch"])
        for layer in ("hidden_kernel", "hidden_bias", "output_weights", "output_bias"):
            np.testing.assert_array_equal(kept.layers[layer], network.layers[layer])
        train = json.loads((project / f"metrics/train/{name}.json").read_text())
        assert numbers["val_accuracy"][numbers["epochs"].index(numbers["kept_epoch"])] == pytest.approx(train["val_accuracy"], abs=1e-6)
        kind = {"box": "box", "scatter": "scatter", "map": "weights"}[experiment["view"]]
        steps = sorted(int(path.stem) for path in (project / f"dvclive/{name}-epochs/plots/images/{kind}").glob("*.png"))
        assert steps == numbers["epochs"]
        webp = (project / f"plots/{name}/epochs/animation.webp").read_bytes()
        assert len(webp) < 300_000 and Image.open(io.BytesIO(webp)).n_frames == len(numbers["epochs"])
        said = f"{name} over its epochs: "
        assert (said in report) == (name in ("exp1", "exp2", params["reference"])), name
    import base64

    animated = [data for data in re.findall(r'src="data:image/webp;base64,([^"]+)"', report) if b"ANIM" in base64.b64decode(data)[:64]]
    assert len(animated) == 3  # exp1's, exp2's and the reference's



def test_dvc_shows_a_dozen_numbers_an_experiment_and_no_string(project):
    """`dvc exp show` has a column per leaf of each metrics file: only the headline numbers are declared so."""
    shown = json.loads(run([str(BIN / "dvc"), "exp", "show", "--json"], project).stdout)
    metrics = {path: content["data"] for path, content in shown[0]["data"]["metrics"].items()}
    from hiddennodes.evaluate.headline import numbers

    leaves = {(path, name): value for path, data in metrics.items() for name, value in numbers(data).items()}
    assert all(isinstance(value, (int, float)) and not isinstance(value, bool) for value in leaves.values()), leaves
    experiments = [f"exp{n}" for n in range(1, 7)]
    for name in experiments:
        own = [key for key in leaves if key[0] == f"metrics/{name}/training.json" or
               (key[0] == "metrics/experiments.json" and key[1].startswith(f"{name}."))]
        assert 5 <= len(own) <= 12, (name, own)
    study = [key for key in leaves if key[0] == "metrics/study.json"]
    assert 4 <= len(study) <= 10
    assert set(metrics) == {f"metrics/{name}/training.json" for name in experiments} | {"metrics/experiments.json", "metrics/study.json"}



# The files dvc.yaml declared as metrics before the headline metrics came: each is a detail file (an out) now.
DETAIL_FILES = ["metrics/pca.json", "metrics/pixels.json", "metrics/baseline.json", "metrics/comparison.json", "metrics/paired_tests.json",
                "metrics/robustness.json", "metrics/familiarity.json", "metrics/calibration.json", "metrics/realworld.json",
                "metrics/customers.json"] + [f"metrics/train/exp{n}.json" for n in range(1, 7)] + [f"metrics/exp{n}/hidden.json" for n in range(1, 7)]



def test_no_number_is_lost_and_none_stands_in_two_metrics_files(project):
    from hiddennodes.evaluate.headline import numbers

    lock = yaml.safe_load((project / "dvc.lock").read_text())
    outs = {out["path"] for stage in lock["stages"].values() for out in stage.get("outs", [])}
    pipeline = yaml.safe_load((project / "dvc.yaml").read_text())
    declared_metrics = [path for stage in pipeline["stages"].values() for path in stage.get("do", stage).get("metrics", [])]
    # Every number the old metrics files held is still written, in the same file, which DVC still tracks.
    for path in DETAIL_FILES:
        assert path in outs and path not in declared_metrics, path
        assert numbers(json.loads((project / path).read_text())), path
    detail = {path: json.loads((project / path).read_text()) for path in DETAIL_FILES}
    experiments = json.loads((project / "metrics/experiments.json").read_text())
    for name in (f"exp{n}" for n in range(1, 7)):
        training = json.loads((project / f"metrics/{name}/training.json").read_text())
        assert all(detail[f"metrics/train/{name}.json"][key] == value for key, value in training.items()), name
        row, calibration = experiments[name], detail["metrics/calibration.json"][name]
        strongest = detail["metrics/robustness.json"][name]["strongest"]
        assert row["calibration_error"] == calibration["test_ece"] and row["answered_at_target"] == calibration["test_coverage"]
        assert row["robust_accuracy"] == pytest.approx(np.mean(list(strongest.values())), abs=1e-6)
    study = json.loads((project / "metrics/study.json").read_text())
    assert study["pca_components"] == detail["metrics/pca.json"]["n_components"]
    assert study["logreg_pixels_test_accuracy"] == detail["metrics/baseline.json"]["pixels"]["test_accuracy"]
    # Each number once: no experiment's measure in two metrics files.
    names = [f"{name}.{key}" for name in (f"exp{n}" for n in range(1, 7))
             for key in json.loads((project / f"metrics/{name}/training.json").read_text())]
    names += list(numbers(experiments)) + [f"study.{key}" for key in study]
    assert len(names) == len(set(names))



def test_width_change_reruns_only_what_reads_it(project):
    # DVC's own reckoning (the queued sweep below runs width changes for real, and `dvc metrics diff` on one).
    expected = {f"{stage}@{name}" for stage in ("train", "activations", "evaluate", "interpret", "hidden")
                for name in ("exp3", "exp4", "exp5", "exp6")} | {"attributions"}
    # width_sweep compares the recorded sweep with the model section, and marks the width on its figure.
    assert would_rerun(project, {"model.hidden": 3}) == expected | {"check_params", "compare", "realworld", "robustness", "calibration",
                                                                    "customers", "headline", "report", "explorer", "width_sweep"}


def test_pca_variance_change_reruns_pca_and_exp4_only(project):
    assert would_rerun(project, {"pca.variance": 0.8}) == {"check_params", "pca", "train@exp4", "activations@exp4", "evaluate@exp4", "interpret@exp4",
                                         "hidden@exp4", "attributions", "baseline", "compare", "realworld", "robustness", "calibration",
                                         "familiarity", "customers", "headline", "report", "explorer"}



def test_perplexity_change_redraws_the_maps_and_the_report(project):
    # Every hidden@ item tracks the key (a foreach declares one params list); the box and scatter redraw the same files.
    assert would_rerun(project, {"embedding.perplexity": 10}) == {"check_params", "report"} | {f"hidden@exp{number}" for number in range(1, 7)}



def wait_for_queue(project: Path) -> str:
    """Block until every queued experiment has ended, following each one's log (`dvc queue logs -f`); the final status."""
    dvc = str(BIN / "dvc")
    status = run([dvc, "queue", "status"], project).stdout
    names = re.findall(r"^\w+\s+(\S+)\s+.*\b(?:Queued|Running)\b", status, re.M)
    for name in names:
        while "has not been started" in (follow := run([dvc, "queue", "logs", "-f", name], project, check=False)).stdout + follow.stderr:
            pass  # its worker has not picked it up yet: each `dvc queue logs` call takes about a second
    return run([dvc, "queue", "status"], project).stdout



def test_a_queued_width_sweep_gathers_into_a_table(clean_project, tmp_path, browser):
    project = clean_project
    run([str(BIN / "dvc"), "exp", "remove", "--all-commits"], project)  # only this sweep's experiments to gather
    run([str(BIN / "dvc"), "exp", "run", "--queue", "-S", "model.hidden=3,5,7", "train@exp3"], project)
    run([str(BIN / "dvc"), "queue", "start", "--jobs", "3"], project)
    status = wait_for_queue(project)
    assert status.count("Success") >= 3, status
    run([str(BIN / "hiddennodes-sweep"), "--out", str(tmp_path / "sweep")], project)
    summary = json.loads((tmp_path / "sweep" / "sweep.json").read_text())
    assert summary["key"] == "model.hidden"
    assert [row["model.hidden"] for row in summary["rows"]] == [3, 5, 7]
    assert [row["trainable_parameters"] for row in summary["rows"]] == sorted(row["trainable_parameters"] for row in summary["rows"])
    assert {row["line"] for row in json.loads((tmp_path / "sweep" / "accuracy.json").read_text())} == {"validation", "test"}
    assert summary["best"]["val_accuracy"] == max(row["val_accuracy"] for row in summary["rows"])
    assert (tmp_path / "sweep" / "sweep.png").stat().st_size > 10_000
    # The sweep drawn by DVC offline, and two widths' plots laid over each other by `dvc plots diff`.
    from browser import dvc_plots_page

    drawn, problems = dvc_plots_page(tmp_path / "sweep" / "plots" / "index.html", browser)
    assert problems == [] and len(drawn) == 1 and all(drawn.values()), drawn
    names = [row["name"] for row in summary["rows"]]
    run([str(BIN / "dvc"), "plots", "diff", names[0], names[-1], "-o", str(tmp_path / "diff")], project)
    drawn, problems = dvc_plots_page(tmp_path / "diff" / "index.html", browser)
    assert problems == [] and set(drawn) == declared_plots(project) and all(drawn.values()), drawn
    # One width applied to the workspace, as after `dvc exp run -S model.hidden=3`: `dvc metrics diff` lists what a
    # person compares, a few numbers per changed experiment, never a string.
    run([str(BIN / "dvc"), "exp", "apply", names[0]], project)
    diff = json.loads(run([str(BIN / "dvc"), "metrics", "diff", "--json"], project).stdout)
    rows = [(path, name, change) for path, changes in diff.items() for name, change in changes.items()]
    assert 0 < len(rows) <= 40, rows
    assert all(isinstance(change["new"], (int, float)) and isinstance(change["old"], (int, float)) for _, _, change in rows), rows
    exp3 = diff["metrics/exp3/training.json"]
    assert exp3["trainable_parameters"]["new"] < exp3["trainable_parameters"]["old"]  # 3 hidden nodes instead of 8
    assert {"val_accuracy", "test_accuracy", "trainable_parameters"} <= set(exp3)
    assert "metrics/exp1/training.json" not in diff and "metrics/study.json" not in diff  # what the width does not touch



def test_a_shared_remote_restores_every_output_without_rerunning(clean_project, tmp_path):
    project = clean_project
    run([str(BIN / "dvc"), "remote", "add", "-d", "shared", str(tmp_path / "remote")], project)
    run(["git", "commit", "-qam", "a shared remote"], project)
    run([str(BIN / "dvc"), "push", "-q"], project)
    clone = tmp_path / "clone"
    run(["git", "clone", "-q", str(project), str(clone)], tmp_path)
    assert not (clone / "report.html").exists()
    run([str(BIN / "dvc"), "pull", "-q"], clone)
    for name in lock_outputs(project):
        assert (clone / name).exists(), name
    assert (clone / "report.html").read_bytes() == (project / "report.html").read_bytes()
    assert json.loads(run([str(BIN / "dvc"), "status", "--json"], clone).stdout) == {}
    result = run([str(BIN / "dvc"), "repro"], clone)
    assert stages_run(result.stdout) == set()



def test_every_node_sentence_of_the_report_holds_on_the_arrays_behind_its_figures(project):
    # "Fires for" is a node's mean activation per class (the tuning figure's array); every sentence of the page that
    # says what a node fires for, or what it is most and least active for, is read back and held to it.
    from hiddennodes.readback import node_claims, report_problems

    experiments = list(yaml.safe_load((project / "params.yaml").read_text())["experiments"])
    class_names = json.loads((project / "data/dataset.json").read_text())["class_names"]
    tunings = {}
    for name in experiments:
        with np.load(project / f"data/interpretation/{name}.npz", allow_pickle=False) as arrays:
            tunings[name] = arrays["tuning"]
    page = (project / "report.html").read_text()
    count, problems = report_problems(page, tunings, class_names)
    assert problems == []
    # every experiment's section says what one of its nodes fires for; the answer adds exp1's node and exp2's two
    assert {name for name, _, _ in node_claims(page, experiments)} == set(experiments) and count >= len(experiments) + 3


def test_report_opens_offline_in_chromium_with_every_image(project, browser):
    from browser import check_page, open_every_section

    page = check_page(project / "report.html", browser)
    assert page.console_errors == [] and page.failed_requests == []
    assert page.title.startswith("What the hidden nodes learn")
    assert len(page.images) == (project / "report.html").read_text().count("<img ")
    assert all(image["decoded"] and image["width"] > 100 and image["height"] > 100 for image in page.images), page.images
    # The summary first: at most eight sentences, no change said with a sign.
    text = (project / "report.html").read_text()
    summary = re.search(r'<section class="summary".*?</section>', text, re.S).group(0)
    sentences = re.findall(r"<li>(.*?)</li>", summary)
    assert 3 <= len(sentences) <= 8 and not any(re.search(r"by [-+]\d|[-+]\d[\d.]* points", line) for line in sentences), sentences
    assert text.index('class="summary"') < text.index("<details") and text.count("<details open") == 0
    # A reader follows the contents bar: every link opens its section and shows its title below the bar.
    opened, problems = open_every_section(project / "report.html", browser)
    # the answer, the summary, the comparison, the data, six experiments, one node against two and four more
    assert problems == [] and [anchor for anchor, _ in opened][:2] == ["answer", "summary"] and len(opened) == 2 + 13
    assert all(state["open"] and state["title_visible"] for _, state in opened), opened



def test_explorer_runs_every_experiment_as_numpy_does(project, browser, mnist_t10k):
    """The pipeline's explorer.html, every experiment: the page's probabilities for 1,000 real test digits equal
    NumPy's from the network file, a digit drawn with the pointer is answered, and the one- and two-node views
    mark the drawing where its activations put it."""
    from browser import visit
    from explorer_pages import digit_strokes, draw_strokes

    from hiddennodes.data.datasets import DATASETS
    from hiddennodes.data.checks import verify
    from hiddennodes.network.trained import load_network

    mnist = DATASETS["mnist"]
    digits = verify(mnist, "test_images", (mnist_t10k / "t10k-images-idx3-ubyte.gz").read_bytes())[:1000].reshape(-1, 784) / 255
    digits = digits.astype(np.float32)
    experiments = list(yaml.safe_load((project / "params.yaml").read_text())["experiments"])
    size = (project / "explorer.html").stat().st_size
    assert size < 3e6 * len(experiments)
    artifacts = ROOT / "tests" / "artifacts" / "explorer"
    artifacts.mkdir(parents=True, exist_ok=True)
    with visit(browser, project / "explorer.html") as seen:
        page = seen.page
        page.wait_for_function("document.body.dataset.ready === 'yes'")
        assert page.locator("#experiments button").count() == len(experiments)
        for name in experiments:
            network = load_network(project / "models" / name / "network.npz")
            page.locator(f"#experiments button[data-name={name}]").click()
            result = page.evaluate("([name, flat, count]) => explorer.run(name, flat, count)", [name, digits.ravel().tolist(), len(digits)])
            probabilities, expected = np.array(result["probabilities"]), network.probabilities(digits)
            assert np.abs(probabilities - expected).max() < 1e-5, name
            assert (probabilities.argmax(axis=1) == expected.argmax(axis=1)).all(), name
            page.click("#clear")
            draw_strokes(page, *digit_strokes(digits[0]))
            state = page.evaluate("explorer.state()")
            assert state["experiment"] == name
            assert state["predicted"] == int(network.probabilities(np.array(state["digit"], dtype=np.float32)[None]).argmax())
            layer = page.locator("#layer")
            hidden = network.run(network.features(np.array(state["digit"], dtype=np.float32)[None]))[0][0]
            if network.hidden_units == 1:  # the black line on the box plot stands at NumPy's activation
                assert float(layer.get_attribute("data-value")) == pytest.approx(float(hidden[0]), abs=1e-4)
            if network.hidden_units == 2:  # the ring on the scatter sits at NumPy's two activations, on the plot's axes
                sample = np.load(project / "data" / "interpretation" / f"{name}.npz")["sample_hidden"]
                low, high = np.minimum(sample.min(axis=0), 0), np.maximum(np.maximum(sample.max(axis=0), hidden), 0) * 1.05 + 1e-6
                width, height, margin = 600, 400, 28
                x = margin + (hidden[0] - low[0]) / (high[0] - low[0]) * (width - margin - 8)
                y = height - margin - (hidden[1] - low[1]) / (high[1] - low[1]) * (height - margin - 8)
                assert float(layer.get_attribute("data-x")) == pytest.approx(x, abs=0.01)
                assert float(layer.get_attribute("data-y")) == pytest.approx(y, abs=0.01)
            assert page.locator("#layer-view").is_visible() == (network.hidden_units <= 2)
            page.screenshot(path=artifacts / f"{name}_pipeline.png", full_page=True)
        assert seen.console_errors == [] and seen.outside_requests == []



def test_the_explorer_reads_a_drawing_with_the_network_of_each_epoch(project, browser, mnist_t10k):
    """The epoch slider of exp2 and the reference, moved with the pointer: at each position the page answers a drawn
    digit as NumPy's forward pass of that snapshot does (its kernel stored to 1/127 of its largest weight), the
    scatter is redrawn, and the last position is the network file's own."""
    from browser import visit
    from explorer_pages import digit_strokes, draw_strokes

    from hiddennodes.data.datasets import DATASETS
    from hiddennodes.data.checks import verify
    from hiddennodes.network.snapshots import load_snapshots
    from hiddennodes.network.trained import load_network

    mnist = DATASETS["mnist"]
    digit = verify(mnist, "test_images", (mnist_t10k / "t10k-images-idx3-ubyte.gz").read_bytes())[0].reshape(784) / 255
    reference = yaml.safe_load((project / "params.yaml").read_text())["reference"]
    with visit(browser, project / "explorer.html") as seen:
        page = seen.page
        page.wait_for_function("document.body.dataset.ready === 'yes'")
        page.click('#experiments button[data-name="exp1"]')
        assert page.locator("#epoch-row").is_visible()  # the one-node layer has one too; a wide non-reference layer none
        page.click('#experiments button[data-name="exp4"]')
        assert not page.locator("#epoch-row").is_visible()
        for name in ("exp2", reference):
            page.click(f'#experiments button[data-name="{name}"]')
            page.click("#clear")
            draw_strokes(page, *digit_strokes(digit.astype(np.float32)))
            network, snapshots = load_network(project / f"models/{name}/network.npz"), load_snapshots(project / f"models/{name}/snapshots.npz")
            slider = page.locator("#epoch")
            positions = int(slider.get_attribute("max")) + 1
            shown = [epoch for epoch in snapshots.epochs if epoch <= snapshots.kept_epoch]
            assert positions == len(shown) and page.evaluate("explorer.state()")["epoch"] == snapshots.kept_epoch
            box, rings = slider.bounding_box(), set()
            for position in range(positions):  # a click on the track where the slider's thumb would stand
                page.mouse.click(box["x"] + 8 + (box["width"] - 16) * position / (positions - 1), box["y"] + box["height"] / 2)
                state = page.evaluate("explorer.state()")
                assert state["epoch"] == shown[position] == int(slider.get_attribute("data-epoch"))
                at = snapshots.network_at(network, state["epoch"])
                fed = np.array(state["digit"], dtype=np.float32)[None]
                hidden, probabilities = at.run(at.features(fed))
                exact = position == positions - 1
                assert np.abs(np.array(state["probabilities"]) - probabilities[0]).max() < (1e-5 if exact else 0.02)
                assert np.abs(np.array(state["hidden"]) - hidden[0]).max() < (1e-4 if exact else 0.1 + 0.02 * np.abs(hidden).max())
                assert f"epoch {shown[position]}" in page.locator("#epoch-label").inner_text()
                if name == "exp2" and position in (0, positions - 1):
                    rings.add(page.locator("#layer").screenshot())
            # the training digits' cloud and the output layer's regions are those of the epoch shown
            assert name != "exp2" or len(rings) == 2
        assert seen.console_errors == [] and seen.outside_requests == []



@pytest.mark.parametrize(("key", "value", "changed"), [
    ("small.dropout", 0.2, {"train@exp1", "train@exp2"}),
    # width_sweep: the recorded sweep of the width backs a run only under its model section's settings.
    ("model.l2", 0.001, {"train@exp3", "train@exp4", "train@exp5", "width_sweep"}),
    ("model.patience", 3, {"train@exp3", "train@exp4", "train@exp5", "width_sweep"}),
    ("model.schedule", "cosine", {"train@exp3", "train@exp4", "train@exp5", "width_sweep"}),
    ("model_augmented.epochs", 4, {"train@exp6"}),  # exp6's own recipe: the plain networks stay
    ("augment.paper", {"rotation": 10, "copies": 2}, {"train@exp6", "report"}),  # the report words the set
    ("attributions.per_class", 4, {"attributions"}),
    ("baseline.max_iter", 50, {"baseline"}),
])
def test_each_option_touches_only_the_stages_that_read_it(project, key, value, changed):
    assert json.loads(run([str(BIN / "dvc"), "status", "--json"], project).stdout) == {}
    params = (project / "params.yaml").read_text()
    edited = yaml.safe_load(params)
    section, name = key.split(".")
    edited[section][name] = value
    (project / "params.yaml").write_text(yaml.safe_dump(edited, sort_keys=False))
    try:
        status = json.loads(run([str(BIN / "dvc"), "status", "--json"], project).stdout)
    finally:
        (project / "params.yaml").write_text(params)
    assert set(status) == changed | {"check_params"}, status


def test_another_experiment_is_one_entry_in_params_yaml(clean_project):
    project = clean_project
    params = yaml.safe_load((project / "params.yaml").read_text())
    params["experiments"]["exp7"] = {"inputs": "pca", "training": "small", "width": "small.hidden_exp2",
                                     "label": "two hidden nodes on the PCA components", "view": "scatter", "augment": "none",
                                     "network": "dense"}
    (project / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False))
    result = run([str(BIN / "dvc"), "repro"], project)
    ran = stages_run(result.stdout)
    assert {f"{stage}@exp7" for stage in ("train", "activations", "evaluate", "interpret", "hidden")} <= ran
    # The stages that gather every experiment take it in; nothing of the other six reruns.
    assert {"compare", "calibration", "robustness", "realworld", "attributions", "report", "explorer"} <= ran
    assert not any(stage.endswith(("@exp1", "@exp2", "@exp3", "@exp4", "@exp5", "@exp6")) for stage in ran), ran
    comparison = json.loads((project / "metrics/comparison.json").read_text())
    assert comparison["exp7"]["hidden_units"] == 2 and comparison["exp7"]["inputs"] == "pca"
    assert "exp7" in json.loads((project / "metrics/calibration.json").read_text())
    assert "exp7" in json.loads((project / "metrics/robustness.json").read_text())
    report = (project / "report.html").read_text()
    assert "exp7: two hidden nodes on the PCA components (2 hidden nodes)" in report
    assert '"name":"exp7"' in (project / "explorer.html").read_text()
    assert (project / "plots/exp7/hidden/scatter_true.png").stat().st_size > 10_000
    assert stages_run(run([str(BIN / "dvc"), "repro"], project).stdout) == set()
