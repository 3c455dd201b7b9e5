"""The ``augment`` sets of params.yaml: which distortions a training batch gets, and their allowed ranges.

The distortions themselves, in TensorFlow ops inside the compiled training loop,
are ``hiddennodes.network.augment``'s; this is only their settings, so reading
params.yaml never imports them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

MAX_THICKNESS = 2  # pixels a side; MNIST strokes are 2-4 wide


@dataclass(frozen=True)
class Distortions:
    """One named set of ``augment`` in params.yaml; every field 0 (the default) is no distortion."""

    rotation: float = 0.0  # degrees, either way
    shift: float = 0.0  # pixels, each axis, either way
    scale: float = 0.0  # share: the size times a factor in [1 - scale, 1 + scale]
    elastic_alpha: float = 0.0  # Simard's alpha: how far the smoothed field moves a pixel; 0 = no elastic distortion
    elastic_sigma: float = 4.0  # Simard's sigma: the smoothing of the field, in pixels
    thickness: float = 0.0  # pixels of pen added or removed on each side at most
    copies: int = 1  # distorted copies of each training digit per epoch: more updates for the same epochs

    @property
    def active(self) -> bool:
        """Whether any distortion is drawn (``copies`` alone repeats the digits as they are)."""
        return any((self.rotation, self.shift, self.scale, self.elastic_alpha, self.thickness))

    def describe(self) -> str:
        """The set in words, for logs and the report: "turned up to 15°, moved up to 2 px, ..." or "none"."""
        parts = []
        if self.rotation:
            parts.append(f"turned up to {self.rotation:g}°")
        if self.shift:
            parts.append(f"moved up to {self.shift:g} px")
        if self.scale:
            parts.append(f"resized by up to {100 * self.scale:g}%")
        if self.elastic_alpha:
            parts.append(f"elastic (alpha {self.elastic_alpha:g}, sigma {self.elastic_sigma:g})")
        if self.thickness:
            parts.append(f"pen up to {self.thickness:g} px wider or thinner")
        if self.copies > 1:
            parts.append(f"{self.copies} copies of each training image an epoch")
        return ", ".join(parts) or "none"


FIELDS = tuple(field.name for field in dataclasses.fields(Distortions))
# Allowed [low, high] of each field, and why it ends there.
RANGES = {
    "rotation": (0.0, 180.0),  # beyond 180 degrees turns back
    "shift": (0.0, 14.0),  # 14 pixels moves the centre to the field's edge
    "scale": (0.0, 0.9),  # a factor of 0.1 leaves about 3 pixels of digit
    "elastic_alpha": (0.0, 100.0),
    "elastic_sigma": (0.5, 10.0),  # below half a pixel the field is noise; above 10 it is a shift
    "thickness": (0.0, float(MAX_THICKNESS)),
    "copies": (1, 20),  # a whole number
}
