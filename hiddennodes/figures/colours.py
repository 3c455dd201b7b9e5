"""The class colours every figure shares, so a class looks the same in all of them."""

from matplotlib import colormaps

CLASS_COLOURS = colormaps["tab10"]

