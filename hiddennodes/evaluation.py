"""Temporary re-exports for stages not yet moved; to be deleted."""

from hiddennodes.calibration import reliability_bins, expected_calibration_error, accuracy_coverage, wilson_lower_bound, threshold_for_accuracy, kept_at_threshold  # noqa: F401
from hiddennodes.classification import confusion_matrix, confusion_rows, classification_report, most_confused_pairs, pair_cells, confident_mistakes, montage  # noqa: F401
from hiddennodes.tables import COMPARISON_COLUMNS, BASELINE_PREFIX, comparison_table, table_cells, markdown_table  # noqa: F401
