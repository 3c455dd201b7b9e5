"""The hidden layer at one snapshot epoch, drawn the same way at every epoch so that the frames can be stepped through:
the one node's activation per class (a box plot), the two nodes' activations over the output layer's regions (a
scatter), or the most important nodes' weights as 28x28 images; all on scales fixed across the epochs. Also the
frames as an animation and as a strip of a few of them.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Sequence

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from hiddennodes.figures.colours import CLASS_COLOURS
from hiddennodes.figures.grid import clipped_limit
from hiddennodes.interpret.node_stats import class_tuning, decision_regions, scatter_sample
from hiddennodes.interpret.regions import faded

SIZE = (6.4, 4.4)  # inches of a frame
DPI = 80


def box_frame(hidden: np.ndarray, labels: np.ndarray, class_names: Sequence[str], limits: tuple[float, float], title: str) -> Figure:
    """The one node's activation per class (whiskers to 1.5 times the box; the outliers beyond them not drawn)."""
    figure = Figure(figsize=SIZE, layout="constrained")
    axes = figure.add_subplot()
    parts = axes.boxplot([hidden[labels == label] for label in range(len(class_names))], patch_artist=True, showfliers=False)
    for label, box in enumerate(parts["boxes"]):
        box.set_facecolor(CLASS_COLOURS(label))
        box.set_alpha(0.75)
    axes.set_xticks(range(1, len(class_names) + 1), class_names, rotation=30 if len(max(class_names, key=len)) > 2 else 0, fontsize=8)
    axes.set_ylim(*limits)
    axes.set_xlabel("class")
    axes.set_ylabel("activation of the hidden node")
    axes.set_title(title, fontsize=10)
    return figure


def scatter_frame(hidden: np.ndarray, labels: np.ndarray, class_names: Sequence[str], regions, limits: tuple[float, float, float, float],
                  title: str) -> Figure:
    """The two nodes' activations coloured by class, over the output layer's decision regions at the same epoch."""
    figure = Figure(figsize=SIZE, layout="constrained")
    axes = figure.add_subplot()
    xs, ys, classes = regions
    levels = np.arange(len(class_names) + 1) - 0.5
    axes.contourf(xs, ys, classes, levels=levels, colors=[CLASS_COLOURS(label) for label in range(len(class_names))], alpha=0.15)
    axes.contour(xs, ys, classes, levels=levels, colors="grey", linewidths=0.5)
    for label, name in enumerate(class_names):
        chosen = labels == label
        axes.scatter(hidden[chosen, 0], hidden[chosen, 1], s=2, alpha=0.5, color=CLASS_COLOURS(label), label=name, rasterized=True)
    axes.set_xlim(limits[0], limits[1])
    axes.set_ylim(limits[2], limits[3])
    axes.set_xlabel("activation of hidden node 0")
    axes.set_ylabel("activation of hidden node 1")
    axes.legend(markerscale=4, fontsize=7, loc="upper right", ncols=2)
    axes.set_title(title, fontsize=10)
    return figure


def weights_frame(weights: np.ndarray, nodes: Sequence[int], limit: float, title: str, columns: int = 4, zoom: int = 4) -> Image.Image:
    """Each node's incoming weights as a 28x28 image, one colour scale for every epoch (red: ink there raises the node,
    blue: lowers it), drawn straight into an image (a frame of 16 in milliseconds, not a figure's tenth of a second)."""
    from matplotlib import colormaps
    from PIL import ImageDraw, ImageFont

    rows, tile, gap, top = -(-len(nodes) // columns), 28 * zoom, 6, 44
    sheet = Image.new("RGB", (columns * (tile + gap) + gap, top + rows * (tile + gap + 14)), "white")
    draw, font = ImageDraw.Draw(sheet), ImageFont.load_default(size=13)
    colours = colormaps["RdBu_r"]
    for index, node in enumerate(nodes):
        shade = colours(np.clip((weights[index].reshape(28, 28) / limit + 1) / 2, 0, 1), bytes=True)[..., :3]
        image = Image.fromarray(shade).resize((tile, tile), Image.Resampling.NEAREST)
        x, y = gap + (index % columns) * (tile + gap), top + (index // columns) * (tile + gap + 14)
        draw.text((x, y), f"node {node}", fill="black", font=font)
        sheet.paste(image, (x, y + 14))
    for line, words in enumerate(title.splitlines()[:2]):
        draw.text((gap, 4 + 19 * line), words, fill="black", font=ImageFont.load_default(size=15 if line == 0 else 12))
    return sheet


def tuning_frame(tuning: np.ndarray, nodes: Sequence[int], class_names: Sequence[str], limit: float, title: str) -> Figure:
    """The nodes' mean activation per class (for a network whose hidden weights are not one per pixel)."""
    figure = Figure(figsize=SIZE, layout="constrained")
    axes = figure.add_subplot()
    axes.imshow(tuning, cmap="viridis", vmin=0, vmax=limit, aspect="auto")
    axes.set_yticks(range(len(nodes)), [f"node {node}" for node in nodes], fontsize=7)
    axes.set_xticks(range(len(class_names)), class_names, fontsize=7)
    axes.set_xlabel("class")
    axes.set_title(title, fontsize=10)
    return figure


def picture(figure: Figure) -> Image.Image:
    """A figure as an RGB image."""
    canvas = FigureCanvasAgg(figure)
    figure.set_dpi(DPI)
    canvas.draw()
    return Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba()).convert("RGB")


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def animation(frames: Sequence[Image.Image], seconds: float = 0.8, hold: float = 2.5) -> bytes:
    """The frames as an animated WebP that loops, each shown ``seconds``, the last ``hold``."""
    buffer = io.BytesIO()
    durations = [int(1000 * seconds)] * (len(frames) - 1) + [int(1000 * hold)]
    frames[0].save(buffer, format="WEBP", save_all=True, append_images=list(frames[1:]), duration=durations, loop=0, quality=70, method=2)
    return buffer.getvalue()


def strip(frames: Sequence[Image.Image], labels: Sequence[str], scale: float = 0.5, columns: int = 2) -> Image.Image:
    """A few frames in a grid, ``columns`` a row, at ``scale`` of their size, each under its label in a type that stays
    readable at that scale."""
    from PIL import ImageDraw, ImageFont

    width, height = (round(side * scale) for side in frames[0].size)
    band, rows = 22, -(-len(frames) // columns)
    sheet = Image.new("RGB", (width * min(columns, len(frames)), (height + band) * rows), "white")
    draw, font = ImageDraw.Draw(sheet), ImageFont.load_default(size=15)
    for index, (frame, label) in enumerate(zip(frames, labels)):
        x, y = (index % columns) * width, (index // columns) * (height + band)
        draw.text((x + 6, y + 3), label, fill="black", font=font)
        sheet.paste(frame.resize((width, height), Image.Resampling.LANCZOS), (x, y + band))
    return sheet


def strip_epochs(epochs: Sequence[int], kept: int, count: int = 4) -> list[int]:
    """About ``count`` epochs for a strip: the first, the kept one, and between them those spread most evenly on a
    logarithmic scale (learning moves fastest early)."""
    shown = [epoch for epoch in epochs if epoch <= kept]
    if len(shown) <= count:
        return shown
    targets = np.geomspace(1, kept + 1, count)[1:-1] - 1
    middle = [min(shown[1:-1], key=lambda epoch: abs(np.log1p(epoch) - np.log1p(target))) for target in targets]
    return sorted({shown[0], *middle, kept})


FRAME_POINTS = 5000  # training images in each scatter frame: the same seeded sample at every epoch
FRAME_NODES = 16  # the most important nodes drawn for a wide layer


@dataclass(frozen=True)
class LayerFrames:
    images: list[Image.Image]  # one per snapshot, in the snapshots' order
    kind: str  # box, scatter, weights or tuning: the DVCLive image folder
    nodes: list[int]  # the nodes drawn
    points: int | None  # training images in each scatter frame
    sample_hidden: np.ndarray  # (epochs, images, nodes): a layer of one or two nodes on the explorer's scatter sample


def layer_frames(view: str, networks: Sequence, titles: Sequence[str], class_names: Sequence[str], train: tuple[np.ndarray, np.ndarray],
                 val: tuple[np.ndarray, np.ndarray], importance: np.ndarray, mean_ink: np.ndarray, seed: int) -> LayerFrames:
    """The hidden layer at each snapshot (``networks``, each titled) drawn as the experiment's ``view`` says, on
    scales fixed across the epochs: the one node's activation per class on the training images (box), the two
    nodes' over the output layer's regions on a seeded 5,000 of them (scatter), or the 16 most important nodes'
    incoming weights as 28x28 images, faded where training images hardly ever ink (map; a convolutional network's
    nodes' mean activation per class on the validation images instead)."""
    network = networks[-1]  # every snapshot has the same shape and input map
    scattered = np.zeros((len(networks), 0, network.hidden_units), np.float32)
    points = None
    if view in ("box", "scatter"):
        features, labels = train
        if network.hidden_units <= 2:  # what the explorer scatters behind a drawing, at each epoch
            sample = features[scatter_sample(len(labels))]
            scattered = np.stack([each.run(sample)[0] for each in networks]).astype(np.float32)
        if view == "scatter":
            chosen = np.sort(np.random.default_rng(seed).choice(len(labels), min(FRAME_POINTS, len(labels)), replace=False))
            features, labels = features[chosen], labels[chosen]
            points = len(labels)
        hidden = [each.run(features)[0] for each in networks]
        if view == "box":
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
        shown = [int(node) for node in np.argsort(-importance, kind="stable")[:FRAME_NODES]]
        if network.convolutional:
            tunings = [class_tuning(each.run(val[0])[0][:, shown], val[1], len(class_names)) for each in networks]
            limit = max(float(np.percentile(tuning, 99)) for tuning in tunings) or 1.0
            frames = [tuning_frame(tuning, shown, class_names, limit, title) for tuning, title in zip(tunings, titles)]
        else:
            # Each node's weights on the pixels: through the map from pixels to the inputs (PCA components, selected pixels).
            weights = [faded((each.layers["hidden_kernel"][:, shown] if network.matrix is None
                              else network.matrix @ each.layers["hidden_kernel"][:, shown]).T, mean_ink)
                       for each in networks]
            limit = clipped_limit(np.stack(weights))
            frames = [weights_frame(pixels, shown, limit, f"{title}\nthe {len(shown)} most important nodes' weights, one colour scale for every epoch (±{limit:.3g})")
                      for pixels, title in zip(weights, titles)]
    kind = {"box": "box", "scatter": "scatter", "map": "tuning" if network.convolutional else "weights"}[view]
    return LayerFrames(images=[frame if isinstance(frame, Image.Image) else picture(frame) for frame in frames], kind=kind,
                       nodes=shown, points=points, sample_hidden=scattered)
