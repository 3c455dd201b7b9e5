"""Stage interpret: what each hidden node of one experiment responds to.

For every node: its incoming weights as a 28x28 image (PCA inputs projected
back through the components, selected pixels placed where they are), its
preferred input (closed form: the [0, 1] image with ink exactly where the
weights are positive), its mean activation per class, a class-selectivity index,
whether it is dead, and how much test accuracy is lost when it is zeroed.
The most selective and the most important nodes are shown large with the
training images that drive them most and some that leave them silent.
For each output class, the image the whole network finds most typical of it,
by regularised gradient ascent through the hidden layer (see
``hiddennodes.interpret.preferred.class_preferred_inputs``), starting from a blank
page of the training images' mean brightness.

First of all, what carries each class (``--classes-png``): a row per class with
its preferred input, the few nodes that add most to its score on its own test
digits (their mean activation times their weight to it), and its test digit most
confidently taken for the class it is most often confused with. The weight
images of the 256 most important nodes come in figures of 32 (``--weights``, a folder:
``1.png`` the most important nodes, ``2.png`` the next and so on), each ordered
by preferred class and then importance, on a colour scale clipped at the 99th
percentile of the weights' sizes, so that a few extreme weights do not leave
every stroke pale.

A convolutional network (``networks`` in params.yaml) has no fixed weight per pixel for a hidden node: its
"weight" images are each node's gradient to the pixels averaged over the training images that drive it most
(where ink raises it near the images it fires for), its
preferred inputs come from the same gradient ascent through the convolutions, and the ``--filters`` folder gets
its first layer's kernels on one colour scale (``kernels.png``), every layer's mean feature-map response per filter
and class (``responses.png``) and the test images that light each first-layer filter most (``lit.png``); for a
dense network that folder stays empty.

Besides the figures and ``nodes.json``, the numbers behind them go into one
arrays file (``--arrays``) that the explorer page is built from: every node's
weight image, preferred input, per-class mean and box-plot percentiles, its
most and least activating training images, and each class's contributions.

Last, the hidden layer over its epochs (``write_forming``): the snapshots the training kept, each run on the
validation images and drawn as the experiment's ``view`` says, for DVCLive's image steps, the report's animation
and strip, and the explorer's epoch slider. It is part of this stage rather than one of its own because it reads
what this stage computes (the nodes' importance) and because every stage costs DVC time of its own: about a second
in `dvc repro`, two in `dvc exp run` (docs/performance.md).
"""

from __future__ import annotations

import argparse
import textwrap
from pathlib import Path

import numpy as np
from common import atomic_path, load_arrays, run, save_arrays, write_json
from settings import load_params

from hiddennodes.figures.attributions import colour_limit
from hiddennodes.figures.epochs import animation, layer_frames, png_bytes, strip, strip_epochs
from hiddennodes.figures.evidence import evidence_figure
from hiddennodes.figures.filters import filter_lit_figure, filter_responses_figure, filters_figure
from hiddennodes.figures.grid import WEIGHT_PERCENTILE, clipped_limit, image_grid_figure
from hiddennodes.figures.nodes import class_carriers_figure, class_preferred_figure, node_gallery_figure, tuning_heatmap_figure
from hiddennodes.interpret.arrays import interpret
from hiddennodes.interpret.epochs import epoch_numbers, final_class_shares, learnt_epochs, settled_epoch
from hiddennodes.interpret.regions import evidence_words, faded
from hiddennodes.interpret.node_stats import class_carriers, class_confusions, weight_pages
from hiddennodes.network.snapshots import load_snapshots
from hiddennodes.network.trained import load_network
from hiddennodes.parallel import save_figures
from hiddennodes.words import class_items, items_of

RANKED_NODES = 8  # nodes shown large per ranking
TOP_IMAGES = 6
SILENT_IMAGES = 3
CARRIERS = 4  # nodes shown per class: what carries it
PER_FIGURE = 32  # weight images per figure: large enough to see strokes on a screen, four rows of eight
WEIGHT_FIGURES = 8  # at most this many (256 nodes): drawing 22 at 700 nodes cost 6 s; the explorer shows every node


def off_label(loss: float) -> str:
    """What switching a node off does to test accuracy, short enough for a row label."""
    if abs(loss) < 0.0005:
        return "off: < 0.1 pts either way"
    return f"off costs {100 * loss:.1f} pts" if loss > 0 else f"off gains {-100 * loss:.1f} pts"


def weights_figure(pixel_weights, nodes, tuning, importance, class_names, experiment: str, page: int, count: int,
                   convolutional: bool = False):
    """One page of weight images (``nodes`` in the order shown), on a scale clipped at the percentile of this page."""
    limit = clipped_limit(pixel_weights[nodes])
    if len(nodes) == count:
        subject = {1: "the one hidden node", 2: "both hidden nodes"}.get(count, f"all {count} hidden nodes")
    elif page == 0:
        subject = f"the {len(nodes)} most important of {count} hidden nodes"
    else:
        subject = f"the hidden nodes ranked {page * PER_FIGURE + 1}–{page * PER_FIGURE + len(nodes)} of {count} by importance"
    lost = np.where(np.abs(importance) < 0.0005, 0.0, importance)  # no "-0.0"
    titles = [f"node {node}\n{class_names[int(tuning[node].argmax())]} · {100 * lost[node]:.1f}" for node in nodes]
    columns = min(len(nodes), 8)
    tile = min(2.6, max(1.1, 5.0 / columns))  # one or two nodes get large tiles, so the title fits above them
    what = "the mean gradient to the pixels over its top training images" if convolutional else "the incoming weights"
    title = (f"{experiment}: {what} of {subject}, ordered by preferred class, "
             f"then by the accuracy lost without the node (the number, in points); colours clipped at the {WEIGHT_PERCENTILE}th percentile "
             f"of |weight|; pixels training {items_of(class_names)} hardly ever ink faded out")
    return image_grid_figure(
        pixel_weights[nodes], titles, textwrap.fill(title, int(8 * (tile * columns + 0.8))), columns=columns, symmetric=True,
        tile=tile, limit=limit, colorbar_label=f"weight (clipped at ±{limit:.3g})")


def filter_summary(arrays, class_names: list[str]) -> dict:
    """nodes.json's words on a convolutional network's first-layer filters: each one's preferred class and selectivity."""
    tuning = arrays["filter_tuning_1"]
    return {
        "first_layer": len(tuning),
        "mean_selectivity": round(float(arrays["filter_selectivity"].mean()), 4),
        "filters": [{"filter": index + 1, "preferred_class": class_names[int(tuning[index].argmax())],
                     "selectivity": round(float(arrays["filter_selectivity"][index]), 4)} for index in range(len(tuning))],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--experiment", required=True)
    parser.add_argument("--network", required=True, type=Path, help="the network file: how its inputs come from pixels, class names")
    parser.add_argument("--activations", required=True, type=Path)
    parser.add_argument("--images", required=True, type=Path, help="prepared train.npz: the pixel images shown")
    parser.add_argument("--test-images", required=True, type=Path, help="prepared test.npz: each class's example mistake")
    parser.add_argument("--nodes-json", required=True, type=Path)
    parser.add_argument("--classes-png", required=True, type=Path, help="what carries each class, a row per class")
    parser.add_argument("--weights", required=True, type=Path, help="a folder: the weight images, 32 nodes a figure, the 256 most important")
    parser.add_argument("--tuning-png", required=True, type=Path)
    parser.add_argument("--selective-png", required=True, type=Path)
    parser.add_argument("--important-png", required=True, type=Path)
    parser.add_argument("--class-preferred-png", required=True, type=Path)
    parser.add_argument("--arrays", required=True, type=Path, help="the numbers behind the figures, for the explorer page")
    parser.add_argument("--evidence", required=True, type=Path,
                        help="a folder: per class (<label>.png), where ink raises its score (red) and lowers it (blue)")
    parser.add_argument("--filters", required=True, type=Path,
                        help="a folder: a convolutional network's filter figures (empty for a dense network)")
    forming = parser.add_argument_group("the hidden layer over its epochs")
    forming.add_argument("--view", required=True, choices=("box", "scatter", "map"), help="how the experiment's layer is drawn")
    forming.add_argument("--snapshots", required=True, type=Path, help="the layers the training kept at its snapshot epochs")
    forming.add_argument("--inputs", required=True, type=Path, help="the network's inputs: train.npz and val.npz")
    forming.add_argument("--live", required=True, type=Path, help="DVCLive folder for the frames, one image per epoch")
    forming.add_argument("--epochs-json", required=True, type=Path)
    forming.add_argument("--animation", required=True, type=Path, help="the frames as an animated WebP")
    forming.add_argument("--strip", required=True, type=Path, help="four frames side by side (PNG)")
    forming.add_argument("--epochs-arrays", required=True, type=Path,
                         help="for the explorer's epoch slider: each snapshot's validation accuracy and, for a layer of one or two "
                              "nodes, its activations of the training images the explorer scatters (.npz)")
    args = parser.parse_args()

    network = load_network(args.network)
    class_names = list(network.class_names)
    activations = load_arrays(args.activations, keys=("train_hidden", "train_labels", "test_hidden", "test_labels", "test_probabilities"))
    train_images = load_arrays(args.images, keys=("features",))["features"]
    test_images = load_arrays(args.test_images, keys=("features",))["features"]
    arrays = interpret(network, activations["train_hidden"], activations["train_labels"], activations["test_hidden"],
                       activations["test_labels"], train_images, test_images)
    save_arrays(args.arrays, **arrays)
    tuning, selectivity, importance = (arrays[key] for key in ("tuning", "selectivity", "importance"))
    # The pictures fade the pixels training digits hardly ever ink: a large weight there is the optimizer's, not evidence.
    pixel_weights = faded(arrays["pixel_weights"], arrays["mean_ink"]).astype(np.float32)
    confusions = class_confusions(activations["test_probabilities"], activations["test_labels"], len(class_names))
    carriers = class_carriers(arrays["class_contributions"], CARRIERS)
    pages = weight_pages(tuning, importance, PER_FIGURE)[:WEIGHT_FIGURES]
    nodes = [
        {
            "node": node,
            "preferred_class": class_names[int(tuning[node].argmax())],
            "selectivity": round(float(selectivity[node]), 4),
            "importance": round(float(importance[node]), 4),
            "dead": bool(arrays["dead"][node]),
            "description": str(arrays["descriptions"][node]),
            # Where ink raises and lowers a node of a layer the report describes in words (one or two nodes).
            **({"weight_words": evidence_words(arrays["pixel_weights"][node], None, arrays["mean_ink"]),
                "mean_by_class": {name: round(float(tuning[node, label]), 4) for label, name in enumerate(class_names)}}
               if len(tuning) <= 2 else {}),
        }
        for node in range(len(tuning))
    ]
    class_probabilities = arrays["class_probabilities"]
    write_json(
        args.nodes_json,
        {
            "experiment": args.experiment,
            "hidden_units": len(nodes),
            "dead_nodes": int(arrays["dead"].sum()),
            "mean_selectivity": round(float(selectivity.mean()), 4),
            "class_preferred_probability": {
                name: round(float(class_probabilities[label, label]), 4) for label, name in enumerate(class_names)
            },
            # What carries each class: its test accuracy, its main confusion and the nodes adding most to its score.
            "classes": [
                {
                    "class": name,
                    "accuracy": None if confusions[label]["items"] == 0 else round(confusions[label]["accuracy"], 4),
                    "confused_with": None if confusions[label]["confused_with"] is None else class_names[confusions[label]["confused_with"]],
                    "confusions": confusions[label]["confusions"],
                    "carriers": [{"node": int(node), "contribution": round(float(arrays["class_contributions"][label, node]), 4)}
                                 for node in carriers[label]],
                    # Where ink raises its score against the other classes and where it lowers it (the evidence picture).
                    "evidence": evidence_words(arrays["class_evidence"][label], arrays["class_mean_digits"][label], arrays["mean_ink"]),
                }
                for label, name in enumerate(class_names)
            ],
            "weight_figures": {"figures": len(pages), "per_figure": PER_FIGURE, "percentile": WEIGHT_PERCENTILE},
            **({"filters": filter_summary(arrays, class_names)} if network.convolutional else {}),
            "nodes": nodes,
        },
    )

    shown = pixel_weights[carriers]
    limit = clipped_limit(shown)
    examples = [None if row["example"] is None else test_images[row["example"]] for row in confusions]

    def classes_figure():
        return class_carriers_figure(
            [f"{name}\n{confusions[label]['accuracy']:.0%} right" if confusions[label]["items"] else f"{name}\nno test digits"
             for label, name in enumerate(class_names)],
            shown,
            [[f"node {node}\n{arrays['class_contributions'][label, node]:+.2f}" for node in carriers[label]] for label in range(len(class_names))],
            arrays["class_images"], examples,
            ["never read as\nanother class" if row["confused_with"] is None else
             f"{row['confusions']} read as\n{class_names[row['confused_with']]}, e.g." for row in confusions],
            limit,
            f"{args.experiment}: what carries each class",
            weights_word="mean gradient over its top images" if network.convolutional else "weight",
        )

    def gallery(score, name):
        chosen = np.argsort(-score, kind="stable")[:RANKED_NODES]
        return node_gallery_figure(
            pixel_weights[chosen],
            arrays["preferred"][chosen],
            arrays["top_images"][chosen, :TOP_IMAGES] / 255,
            arrays["silent_images"][chosen, :SILENT_IMAGES] / 255,
            [f"node {node}\nfires most for {class_items(class_names[int(tuning[node].argmax())])}\nselectivity {selectivity[node]:.2f}\n"
             f"{off_label(importance[node])}" for node in chosen],
            f"{args.experiment}: the {len(chosen)} {name} nodes",
            weights_word="gradients" if network.convolutional else "weights",
        )

    count = len(nodes)
    through = "the convolutions and the hidden layer" if network.convolutional else "the hidden layer"
    # the evidence pictures fade like the weight pictures: what the sentences weigh is what the reader sees
    faded_evidence = faded(arrays["class_evidence"], arrays["mean_ink"])
    evidence_limit = colour_limit(faded_evidence)
    # the pages land together, or none do
    with atomic_path(args.weights) as folder, atomic_path(args.filters) as filter_folder, atomic_path(args.evidence) as evidence_folder:
        folder.mkdir()
        filter_folder.mkdir()
        evidence_folder.mkdir()
        evidence_drawn = [(evidence_folder / f"{label}.png",
                           lambda label=label, name=name: evidence_figure(faded_evidence[label], arrays["class_mean_digits"][label],
                                                                         evidence_limit, str(name)))
                          for label, name in enumerate(class_names)]
        pages_drawn = [(folder / f"{page + 1}.png",
                        lambda page=page, page_nodes=page_nodes: weights_figure(pixel_weights, page_nodes, tuning, importance,
                                                                                class_names, args.experiment, page, count,
                                                                                network.convolutional))
                       for page, page_nodes in enumerate(pages)]
        filters_drawn = [] if not network.convolutional else [
            (filter_folder / "kernels.png", lambda: filters_figure(
                arrays["filter_kernels"], arrays["filter_tuning_1"], class_names,
                f"{args.experiment}: the first layer's {len(arrays['filter_kernels'])} filters, each with the class it responds to most")),
            (filter_folder / "responses.png", lambda: filter_responses_figure(
                [arrays[f"filter_tuning_{layer}"] for layer in range(1, len(network.filters.kernels) + 1)], class_names,
                f"{args.experiment}: what each filter responds to, per class")),
            (filter_folder / "lit.png", lambda: filter_lit_figure(
                arrays["filter_kernels"], arrays["filter_lit"] / 255, arrays["filter_tuning_1"], class_names,
                f"{args.experiment}: the test images that light each first-layer filter most")),
        ]
        # The slowest first: the shares of the processes drawing them are dealt in turn.
        save_figures([
            (args.classes_png, classes_figure),
            *pages_drawn,
            *filters_drawn,
            *evidence_drawn,
            (args.class_preferred_png, lambda: class_preferred_figure(
                arrays["class_images"], class_probabilities, class_names,
                f"{args.experiment}: the input each class prefers (gradient ascent through {through})")),
            (args.selective_png, lambda: gallery(selectivity, "most class-selective")),
            (args.important_png, lambda: gallery(importance, "most important")),
            (args.tuning_png, lambda: tuning_heatmap_figure(tuning, class_names, f"{args.experiment}: mean activation per class")),
        ])
    ranked = sorted(nodes, key=lambda node: -node["selectivity"])[:5]
    for node in ranked:
        print(f"node {node['node']}: selectivity {node['selectivity']}, importance {node['importance']}: {node['description']}")
    write_forming(args, network, arrays["importance"], arrays["mean_ink"],
                  train_images if args.images == args.inputs / "train.npz" else None)


def write_forming(args, network, importance: np.ndarray, mean_ink: np.ndarray, train_features: np.ndarray | None) -> None:
    """The hidden layer over its epochs, from the snapshots the training kept (params.yaml's ``snapshots.epochs``, the
    kept and the last epoch): each run on the validation images (``hiddennodes.interpret.epochs``), with which classes
    the network learns first and last and when its nodes' preferred classes settle (``--epochs-json``); a frame each
    (``hiddennodes.figures.epochs.layer_frames``) to DVCLive as images named by their epoch (``<kind>/<epoch>.png``
    under ``--live``: ``dvc plots show`` draws them, and the editors that read DVCLive step through them), and to an
    animated WebP and a strip of four for the report. ``train_features``: the network's training inputs, when already
    loaded."""
    from dvclive import Live

    seed = load_params().seed
    snapshots = load_snapshots(args.snapshots)
    class_names = list(network.class_names)
    val = load_arrays(args.inputs / "val.npz")
    numbers = epoch_numbers(network, snapshots, val["features"], val["labels"])
    numbers.update(learnt=learnt_epochs(numbers), settled=settled_epoch(numbers), final_class_shares=final_class_shares(numbers))
    epochs, kept = numbers["epochs"], numbers["kept_epoch"]
    titles = [f"{args.experiment}, epoch {epoch}{' (kept)' if epoch == kept else ''}: validation {accuracy:.1%}"
              for epoch, accuracy in zip(epochs, numbers["val_accuracy"])]
    train = (np.empty((0, network.num_inputs), np.float32), np.empty(0, np.int64))
    if args.view != "map":
        labels = load_arrays(args.inputs / "train.npz", keys=("labels",))["labels"]
        features = train_features if train_features is not None else load_arrays(args.inputs / "train.npz", keys=("features",))["features"]
        train = (features, labels)
    frames = layer_frames(args.view, [snapshots.network_at(network, epoch) for epoch in epochs], titles, class_names, train,
                          (val["features"], val["labels"]), importance, mean_ink, seed)

    # dvcyaml=False: DVCLive must not rewrite the project's dvc.yaml from inside a stage.
    with Live(str(args.live), dvcyaml=False, save_dvc_exp=False) as live:
        for epoch, image in zip(epochs, frames.images):
            live.log_image(f"{frames.kind}/{epoch}.png", image)
    summary = args.live / "metrics.json"
    if summary.is_file() and summary.read_text().strip() == "{}":  # no metric is logged: `dvc plots show` would draw it empty
        summary.unlink()
    with atomic_path(args.animation, suffix=".webp") as temporary:
        temporary.write_bytes(animation(frames.images))
    in_strip = strip_epochs(epochs, kept)
    with atomic_path(args.strip, suffix=".png") as temporary:
        temporary.write_bytes(png_bytes(strip([frames.images[epochs.index(epoch)] for epoch in in_strip],
                                              [f"epoch {epoch}{' (kept)' if epoch == kept else ''}: "
                                               f"{numbers['val_accuracy'][epochs.index(epoch)]:.1%} right" for epoch in in_strip])))
    save_arrays(args.epochs_arrays, epochs=np.array(epochs, np.int32), kept_epoch=np.array(kept, np.int32),
                val_accuracy=np.array(numbers["val_accuracy"], np.float32), sample_hidden=frames.sample_hidden)
    write_json(args.epochs_json, {**numbers, "frames": frames.kind, "nodes": frames.nodes, "points": frames.points, "strip": in_strip,
                                  "class_names": class_names})
    print(f"{args.experiment}: {len(epochs)} snapshots (epochs {', '.join(map(str, epochs))}; kept {kept}); classes learnt by "
          f"{numbers['learnt']}; preferred classes settled by epoch {numbers['settled']}")


if __name__ == "__main__":
    run(main)
