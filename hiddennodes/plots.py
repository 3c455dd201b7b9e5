"""Temporary re-exports for stages not yet moved; to be deleted."""

from hiddennodes.figures.calibration import reliability_figure, coverage_figure  # noqa: F401
from hiddennodes.figures.colours import CLASS_COLOURS  # noqa: F401
from hiddennodes.figures.comparison import comparison_figure, sweep_figure  # noqa: F401
from hiddennodes.figures.data import class_counts_figure, pixel_importance_figure  # noqa: F401
from hiddennodes.figures.embedding import embedding_figure  # noqa: F401
from hiddennodes.figures.grid import image_grid_figure  # noqa: F401
from hiddennodes.figures.hidden import activation_boxplot_figure, activation_scatter_figure  # noqa: F401
from hiddennodes.figures.nodes import tuning_heatmap_figure, node_gallery_figure, class_preferred_figure  # noqa: F401
from hiddennodes.figures.robustness import robustness_figure, changed_examples_figure  # noqa: F401
from hiddennodes.figures.training import confusion_figure, learning_curves_figure, confused_pairs_figure  # noqa: F401
