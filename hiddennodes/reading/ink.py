"""Which pixels of a picture of paper are ink: contrast with the paper around them, well above its grain.

The paper, locally: the paper's brightness is estimated everywhere by a median over windows a
quarter of the picture wide, on a coarse copy (strokes cover less than half of such a window,
and a median keeps the step of a shadow's edge); where a digit's loops fill the window, the
paper around the ink is averaged instead (a stroke as dark as most of the others counts as ink there, even a faint
pencil's). Ink is how much darker (or, on a board, lighter) a
pixel is than that paper, relative to it, so a stroke in a shadow counts as much as one in
full light. A stroke is also darker than the paper on both sides of it, where a shadow's edge
is darker on one side only: a grey closing as wide as the median's window (a top-hat) must
agree, and so must the median's own doubt at a step.

Marks, not grain: scikit-image's hysteresis threshold keeps pixels 4 standard deviations of
the paper's grain above it, connected to pixels twice as far above and at least 12% darker
than the paper: a page of noise or the shallow valleys of falling light have no marks, and a
faint pencil stroke keeps all of its length.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

NOISE_SIGMAS = 4.0  # how far above the paper's grain a pixel must be to be part of a mark's outline
MIN_CONTRAST = 0.04  # ... and at least 4% darker than the paper around it, however clean the paper
MIN_STROKE = 0.12  # a mark is somewhere at least 12% darker than its paper (a pencil at a fifth of full contrast is 20%)
SMALL_PICTURE = 128  # pixels on the longer side: a crop of one digit (or a scan of one), not a photo of paper


def _resized(image: np.ndarray, size: tuple[int, int], resample) -> np.ndarray:
    from PIL import Image

    return np.asarray(Image.fromarray(np.asarray(image, dtype=np.float32), mode="F").resize(size, resample))


def paper_brightness(gray: np.ndarray, coarse_side: int = 100) -> tuple[np.ndarray, np.ndarray]:
    """The paper's brightness at every pixel, estimated on a coarse copy in two passes, and how far it may be off.

    First a median over windows a quarter of the picture wide: strokes cover
    less than half of such a window, so it is the paper's, and it keeps the
    step of a shadow's edge where a mean would smear it. Where a digit fills
    the picture its loops can cover half a window and darken that estimate, so
    under what the first pass took for ink, the second pass averages only the
    pixels it did not (a normalised Gaussian average, over the same scale).

    Where the paper's brightness steps (a shadow's edge, the page's edge) the
    coarse estimate, drawn back to full size, can be off by as much as the
    paper changes between neighbouring coarse pixels: that is the second array,
    which the contrast must exceed before it counts as ink.
    """
    from PIL import Image
    from scipy import ndimage
    from skimage.filters import rank
    from skimage.morphology import footprint_rectangle

    height, width = gray.shape
    if max(height, width) <= SMALL_PICTURE:  # a crop of one digit: its light is even, and ink may fill every window
        counts, edges = np.histogram(gray, bins=32, range=(0.0, 1.0))
        level = (edges[np.argmax(counts)] + edges[np.argmax(counts) + 1]) / 2
        return np.full_like(gray, level, dtype=np.float32), np.zeros_like(gray, dtype=np.float32)
    coarse_side = min(coarse_side, max(height, width))
    scale = coarse_side / max(height, width)
    coarse_size = (max(1, round(width * scale)), max(1, round(height * scale)))
    coarse = _resized(gray, coarse_size, Image.Resampling.BOX)
    window = max(3, round(coarse_side / 4) | 1)
    # scikit-image's rank median slides a histogram, so a wide window costs little (8-bit levels are enough).
    levels = np.round(np.clip(coarse, 0, 1) * 255).astype(np.uint8)
    first = rank.median(levels, footprint_rectangle((window, window))).astype(np.float32) / 255
    darker, lighter = first - coarse, coarse - first
    spread = max(NOISE_SIGMAS * noise_sigma(coarse), MIN_CONTRAST)
    # A fat stroke can fill the median's window and become "paper"; a grey closing half the picture wide fills
    # every dark stroke however fat, and keeps a shadow's step, so what lies below it is ink too.
    closed = ndimage.minimum_filter(ndimage.maximum_filter(coarse, size=max(3, coarse_side // 2), mode="nearest"),
                                    size=max(3, coarse_side // 2), mode="nearest")
    # Only where it is far darker (by 30% of the paper): light falling off across a shadow makes shallow valleys too.
    # A faint pencil's strokes are not that dark: for them, 60% as dark as the strokes' cores the median found
    # (their darkest tenth: a shadow's edge adds many pixels barely darker than the median, which must not count).
    strokes = darker > spread
    depth = 0.6 * float(np.percentile(darker[strokes], 90)) if strokes.any() else np.inf
    fat = closed - coarse > np.maximum(2 * spread, np.minimum(0.3 * closed, depth))
    ink = ndimage.binary_dilation(strokes | (lighter > spread) | fat)
    weights = (~ink).astype(np.float32)
    sigma = window / 2
    weighted = ndimage.gaussian_filter(coarse * weights, sigma, mode="reflect", truncate=2.0)
    total = ndimage.gaussian_filter(weights, sigma, mode="reflect", truncate=2.0)
    # Away from ink the median stands (it keeps a shadow's edge sharp); under the ink, the average of the paper.
    # Deep inside a fat digit no paper is near: the paper's brightness over the whole picture stands in.
    overall = float(np.median(coarse[~ink])) if (~ink).any() else float(np.median(first))
    averaged = np.where(total > 0.05, weighted / np.maximum(total, 1e-6), overall)
    paper = np.where(ink, averaged, first)
    # The scene's steps are where the median steps away from the ink; under the ink the median is the ink's.
    step = np.where(ink, 0.0, ndimage.maximum_filter(first, size=3) - ndimage.minimum_filter(first, size=3))
    return (_resized(paper, (width, height), Image.Resampling.BILINEAR),
            _resized(step, (width, height), Image.Resampling.BILINEAR))


def noise_sigma(image: np.ndarray) -> float:
    """The standard deviation of the picture's grain, from differences of pixels two apart.

    Inside strokes and on bare paper such a difference is grain alone; only
    the strokes' edges add more, and they are a minority of pixels however much
    of the picture the ink covers (a median ignores them). Two pixels apart
    rather than one, so the light smoothing before does not hide the grain.
    Every other row and column is enough for a median.
    """
    if min(image.shape) < 3:
        return 0.0
    across = np.abs(image[::2, 2::2] - image[::2, :-2:2]).ravel()
    down = np.abs(image[2::2, ::2] - image[:-2:2, ::2]).ravel()
    return 1.4826 * float(np.median(np.concatenate([across, down]))) / np.sqrt(2)


@dataclass(frozen=True)
class Contrast:
    """Each pixel's ink, as contrast with the paper around it, and the paper's grain in the same units."""

    smoothed: np.ndarray  # of a lightly smoothed copy: marks are found on it, with less grain
    sharp: np.ndarray  # of the picture itself: the ink's values
    smoothed_grain: float  # standard deviation of the paper's grain in each (measured before clipping at 0)
    sharp_grain: float
    off_paper: np.ndarray  # where the background is darker than 40% of the brightest paper: no paper (a table)


def ink_contrast(gray: np.ndarray) -> Contrast:
    """How much darker than the paper around it each pixel is, relative to the paper (or lighter, on a board).

    Light marks on dark paper (chalk on a board, a negative) are recognised by
    having more strong contrast above the paper than below it.
    """
    from scipy import ndimage

    smooth = ndimage.gaussian_filter(gray, sigma=max(0.7, max(gray.shape) / 640))
    paper, uncertain = paper_brightness(smooth)
    difference = smooth - paper
    floor = max(NOISE_SIGMAS * noise_sigma(difference), MIN_CONTRAST / 2)
    darker = np.clip(-difference - uncertain - floor, 0, None).sum()
    lighter = np.clip(difference - uncertain - floor, 0, None).sum()
    # Dark ink on light paper is by far the most common; light ink (a board, a negative) must clearly dominate.
    light_ink = lighter > 2 * darker
    # Contrast is relative to the paper's brightness there, so a stroke in a shadow counts as one in the light;
    # but a region darker than 40% of the brightest paper is no paper (a table, a sleeve), and its grain is
    # measured against that 40%, not inflated by its own darkness.
    background = (1.0 - paper) if light_ink else paper
    least_paper = max(0.4 * float(np.percentile(background, 95)), 0.05)
    sign, scale = (1.0 if light_ink else -1.0), np.maximum(background, least_paper)
    # A stroke is darker than the paper on both sides of it; a shadow's or the page's edge is darker on one side
    # only. A grey closing (an opening, for light ink) half the picture wide fills every valley narrower
    # than that and keeps every step, so the stroke's depth below it (a top-hat) is blind to the edges that the
    # median's coarse estimate may miss by a little. Ink must be ink by both measures.
    size = max(3, round(max(gray.shape) / 2))  # wider than any stroke or junction of a digit that fills the picture
    if max(gray.shape) <= SMALL_PICTURE:  # a crop of one digit: its paper is even (see paper_brightness)
        filled = np.full_like(smooth, np.inf)
    elif light_ink:
        filled = ndimage.maximum_filter(ndimage.minimum_filter(smooth, size=size, mode="nearest"), size=size, mode="nearest")
    else:
        filled = ndimage.minimum_filter(ndimage.maximum_filter(smooth, size=size, mode="nearest"), size=size, mode="nearest")
    valley = np.abs(filled - smooth)
    # Contrast no larger than the paper estimate's own doubt at a step is not ink either.
    smoothed = np.minimum(sign * difference - uncertain, valley) / scale
    sharp = np.minimum(sign * (gray - paper) - uncertain, valley + np.abs(gray - smooth)) / scale
    return Contrast(np.clip(smoothed, 0.0, 1.0), np.clip(sharp, 0.0, 1.0), noise_sigma(smoothed), noise_sigma(sharp),
                    background < least_paper)


def mark_mask(contrast: Contrast) -> np.ndarray:
    """Pixels that belong to marks: 4 sigmas of the paper's grain above it (at least 4%), connected to pixels
    twice as far above it and at least ``MIN_STROKE`` (hysteresis). Light falling off across a shadow makes
    broad, shallow valleys of a few percent; no pen stroke is that shallow."""
    from skimage.filters import apply_hysteresis_threshold

    low = max(NOISE_SIGMAS * contrast.smoothed_grain, MIN_CONTRAST)
    return apply_hysteresis_threshold(contrast.smoothed, low, max(2 * low, MIN_STROKE))
