"""Stage report: one self-contained HTML page with every experiment's results.

Gathers the comparison table, each experiment's figures and short findings
worded from the metrics (``hiddennodes.report.findings``) into ``report.html``
(``hiddennodes.report.page``), with the figures embedded so the page needs no
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

from hiddennodes.report.findings import (accuracy_findings, epochs_sentence, attribution_finding, augment_findings, augment_rows, away_findings,
                                         class_finding, conv_findings, conv_rows, customers_findings, embedding_finding,
                                         inputs_finding, management_paragraphs, node_findings, overlap_finding, paired_findings, sentences,
                                         sparse_findings, width_sentences)
from hiddennodes.report.answer import class_sentences, node_sentence, second_node_sentence, separation_sentence
from hiddennodes.report.page import (Answer, Figure, Section, augment_table, carriers_table, conv_table, customers_table, realworld_table,
                                     render_html, strongest_table)
from hiddennodes.report.summary import count_sentence, summary
from hiddennodes.words import count_words, english_list, items_of

# Per experiment, after what carries each class: (file under plots/<experiment>/, caption), in the order shown.
EXPERIMENT_FIGURES = (
    ("nodes/weights/1.png", "The most important hidden nodes' incoming weights as 28×28 images (up to {per_figure}){mapped}, ordered by "
     "the class each prefers and then by the accuracy lost without it; one colour scale, clipped at the {percentile}th percentile of the "
     "weights' sizes (red: ink there raises the node, blue: lowers it); pixels that training {items} hardly ever ink are faded out."),
    ("attributions/{name}/classes.png", "Which pixels push each class's score up (red) or down (blue): shap's attributions toward the class, "
     "the mean over its test {items}, measured against training {items}; the outline is the class's mean {item}."),
    ("nodes/important.png", "The most important nodes: those whose removal costs the most test accuracy, with the training images that "
     "drive them most and some that leave them silent. These are single extremes: what a node 'fires for' in the text is its mean "
     "activation over each class's test {items}, so a node can fire most on average for one class and still have a few of another "
     "at its top."),
    ("learning_curves.png", "Learning curves from DVCLive; the kept (best validation) epoch is marked."),
    ("confusion.png", "Test confusion matrix."),
)
# Shown in the reference's section only (the others name them under "More figures"; they are in plots/ and in
# `dvc plots show`): every kind of figure once in full there, and each other experiment what differs from it: its
# weights (over other inputs, or trained otherwise), the study's own plot of a narrow layer, its inputs' and filters'.
REFERENCE_ONLY = ("/classes.png", "/mistakes.png", "nodes/important.png", "learning_curves.png", "nodes/tuning.png",
                  "confusion.png", "hidden/tsne.png")
# The words of a kind of figure after its first appearance, where its caption explains it in full.
SHORT_CAPTIONS = {"nodes/weights/1.png": "The most important nodes' incoming weights{mapped}", "confusion.png": "Test confusion matrix",
                  "hidden/tsne.png": "Its hidden activations mapped by t-SNE", "nodes/tuning.png": "Mean activation of each node per class"}
# A convolutional experiment's: its hidden nodes have no weight per pixel, and its filters come after the weights.
CONV_WEIGHTS_CAPTION = ("The most important hidden nodes' gradients to the pixels, each averaged over the training images that drive "
                        "the node most (up to {per_figure}): where ink raises it near the images it fires for (a node behind "
                        "convolutions weighs the pixels differently for every image), ordered by preferred class and then by the "
                        "accuracy lost without it; one colour scale, clipped at the {percentile}th percentile.")
FILTER_FIGURES = (
    ("filters/kernels.png", "The first convolutional layer's filters as images, all on one colour scale (red: ink there raises the "
     "filter's response), each with the class whose test images its map responds to most."),
    ("filters/responses.png", "What each filter responds to per class: the mean of its feature map over each class's test images, a "
     "panel per convolutional layer, each row scaled to its own largest value."),
    ("filters/lit.png", "Each first-layer filter with the test images its map responds to most."),
)
# Figures kept out of the page to keep it small, named in each section: they are in plots/ and in `dvc plots show`.
MORE_FIGURES = ("nodes/tuning.png", "nodes/class_preferred.png", "nodes/selective.png", "errors/confused_pairs.png",
                "errors/confident_mistakes.png")
# The hidden stage's figures of each view, under plots/<experiment>/hidden/; the maps' PCA twin stays in plots/.
VIEW_FIGURES = {
    "box": (("boxplot_predicted.png", "The single node's activation on the training images per predicted class (the study's box plot)."),
            ("boxplot_true.png", "The same per true class: where the boxes overlap, one node cannot tell those classes apart.")),
    "scatter": (("scatter_predicted.png", "The two nodes' activations on the training images (the study's scatter), coloured by "
                 "predicted class, over the output layer's decision regions."),
                ("scatter_true.png", "The same, coloured by true class.")),
    "map": (("tsne.png", "Hidden activations of training images mapped to 2-D by t-SNE (which keeps each image near its nearest "
             "neighbours; seeded), with images drawn at their places: images the hidden layer treats as alike lie together."),),
}
MORE_VIEW_FIGURES = {"map": ("hidden/pca.png",)}
INPUT_FIGURES = {
    "top_pixels": (("pixel_importance.png", "The random forest's pixel importances; the selected pixels are ringed in red."),),
}
REAL_FIGURES = (
    ("robustness/curves.png", "Test accuracy as the {items} are turned, moved, resized, thinned, thickened, made noisy, blurred and faded."),
    ("calibration/reliability.png", "Reliability diagrams: accuracy against confidence; bars on the diagonal mean the confidence can be trusted."),
    ("calibration/coverage.png", "Accuracy on the {items} the model answers against the share it answers, abstaining below a confidence threshold."),
)
CUSTOMER_FIGURES = (
    ("customers/examples.png", "Each condition at its strongest: the picture as sent, each 28×28 the network was fed, and what it answered."),
)
CLASSES_CAPTION = ("What carries each class, a row per class: the input the class prefers (gradient ascent on its score through the hidden "
                   "layer, kept smooth by small random moves and blurs and to the pixels training {items} ink, drawn from white to "
                   "its own darkest pixel), {carriers} to its score on its test {items} (mean activation × "
                   "outgoing weight, the number above each; the weights on one colour scale, clipped at the {percentile}th percentile of "
                   "their sizes), and the test {item} of that class most confidently read as the class it is most often taken for.")
WIDTH_CAPTION = ("The width sweep behind this run's width: validation accuracy against the number of hidden nodes (the mean over "
                 "seeds, with its 95% interval, where the seeds were repeated), this run's width marked; on the right the widths "
                 "within a point of the best. The test accuracy, in grey, is shown but never chosen on.")
DATA_FIGURES = (
    ("data/samples.png", "Sample training images per class."),
    ("data/mean_images.png", "The mean training image of each class."),
    ("data/class_counts.png", "Images per class in each split."),
)
# Figures shown at half the column, two side by side (each is followed by its pair in the order shown).
HALF = ("data/samples.png", "data/mean_images.png", "data/class_counts.png", "hidden/tsne.png", "nodes/tuning.png", "learning_curves.png", "confusion.png",
        "robustness/curves.png", "robustness/examples.png", "boxplot_predicted.png", "boxplot_true.png", "scatter_predicted.png",
        "scatter_true.png")


def weights_folder(settings: dict, hidden_units: int) -> str:
    """The weight figures' folder and whom they show: the interpret stage draws the most important nodes, a few figures' worth."""
    shown = min(hidden_units, settings["figures"] * settings["per_figure"])
    if shown < hidden_units:
        whom = f"its {shown:,} most important nodes of {hidden_units:,}"
    else:
        whom = {1: "its one node", 2: "both its nodes"}.get(hidden_units, f"all {hidden_units:,} nodes")
    per_figure = f", {settings['per_figure']} a figure" if hidden_units > settings["per_figure"] else ""
    return f"nodes/weights/ ({whom}{per_figure})"


# How an experiment's inputs are drawn as 28x28 weight images, said in its weights' caption.
MAPPED = {"pixels": "",
          "pca": ": each node's weights on the PCA components mapped back to the pixels through the components "
                 "(weights × components: what the node adds up, pixel by pixel)",
          "top_pixels": ": each node's weights on the selected pixels placed where those pixels are; every other pixel is blank"}


def experiment_figures(experiment, convolutional: bool = False) -> list[tuple[str, str]]:
    """The figures of one experiment's section after what carries each class: (path under plots/, caption)."""
    figures = [(name.format(name=experiment.name) if name.startswith("attributions/") else f"{experiment.name}/{name}", caption)
               for name, caption in EXPERIMENT_FIGURES]
    # The study's own plots and the maps come right after the weights.
    figures[1:1] = [(name, caption) for name, caption in INPUT_FIGURES.get(experiment.inputs, ())]
    figures[1:1] = [(f"{experiment.name}/hidden/{name}", caption) for name, caption in VIEW_FIGURES[experiment.view]]
    if convolutional:
        figures[0] = (figures[0][0], CONV_WEIGHTS_CAPTION)
        figures[1:1] = [(f"{experiment.name}/{name}", caption) for name, caption in FILTER_FIGURES]
    return figures


def dense_peer(experiment, experiments, convolutional):
    """The dense experiment a convolutional one is compared with: the same inputs and view, trained on the same
    distortions if one is, else also on distorted copies if it is (or also on the images as they are); None for a
    dense experiment or one with no such peer. ``convolutional``: the names of the convolutional ones."""
    if experiment.name not in convolutional:
        return None
    dense = [other for other in experiments if other.name not in convolutional
             and (other.inputs, other.view) == (experiment.inputs, experiment.view)]
    same = [other for other in dense if other.augment == experiment.augment]
    alike = [other for other in dense if (other.augment == "none") == (experiment.augment == "none")]
    return (same or alike or [None])[0]


def twins_of(experiments, reference: str) -> dict[str, str]:
    """The experiments that differ from ``reference`` in one thing only: their inputs ("inputs") or the distortions they
    were trained on ("augment")."""
    base = next(e for e in experiments if e.name == reference)
    twins = {}
    for e in experiments:
        same = {field: getattr(e, field) == getattr(base, field) for field in ("inputs", "training", "width", "augment")}
        for field in ("inputs", "augment"):
            if e.name != reference and not same[field] and all(value for key, value in same.items() if key != field):
                twins[e.name] = field
    return twins


def report_inputs(experiments, convolutional=()) -> list[str]:
    """Every file the report reads besides the dataset info, relative to the project: all under metrics/ and plots/."""
    files = [f"metrics/{name}" for name in ("comparison.json", "pca.json", "pixels.json", "realworld.json", "robustness.json",
                                            "calibration.json", "paired_tests.json", "customers.json", "customers_table.json",
                                            "familiarity.json", "attributions.json", "width_sweep.json")]
    for e in experiments:
        files += [f"metrics/{e.name}/{name}.json" for name in ("nodes", "hidden", "epochs")]
    names = [name for name, _ in DATA_FIGURES] + ["comparison.png", "width_sweep.png"]
    names += [f"{e.name}/nodes/classes.png" for e in experiments]
    names += [f"{e.name}/nodes/evidence" for e in experiments]  # the reference's, beside the answer
    names += [name for e in experiments for name, _ in experiment_figures(e, e.name in convolutional)]
    names += [name for name, _ in REAL_FIGURES] + [name for name, _ in CUSTOMER_FIGURES]
    names += [f"{e.name}/epochs/{name}" for e in experiments for name in ("animation.webp", "strip.png")]
    return files + [f"plots/{name}" for name in names]


def plain_twin(experiment, experiments):
    """The experiment ``experiment`` is, but trained without distortions (the same inputs, network and width; its
    training section may differ, as the CNN on distorted copies trains longer); None for an experiment trained on
    the images as they are, or one with no such twin."""
    if experiment.augment == "none":
        return None
    same = ("inputs", "network", "width")
    return next((other for other in experiments if other.augment == "none"
                 and all(getattr(other, key) == getattr(experiment, key) for key in same)), None)


def narrow_layers(experiments, nodes):
    """The experiments of one and of two hidden nodes (the first of each width, as the study has one of each; None
    where there is none)."""
    return tuple(next((e for e in experiments if nodes[e.name]["hidden_units"] == width), None) for width in (1, 2))


# What a frame of the hidden layer over its epochs shows, by the kind the interpret stage drew.
FRAMES = {"box": "the node's activation per class on the training {items}",
          "scatter": "the two nodes' activations on a seeded {points:,} training {items}, over the output layer's regions at that epoch",
          "weights": "the 16 most important nodes' incoming weights (the kept epoch's ranking), faded where training {items} hardly ever ink",
          "tuning": "the 16 most important nodes' mean activation per class"}


def epoch_figures(name: str, forming, plots: Path, items: str) -> list[Figure]:
    """The hidden layer forming (the interpret stage's animation and four of its frames), each at half the column."""
    caption = (f"{name}'s hidden layer at each snapshot of its training (epochs {english_list([str(epoch) for epoch in forming['epochs']])}: "
               f"params.yaml's snapshots.epochs, the kept and the last): {FRAMES[forming['frames']].format(items=items, points=forming.get('points') or 0)}; every frame "
               "on the same scales, its epoch and validation accuracy in its title.")
    still = (f"Epochs {english_list([str(epoch) for epoch in forming['strip']])} of the same, still; every frame is an image step in "
             f"dvclive/{name}-epochs, for dvc plots show and the editors.")
    folder = plots / name / "epochs"
    return [Figure(caption, b"", half=True, animation=(folder / "animation.webp").read_bytes()),
            Figure(still, (folder / "strip.png").read_bytes(), half=True)]


def narrow_sentences(experiments, nodes) -> list[str]:
    """What the layers of one and two nodes measure, node by node, which classes each tells apart, and what the
    second node adds to the first (``narrow_layers``)."""
    one, two = narrow_layers(experiments, nodes)
    said = []
    for experiment in filter(None, (one, two)):
        found = nodes[experiment.name]
        said += [node_sentence(experiment.name, node, found["hidden_units"]) for node in found["nodes"] if "weight_words" in node]
        said.append(separation_sentence(experiment.name, found))
    if one and two:
        said += list(filter(None, [second_node_sentence(one.name, two.name, nodes[one.name], nodes[two.name])]))
    return said


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--metrics", required=True, type=Path, help="the metrics folder")
    parser.add_argument("--plots", required=True, type=Path, help="the plots folder")
    parser.add_argument("--dataset-info", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path)
    args = parser.parse_args()
    params = load_params()
    experiments, reference = params.experiments, params.reference
    convolutional = {e.name for e in experiments if params.architecture(e).convolutional}
    info = read_json(args.dataset_info)
    class_names = info["class_names"]
    comparison = read_json(args.metrics / "comparison.json")
    pca, pixels = read_json(args.metrics / "pca.json"), read_json(args.metrics / "pixels.json")
    nodes = {e.name: read_json(args.metrics / e.name / "nodes.json") for e in experiments}
    hidden = {e.name: read_json(args.metrics / e.name / "hidden.json") for e in experiments}
    realworld, robustness, calibration = (read_json(args.metrics / f"{name}.json") for name in ("realworld", "robustness", "calibration"))
    attributions = read_json(args.metrics / "attributions.json")
    width_sweep = read_json(args.metrics / "width_sweep.json")

    def view_finding(experiment) -> list[str]:
        if experiment.view == "box":
            return [overlap_finding(experiment.name, hidden[experiment.name])]
        if experiment.view == "map":
            return [embedding_finding(experiment.name, hidden[experiment.name], len(class_names))]
        return []

    def figure(name: str, caption: str, wide: bool = False) -> Figure:
        return Figure(caption, (args.plots / name).read_bytes(), wide, half=name.endswith(HALF))

    customers = read_json(args.metrics / "customers.json")
    customer_table = read_json(args.metrics / "customers_table.json")
    paired = read_json(args.metrics / "paired_tests.json")
    items = items_of(class_names)
    # The summary's candidates: the findings of the sections below that weigh a difference, the reference's own.
    accuracy = accuracy_findings(comparison, reference, twins_of(experiments, reference), len(class_names), paired, items)
    candidates = list(accuracy)

    one, two = narrow_layers(experiments, nodes)
    explained: dict[str, str] = {}  # kind of figure -> the experiment whose section explains it
    sections = [Section("data", f"The data: {info['title']}", [
        f"Classes: {', '.join(class_names)}. Split as in the study: the first images of the training file validate, "
        "the others train, and the test images are only used for the final figures.",
    ], [figure(name, caption) for name, caption in DATA_FIGURES], short="Data")]
    for e in experiments:
        row, found = comparison[e.name], nodes[e.name]
        through = (f"{' and '.join(map(str, row['filters']))} filters of {row['kernel']}x{row['kernel']} (each followed by "
                   f"{row['pool']}x{row['pool']} max pooling) → " if row.get("filters") else "")
        nodes_word = "hidden node" if row["hidden_units"] == 1 else "hidden nodes"
        text = (f"{row['inputs']}: {row['num_inputs']} inputs → {through}{row['hidden_units']} {nodes_word} → {len(class_names)} classes, "
                f"{row['trainable_parameters']:,} parameters; it keeps the weights of epoch {row['best_epoch']} (its lowest validation loss); "
                f"accuracy: train {row['train_accuracy']:.4f}, validation {row['val_accuracy']:.4f}, test {row['test_accuracy']:.4f}.")
        classes = class_finding(e.name, found)
        if e.name == reference:
            candidates.append(classes)
        words = [*node_findings(e.name, found), *view_finding(e), classes.sentence,
                 *([attribution_finding(e.name, attributions[e.name], items)] if e.name == reference else [])]
        settings = found["weight_figures"]
        carriers = max(len(row_["carriers"]) for row_ in found["classes"])
        phrase = "the node that adds most" if carriers == 1 else f"the {carriers} nodes that add most"
        full = e.name == reference  # the reference shows every kind of figure; the others what differs (docstring)
        why = [" ".join(width_sentences(width_sweep))] if full else []  # the sweep behind its width, where one was recorded for it
        lead = ([figure("width_sweep.png", WIDTH_CAPTION)] if full and width_sweep["applicable"] else [])
        lead += ([figure(f"{e.name}/nodes/classes.png", CLASSES_CAPTION.format(carriers=phrase, percentile=settings["percentile"],
                                                                                 items=items, item=items[:-1]), wide=True),
                 carriers_table(found, items)] if full else [])
        shown = [(path, caption) for path, caption in experiment_figures(e, e.name in convolutional)
                 if full or not path.endswith(REFERENCE_ONLY)]
        figures = []
        for path, caption in shown:
            kind = path.rsplit("/", 1)[-1] if path.startswith("attributions/") else path.split("/", 1)[-1]
            if kind in explained and kind in SHORT_CAPTIONS:  # each kind of figure explained once, where it first appears
                caption = f"{SHORT_CAPTIONS[kind]} (read as in {explained[kind]}'s section)."
            explained.setdefault(kind, e.name)
            figures.append(figure(path, caption.format(**settings, mapped=MAPPED.get(e.inputs, ""), items=items, item=items[:-1])))
        if full or e in (one, two):  # the hidden layer forming, beside the study's own plot of it (after the weights, for a map)
            forming = read_json(args.metrics / e.name / "epochs.json")
            words.append(epochs_sentence(e.name, forming))
            place = max((index + 1 for index, (path, _) in enumerate(shown) if "/hidden/" in path and e.view != "map"), default=1)
            figures[place:place] = epoch_figures(e.name, forming, args.plots, items)
        left_out = [] if full else [path.split("/", 1)[1] for path, _ in experiment_figures(e, e.name in convolutional)
                                    if path.endswith(REFERENCE_ONLY) and not path.startswith("attributions/")]
        more = [f"plots/{e.name}/{name.format(**settings)}" for name in (*([] if full else ["nodes/classes.png"]), *left_out,
                                                                        weights_folder(settings, row["hidden_units"]), *MORE_FIGURES,
                                                      *MORE_VIEW_FIGURES.get(e.view, ()))] + [f"plots/attributions/{e.name}/mistakes.png"] * full
        closing = [f"More figures of {e.name}, left out of this page to keep it small: {', '.join(more)}; the explorer page "
                   "shows every node."]
        title = f"{e.name}: {e.label} ({row['hidden_units']} hidden node{'s' if row['hidden_units'] > 1 else ''})"
        sections.append(Section(e.name, title, [text, *why], figures, findings=words, lead=lead, closing=closing, short=e.name))
        if e is two and one is not None:  # the study's question for its second node, right after it
            sections.append(Section(
                "one-and-two", f"One node against two: {one.name} and {two.name} side by side",
                list(filter(None, [second_node_sentence(one.name, two.name, nodes[one.name], nodes[two.name])])),
                [Figure(f"{name}: test confusion matrix", (args.plots / name / "confusion.png").read_bytes(), half=True)
                 for name in (one.name, two.name)], short="One node against two"))
    sections.append(Section("overall", "All experiments side by side", [], [figure("comparison.png", "Accuracy of every experiment on each split.")],
                            findings=[*sentences(accuracy), *sentences(filter(None, [inputs_finding({e.inputs for e in experiments}, pca, pixels)])),
                                      *sentences(sparse_findings(comparison, reference)), *paired_findings(paired, comparison)],
                            short="Side by side"))
    away = away_findings(reference, realworld, robustness, calibration, items)
    candidates += away
    paragraphs = [] if realworld["applicable"] else [f"Digits from other writers: not applicable. {realworld['reason']}"]
    sections.append(Section(
        "realworld", "Away from the training conditions: other writers, changed images, and when to abstain",
        paragraphs, [figure(name, caption.format(items=items)) for name, caption in REAL_FIGURES],
        [realworld_table(realworld, robustness, calibration, params.names), strongest_table(robustness, params.names)],
        findings=sentences(away), short="Away from training",
        closing=["More figures, left out of this page to keep it small: plots/robustness/examples.png (one test "
                 f"{items[:-1]} at every level of every change, to see what the severities mean)."]))
    reader = (customers.get("reader") or {}).get("experiment", reference)
    customer_findings = customers_findings(customers, customer_table, read_json(args.metrics / "familiarity.json"), reader,
                                           calibration["target_accuracy"])
    candidates += customer_findings
    trained_on = {e.name: params.distortions(e).describe() if e.augment != "none" else "" for e in experiments}
    sections.append(Section(
        "customers", "Customers' digits: which network, how to judge it, and pictures drawn as people send them",
        management_paragraphs(customers, calibration, realworld, comparison, trained_on),
        [figure(name, caption) for name, caption in CUSTOMER_FIGURES],
        [customers_table(customer_table, reader)] if customers.get("applicable") else [],
        findings=sentences(customer_findings), short="Customers' digits"))

    # Each experiment trained on distorted copies, against its plain twin: the same inputs, network and width, no distortion.
    for e in experiments:
        twin = plain_twin(e, experiments)
        if twin is None:
            continue
        rows = augment_rows(twin.name, e.name, comparison, robustness, calibration, customers, realworld, items)
        augmented = augment_findings(twin.name, e.name, params.distortions(e).describe(), rows, items)
        candidates += augmented
        sections.append(Section(
            f"augment-{e.name}", f"Trained on distorted copies: {e.name} against {twin.name}",
            [f"The weight images of both are in their own sections ({twin.name} and {e.name}): compare the strokes each node looks for."]
            + ([f"{e.name} trains with params.yaml's {e.training} ({params.training(e.training).epochs} epochs), {twin.name} with "
                f"{twin.training} ({params.training(twin.training).epochs} epochs): fresh distortions every epoch give it more to learn from."]
               if e.training != twin.training else []),
            tables=[augment_table(twin.name, e.name, rows)],
            findings=sentences(augmented), short=f"{e.name} against {twin.name}"))

    # Each convolutional experiment against the dense one of the same inputs and distortions: what each hidden layer carries.
    for e in experiments:
        peer = dense_peer(e, experiments, convolutional)
        if peer is None:
            continue
        found = conv_findings(peer.name, e.name, comparison, nodes[peer.name], nodes[e.name], items)
        candidates += found[:1]
        sections.append(Section(
            f"conv-{e.name}", f"Through learnt filters: {e.name} against {peer.name}",
            [f"{e.name} puts convolutions before a dense hidden layer; {peer.name} reads the same {comparison[peer.name]['inputs']} "
             "straight into its hidden layer. Per class: how many hidden nodes prefer it (alive ones), how many of its test "
             f"{items} each reads right, and the mean contribution of the node that adds most to its score."],
            tables=[conv_table(peer.name, e.name, conv_rows(nodes[peer.name], nodes[e.name]))],
            findings=sentences(found), short=f"{e.name} against {peer.name}"))

    answer = Answer(
        f"The answer: what each class's score responds to ({reference}, {comparison[reference]['hidden_units']} hidden nodes)",
        [f"Where a little more ink raises each class's score against the other classes (red) and where it lowers it (blue), for "
         f"{reference} ({params.experiment(reference).label}), averaged over the class's test {items}, over the outline of the "
         f"class's mean training {items[:-1]}, all on one colour scale; pixels that training {items} hardly ever ink are left out. "
         "The dashed lines cut the picture into the nine parts the sentences name; 'its strokes' are where the class's mean "
         f"{items[:-1]} has ink."],
        [((args.plots / reference / "nodes" / "evidence" / f"{label}.png").read_bytes(), sentence)
         for label, sentence in enumerate(class_sentences(nodes[reference]))],
        narrow_sentences(experiments, nodes))
    summary_lines = summary(candidates)
    title = f"What the hidden nodes learn: {info['title']}"
    introduction = (f"{count_words(len(experiments)).capitalize()} single-hidden-layer networks: "
                    f"{english_list([e.label for e in experiments])}. The answer below says, class by class, where ink "
                    "raises and lowers the reference network's score; each experiment's section below shows the hidden nodes behind it "
                    "and how it differs from the reference. "
                    "Every number and sentence here was generated by the pipeline from this run's metrics.")
    write_text(args.out, render_html(title, introduction, summary_lines, comparison, sections,
                                     summary_heading=count_sentence(len(summary_lines)), item=items[:-1], answer=answer))
    print(f"{args.out}: {len(sections)} sections, {sum(len(section.figures) + len(section.lead) for section in sections)} figures and tables, "
          f"a summary of {len(summary_lines)} sentences")


if __name__ == "__main__":
    run(main)
