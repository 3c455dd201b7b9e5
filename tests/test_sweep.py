"""The sweep gatherer on `dvc exp show --json` output shaped as DVC 3.6x writes it."""

import json
from pathlib import Path

import pytest

from hiddennodes.cli.sweep import main
from hiddennodes.evaluate.sweep import SweepError, best_row, experiment_records, flatten, sweep_table, varying_keys

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def in_the_project(monkeypatch):
    """The command takes its default experiment (params.yaml's reference) from the project it runs in."""
    monkeypatch.chdir(ROOT)


def entry(rev, name, hidden, val, test, activation="relu", seconds=10.0):
    params = {"seed": 42, "model": {"hidden": hidden, "activation": activation, "learning_rate": 0.001}}
    train = {"val_accuracy": val, "test_accuracy": test, "training_seconds": seconds,
             "trainable_parameters": 795 * hidden + 10, "best_epoch": 5}
    return {"rev": rev, "name": name, "error": None, "experiments": None,
            "data": {"rev": rev, "timestamp": "2026-11-23T00:00:00", "params": {"params.yaml": {"data": params}},
                     "metrics": {"metrics/exp3/training.json": {"data": train}, "metrics/pca.json": {"data": {"n_components": 154}}}}}


def show(*experiments):
    commit = entry("a" * 40, "main", 128, 0.88, 0.865)
    commit["experiments"] = [{"name": item["name"], "executor": None, "revs": [item]} for item in experiments]
    queued = {"rev": "c" * 40, "name": "still-queued", "error": None, "experiments": None, "data": {"rev": "c" * 40}}
    commit["experiments"].append({"name": "still-queued", "executor": {"state": "queued"}, "revs": [queued]})
    return [{"rev": "workspace", "name": None, "error": None, "experiments": None, "data": entry("workspace", None, 128, 0.88, 0.865)["data"]}, commit]


SWEEP = show(entry("b" * 40, "wide-one", 700, 0.892, 0.884, seconds=40.0), entry("d" * 40, "tiny-one", 2, 0.70, 0.71, seconds=5.0),
             entry("e" * 40, "mid-one", 300, 0.892, 0.880, seconds=20.0))


def test_records_skip_the_workspace_and_unfinished_runs_and_flatten_params():
    records = experiment_records(SWEEP)
    assert [record["name"] for record in records] == ["main", "wide-one", "tiny-one", "mid-one"]
    assert records[0]["committed"] and not records[1]["committed"]
    assert records[1]["params"]["model.hidden"] == 700
    assert varying_keys(records) == ["model.hidden"]
    assert flatten({"a": {"b": {"c": 1}}, "d": 2}) == {"a.b.c": 1, "d": 2}


def test_the_table_is_sorted_by_the_swept_value_and_the_best_is_chosen_on_validation():
    rows = sweep_table(experiment_records(SWEEP), "model.hidden", "exp3")
    assert [row["model.hidden"] for row in rows] == [2, 128, 300, 700]
    best = best_row(rows)
    # 300 and 700 tie on validation; the smaller network wins. Test accuracy (0.884 for 700) plays no part.
    assert best["name"] == "mid-one"
    with pytest.raises(SweepError, match="no finished experiment has metrics/exp9/training.json"):
        sweep_table(experiment_records(SWEEP), "model.hidden", "exp9")


def test_the_command_writes_table_json_and_figure_and_finds_the_key(tmp_path, capsys):
    saved = tmp_path / "show.json"
    saved.write_text(json.dumps(SWEEP))
    assert main(["--from-json", str(saved), "--out", str(tmp_path / "sweep")]) == 0
    output = capsys.readouterr().out
    assert "Best on validation: model.hidden = 300 (mid-one)" in output and "dvc exp apply mid-one" in output
    summary = json.loads((tmp_path / "sweep" / "sweep.json").read_text())
    assert summary["key"] == "model.hidden" and len(summary["rows"]) == 3 and summary["best"]["name"] == "mid-one"
    table = (tmp_path / "sweep" / "sweep.md").read_text().splitlines()
    assert table[0].startswith("| model.hidden | name | val_accuracy | test_accuracy | training_seconds |")
    assert table[3].startswith("| **300** | mid-one | **0.8920** | 0.8800 | 20.0 |")
    assert main(["--from-json", str(saved), "--include-commit", "--out", str(tmp_path / "with")]) == 0
    assert len(json.loads((tmp_path / "with" / "sweep.json").read_text())["rows"]) == 4
    assert (tmp_path / "sweep" / "sweep.png").stat().st_size > 10_000


def test_with_repeated_seeds_the_choice_is_on_the_mean_over_seeds(tmp_path, capsys):
    runs = []
    for name, hidden, single, mean in (("a", 32, 0.889, 0.881), ("b", 550, 0.885, 0.886)):
        item = entry(name * 40, name, hidden, single, 0.87)
        item["data"]["metrics"]["metrics/exp3/training.json"]["data"].update(
            val_accuracy_mean=mean, test_accuracy_mean=0.87, test_accuracy_ci95={"low": 0.865, "high": 0.875}, repeats=5)
        runs.append(item)
    rows = sweep_table([record for record in experiment_records(show(*runs)) if not record["committed"]], "model.hidden", "exp3")
    assert best_row(rows)["name"] == "b"  # a single lucky seed (0.889) does not win
    saved = tmp_path / "show.json"
    saved.write_text(json.dumps(show(*runs)))
    assert main(["--from-json", str(saved), "--out", str(tmp_path / "sweep")]) == 0
    output = capsys.readouterr().out
    assert "model.hidden = 550 (b): mean validation accuracy over seeds 0.8860" in output
    assert "| **550** | b | 0.8850 | 0.8700 |" in output and "0.8650–0.8750" in output


def test_a_categorical_sweep_and_one_of_two_keys(tmp_path, capsys):
    saved = tmp_path / "show.json"
    saved.write_text(json.dumps(show(entry("f" * 40, "tanh-one", 128, 0.87, 0.86, activation="tanh"))))
    assert main(["--from-json", str(saved), "--include-commit", "--out", str(tmp_path / "sweep")]) == 0
    output = capsys.readouterr().out
    assert "model.activation = relu (main)" in output and "the committed params.yaml already" in output
    saved.write_text(json.dumps(show(entry("f" * 40, "both", 64, 0.87, 0.86, activation="tanh"))))
    # Two keys vary: without --key they are one recipe; --key picks one of them.
    assert main(["--from-json", str(saved), "--include-commit", "--out", str(tmp_path / "other")]) == 0
    assert "model.activation + model.hidden = activation=relu, hidden=128 (main)" in capsys.readouterr().out
    assert main(["--from-json", str(saved), "--include-commit", "--key", "model.hidden", "--out", str(tmp_path / "other")]) == 0


def test_a_recipe_of_several_keys_is_swept_as_one(tmp_path, capsys):
    """Keys varied together (optimizer and learning rate) are tabulated as one recipe and chosen on validation."""
    runs = []
    for index, (activation, rate, val) in enumerate((("relu", 0.001, 0.88), ("tanh", 0.001, 0.87), ("relu", 0.003, 0.895), ("tanh", 0.003, 0.86))):
        run = entry(f"{index}" * 40, f"run-{index}", 128, val, val - 0.01, activation=activation)
        run["data"]["params"]["params.yaml"]["data"]["model"]["learning_rate"] = rate
        runs.append(run)
    path = tmp_path / "show.json"
    path.write_text(json.dumps(show(*runs)))
    assert main(["--from-json", str(path), "--out", str(tmp_path / "sweep")]) == 0
    summary = json.loads((tmp_path / "sweep" / "sweep.json").read_text())
    assert summary["key"] == "model.activation + model.learning_rate"
    assert summary["best"]["name"] == "run-2" and summary["best"][summary["key"]] == "activation=relu, learning_rate=0.003"
    assert len(summary["rows"]) == 4 and "| activation=relu, learning_rate=0.003 |" in capsys.readouterr().out.replace("**", "")
