"""Stage report: one self-contained HTML page with every experiment's results.

Gathers the comparison table, each experiment's figures and short findings
worded from the metrics (``hiddennodes.report_words``) into ``report.html``
(``hiddennodes.report_page``), with the figures embedded so the page needs no
network and no other file. The experiments and the reference (the one the
headline findings speak of) come from params.yaml; it reads what the other
stages wrote under ``metrics/`` and ``plots/``, which dvc.yaml declares as its
two folders.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from common import read_json, run, write_text
from settings import load_params

from hiddennodes.report_page import Figure, Section, augment_table, customers_table, realworld_table, render_html, strongest_table
from hiddennodes.report_words import (
    attribution_finding,
    augment_findings,
    augment_rows,
    customers_findings,
    embedding_finding,
    error_finding,
    model_findings,
    node_findings,
    overlap_finding,
    paired_findings,
    realworld_findings,
)
from hiddennodes.words import count_words, english_list

# Per experiment: (file under plots/<experiment>/, caption), in the order shown.
EXPERIMENT_FIGURES = (
    ("learning_curves.png", "Learning curves from DVCLive; the kept (best validation) epoch is marked."),
    ("confusion.png", "Test confusion matrix."),
    ("nodes/weights.png", "Each hidden node's incoming weights as a 28×28 image, on one colour scale (red: ink raises the node)."),
    ("nodes/tuning.png", "Mean activation of each node per class, nodes sorted by their preferred class."),
    ("nodes/class_preferred.png", "The input each class prefers: regularised gradient ascent on the class score (logit) through the hidden layer."),
    ("attributions/{name}/classes.png", "Which pixels push each class's score up (red) or down (blue): shap's attributions toward the class, "
     "the mean over its test digits, measured against training digits; the outline is the class's mean digit."),
    ("attributions/{name}/mistakes.png", "Its most confident mistakes: the pixels that pushed toward the wrong answer, beside those toward the right one."),
    ("nodes/selective.png", "The most class-selective nodes: weights, preferred input (closed form), the training images that drive them most and some that leave them silent."),
    ("nodes/important.png", "The most important nodes: those whose removal costs the most test accuracy."),
    ("errors/confused_pairs.png", "The most confused class pairs: rows are the true class, columns the predicted one."),
    ("errors/confident_mistakes.png", "The test images it gets wrong with the highest confidence."),
)
# The hidden stage's figures of each view, under plots/<experiment>/hidden/.
VIEW_FIGURES = {
    "box": (("boxplot_predicted.png", "The single node's activation per predicted class (the study's box plot)."),
            ("boxplot_true.png", "The single node's activation per true class.")),
    "scatter": (("scatter_predicted.png", "The two nodes' activations coloured by predicted class, over the output layer's decision regions."),
                ("scatter_true.png", "The same, coloured by true class.")),
    "map": (("pca.png", "Hidden activations of all training images, PCA to 2-D, with images drawn at their places."),
            ("tsne.png", "The same by t-SNE (openTSNE, seeded): images the hidden layer treats as alike lie together.")),
}
INPUT_FIGURES = {
    "top_pixels": (("pixel_importance.png", "The random forest's pixel importances; the selected pixels are ringed in red."),),
}
REAL_FIGURES = (
    ("robustness/curves.png", "Test accuracy as the digits are turned, moved, resized, thinned, thickened, made noisy, blurred and faded."),
    ("robustness/examples.png", "One test image at every level of every change, to see what the severities mean."),
    ("calibration/reliability.png", "Reliability diagrams: accuracy against confidence; bars on the diagonal mean the confidence can be trusted."),
    ("calibration/coverage.png", "Accuracy on the digits the model answers against the share it answers, abstaining below a confidence threshold."),
)
CUSTOMER_FIGURES = (
    ("customers/examples.png", "Each condition at its strongest: the picture as sent, each 28×28 the network was fed, and what it answered."),
)
DATA_FIGURES = (
    ("data/samples.png", "Sample training images per class."),
    ("data/class_counts.png", "Images per class in each split."),
    ("data/mean_images.png", "The mean training image of each class."),
)


def experiment_figures(experiment) -> list[tuple[str, str]]:
    """The figures of one experiment's section: (path under plots/, caption)."""
    figures = [(name.format(name=experiment.name) if name.startswith("attributions/") else f"{experiment.name}/{name}", caption)
               for name, caption in EXPERIMENT_FIGURES]
    # The study's own plots and the maps come right after the basics.
    figures[2:2] = [(name, caption) for name, caption in INPUT_FIGURES.get(experiment.inputs, ())]
    figures[2:2] = [(f"{experiment.name}/hidden/{name}", caption) for name, caption in VIEW_FIGURES[experiment.view]]
    return figures


def report_inputs(experiments) -> list[str]:
    """Every file the report reads besides the dataset info, relative to the project: all under metrics/ and plots/."""
    files = [f"metrics/{name}" for name in ("comparison.json", "pca.json", "pixels.json", "realworld.json", "robustness.json",
                                            "calibration.json", "paired_tests.json", "customers.json", "customers_table.json",
                                            "familiarity.json", "attributions.json")]
    for e in experiments:
        files += [f"metrics/{e.name}/{name}.json" for name in ("nodes", "classification_report", "hidden")]
    names = [name for name, _ in DATA_FIGURES] + ["comparison.png"]
    names += [name for e in experiments for name, _ in experiment_figures(e)]
    names += [name for name, _ in REAL_FIGURES] + [name for name, _ in CUSTOMER_FIGURES]
    return files + [f"plots/{name}" for name in names]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--metrics", required=True, type=Path, help="the metrics folder")
    parser.add_argument("--plots", required=True, type=Path, help="the plots folder")
    parser.add_argument("--dataset-info", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path)
    args = parser.parse_args()
    params = load_params()
    experiments, reference = params.experiments, params.reference
    info = read_json(args.dataset_info)
    class_names = info["class_names"]
    comparison = read_json(args.metrics / "comparison.json")
    pca, pixels = read_json(args.metrics / "pca.json"), read_json(args.metrics / "pixels.json")
    nodes = {e.name: read_json(args.metrics / e.name / "nodes.json") for e in experiments}
    reports = {e.name: read_json(args.metrics / e.name / "classification_report.json") for e in experiments}
    hidden = {e.name: read_json(args.metrics / e.name / "hidden.json") for e in experiments}
    realworld, robustness, calibration = (read_json(args.metrics / f"{name}.json") for name in ("realworld", "robustness", "calibration"))
    attributions = read_json(args.metrics / "attributions.json")

    def view_finding(experiment) -> list[str]:
        if experiment.view == "box":
            return [overlap_finding(hidden[experiment.name])]
        if experiment.view == "map":
            return [embedding_finding(experiment.name, hidden[experiment.name], len(class_names))]
        return []

    findings = model_findings(comparison, len(class_names), pca, pixels)
    findings += paired_findings(read_json(args.metrics / "paired_tests.json"), comparison)
    findings += [line for e in experiments if e.view == "box" for line in view_finding(e)]
    for e in experiments:
        findings += node_findings(e.name, nodes[e.name])
    findings += [line for e in experiments if e.view == "map" for line in view_finding(e)]
    findings += [error_finding(e.name, reports[e.name], class_names) for e in experiments]
    real_findings = realworld_findings(realworld, robustness, calibration, reference)
    customers = read_json(args.metrics / "customers.json")
    customer_table = read_json(args.metrics / "customers_table.json")
    customer_findings = customers_findings(customers, customer_table, read_json(args.metrics / "familiarity.json"), reference)
    findings += customer_findings + real_findings

    def figure(name: str, caption: str) -> Figure:
        return Figure(caption, (args.plots / name).read_bytes())

    sections = [Section("data", f"The data: {info['title']}", [
        f"Classes: {', '.join(class_names)}. Split as in the study: the first images of the training file validate, "
        "the others train, and the test images are only used for the final figures.",
    ], [figure(name, caption) for name, caption in DATA_FIGURES])]
    for e in experiments:
        row = comparison[e.name]
        text = (f"{row['inputs']}: {row['num_inputs']} inputs → {row['hidden_units']} hidden nodes → {len(class_names)} classes, "
                f"{row['trainable_parameters']:,} parameters; kept epoch {row['best_epoch']}; "
                f"accuracy: train {row['train_accuracy']:.4f}, validation {row['val_accuracy']:.4f}, test {row['test_accuracy']:.4f}.")
        paragraphs = [text, *node_findings(e.name, nodes[e.name])]
        if e.view == "map":
            paragraphs += view_finding(e)
        paragraphs.append(error_finding(e.name, reports[e.name], class_names))
        paragraphs.append(attribution_finding(e.name, attributions[e.name]))
        figures = [figure(path, caption) for path, caption in experiment_figures(e)]
        title = f"{e.name}: {e.label} ({row['hidden_units']} hidden node{'s' if row['hidden_units'] > 1 else ''})"
        sections.append(Section(e.name, title, paragraphs, figures))
    sections.append(Section("overall", "All experiments side by side", [], [figure("comparison.png", "Accuracy of every experiment on each split.")]))
    paragraphs = [] if realworld["applicable"] else [f"Digits from other writers: not applicable. {realworld['reason']}"]
    sections.append(Section(
        "realworld", "Away from the training conditions: other writers, changed images, and when to abstain",
        paragraphs + real_findings, [figure(name, caption) for name, caption in REAL_FIGURES],
        [realworld_table(realworld, robustness, calibration, params.names),
         strongest_table(robustness, params.names)]))

    sections.append(Section(
        "customers", "Customers' digits: photos and scans as people really send them",
        customer_findings, [figure(name, caption) for name, caption in CUSTOMER_FIGURES],
        [customers_table(customer_table, reference)] if customers.get("applicable") else []))

    # Each experiment trained on distorted copies, against its plain twin: the same inputs, training and width, no distortion.
    for e in experiments:
        twin = next((t for t in experiments if t.augment == "none" and (t.inputs, t.training, t.width) == (e.inputs, e.training, e.width)), None)
        if e.augment == "none" or twin is None:
            continue
        rows = augment_rows(twin.name, e.name, comparison, robustness, calibration, customers, realworld)
        words = augment_findings(twin.name, e.name, params.distortions(e).describe(), rows)
        findings += words
        sections.append(Section(
            f"augment-{e.name}", f"Trained on distorted copies: {e.name} against {twin.name}", words,
            [figure(f"{twin.name}/nodes/weights.png", f"{twin.name}'s hidden nodes' weights, trained on the digits as they are."),
             figure(f"{e.name}/nodes/weights.png", f"{e.name}'s, trained on distorted copies: compare the strokes each node looks for.")],
            [augment_table(twin.name, e.name, rows)]))

    title = f"What the hidden nodes learn: {info['title']}"
    introduction = (f"{count_words(len(experiments)).capitalize()} single-hidden-layer networks: "
                    f"{english_list([e.label for e in experiments])}. For each, the report shows what each hidden node responds to. "
                    "Every number and sentence here was generated by the pipeline from this run's metrics.")
    write_text(args.out, render_html(title, introduction, findings, comparison, sections))
    print(f"{args.out}: {len(sections)} sections, {sum(len(section.figures) for section in sections)} figures, {len(findings)} findings")


if __name__ == "__main__":
    run(main)
