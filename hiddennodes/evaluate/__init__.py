"""How well the networks read: confusion counts and curves (``classification``), confidence (``calibration``),
changed test digits (``robustness``), customers' pictures (``customer_pictures`` draws them once for every network,
``customers`` answers them), intervals and paired tests (``stats``), the headline numbers (``headline``) and a
sweep's table (``sweep``). Imports the foundations, ``data``, ``config``, ``network``, ``reading`` and
``conditions``."""
