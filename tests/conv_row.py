"""The convolutional row as a user adds it: params.yaml's two commented experiments uncommented (docs/experiments.md)."""

from __future__ import annotations

import re

CONV_LINE = re.compile(r"^  # (exp\d+: \{network: conv\b.*)$", re.M)


def with_conv_row(text: str) -> str:
    """``text`` (params.yaml's) with the commented convolutional experiments uncommented; ValueError if it has none."""
    changed, count = CONV_LINE.subn(r"  \1", text)
    if count != 2:
        raise ValueError(f"params.yaml has {count} commented convolutional experiments, not the documented 2")
    return changed
