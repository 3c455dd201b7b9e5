"""Find the handwritten marks on a picture of paper and split them into digits, left to right.

A photo of paper is not a scan: the light is uneven, shadows fall across it,
the page may not fill the picture (a table or a finger shows along an edge),
the paper may be ruled or squared or carry a printed box, and a pencil may be
faint. Each step answers one of these:

1. **The paper, locally.** The paper's brightness is estimated everywhere by a
   median over windows a quarter of the picture wide, on a coarse copy (strokes
   cover less than half of such a window, and a median keeps the step of a
   shadow's edge); where a digit's loops fill the window, the paper around the
   ink is averaged instead. Ink is how much darker (or, on a board, lighter) a
   pixel is than that paper, relative to it, so a stroke in a shadow counts as
   much as one in full light. A stroke is also darker than the paper on both
   sides of it, where a shadow's edge is darker on one side only: a grey
   closing as wide as the median's window (a top-hat) must agree, and so must
   the median's own doubt at a step.
2. **Marks, not grain.** scikit-image's hysteresis threshold keeps pixels 4
   standard deviations of the paper's grain above it, connected to pixels
   twice as far above and at least 12% darker than the paper: a page of noise
   or the shallow valleys of falling light have no marks, and a faint pencil
   stroke keeps all of its length.
3. **Lines of the paper.** Ruled and squared paper and the edges of a printed
   box are long straight runs, thinner than the pen's strokes (or spanning the
   picture); their thin parts are taken out, so a stroke that crosses a line
   stays whole. A printed box is also recognised as a frame around the marks.
4. **Not the paper's edges.** Marks that touch the picture's border (a table,
   the page's edge, a finger, a shadow) are dropped when the digit lies inside;
   a digit cut tight by the crop, whose strokes touch the border themselves,
   spans the picture and is dark, and is kept.
5. **Digits.** Within each mark, parts far fainter than its own strokes go (a
   shadow's edge it ran into), and so do marks far fainter than the strongest.
   Marks on several lines are refused (a page of text is not a number); the
   rest are grouped into digits by the columns they cover (a 5 whose bar was
   lifted is one digit), and dots and scratches far smaller than the digits
   are dropped.

Each digit comes back as its ink crop (ink high, in [0, 1], faint strokes
scaled up to full ink as MNIST's are), for ``hiddennodes.preprocess.mnist_like``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hiddennodes import ImageError

NOISE_SIGMAS = 4.0  # how far above the paper's grain a pixel must be to be part of a mark's outline
MIN_CONTRAST = 0.04  # ... and at least 4% darker than the paper around it, however clean the paper
MIN_STROKE = 0.12  # a mark is somewhere at least 12% darker than its paper (a pencil at a fifth of full contrast is 20%)
TIGHT_CROP_CONTRAST = 0.35  # marks that all touch the border are a tightly cropped digit only if this dark
FAINT_SHARE = 0.1  # within a mark, contrast below this share of its strongest is a shadow's edge, not ink
SMALL_PICTURE = 128  # pixels on the longer side: a crop of one digit (or a scan of one), not a photo of paper
MAX_DIGITS = 12  # more marks than this side by side is not one number (an amount or a postcode)


class NoDigitError(ImageError):
    """The picture holds no digit to read; the message says why (no mark, several lines, ...)."""


@dataclass(frozen=True)
class Digit:
    """One digit found in a picture: its ink crop and where it was."""

    ink: np.ndarray  # float32 in [0, 1], ink high, zero where the digit has no stroke
    box: tuple[int, int, int, int]  # top, left, bottom, right (exclusive) in the decoded picture


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
    fat = closed - coarse > np.maximum(2 * spread, 0.3 * closed)
    ink = ndimage.binary_dilation((darker > spread) | (lighter > spread) | fat)
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
    sign, scale = (1.0 if light_ink else -1.0), np.maximum(background, max(0.4 * float(np.percentile(background, 95)), 0.05))
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
    return Contrast(np.clip(smoothed, 0.0, 1.0), np.clip(sharp, 0.0, 1.0), noise_sigma(smoothed), noise_sigma(sharp))


def mark_mask(contrast: Contrast) -> np.ndarray:
    """Pixels that belong to marks: 4 sigmas of the paper's grain above it (at least 4%), connected to pixels
    twice as far above it and at least ``MIN_STROKE`` (hysteresis). Light falling off across a shadow makes
    broad, shallow valleys of a few percent; no pen stroke is that shallow."""
    from skimage.filters import apply_hysteresis_threshold

    low = max(NOISE_SIGMAS * contrast.smoothed_grain, MIN_CONTRAST)
    return apply_hysteresis_threshold(contrast.smoothed, low, max(2 * low, MIN_STROKE))


def stroke_width(mask: np.ndarray) -> float:
    """The typical width of the strokes in ``mask``: twice the area over the outline's length (a long stroke's)."""
    from scipy import ndimage

    area = int(mask.sum())
    if area == 0:
        return 0.0
    outline = int((mask & ~ndimage.binary_erosion(mask)).sum())
    return 2.0 * area / max(outline, 1)


def _runs(mask: np.ndarray, length: int, axis: int) -> np.ndarray:
    """Pixels of ``mask`` on a straight run of at least ``length`` along ``axis`` (a one-dimensional opening)."""
    from scipy import ndimage

    as_bytes = mask.view(np.uint8)
    eroded = ndimage.minimum_filter1d(as_bytes, length, axis=axis, mode="constant", cval=0)
    return ndimage.maximum_filter1d(eroded, length, axis=axis, mode="constant", cval=0).astype(bool) & mask


def remove_lines(mask: np.ndarray) -> np.ndarray:
    """``mask`` without the lines of ruled or squared paper and of printed boxes.

    A line is a straight run at least 45% of the picture long (tolerating a
    slant of a pixel or two), and only its thin parts are taken out: pixels
    whose mark is thinner across the line than 60% of the pen's strokes (or,
    on a run spanning 90% of the picture, thinner than 3% of it). Where a
    stroke crosses the line the mark is as thick as the stroke there, so the
    stroke is left whole.
    """
    from scipy import ndimage

    pen = stroke_width(mask)
    removed = np.zeros_like(mask)
    for axis, span in ((1, mask.shape[1]), (0, mask.shape[0])):
        across, extent = 1 - axis, mask.shape[1 - axis]
        rules = [(0.45 * span, 0.6 * pen), (0.9 * span, 0.03 * extent)]
        widest = int(np.ceil(max(limit for _, limit in rules)))
        if widest < 2:
            continue
        thin = mask & ~_runs(mask, widest, across)
        # A line of length L puts L thin pixels within 5 neighbouring rows (or columns): where no band
        # holds that many, there is no line, and the long runs need not be looked for.
        band = np.convolve(thin.sum(axis=axis), np.ones(5), mode="same")
        if band.max() < max(8, int(min(length for length, _ in rules))):
            continue
        # A slanted line's straight runs are short; thickening it across first lets them reach the length.
        # The runs are looked for in the whole mask, so a stroke that crosses the line does not break it.
        thick = ndimage.maximum_filter1d(mask.view(np.uint8), 5, axis=across).astype(bool)
        for length, limit in rules:
            limit = int(np.ceil(limit))
            if limit >= 2:
                thinner = thin if limit == widest else mask & ~_runs(mask, limit, across)
                removed |= _runs(thick, max(8, int(length)), axis) & thinner
    return mask & ~removed if removed.any() else mask


@dataclass
class _Mark:
    label: int
    rows: slice
    columns: slice
    area: int
    touches_border: bool
    border_contact: int
    width: float  # stroke width (0 where not measured)
    strength: float  # the mark's strongest contrast


def _marks(mask: np.ndarray, contrast: np.ndarray, widths: bool = True) -> tuple[np.ndarray, list[_Mark]]:
    """The connected marks of ``mask``; their stroke widths only when asked (only the border rules use them)."""
    from scipy import ndimage

    labels, count = ndimage.label(mask, structure=np.ones((3, 3)))
    if count == 0:
        return labels, []
    areas = np.bincount(labels.ravel(), minlength=count + 1)
    edge = np.concatenate([labels[0], labels[-1], labels[1:-1, 0], labels[1:-1, -1]])
    contact = np.bincount(edge, minlength=count + 1)
    marks = []
    for index, (rows, columns) in enumerate(ndimage.find_objects(labels), start=1):
        own = labels[rows, columns] == index
        marks.append(_Mark(index, rows, columns, int(areas[index]), bool(contact[index]), int(contact[index]),
                           stroke_width(own) if widths else 0.0, float(contrast[rows, columns][own].max())))
    return labels, marks


def _without_specks(marks: list[_Mark]) -> list[_Mark]:
    """Marks without grain and dust: at least 4 pixels and 2% of the largest mark."""
    if not marks:
        return marks
    largest = max(mark.area for mark in marks)
    return [mark for mark in marks if mark.area >= max(4, 0.02 * largest)]


def _frames(labels: np.ndarray, marks: list[_Mark]) -> set[int]:
    """Marks that are frames around other marks (a printed box): mostly hole, with another mark's ink inside."""
    from scipy import ndimage

    frames = set()
    for mark in marks:
        own = labels[mark.rows, mark.columns] == mark.label
        hole = ndimage.binary_fill_holes(own) & ~own
        if hole.sum() < 4 * mark.area:
            continue
        inside = labels[mark.rows, mark.columns][hole]
        enclosed = np.unique(inside[(inside != 0) & (inside != mark.label)])
        if sum(other.area for other in marks if other.label in enclosed) >= 0.05 * mark.area:
            frames.add(mark.label)
    return frames


def _clutter(marks: list[_Mark], shape: tuple[int, int]) -> set[int]:
    """Marks touching the border that are the scene, not the digit: a table, the page's edge, a finger, a shadow."""
    picture_area = shape[0] * shape[1]
    interior = [mark for mark in marks if not mark.touches_border]
    if not interior:
        # A digit cropped tight touches the border and spans much of the picture; a small mark in a corner or
        # on an edge is where a shadow or the page leaves the picture.
        top, left = min(mark.rows.start for mark in marks), min(mark.columns.start for mark in marks)
        bottom, right = max(mark.rows.stop for mark in marks), max(mark.columns.stop for mark in marks)
        spans = bottom - top >= 0.5 * shape[0] or right - left >= 0.5 * shape[1]
        # Near the border the paper can only be estimated from one side, so light falling off towards an edge
        # can look like faint ink there; a tight crop's strokes are ink by a wide margin.
        strong = max(mark.strength for mark in marks) >= TIGHT_CROP_CONTRAST
        return set() if spans and strong else {mark.label for mark in marks}
    clutter = set()
    pen = max(mark.width for mark in interior)
    for mark in marks:
        if mark.touches_border and (mark.border_contact > 3 * pen or mark.width > 2 * pen or mark.area > 0.15 * picture_area):
            clutter.add(mark.label)
    # The digit's own strokes may reach the border (a tight crop): keep those when the inside alone is not most of the ink.
    rest = [mark for mark in marks if mark.label not in clutter]
    inside_area = sum(mark.area for mark in interior)
    if inside_area >= 0.5 * sum(mark.area for mark in rest):
        clutter |= {mark.label for mark in rest if mark.touches_border}
    return clutter


def _group_columns(marks: list[_Mark]) -> list[list[_Mark]]:
    """Marks grouped into digits: marks whose columns overlap by 40% of the narrower one are one digit."""
    groups: list[list[_Mark]] = []
    for mark in sorted(marks, key=lambda mark: mark.columns.start):
        for group in groups:
            left = min(other.columns.start for other in group)
            right = max(other.columns.stop for other in group)
            overlap = min(right, mark.columns.stop) - max(left, mark.columns.start)
            if overlap >= 0.4 * min(right - left, mark.columns.stop - mark.columns.start):
                group.append(mark)
                break
        else:
            groups.append([mark])
    return groups


def _lines_of_writing(labels: np.ndarray, marks: list[_Mark]) -> int:
    """How many lines of writing the marks form: bands of rows with ink, each at least 35% as tall as the
    tallest, apart by a tenth of its height, and holding two marks or more (a digit broken across its middle,
    a 5's lifted bar or a dot over it is no line of its own)."""
    inked = np.zeros(labels.shape[0], dtype=bool)
    for mark in marks:
        inked[mark.rows] = True
    edges = np.flatnonzero(np.diff(np.concatenate([[0], inked.view(np.int8), [0]])))
    bands = list(zip(edges[::2], edges[1::2]))
    tallest = max(stop - start for start, stop in bands)
    lines, last_stop = 0, None
    for start, stop in bands:
        inside = sum(start <= mark.rows.start and mark.rows.stop <= stop for mark in marks)
        if stop - start < 0.35 * tallest or inside < 2:
            continue
        if last_stop is None or start - last_stop >= 0.1 * tallest:
            lines += 1
        last_stop = stop
    return lines


def _span(group: list[_Mark]) -> tuple[int, int, int, int]:
    return (min(mark.rows.start for mark in group), min(mark.columns.start for mark in group),
            max(mark.rows.stop for mark in group), max(mark.columns.stop for mark in group))


def find_digits(gray: np.ndarray) -> list[Digit]:
    """The digits written on the paper in ``gray`` (grey levels in [0, 1]), left to right.

    Raises:
        NoDigitError: no mark at all, only the picture's edges, or marks on several lines.
    """
    from scipy import ndimage

    gray = np.asarray(gray, dtype=np.float32)
    if min(gray.shape) < 8:
        raise NoDigitError(f"a {gray.shape[1]}x{gray.shape[0]} picture is too small to hold a digit; give at least 8x8 pixels.")
    measured = ink_contrast(gray)
    contrast, sharp = measured.smoothed, measured.sharp
    mask = remove_lines(mark_mask(measured))
    labels, marks = _marks(mask, contrast)
    marks = _without_specks(marks)
    if not marks:
        raise NoDigitError("no mark found: nothing on the paper stands out from its grain; photograph the digit darker or closer.")
    dropped = _frames(labels, marks)
    dropped |= _clutter([mark for mark in marks if mark.label not in dropped], gray.shape)
    marks = [mark for mark in marks if mark.label not in dropped]
    if not marks:
        raise NoDigitError("no mark found inside the picture: only its edges (a table, the page's edge, a shadow); "
                           "photograph the digit with paper all around it.")
    # Within each mark, what is far fainter than its own strokes is the soft edge of a shadow or a smudge that the
    # outline ran into, not ink; and a mark far fainter than the strongest one is paper texture beside the digit.
    strength = np.zeros(labels.max() + 1, dtype=np.float32)
    for mark in marks:
        strength[mark.label] = mark.strength
    mask = (labels > 0) & (contrast >= FAINT_SHARE * strength[labels]) & (strength[labels] > 0)
    labels, marks = _marks(mask, contrast, widths=False)
    strongest = max((mark.strength for mark in marks), default=0.0)
    marks = _without_specks([mark for mark in marks if mark.strength >= 3 * FAINT_SHARE * strongest])
    if not marks:
        raise NoDigitError("no mark found: nothing on the paper stands out from its grain; photograph the digit darker or closer.")
    if max(gray.shape) > SMALL_PICTURE and _lines_of_writing(labels, marks) > 1:
        raise NoDigitError("the marks lie on several lines, like a page of text rather than one number; "
                           "crop the picture to one number.")
    # A picture this small is a crop of one digit: a broken stroke is not a second digit.
    groups = [marks] if max(gray.shape) <= SMALL_PICTURE else _group_columns(marks)
    tallest = max(_span(group)[2] - _span(group)[0] for group in groups)
    most_ink = max(sum(mark.area for mark in group) for group in groups)
    # Dots, commas and dashes are far shorter than the digits; stray scratches hold far less ink than any digit.
    groups = [group for group in groups if _span(group)[2] - _span(group)[0] >= 0.35 * tallest
              and sum(mark.area for mark in group) >= 0.12 * most_ink]
    if len(groups) > MAX_DIGITS:
        raise NoDigitError(f"{len(groups)} separate marks side by side are not one number (at most {MAX_DIGITS} digits); "
                           "crop the picture to the number.")
    top, bottom = min(_span(group)[0] for group in groups), max(_span(group)[2] for group in groups)
    if bottom - top > 1.6 * tallest:
        raise NoDigitError("the marks lie on several lines, like a page of text rather than one number; "
                           "crop the picture to one number.")
    # The paper's grain is taken off the ink values (3 sigmas of the picture's own grain, never more than half the
    # stroke), so no halo of noise comes along and the crop ends where the strokes do.
    grain = 3 * measured.sharp_grain
    digits = []
    for group in groups:
        top, left, bottom, right = _span(group)
        own = np.isin(labels[top:bottom, left:right], [mark.label for mark in group])
        values = sharp[top:bottom, left:right][own]
        floor = min(grain, 0.5 * float(np.percentile(values, 90)))
        ink = np.where(own, np.clip(sharp[top:bottom, left:right] - floor, 0.0, None), 0.0)
        strong = max(float(np.percentile(values, 90)) - floor, 1e-6)
        # A faint pencil is scaled up to full ink, as MNIST's strokes are: a stroke's core is 1.
        digits.append(Digit(np.clip(ink / strong, 0.0, 1.0).astype(np.float32), (top, left, bottom, right)))
    return digits
