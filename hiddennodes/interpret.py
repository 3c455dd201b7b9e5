"""Temporary re-exports for stages not yet moved; to be deleted."""

from hiddennodes.embedding import pca_embedding, approximate_neighbours, tsne_embedding, spread_points, neighbour_agreement  # noqa: F401
from hiddennodes.forward import ACTIVATION_FUNCTIONS, forward, input_map  # noqa: F401
from hiddennodes.node_stats import class_tuning, selectivity_index, dead_nodes, ablation_importance, extreme_items, interval_overlap, decision_regions  # noqa: F401
from hiddennodes.preferred import weights_in_pixel_space, preferred_input_in_box, preferred_input_on_sphere, class_preferred_inputs  # noqa: F401
from hiddennodes.words import english_list, describe_node  # noqa: F401
