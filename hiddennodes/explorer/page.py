"""The explorer page: draw a digit and watch every hidden node of every experiment.

One self-contained HTML file: the page's script and style (``hiddennodes/explorer/web/``)
and, per experiment, its network (both layers, a convolutional network's filters
before them, and the map from pixels to its inputs) and the interpretation's
numbers (each node's weight image, label, preferred input, per-class
percentiles, most and least activating training images; each class's carrying
nodes and preferred input). Arrays travel as
zlib-compressed little-endian bytes in base64, which the page inflates with the
browser's own ``DecompressionStream``: no library, no request, and the float32
weights arrive bit for bit, so the page's forward pass is NumPy's.
"""

from __future__ import annotations

import base64
import html
import json
import zlib
from typing import Mapping

import numpy as np

from hiddennodes.image_bytes import image_bytes
from hiddennodes.interpret.regions import faded, ink_weight
from hiddennodes.network.trained import Network
from hiddennodes.words import with_article

DTYPES = {"f32": np.float32, "i32": np.int32, "u8": np.uint8, "i8": np.int8}


def blob(array: np.ndarray, dtype: str) -> dict:
    """An array as the page reads it: its dtype, shape and compressed bytes in base64.

    zlib's default level: at 700 nodes level 9 took 8 times as long (4.0 s an experiment) for 1% fewer bytes."""
    values = np.ascontiguousarray(np.asarray(array), dtype=np.dtype(DTYPES[dtype]).newbyteorder("<"))
    return {"dtype": dtype, "shape": list(values.shape), "data": base64.b64encode(zlib.compress(values.tobytes(), 6)).decode("ascii")}


def unblob(packed: Mapping) -> np.ndarray:
    """The array :func:`blob` packed (for tests and for anyone reading a page's data)."""
    raw = zlib.decompress(base64.b64decode(packed["data"]))
    return np.frombuffer(raw, dtype=np.dtype(DTYPES[packed["dtype"]]).newbyteorder("<")).reshape(packed["shape"])


def _signed_bytes(values: np.ndarray) -> tuple[np.ndarray, float]:
    """Values on one symmetric scale as int8 (-127..127) and the scale: all a weight image's colours need.
    One scale for every node, so tiles compare; it is the 99.5th percentile of the magnitudes, so that a few
    extreme weights do not wash every other image out to white (they saturate instead)."""
    magnitudes = np.abs(np.asarray(values, dtype=np.float64))
    scale = float(np.percentile(magnitudes, 99.5)) or float(magnitudes.max()) or 1.0
    return np.round(np.clip(values / scale, -1.0, 1.0) * 127).astype(np.int8), scale


def experiment_payload(name: str, label: str, network: Network, interpretation: Mapping[str, np.ndarray],
                       test_accuracy: float | None, epochs: dict | None = None) -> dict:
    """Everything the page shows of one experiment.

    Args:
        network: the experiment's network file, as :class:`hiddennodes.network.trained.Network`.
        interpretation: the interpret stage's arrays file (``data/interpretation/<experiment>.npz``).
        test_accuracy: the train stage's test accuracy, shown beside the name (None: not shown).

    A convolutional network's payload adds ``conv`` (:func:`conv_payload`); its ``hidden_kernel`` then reads the
    flattened maps, and its ``weight_images`` are each node's mean gradient to the pixels over the training images
    that drive it most (the interpretation's ``pixel_weights`` for such a network), not weights.
    """
    layers = network.layers
    # faded where training digits hardly ever ink, as the report's weight pictures are (a weight there is the optimizer's)
    pictures = interpretation["pixel_weights"]
    weights, weight_scale = _signed_bytes(faded(pictures, interpretation["mean_ink"]) if "mean_ink" in interpretation else pictures)
    inputs = {"kind": network.input_kind}
    if network.input_kind == "pca":
        inputs["components"] = blob(network.input_arrays["pca_components"], "f32")
        inputs["mean"] = blob(network.input_arrays["pca_mean"], "f32")
    elif network.input_kind == "top_pixels":
        inputs["indices"] = blob(network.input_arrays["pixel_indices"], "i32")
    payload = {
        "name": name,
        "label": label,
        "test_accuracy": test_accuracy,
        "activation": str(layers["hidden_activation"]),
        "units": network.hidden_units,
        "num_inputs": network.num_inputs,
        "inputs": inputs,
        "hidden_kernel": blob(layers["hidden_kernel"], "f32"),
        "hidden_bias": blob(layers["hidden_bias"], "f32"),
        "output_weights": blob(layers["output_weights"], "f32"),
        "output_bias": blob(layers["output_bias"], "f32"),
        "weight_images": blob(weights, "i8"),
        "weight_scale": weight_scale,
        "preferred": blob(image_bytes(interpretation["preferred"]), "u8"),
        "tuning": blob(interpretation["tuning"], "f32"),
        "quantiles": blob(np.nan_to_num(interpretation["quantiles"]), "f32"),
        "selectivity": blob(interpretation["selectivity"], "f32"),
        "importance": blob(interpretation["importance"], "f32"),
        "dead": blob(interpretation["dead"], "u8"),
        "descriptions": [str(text) for text in interpretation["descriptions"]],
        "activation_scale": blob(interpretation["activation_scale"], "f32"),
        "class_images": blob(image_bytes(interpretation["class_images"]), "u8"),
        "class_probabilities": blob(np.diag(interpretation["class_probabilities"]), "f32"),
        "class_contributions": blob(interpretation["class_contributions"], "f32"),
        "top_images": blob(interpretation["top_images"], "u8"),
        "silent_images": blob(interpretation["silent_images"], "u8"),
        "sample_hidden": blob(interpretation["sample_hidden"], "f32"),
        "sample_labels": blob(interpretation["sample_labels"], "u8"),
        # What the attributions are measured against (hiddennodes.interpret.attributions.attribute): the network file's training
        # digits, or a blank page for a file that has none.
        "background": blob(image_bytes(network.background if network.background is not None else np.zeros((1, 784))), "u8"),
    }
    if network.convolutional:
        payload["conv"] = conv_payload(network, interpretation)
    if epochs is not None:  # the network at its earlier epochs (epochs_payload), for the epoch slider
        payload["epochs"] = epochs
    return payload


def epochs_payload(snapshots, arrays: Mapping[str, np.ndarray], mean_ink: np.ndarray) -> dict:
    """A dense network at each snapshot epoch before its kept one, for the page's epoch slider (the kept epoch is the
    page's network itself): each epoch's hidden kernel in signed bytes on its own scale (a hundred-and-twenty-seventh of
    its largest weight: the page's readings at those epochs are that close, not bit for bit), its biases and output
    layer, the validation accuracy of every epoch (the interpret stage's ``--epochs-arrays``), how much each pixel counts in the
    node tiles (``ink_weight`` of the training digits' mean ink), and for a layer of one or two nodes its activations
    of the training digits the page scatters."""
    kept = int(snapshots.kept_epoch)
    rows = [snapshots.index(int(epoch)) for epoch in snapshots.epochs if epoch < kept]
    kernels = np.asarray(snapshots.layers["hidden_kernel"][rows], dtype=np.float64)
    scales = np.maximum(np.abs(kernels).reshape(len(rows), kernels[0].size if rows else 0).max(axis=1, initial=0.0), 1e-12) / 127
    quantized = np.round(kernels / scales[:, None, None]).astype(np.int8)
    stored = np.asarray(arrays["epochs"]).tolist()  # the order of the snapshots in the interpret stage's arrays
    accuracy = dict(zip(stored, np.asarray(arrays["val_accuracy"]).tolist()))
    epochs = [int(snapshots.epochs[row]) for row in rows] + [kept]
    payload = {"epochs": epochs, "kept": kept, "val_accuracy": [round(float(accuracy[epoch]), 6) for epoch in epochs],
               "hidden_kernel": blob(quantized, "i8"), "kernel_scale": [float(scale) for scale in scales],
               "hidden_bias": blob(snapshots.layers["hidden_bias"][rows], "f32"),
               "output_weights": blob(snapshots.layers["output_weights"][rows], "f32"),
               "output_bias": blob(snapshots.layers["output_bias"][rows], "f32"),
               "ink_weight": blob(ink_weight(mean_ink), "f32")}
    sample = np.asarray(arrays["sample_hidden"])
    if sample.shape[1]:
        order = [stored.index(epoch) for epoch in epochs[:-1]]
        payload["sample_hidden"] = blob(sample[order], "f32")
    return payload


def conv_payload(network: Network, interpretation: Mapping[str, np.ndarray]) -> dict:
    """A convolutional network's layers before its dense hidden layer, as the page runs them: each layer's Keras kernel
    (k, k, in, out) and bias, the activation and the pooling; and, when the interpret stage wrote them, the first
    layer's kernels as images (filters, k, k) and each filter's mean response per class (filters, classes)."""
    filters = network.filters
    conv = {"activation": filters.activation, "pool": filters.pool, "flat_size": filters.flat_size,
            "layers": [{"kernel": blob(kernel, "f32"), "bias": blob(bias, "f32")} for kernel, bias in zip(filters.kernels, filters.biases)]}
    # The interpret stage's first-layer filter arrays (hiddennodes.interpret.filters.filter_arrays), under the page's names.
    for key, source in (("filter_kernels", "filter_kernels"), ("filter_tuning", "filter_tuning_1")):
        if interpretation.get(source) is not None:
            conv[key] = blob(interpretation[source], "f32")
    return conv


def _script_json(data) -> str:
    """JSON safe inside a <script> element: no "</" can end it early, no "<!--" can open a comment."""
    return json.dumps(data, separators=(",", ":")).replace("<", "\\u003c")


def render_explorer(title: str, class_names: list[str], experiments: list[dict], reference: str,
                    template: str, script: str, style: str, item: str = "digit") -> str:
    """The page: ``template`` (``hiddennodes/explorer/web/explorer.html``) with the style, the data and the script filled in.

    ``item``: what one image of the dataset is called on the page ("digit", "garment", "image"; its plural adds an s)."""
    if not experiments:
        raise ValueError("the explorer needs at least one experiment")
    data = {"title": title, "class_names": class_names, "reference": reference, "experiments": experiments,
            "item": item, "items": f"{item}s"}
    page = template.replace("{{title}}", html.escape(title))
    for name, words in (("an_item", with_article(item)), ("items", f"{item}s"), ("item", item)):
        page = page.replace("{{%s}}" % name, html.escape(words))
    page = page.replace("/*{{style}}*/", style.replace("</", "<\\/"))
    page = page.replace("{{data}}", _script_json(data))
    return page.replace("/*{{script}}*/", script.replace("</script", "<\\/script"))
