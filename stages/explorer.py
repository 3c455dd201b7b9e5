"""Stage explorer: ``explorer.html``, a page to draw a digit on and watch every hidden node.

One self-contained page for every experiment of params.yaml (a selector at the
top): draw with a mouse, finger or pen, or drop a clean picture, and the page
prepares it as the prediction command does, runs the experiment's network and
shows the class probabilities, every node's weight image lit by its activation,
the nodes that push the answer most with the interpretation's words for them,
and lets a reader ask a node or a class and switch nodes off. It is built from
the network files (the weights, and how each network's inputs come from the
pixels) and the interpret stage's arrays; the page's script and style live in
``hiddennodes/explorer/web/`` and are copied in whole, so the page needs no network and
no other file. Each network's float32 weights travel bit for bit, so the page's
forward pass is the one NumPy runs (a browser test checks it on 1,000 digits).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from common import load_arrays, read_json, read_text, run, write_text
from settings import load_params

from hiddennodes.explorer.page import epochs_payload, experiment_payload, render_explorer
from hiddennodes.network.snapshots import load_snapshots
from hiddennodes.network.trained import load_network
from hiddennodes.words import items_of, with_article


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", required=True, type=Path, help="folder of each experiment's network file (<experiment>/network.npz)")
    parser.add_argument("--interpretation", required=True, type=Path, help="folder of the interpret stage's arrays (<experiment>.npz)")
    parser.add_argument("--train-metrics", required=True, type=Path, help="folder of each experiment's train metrics (<experiment>.json)")
    parser.add_argument("--dataset-info", required=True, type=Path)
    parser.add_argument("--epochs", required=True, type=Path,
                        help="folder of the interpret stage's arrays of the epochs (<experiment>.npz), for the epoch slider of the narrow layers and the reference")
    parser.add_argument("--web", required=True, type=Path, help="folder with the page's explorer.html, explorer.js and explorer.css")
    parser.add_argument("--out", required=True, type=Path)
    args = parser.parse_args()
    params = load_params()
    info = read_json(args.dataset_info)
    payloads = []
    for experiment in params.experiments:
        metrics = read_json(args.train_metrics / f"{experiment.name}.json")
        network = load_network(args.models / experiment.name / "network.npz")
        interpretation = load_arrays(args.interpretation / f"{experiment.name}.npz")
        # An epoch slider for the layers of one and two nodes and for the reference (a dense network: the page reruns it)
        slider = not network.convolutional and (network.hidden_units <= 2 or experiment.name == params.reference)
        epochs = (epochs_payload(load_snapshots(args.models / experiment.name / "snapshots.npz"),
                                 load_arrays(args.epochs / f"{experiment.name}.npz"), interpretation["mean_ink"]) if slider else None)
        payloads.append(experiment_payload(experiment.name, experiment.label, network, interpretation, metrics.get("test_accuracy"), epochs))
    class_names = [str(name) for name in info["class_names"]]
    item = "garment" if info["dataset"] == "fashion_mnist" else items_of(class_names)[:-1]  # a digit, or an image of a custom set
    page = render_explorer(
        f"What the hidden nodes see: draw {with_article(item)} and watch them", class_names, payloads,
        params.reference, template=read_text(args.web / "explorer.html"), script=read_text(args.web / "explorer.js"),
        style=read_text(args.web / "explorer.css"), item=item,
    )
    write_text(args.out, page)
    print(f"{args.out}: {len(page) / 1e6:.2f} MB, {len(payloads)} experiments")


if __name__ == "__main__":
    run(main)
