"""The report: sentences worded from the metrics (``findings``), the few a reader sees first (``summary``), the
comparison table (``tables``), figures stored small (``images``) and the page (``page``).
Imports anything above it but ``explorer`` and ``cli``."""
