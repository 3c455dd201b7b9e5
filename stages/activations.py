"""Stage activations: what the hidden layer outputs for every image.

For the 55,000 training, 5,000 validation and 10,000 test images: the hidden-layer activations,
the true labels, the predicted labels and the predicted class probabilities;
plus the hidden layer's kernel, bias and activation and the output layer's
weights and bias, so the interpretation stages need no TensorFlow.
These arrays are what every interpretation plot is drawn from.

The network is run in NumPy from the network file the train stage wrote: two
matrix products, the same numbers Keras's ``predict`` gives (a test checks it),
without TensorFlow's start-up, and without rerunning when only the ``.keras``
file's save time changed.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from common import load_arrays, run, save_arrays

from hiddennodes.network.trained import load_network


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--network", required=True, type=Path, help="the train stage's network file")
    parser.add_argument("--inputs", required=True, type=Path, help="folder with train/val/test .npz in the network's inputs")
    parser.add_argument("--out", required=True, type=Path)
    args = parser.parse_args()
    network = load_network(args.network)
    arrays = dict(network.layers)
    for split in ("train", "val", "test"):
        data = load_arrays(args.inputs / f"{split}.npz")
        hidden, probabilities = network.run(data["features"])
        arrays[f"{split}_hidden"] = hidden
        arrays[f"{split}_labels"] = data["labels"]
        arrays[f"{split}_predicted"] = probabilities.argmax(axis=1).astype(np.uint8)
        arrays[f"{split}_probabilities"] = probabilities
    save_arrays(args.out, **arrays)
    print({key: value.shape for key, value in arrays.items()})


if __name__ == "__main__":
    run(main)
