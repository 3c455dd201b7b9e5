"""Stage compare: the experiments side by side, against a linear baseline, with a paired test.

Gathers each experiment's training metrics into one table (JSON for
``dvc metrics diff``, Markdown for people) and a bar chart of accuracies, with
the logistic-regression baseline's rows under them. With ``repeats`` above 1
the table also shows each experiment's mean test accuracy over seeds and its
95% interval, and on MNIST the study's own published figure for the same network
(``hiddennodes.evaluate.published``). Whether the experiments of the reference's width (exp3, exp4 and
exp5 by default: the same width on each input kind) really differ is tested on the same
test images: McNemar's exact test on the items only one of two networks gets
right (``metrics/paired_tests.json``).
"""

from __future__ import annotations

import argparse
from itertools import combinations
from pathlib import Path

from common import load_arrays, read_json, run, save_figure, write_json, write_text
from settings import load_params

from hiddennodes.evaluate.published import figures_text, published_figures
from hiddennodes.evaluate.stats import mcnemar
from hiddennodes.figures.comparison import comparison_figure
from hiddennodes.report.tables import BASELINE_PREFIX, comparison_table, markdown_table, study_sources_text
from hiddennodes.words import count_words

SIGNIFICANCE = 0.05


def paired_lines(tests: dict) -> list[str]:
    lines = []
    for pair, result in tests.items():
        first, second = pair.split(" vs ")
        verdict = "a real difference" if result["p_value"] < SIGNIFICANCE else "no evidence of a difference"
        lines.append(f"- {pair}: only {first} right on {result[f'only_{first}']} test images, only {second} on "
                     f"{result[f'only_{second}']}; McNemar p = {result['p_value']:.3g}: {verdict} at {SIGNIFICANCE}.")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train-metrics", required=True, type=Path, help="folder of each experiment's train metrics (<experiment>.json)")
    parser.add_argument("--baseline", required=True, type=Path, help="the baseline stage's metrics")
    parser.add_argument("--activations", required=True, type=Path, help="folder of each experiment's activations (<experiment>.npz)")
    parser.add_argument("--dataset-info", required=True, type=Path)
    parser.add_argument("--json", required=True, type=Path)
    parser.add_argument("--markdown", required=True, type=Path)
    parser.add_argument("--paired", required=True, type=Path, help="where to write the paired tests' JSON")
    parser.add_argument("--figure", required=True, type=Path)
    args = parser.parse_args()
    params = load_params()
    info = read_json(args.dataset_info)
    metrics = {name: read_json(args.train_metrics / f"{name}.json") for name in params.names}
    study = {}
    for name in params.names:
        experiment = params.experiment(name)
        study[name] = figures_text(published_figures(info["dataset"], experiment.network, experiment.inputs,
                                                     metrics[name]["num_inputs"], params.distortions(experiment).active,
                                                     metrics[name]["hidden_units"]))
    table = comparison_table(metrics, read_json(args.baseline), study)
    write_json(args.json, table)

    correct = {}
    for name in params.reference_peers():
        arrays = load_arrays(args.activations / f"{name}.npz", keys=("test_predicted", "test_labels"))
        correct[name] = arrays["test_predicted"] == arrays["test_labels"]
    tests = {}
    for first, second in combinations(correct, 2):
        result = mcnemar(correct[first], correct[second])
        tests[f"{first} vs {second}"] = {"test_accuracy": [float(correct[first].mean()), float(correct[second].mean())],
                                         f"only_{first}": result["only_a"], f"only_{second}": result["only_b"],
                                         "p_value": result["p_value"], "differ": bool(result["p_value"] < SIGNIFICANCE)}  # not rounded: p can be 1e-58
    write_json(args.paired, tests)

    title = f"{info['title']}: {count_words(len(metrics))} single-hidden-layer networks"
    text = (f"# {title}\n\n" + markdown_table(table) + f"\nRows `{BASELINE_PREFIX} ...`: multinomial logistic regression on the same inputs "
            "(no hidden layer), the model to beat." + (f" {study_sources_text(table)}" if study_sources_text(table) else "")
            + "\n\n## Do the networks really differ? (the same test images)\n\n"
            + "\n".join(paired_lines(tests)) + "\n")
    write_text(args.markdown, text)
    save_figure(args.figure, comparison_figure(table, title))
    print(text)


if __name__ == "__main__":
    run(main)
