"""Images in [0, 1] as 0-255 bytes: a quarter of float32's size, and all a screen shows."""

from __future__ import annotations

import numpy as np


def image_bytes(images: np.ndarray) -> np.ndarray:
    """``images`` clipped to [0, 1] and rounded to uint8 levels (0: no ink, 255: full ink)."""
    return np.round(np.clip(np.asarray(images, dtype=np.float64), 0.0, 1.0) * 255).astype(np.uint8)
