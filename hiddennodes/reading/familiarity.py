"""Does a prepared 28x28 look like the training digits at all? A check before the network answers.

A network answers every input with some class, often with a probability near
1 for an input unlike anything it was trained on (a blot, a ruled line, a word,
a page of noise). The calibration stage's threshold cannot catch those: it
only knows how confidence relates to accuracy on digits. So three measures of
the prepared image itself are compared with the validation digits, prepared
the same way:

- ``reconstruction_error``: the mean squared difference between the image and
  its projection onto the pipeline's own PCA of the training images. Shapes
  like the training digits are rebuilt from their principal components; other
  shapes leave a large residual.
- ``ink``: the mean ink over the 28x28 field (a filled shape has far more than
  any pen stroke, a dot far less).
- ``aspect``: the logarithm of the ink's width over its height (a ruled line
  or a word is far wider than any digit).

The limits are quantiles of the validation digits, chosen so that at least
``pass_share`` of them pass every check together: the failure budget
``1 - pass_share`` is split between the checks (half to the reconstruction
error, a quarter to each two-sided measure), so by the union bound the
combined share cannot fall below it; the share actually measured is recorded.
"""

from __future__ import annotations

import numpy as np

FEATURES = ("reconstruction_error", "ink", "aspect")


def features(digits: np.ndarray, components: np.ndarray, mean: np.ndarray) -> dict[str, np.ndarray]:
    """The three measures of each prepared digit ((n, 28, 28) in [0, 1]) against the PCA (components, mean)."""
    flat = digits.reshape(len(digits), -1).astype(np.float64)
    centred = flat - mean
    rebuilt = (centred @ components.T) @ components
    error = np.mean((centred - rebuilt) ** 2, axis=1)
    inked = digits > 0.1
    rows, columns = inked.any(axis=2), inked.any(axis=1)

    def extent(present: np.ndarray) -> np.ndarray:
        first = np.argmax(present, axis=1)
        last = present.shape[1] - 1 - np.argmax(present[:, ::-1], axis=1)
        return np.where(present.any(axis=1), last - first + 1, 1)

    return {"reconstruction_error": error, "ink": flat.mean(axis=1),
            "aspect": np.log(extent(columns) / extent(rows))}


def fit_limits(measured: dict[str, np.ndarray], pass_share: float) -> dict:
    """Limits on each measure that at least ``pass_share`` of the measured (validation) digits pass together.

    Returns:
        ``{"limits": {name: [low or None, high]}, "val_pass_share": the share that passes, "pass_share": as asked}``
    """
    budget = 1.0 - pass_share
    # "higher"/"lower" quantiles are measured values, so no more than the budgeted share lies strictly beyond each.

    def upper(name: str, share: float) -> float:
        return float(np.quantile(measured[name], 1 - share, method="higher"))

    def lower(name: str, share: float) -> float:
        return float(np.quantile(measured[name], share, method="lower"))

    limits = {
        "reconstruction_error": [None, upper("reconstruction_error", budget / 2)],
        "ink": [lower("ink", budget / 8), upper("ink", budget / 8)],
        "aspect": [lower("aspect", budget / 8), upper("aspect", budget / 8)],
    }
    share = float(np.mean([verdict is None for verdict in judge(measured, limits)]))
    return {"limits": limits, "val_pass_share": share, "pass_share": pass_share}


def judge(measured: dict[str, np.ndarray], limits: dict[str, list]) -> list[str | None]:
    """For each digit, None if it looks like the training digits, else one sentence saying how it does not."""
    count = len(measured["ink"])
    verdicts: list[str | None] = [None] * count
    error_high = limits["reconstruction_error"][1]
    ink_low, ink_high = limits["ink"]
    aspect_low, aspect_high = limits["aspect"]
    for index in range(count):
        error, ink, aspect = (float(measured[name][index]) for name in FEATURES)
        if ink > ink_high:
            why = f"far more ink than a pen stroke: {ink:.2f} of the field, training digits at most {ink_high:.2f}"
        elif ink < ink_low:
            why = f"too little ink: {ink:.3f} of the field, training digits at least {ink_low:.3f}"
        elif aspect > aspect_high:
            why = f"wider than any training digit ({np.exp(aspect):.1f} times its height, at most {np.exp(aspect_high):.1f})"
        elif aspect < aspect_low:
            why = f"narrower than any training digit ({np.exp(aspect):.2f} times its height, at least {np.exp(aspect_low):.2f})"
        elif error > error_high:
            why = f"a shape unlike the training digits (PCA reconstruction error {error:.4f} > {error_high:.4f})"
        else:
            continue
        verdicts[index] = f"the marks do not look like a handwritten digit: {why}."
    return verdicts
