"""Stage activations: what the hidden layer outputs for every image.

For the 55,000 training and 10,000 test images: the hidden-layer activations,
the true labels, the predicted labels and the predicted class probabilities;
plus the hidden layer's kernel, bias and activation and the output layer's
weights and bias, so the interpretation stages need no TensorFlow.
These arrays are what every interpretation plot is drawn from.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
from common import load_arrays, run, save_arrays  # noqa: E402

BATCH_SIZE = 2048  # inference only: large batches are fastest and change nothing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, type=Path)
    parser.add_argument("--inputs", required=True, type=Path, help="folder with train/test .npz")
    parser.add_argument("--out", required=True, type=Path)
    args = parser.parse_args()

    import keras

    from hiddennodes.model import HIDDEN_LAYER, hidden_layer_model

    model = keras.models.load_model(args.model)
    hidden_model = hidden_layer_model(model)
    arrays = {}
    for split in ("train", "test"):
        data = load_arrays(args.inputs / f"{split}.npz")
        probabilities = model.predict(data["features"], batch_size=BATCH_SIZE, verbose=0)
        arrays[f"{split}_hidden"] = hidden_model.predict(data["features"], batch_size=BATCH_SIZE, verbose=0).astype(np.float32)
        arrays[f"{split}_labels"] = data["labels"]
        arrays[f"{split}_predicted"] = probabilities.argmax(axis=1).astype(np.uint8)
        arrays[f"{split}_probabilities"] = probabilities.astype(np.float32)
    # Both layers' parameters, so interpretation and plots need no TensorFlow.
    hidden_layer = model.get_layer(HIDDEN_LAYER)
    arrays["hidden_kernel"], arrays["hidden_bias"] = hidden_layer.get_weights()
    arrays["hidden_activation"] = np.array(hidden_layer.get_config()["activation"])
    arrays["output_weights"], arrays["output_bias"] = model.get_layer("output").get_weights()
    save_arrays(args.out, **arrays)
    print({key: value.shape for key, value in arrays.items()})


if __name__ == "__main__":
    run(main)
