"""The marks of ink on a picture of paper: which are the paper's own, and which group into one digit.

Lines of the paper: ruled and squared paper and the edges of a printed box are long straight
runs, thinner than the pen's strokes (or spanning the picture); their thin parts are taken
out, so a stroke that crosses a line stays whole. A printed box is also recognised as a frame
around the marks.

Not the paper's edges: marks that touch the picture's border (a table, the page's edge, a
finger, a shadow) are dropped when the digit lies inside, and so are marks along the border far
fainter than the writing (where a shadow's soft edge leaves the picture); a digit cut tight by the
crop, whose strokes touch the border themselves, spans the picture and is dark, and is kept.

Digits: the marks are grouped into digits by the columns they cover (a 5 whose bar was lifted
is one digit), and counted into lines of writing (a page of text is not a number).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TIGHT_CROP_CONTRAST = 0.35  # marks that all touch the border are a tightly cropped digit only if this dark
# A mark along the border weaker than this share of the strongest mark is not ink: a shadow that darkens the paper by
# half makes marks of about half the contrast of a pen's (0.47-0.54 of the digit's strongest, measured), ink ~1.
BORDER_FAINT_SHARE = 0.6


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
    contact = _border_contact(labels, count)
    marks = []
    for index, (rows, columns) in enumerate(ndimage.find_objects(labels), start=1):
        own = labels[rows, columns] == index
        marks.append(_Mark(index, rows, columns, int(areas[index]), bool(contact[index]), int(contact[index]),
                           stroke_width(own) if widths else 0.0, float(contrast[rows, columns][own].max())))
    return labels, marks


def _border_contact(labels: np.ndarray, count: int) -> np.ndarray:
    """For each label, how many places along the picture's four sides it reaches in the outer two rows or columns:
    the ink filters can leave the outermost pixels out (a table's dark strip along the edge starts a pixel in),
    and such a mark still lies along the border."""
    contact = np.zeros(count + 1, dtype=np.int64)
    for outer, inner in ((labels[0], labels[1]), (labels[-1], labels[-2]), (labels[:, 0], labels[:, 1]),
                         (labels[:, -1], labels[:, -2])):
        # A place counts once for each label found there, whether in the outer row, the inner or both.
        contact += np.bincount(outer, minlength=count + 1) + np.bincount(inner[inner != outer], minlength=count + 1)
    contact[0] = 0
    return contact


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


def _faint_along_border(marks: list[_Mark]) -> set[int]:
    """Marks touching the border under ``BORDER_FAINT_SHARE`` of the strongest mark's contrast: a shadow's edge."""
    strongest = max((mark.strength for mark in marks), default=0.0)
    return {mark.label for mark in marks if mark.touches_border and mark.strength < BORDER_FAINT_SHARE * strongest}


def _clutter(marks: list[_Mark], shape: tuple[int, int]) -> set[int]:
    """Marks touching the border that are the scene, not the digit: a table, the page's edge, a finger, a shadow."""
    if not marks:
        return set()
    picture_area = shape[0] * shape[1]
    # A mark along the border far weaker than the strongest mark is a shadow's edge or a corner of it, or light
    # falling off: one pen's strokes are about equally dark, and a digit cut by the border is as dark as the rest
    # of the writing.
    faint = _faint_along_border(marks)
    if faint:
        return faint | _clutter([mark for mark in marks if mark.label not in faint], shape)
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
