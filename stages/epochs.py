"""Stage epochs: one experiment's hidden layer over its epochs, from the snapshots its training kept.

Each snapshot (params.yaml's ``snapshots.epochs``, the kept and the last epoch) is run on the validation images: its
accuracy, each class's, and each node's preferred class (``hiddennodes.interpret.epochs``), with which classes the
network learns first and last and when its nodes' preferred classes settle (``--json``). Each is drawn as the
experiment's ``view`` says, on scales fixed across the epochs (``hiddennodes.figures.epochs``): the one node's
activation per class on the training images (box), the two nodes' over the output layer's regions on a seeded
5,000 of them (scatter), or the 16 most important nodes' incoming weights as 28x28 images, faded where training
images hardly ever ink (map; a convolutional network's nodes' mean activation per class instead). The frames go to
DVCLive as images named by their epoch (``<view>/<epoch>.png`` under ``--live``: ``dvc plots show`` draws them, and
the editors that read DVCLive step through them), and to an animated WebP and a strip of four for the report.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from PIL import Image
from common import atomic_path, load_arrays, run, save_arrays, write_json
from settings import load_params

from hiddennodes.figures.epochs import (animation, box_frame, picture, png_bytes, scatter_frame, strip, strip_epochs, tuning_frame,
                                        weights_frame)
from hiddennodes.figures.grid import clipped_limit
from hiddennodes.interpret.epochs import epoch_numbers, final_class_shares, learnt_epochs, settled_epoch
from hiddennodes.interpret.node_stats import class_tuning, decision_regions, scatter_sample
from hiddennodes.interpret.regions import faded
from hiddennodes.network.snapshots import load_snapshots
from hiddennodes.network.trained import load_network

FRAME_POINTS = 5000  # training images in each scatter frame: the same seeded sample at every epoch
NODES = 16  # the most important nodes drawn for a wide layer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--experiment", required=True)
    parser.add_argument("--view", required=True, choices=("box", "scatter", "map"))
    parser.add_argument("--network", required=True, type=Path, help="the network file (the kept epoch's)")
    parser.add_argument("--snapshots", required=True, type=Path, help="the layers the training kept at its snapshot epochs")
    parser.add_argument("--inputs", required=True, type=Path, help="the network's inputs: train.npz and val.npz")
    parser.add_argument("--interpretation", required=True, type=Path, help="the interpret stage's arrays: importance, mean_ink")
    parser.add_argument("--live", required=True, type=Path, help="DVCLive folder for the frames, one image per epoch")
    parser.add_argument("--json", required=True, type=Path)
    parser.add_argument("--animation", required=True, type=Path, help="the frames as an animated WebP")
    parser.add_argument("--strip", required=True, type=Path, help="four frames side by side (PNG)")
    parser.add_argument("--arrays", required=True, type=Path,
                        help="for the explorer's epoch slider: each snapshot's validation accuracy and, for a layer of one or two "
                             "nodes, its activations of the training images the explorer scatters (.npz)")
    args = parser.parse_args()
    seed = load_params().seed
    network, snapshots = load_network(args.network), load_snapshots(args.snapshots)
    class_names = list(network.class_names)
    val = load_arrays(args.inputs / "val.npz")
    numbers = epoch_numbers(network, snapshots, val["features"], val["labels"])
    numbers.update(learnt=learnt_epochs(numbers), settled=settled_epoch(numbers), final_class_shares=final_class_shares(numbers))
    epochs, kept = numbers["epochs"], numbers["kept_epoch"]
    networks = [snapshots.network_at(network, epoch) for epoch in epochs]
    titles = [f"{args.experiment}, epoch {epoch}{' (kept)' if epoch == kept else ''}: validation {accuracy:.1%}"
              for epoch, accuracy in zip(epochs, numbers["val_accuracy"])]

    scattered = np.zeros((len(epochs), 0, network.hidden_units), np.float32)
    if args.view in ("box", "scatter"):
        train = load_arrays(args.inputs / "train.npz")
        features, labels = train["features"], train["labels"]
        if network.hidden_units <= 2:  # what the explorer scatters behind a drawing, at each epoch
            sample = features[scatter_sample(len(labels))]
            scattered = np.stack([each.run(sample)[0] for each in networks]).astype(np.float32)
        if args.view == "scatter":
            chosen = np.sort(np.random.default_rng(seed).choice(len(labels), min(FRAME_POINTS, len(labels)), replace=False))
            features, labels = features[chosen], labels[chosen]
        hidden = [each.run(features)[0] for each in networks]
        if args.view == "box":
            low = min(float(np.percentile(values, 0.5)) for values in hidden)
            high = max(float(np.percentile(values, 99.5)) for values in hidden)
            pad = 0.05 * (high - low or 1.0)
            frames = [box_frame(values[:, 0], labels, class_names, (low - pad, high + pad), title) for values, title in zip(hidden, titles)]
        else:
            edges = np.array([[np.percentile(values[:, axis], (0.5, 99.5)) for axis in (0, 1)] for values in hidden])
            low, high = edges[:, :, 0].min(axis=0), edges[:, :, 1].max(axis=0)
            pad = 0.05 * np.maximum(high - low, 1e-6)
            limits = (low[0] - pad[0], high[0] + pad[0], low[1] - pad[1], high[1] + pad[1])
            frames = [scatter_frame(values, labels, class_names,
                                    decision_regions(each.layers["output_weights"], each.layers["output_bias"], limits[:2], limits[2:], steps=200),
                                    limits, title) for each, values, title in zip(networks, hidden, titles)]
        shown = list(range(network.hidden_units))
    else:
        interpretation = load_arrays(args.interpretation, keys=("importance", "mean_ink"))
        shown = [int(node) for node in np.argsort(-interpretation["importance"], kind="stable")[:NODES]]
        if network.convolutional:
            tunings = [class_tuning(each.run(val["features"])[0][:, shown], val["labels"], len(class_names)) for each in networks]
            limit = max(float(np.percentile(tuning, 99)) for tuning in tunings) or 1.0
            frames = [tuning_frame(tuning, shown, class_names, limit, title) for tuning, title in zip(tunings, titles)]
        else:
            # Each node's weights on the pixels: through the map from pixels to the inputs (PCA components, selected pixels).
            weights = [faded((each.layers["hidden_kernel"][:, shown] if network.matrix is None
                              else network.matrix @ each.layers["hidden_kernel"][:, shown]).T, interpretation["mean_ink"])
                       for each in networks]
            limit = clipped_limit(np.stack(weights))
            frames = [weights_frame(pixels, shown, limit, f"{title}\nthe {len(shown)} most important nodes' weights, one colour scale for every epoch (±{limit:.3g})")
                      for pixels, title in zip(weights, titles)]
    images = [frame if isinstance(frame, Image.Image) else picture(frame) for frame in frames]
    kind = {"box": "box", "scatter": "scatter", "map": "tuning" if network.convolutional else "weights"}[args.view]

    from dvclive import Live

    # dvcyaml=False: DVCLive must not rewrite the project's dvc.yaml from inside a stage.
    with Live(str(args.live), dvcyaml=False, save_dvc_exp=False) as live:
        for epoch, image in zip(epochs, images):
            live.log_image(f"{kind}/{epoch}.png", image)
    summary = args.live / "metrics.json"
    if summary.is_file() and summary.read_text().strip() == "{}":  # no metric is logged: `dvc plots show` would draw it empty
        summary.unlink()
    with atomic_path(args.animation, suffix=".webp") as temporary:
        temporary.write_bytes(animation(images))
    in_strip = strip_epochs(epochs, kept)
    with atomic_path(args.strip, suffix=".png") as temporary:
        temporary.write_bytes(png_bytes(strip([images[epochs.index(epoch)] for epoch in in_strip],
                                              [f"epoch {epoch}{' (kept)' if epoch == kept else ''}: "
                                               f"{numbers['val_accuracy'][epochs.index(epoch)]:.1%} right" for epoch in in_strip])))
    save_arrays(args.arrays, epochs=np.array(epochs, np.int32), kept_epoch=np.array(kept, np.int32),
                val_accuracy=np.array(numbers["val_accuracy"], np.float32), sample_hidden=scattered)
    write_json(args.json, {**numbers, "frames": kind, "nodes": shown, "points": len(labels) if args.view == "scatter" else None, "strip": in_strip, "class_names": class_names})
    print(f"{args.experiment}: {len(epochs)} snapshots (epochs {', '.join(map(str, epochs))}; kept {kept}); classes learnt by "
          f"{numbers['learnt']}; preferred classes settled by epoch {numbers['settled']}")


if __name__ == "__main__":
    run(main)
