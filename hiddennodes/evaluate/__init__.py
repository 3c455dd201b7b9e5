"""How well the networks read: confusion counts and curves (``classification``), confidence (``calibration``),
changed test digits (``robustness``), customers' pictures (``customers``), intervals and paired tests
(``stats``), the headline numbers (``headline``) and a sweep's table (``sweep``).
Imports the foundations, ``data``, ``config``, ``network``, ``reading`` and ``conditions``."""
