"""params.yaml as a frozen, checked config (``params``), built from its plain sections (``sections``), its
``experiments:`` (``experiments``) and its ``augment:`` sets (``distortions``): every bad value answered with one
sentence naming the key, the value and what is allowed. Imports the foundations and ``data``."""
