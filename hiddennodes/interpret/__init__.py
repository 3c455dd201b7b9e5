"""What each hidden node responds to: per-class statistics (``node_stats``), preferred inputs (``preferred``),
2-D maps of the activations (``embedding``), attributions (``attributions``), and the arrays the figures, the
report and the explorer read (``arrays``). Imports the foundations, ``data`` and ``network``."""
