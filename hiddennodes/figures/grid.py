"""Images on a grid, one colour scale for them all: drawn by the overview, evaluate and interpret stages."""

from __future__ import annotations

from typing import Sequence

import numpy as np
from matplotlib import colormaps
from matplotlib.figure import Figure

from hiddennodes.data.datasets import IMAGE_SHAPE

# Weight images are drawn on a scale clipped at this percentile of the weights' sizes: a few extreme weights
# would otherwise set the scale and leave every other stroke pale.
WEIGHT_PERCENTILE = 99


def clipped_limit(weights: np.ndarray, percentile: float = WEIGHT_PERCENTILE) -> float:
    """The colour scale's end for weight images: ``percentile`` of the absolute values of the weights that are not 0
    (a network on a few selected pixels has 0 everywhere else), 1 when all are 0."""
    sizes = np.abs(np.asarray(weights, dtype=np.float64)).ravel()
    sizes = sizes[sizes > 0]
    return float(np.percentile(sizes, percentile)) if len(sizes) else 1.0


class TileGrid:
    """28x28 tiles on a grid in one axes of its own figure: each tile its own image (with its own colour scale),
    framed, with words above it or beside its row.

    A figure of many small axes takes seconds to lay out and draw (each axes brings its ticks, spines and a
    constrained-layout box): 64 titled tiles cost about 3 s that way. Here the tiles are images placed by their
    extent in one axes and the words are texts, so the layout engine sees one axes and a page draws in a tenth of
    that, looking the same. Coordinates are tile pixels: a tile spans 28 units; the gaps and the room for titles are
    given in inches and converted with the tile's size.

    Args:
        rows, columns: the grid's size.
        tile: inches per tile.
        title_lines: lines of words above each tile (0: none).
        title_size: their font size in points.
        gap: inches between tiles, across and down.
        margins: inches of the figure around the tiles (left, right, top, bottom), for row labels, colour bars and the title.
    """

    def __init__(self, rows: int, columns: int, tile: float, title_lines: int = 0, title_size: float = 7.0,
                 gap: float = 0.06, margins: tuple[float, float, float, float] = (0.4, 0.4, 0.7, 0.1)):
        height, width = IMAGE_SHAPE
        self.units = width / tile  # data units per inch
        self.title_size = title_size
        self.title_room = title_lines * title_size * 1.25 / 72 * self.units + (0.03 * self.units if title_lines else 0)
        self.gap = gap * self.units
        self.cell = (height + self.title_room + self.gap, width + self.gap)
        self.rows, self.columns = rows, columns
        data_height, data_width = rows * self.cell[0] - self.gap, columns * self.cell[1] - self.gap
        left, right, top, bottom = margins
        self.figure = Figure(figsize=(data_width / self.units + left + right, data_height / self.units + top + bottom),
                             layout="constrained")
        self.axes = self.figure.add_subplot()
        self.axes.set_xlim(-0.5, data_width + 0.5)
        self.axes.set_ylim(data_height + 0.5, -0.5)
        self.axes.set_aspect("equal")
        self.axes.set_axis_off()
        self._frames: list = []

    def corner(self, row: int, column: int) -> tuple[float, float]:
        """(x, y) of the tile's top left corner, in data units (y grows downward)."""
        return column * self.cell[1], row * self.cell[0] + self.title_room

    def image(self, row: int, column: int, image: np.ndarray, frame: bool = True, **scale):
        """Draw ``image`` (784 values or 28x28) in its tile with imshow's ``scale`` (cmap, vmin, vmax); the AxesImage."""
        from matplotlib.patches import Rectangle

        x, y = self.corner(row, column)
        height, width = IMAGE_SHAPE
        shown = self.axes.imshow(np.asarray(image).reshape(IMAGE_SHAPE), extent=(x, x + width, y + height, y),
                                 interpolation=scale.pop("interpolation", "nearest"), **scale)
        if frame:
            self._frames.append(Rectangle((x, y), width, height))
        return shown

    def empty(self, row: int, column: int) -> None:
        """A tile with nothing to show: left blank, unframed (nothing to draw)."""

    def title(self, row: int, column: int, words: str, size: float | None = None) -> None:
        """Words centred above the tile, as an axes title would stand."""
        x, y = self.corner(row, column)
        self.axes.text(x + IMAGE_SHAPE[1] / 2, y - 0.02 * self.units, words, ha="center", va="bottom",
                       fontsize=size or self.title_size, linespacing=1.1)

    def row_label(self, row: int, words: str, column: int = 0, size: float = 8.0, rotation: float = 0.0) -> None:
        """Words to the left of the row's tile in ``column``, vertically centred on it, as a y label would stand."""
        x, y = self.corner(row, column)
        # Turned 90 degrees it reads upward with its foot toward the tile, centred on the row, as a y label.
        alignment = {"ha": "center", "va": "bottom", "rotation_mode": "anchor"} if rotation else {"ha": "right", "va": "center"}
        self.axes.text(x - 0.06 * self.units, y + IMAGE_SHAPE[0] / 2, words, fontsize=size, rotation=rotation, **alignment)

    def finish(self) -> Figure:
        """The figure, with a thin frame around every drawn tile (as an axes' spines would be)."""
        from matplotlib.collections import PatchCollection

        if self._frames:
            self.axes.add_collection(PatchCollection(self._frames, facecolor="none", edgecolor="black", linewidth=0.6))
        return self.figure


def scale_bar(figure: Figure, axes, scale: dict, **options):
    """A colour bar for tiles drawn with ``scale`` (cmap, vmin, vmax), without an image of its own."""
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize

    return figure.colorbar(ScalarMappable(Normalize(scale["vmin"], scale["vmax"]), scale["cmap"]), ax=axes, **options)


def image_grid_figure(
    images: np.ndarray,
    titles: Sequence[str] | None,
    title: str,
    columns: int,
    symmetric: bool = False,
    row_labels: Sequence[str] | None = None,
    tile: float = 1.25,
    limit: float | None = None,
    colorbar_label: str = "weight",
    value_range: tuple[float, float] | None = None,
) -> Figure:
    """28x28 images in a grid on one shared colour scale (``tile`` inches each).

    One scale for the whole figure, so a brighter tile really is a larger value
    (as scikit-learn's MNIST filter example does); ``symmetric`` centres it on 0
    with a diverging map, for weights that can be negative, from ``-limit`` to
    ``limit`` (default: the largest absolute value; larger values are clipped).
    ``value_range`` sets the grey scale's ends instead of the images' own least and largest values.
    """
    images = np.asarray(images).reshape(len(images), *IMAGE_SHAPE)
    height, width = IMAGE_SHAPE
    rows = int(np.ceil(len(images) / columns))
    if symmetric:
        limit = limit or float(np.abs(images).max()) or 1.0
        scale = {"cmap": "RdBu_r", "vmin": -limit, "vmax": limit}
    else:
        low, high = value_range or (float(images.min()), float(images.max()) or 1.0)
        scale = {"cmap": "gray_r", "vmin": low, "vmax": high}
    extend = "both" if symmetric and limit < np.abs(images).max() else "neither"
    if titles is None and row_labels is None:
        # One image of all tiles, a pixel of background between them: hundreds of
        # separate axes take seconds each to lay out and draw.
        figure = Figure(figsize=(tile * columns + 0.8, (tile + 0.05) * rows + 0.7), layout="constrained")
        mosaic = np.full((rows * (height + 1) - 1, columns * (width + 1) - 1), np.nan)
        for index, image in enumerate(images):
            row, column = divmod(index, columns)
            top, left = row * (height + 1), column * (width + 1)
            mosaic[top:top + height, left:left + width] = image
        axes = figure.add_subplot()
        colours = colormaps[scale.pop("cmap")].with_extremes(bad="white")
        shown = axes.imshow(mosaic, cmap=colours, interpolation="nearest", **scale)
        axes.set_xticks([])
        axes.set_yticks([])
        axes.set_xlabel(f"{len(images)} tiles, left to right and top to bottom")
        if symmetric:
            figure.colorbar(shown, ax=axes, shrink=0.6, label=colorbar_label, extend=extend)
        figure.suptitle(title)
        return figure
    lines = max((len(words.splitlines()) for words in titles), default=0) if titles is not None else 0
    label_room = 0.25 if row_labels is not None else 0.1
    grid = TileGrid(rows, columns, tile, title_lines=lines, title_size=7, gap=0.08,
                    margins=(label_room, 1.0 if symmetric else 0.1, 0.5 + 0.17 * len(title.splitlines()), 0.1))
    for index, image in enumerate(images):
        row, column = divmod(index, columns)
        grid.image(row, column, image, **scale)
        if titles is not None:
            grid.title(row, column, titles[index])
        if row_labels is not None and column == 0:
            grid.row_label(row, row_labels[row], rotation=90)
    figure = grid.finish()
    if symmetric:
        scale_bar(figure, grid.axes, scale, shrink=0.6, label=colorbar_label, extend=extend)
    figure.suptitle(title)
    return figure
