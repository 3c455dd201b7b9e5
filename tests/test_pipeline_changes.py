"""The real pipeline on a tiny synthetic dataset: changes that run stages for real (a forced retraining,
repeated seeds, robustness and calibration settings) and params that are refused before
anything runs. In a copy of the project tests/test_pipeline.py reads (tests/pipeline_project.py).
"""

from __future__ import annotations

import html
import json
import re

import numpy as np
import pytest
import yaml

from conv_row import with_conv_row
from pipeline_project import BIN, ROOT, run, stages_run

# Fixtures `project` and `clean_project`: tests/pipeline_project.py (a plugin of tests/conftest.py).
pytestmark = pytest.mark.pipeline


def test_same_params_and_seed_give_the_same_metrics(clean_project):
    project = clean_project
    before = json.loads((project / "metrics/train/exp3.json").read_text())
    network = (project / "models/exp3/network.npz").read_bytes()
    run([str(BIN / "dvc"), "repro", "--force", "--single-item", "train@exp3"], project)
    after = json.loads((project / "metrics/train/exp3.json").read_text())
    before.pop("training_seconds"), after.pop("training_seconds")
    assert after == before
    assert (project / "models/exp3/network.npz").read_bytes() == network  # the same file, byte for byte



def test_robustness_and_calibration_settings_rerun_only_their_stages(clean_project):
    project = clean_project
    result = run([str(BIN / "dvc"), "exp", "run", "-S", "robustness.rotation=45", "-S", "calibration.target_accuracy=0.95"], project)
    assert stages_run(result.stdout) == {"check_params", "robustness", "calibration", "realworld", "customers", "headline", "report"}
    robustness = json.loads((project / "metrics/robustness.json").read_text())
    assert robustness["severities"]["rotation"]["4"] == 45
    assert json.loads((project / "metrics/calibration.json").read_text())["target_accuracy"] == 0.95



def test_repeated_seeds_give_an_interval_and_keep_the_first_network(clean_project):
    project = clean_project
    # The one- and two-node networks' section (the wide one's trains the same way, four networks instead of two).
    before = json.loads((project / "metrics/train/exp1.json").read_text())
    result = run([str(BIN / "dvc"), "exp", "run", "-S", "small.repeats=3"], project)
    ran = stages_run(result.stdout)
    assert {"train@exp1", "train@exp2", "compare", "report"} <= ran and "train@exp3" not in ran
    # The kept network is the first seed's, unchanged: nothing computed from its weights reruns.
    assert not any(stage.split("@")[0] in ("activations", "interpret", "hidden") for stage in ran), ran
    after = json.loads((project / "metrics/train/exp1.json").read_text())
    assert after["test_accuracy"] == before["test_accuracy"] and after["repeats"] == 3
    assert list(after["test_accuracy_runs"]) == ["42", "43", "44"] and after["test_accuracy_runs"]["42"] == before["test_accuracy"]
    interval = after["test_accuracy_ci95"]
    assert interval["low"] <= after["test_accuracy_mean"] <= interval["high"]
    assert after["test_accuracy_mean"] == pytest.approx(np.mean(list(after["test_accuracy_runs"].values())), abs=1e-6)
    comparison = (project / "metrics/comparison.md").read_text()
    # (a noisy one-node network's interval over three seeds may reach below 0)
    assert re.search(r"^\| exp1 \| pixels \| 784 \| 1 \| .* \| 3 \| [0-9.]+ \| -?[0-9.]+–[0-9.]+ \|", comparison, re.M)
    assert "McNemar p =" in comparison and "| logreg pixels | pixels | 784 | 0 |" in comparison
    paired = json.loads((project / "metrics/paired_tests.json").read_text())
    assert list(paired) == ["exp3 vs exp4", "exp3 vs exp5", "exp3 vs exp6", "exp4 vs exp5", "exp4 vs exp6", "exp5 vs exp6"]
    assert all(0 <= test["p_value"] <= 1 for test in paired.values())



def test_bad_param_stops_with_one_sentence(clean_project):
    project = clean_project
    params = (project / "params.yaml").read_text()
    bad = yaml.safe_load(params)
    bad["model"]["hidden"] = 0
    (project / "params.yaml").write_text(yaml.safe_dump(bad, sort_keys=False))
    try:
        result = run([str(BIN / "dvc"), "repro"], project, check=False)
    finally:
        (project / "params.yaml").write_text(params)
    assert result.returncode != 0
    errors = [line for line in (result.stdout + result.stderr).splitlines() if line.startswith("error: ")]
    assert errors == ["error: params.yaml: model.hidden is 0; it must be a whole number of at least 1."]



def test_a_width_too_big_for_memory_is_refused_before_any_output_is_removed(clean_project):
    project = clean_project
    network = (project / "models/exp3/network.npz").read_bytes()
    result = run([str(BIN / "dvc"), "exp", "run", "-S", "model.hidden=100000000"], project, check=False)
    assert result.returncode != 0
    errors = [line for line in (result.stdout + result.stderr).splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and re.match(r"error: params\.yaml: model\.hidden is 100000000; exp3 would need about [\d,.]+ GiB of "
                                         r"memory and this machine has [\d,.]+ GiB, so use a width of at most about [\d,]+\.$", errors[0])
    assert (project / "models/exp3/network.npz").read_bytes() == network  # DVC never reached the train stage
    assert "Running stage 'train@exp3'" not in result.stdout



def test_a_typo_in_a_key_is_refused_with_the_nearest_key(clean_project):
    result = run([str(BIN / "dvc"), "exp", "run", "-S", "+model.hiden=5"], clean_project, check=False)
    assert result.returncode != 0
    assert "error: params.yaml: unknown key model.hiden (did you mean model.hidden?)" in result.stdout + result.stderr



def test_the_convolutional_row_is_the_two_documented_lines(clean_project):
    """params.yaml's commented exp7 and exp8, as docs/experiments.md tells a user to add them (tiny filters and epochs)."""
    project = clean_project
    documented = yaml.safe_load(with_conv_row((ROOT / "params.yaml").read_text()))["experiments"]
    params = yaml.safe_load((project / "params.yaml").read_text())
    params["experiments"].update({name: documented[name] for name in ("exp7", "exp8")})
    params["networks"]["conv"] = {"filters": [4, 8], "kernel": 5, "pool": 2}
    params["cnn"].update({"hidden": 8, "epochs": 4, "batch_size": 32, "learning_rate": 0.003})
    params["cnn_augmented"].update({"epochs": 2, "batch_size": 32})
    (project / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False))
    ran = stages_run(run([str(BIN / "dvc"), "repro"], project).stdout)
    assert {f"{stage}@{name}" for stage in ("train", "activations", "evaluate", "interpret", "hidden") for name in ("exp7", "exp8")} <= ran
    assert {"compare", "calibration", "robustness", "realworld", "customers", "attributions", "headline", "report", "explorer"} <= ran
    assert not any(stage.endswith(tuple(f"@exp{number}" for number in range(1, 7))) for stage in ran), ran

    network = np.load(project / "models/exp7/network.npz", allow_pickle=False)
    assert network["conv1_kernel"].shape == (5, 5, 1, 4) and network["conv2_kernel"].shape == (5, 5, 4, 8)
    assert network["hidden_kernel"].shape == (4 * 4 * 8, 8) and int(network["conv_pool"]) == 2
    settings = json.loads(str(np.load(project / "models/exp8/network.npz")["settings"]))
    assert settings["filters"] == [4, 8] and settings["augment"] == "paper" and settings["distortions"]["copies"] == 4
    assert settings["section"] == "cnn_augmented" and settings["epochs"] == 2 and settings["hidden_units"] == 8
    train = json.loads((project / "metrics/train/exp7.json").read_text())
    assert train["filters"] == [4, 8] and train["test_accuracy"] > 0.5  # bars, four epochs
    assert sorted(path.name for path in (project / "plots/exp7/filters").iterdir()) == ["kernels.png", "lit.png", "responses.png"]
    assert not any((project / "plots/exp3/filters").iterdir())  # a dense network has no filters
    nodes = json.loads((project / "metrics/exp7/nodes.json").read_text())
    assert nodes["filters"]["first_layer"] == 4 and len(nodes["filters"]["filters"]) == 4
    for name in ("robustness", "calibration", "realworld", "customers"):
        assert {"exp7", "exp8"} <= set(json.loads((project / f"metrics/{name}.json").read_text())), name
    assert json.loads((project / "metrics/attributions.json").read_text())["exp7"]["method"] == "deep"
    comparison = json.loads((project / "metrics/comparison.json").read_text())
    assert comparison["exp7"]["filters"] == [4, 8] and "filters" not in comparison["exp3"]
    report = (project / "report.html").read_text()
    assert "Through learnt filters: exp7 against exp3" in report and "Through learnt filters: exp8 against exp6" in report
    assert "Trained on distorted copies: exp8 against exp7" in report
    assert "exp8 trains with params.yaml's cnn_augmented (2 epochs), exp7 with cnn (4 epochs)" in html.unescape(report)
    assert '"name":"exp8"' in (project / "explorer.html").read_text()
    reader = json.loads((project / "metrics/customers.json").read_text()).get("reader")
    assert reader is None or reader["experiment"] in params["experiments"]
    assert stages_run(run([str(BIN / "dvc"), "repro"], project).stdout) == set()
    # The CNN's width is its own key: the dense networks' width change leaves its training alone.
    params["model"]["hidden"] = 12
    (project / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False))
    stale = set(json.loads(run([str(BIN / "dvc"), "status", "--json"], project).stdout))
    assert {"train@exp3", "train@exp6"} <= stale and not {"train@exp7", "train@exp8", "interpret@exp7"} & stale, stale
    # The augmented CNN's epochs are its own too: they retrain exp8 and leave exp7 alone.
    params["cnn_augmented"]["epochs"] = 3
    (project / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False))
    stale = set(json.loads(run([str(BIN / "dvc"), "status", "--json"], project).stdout))
    assert "train@exp8" in stale and "train@exp7" not in stale, stale
