"""Distorted copies of the training digits, drawn afresh for every batch inside the compiled training loop.

The classic answer to a one-hidden-layer network that breaks when a digit is
turned, moved or written with another pen (Simard, Steinkraus and Platt, 2003)
is to train it on distorted copies. ``distort`` is that, in TensorFlow ops that
XLA compiles into ``hiddennodes.network.training.EpochRunner``'s loop, so a batch is
distorted where it is gathered, with no second copy of the data set:

- an affine warp: turned by up to ``rotation`` degrees either way, resized by a
  factor in ``[1 - scale, 1 + scale]`` about the field's centre, moved by up to
  ``shift`` pixels on each axis;
- Simard's elastic distortion: a random displacement field, uniform in [-1, 1]
  per pixel and axis, smoothed by a Gaussian of ``elastic_sigma`` pixels and
  scaled by ``elastic_alpha`` (34 and 4 in the paper), added to where each
  pixel is sampled;
- a pen ``thickness`` pixels wider or narrower at most: grey dilation or erosion
  by a disc, a fractional radius blending the two nearest whole ones, as the
  robustness stage's ``thicker`` and ``thinner`` changes do (here with no ink
  beyond the field's edge).

``copies`` sends every training digit through that many times an epoch, each
time distorted afresh: distorted digits take more updates to learn than the
digits as they are.

Each draw is uniform in its range and comes from a stateless generator keyed by
the run's seed, the epoch and the batch, so the same params and seed give the
same network. Sampling is bilinear with no ink outside the field, in the same
(row, column) convention as ``hiddennodes.evaluate.robustness.affine_warp``, which the
tests hold it to.
"""

from __future__ import annotations

import math

from hiddennodes.config.distortions import Distortions

FIELD = 28
CENTRE = (FIELD - 1) / 2
ELASTIC_VARIANCE = 0.999  # share of the blurred field's variance its kept directions hold


def elastic_basis(sigma: float):
    """``B`` (28, k) with ``B @ Z @ B.T``, for ``Z`` (k, k) of independent draws uniform in [-1, 1], a field with
    the covariance of Simard's: uniform noise on the 28x28 grid blurred by a Gaussian of ``sigma`` pixels
    (no field outside the image), kept to the ``k`` strongest directions that hold ``ELASTIC_VARIANCE`` of
    its variance (6 of 28 at sigma 4; all 28 at sigma 0.5).

    Blurring is ``G @ F @ G.T`` with ``G`` the 28x28 blur along one axis. With ``G = U S V.T``,
    ``V.T @ F @ V`` has independent entries of F's variance (V is orthogonal), so drawing them directly
    gives the same field from ``k * k`` draws instead of 784 (36 at sigma 4: 22 times fewer) for the same distortion."""
    import numpy as np

    radius = max(1, int(math.ceil(3 * sigma)))
    offsets = np.arange(-radius, radius + 1)
    kernel = np.exp(-0.5 * (offsets / sigma) ** 2)
    kernel /= kernel.sum()
    blur = np.zeros((FIELD, FIELD))
    for row in range(FIELD):
        for offset, weight in zip(offsets, kernel):
            if 0 <= row + offset < FIELD:
                blur[row, row + offset] = weight
    left, strengths, _ = np.linalg.svd(blur)
    held = np.cumsum(strengths**2) / np.sum(strengths**2)
    rank = int(np.searchsorted(held, ELASTIC_VARIANCE) + 1)
    return (left[:, :rank] * strengths[:rank]).astype(np.float32)


def _disc_offsets(radius: int) -> list[tuple[int, int]]:
    return [(row, column) for row in range(-radius, radius + 1) for column in range(-radius, radius + 1)
            if row * row + column * column <= radius * radius]


def _morphology(images, radius: int, dilate: bool):
    """Grey dilation (or erosion) of ``(n, 28, 28)`` by a disc: the max (min) over its shifted copies; no ink outside."""
    import tensorflow as tf

    padded = tf.pad(images, [[0, 0], [radius, radius], [radius, radius]], constant_values=0.0)
    copies = [padded[:, radius + row : radius + row + FIELD, radius + column : radius + column + FIELD]
              for row, column in _disc_offsets(radius)]
    stacked = tf.stack(copies, axis=0)
    return tf.reduce_max(stacked, axis=0) if dilate else tf.reduce_min(stacked, axis=0)


def bilinear_sample(images, rows, columns):
    """``images`` (n, 28, 28) read at real (row, column) positions (n, 28, 28) each, bilinearly; 0 outside the field.

    Each image is laid out once as its 2x2 neighbourhoods (a zero border around the field): one gather of four
    neighbouring values per output pixel instead of four gathers of one, the same sum in the same order
    (bit for bit the same images), 1.4x faster an augmented pass of the training loop (docs/performance.md)."""
    import tensorflow as tf

    count = tf.shape(images)[0]
    padded = tf.pad(images, [[0, 0], [1, 1], [1, 1]])  # (n, 30, 30): the field with no ink around it
    corners = ((0, 0), (0, 1), (1, 0), (1, 1))
    side = FIELD + 1  # a neighbourhood's top-left corner runs over rows and columns -1 .. 27
    neighbourhoods = tf.stack([padded[:, row : row + side, column : column + side] for row, column in corners], axis=-1)
    neighbourhoods = tf.reshape(neighbourhoods, [count, side * side, len(corners)])
    row0, column0 = tf.floor(rows), tf.floor(columns)
    row_fraction, column_fraction = rows - row0, columns - column0
    touches = (row0 >= -1) & (row0 <= FIELD - 1) & (column0 >= -1) & (column0 <= FIELD - 1)  # some corner inside
    index = tf.cast(tf.where(touches, (row0 + 1) * side + (column0 + 1), tf.zeros_like(row0)), tf.int32)
    values = tf.gather(neighbourhoods, tf.reshape(index, [count, FIELD * FIELD]), batch_dims=1)
    values = tf.reshape(values, [count, FIELD, FIELD, len(corners)])
    total = tf.zeros_like(rows)
    for corner, (row_step, column_step) in enumerate(corners):
        weight = (row_fraction if row_step else 1 - row_fraction) * (column_fraction if column_step else 1 - column_fraction)
        total += weight * values[..., corner]
    return tf.where(touches, total, tf.zeros_like(total))


def affine_sources(angles, factors, offsets):
    """Where each output pixel reads from: ``M (p - c) + c - offset`` with ``M`` the inverse of turning by
    ``angles`` (radians) and resizing by ``factors``; ``offsets`` (n, 2) move the digit by (rows, columns)."""
    import tensorflow as tf

    grid_rows, grid_columns = tf.meshgrid(tf.range(FIELD, dtype=tf.float32) - CENTRE,
                                          tf.range(FIELD, dtype=tf.float32) - CENTRE, indexing="ij")
    cos, sin = tf.cos(angles)[:, None, None] / factors[:, None, None], tf.sin(angles)[:, None, None] / factors[:, None, None]
    rows = cos * grid_rows[None] - sin * grid_columns[None] + CENTRE - offsets[:, 0, None, None]
    columns = sin * grid_rows[None] + cos * grid_columns[None] + CENTRE - offsets[:, 1, None, None]
    return rows, columns


def _mix(values):
    """Chris Wellons's "lowbias32" integer hash: every bit of the input moves every bit of the output."""
    import tensorflow as tf

    values = tf.bitwise.bitwise_xor(values, tf.bitwise.right_shift(values, 16)) * tf.constant(0x7FEB352D, tf.uint32)
    values = tf.bitwise.bitwise_xor(values, tf.bitwise.right_shift(values, 15)) * tf.constant(0x846CA68B, tf.uint32)
    return tf.bitwise.bitwise_xor(values, tf.bitwise.right_shift(values, 16))


def uniform_draws(seed, stream: int, shape):
    """Uniform draws in [-1, 1) of ``shape``, a pure function of ``seed`` (2 int32), ``stream`` and the position.

    A counter hashed with ``_mix``: XLA turns it into a few vector integer operations, about 50 times
    faster on a CPU than its own stateless generator (0.25 microseconds a number, which made the elastic
    field alone cost more than the training step it feeds)."""
    import tensorflow as tf

    key = _mix(tf.bitcast(seed[0], tf.uint32) ^ _mix(tf.bitcast(seed[1], tf.uint32) + tf.constant(0x9E3779B9 * (stream + 1) % 2**32, tf.uint32)))
    counter = tf.bitcast(tf.range(tf.reduce_prod(shape), dtype=tf.int32), tf.uint32)
    bits = tf.bitwise.right_shift(_mix(counter ^ key), 8)  # the top 24 bits: exact in float32
    return tf.reshape(tf.cast(bits, tf.float32) * (2.0 / 2**24) - 1.0, shape)


def distort(images, distortions: Distortions, seed, compiled: bool = True):
    """Distorted copies of ``images`` (n, 784) or (n, 28, 28), float in [0, 1], each drawn independently.

    Args:
        seed: a shape-(2,) int32 tensor; the stateless generator's key (the run's seed and the batch's number).
        compiled: whether this runs inside an XLA-compiled function (``jit_compile=True``), as the training loop does.

    Returns:
        The copies, in the shape ``images`` came in.
    """
    import tensorflow as tf

    shape = tf.shape(images)
    stack = tf.reshape(images, [-1, FIELD, FIELD])
    count = tf.shape(stack)[0]

    def uniform(stream: int, size):
        return uniform_draws(seed, stream, size)

    def barrier(value):
        """Computed once, not fused by XLA into each of the morphology's shifted reads (an XLA-only op: none outside it)."""
        if not compiled:
            return value
        from tensorflow.compiler.tf2xla.python.xla import optimization_barrier

        (value,) = optimization_barrier(value)
        return value

    # The batch is gathered from the whole training set: computed once here, not fused into every read of it below.
    stack = barrier(stack)
    if distortions.thickness:
        # Each image's radius in [-thickness, thickness]: negative erodes, positive dilates, blending whole radii.
        radii = uniform(5, [count]) * distortions.thickness
        whole = int(math.ceil(distortions.thickness))
        ladder = [_morphology(stack, radius, dilate=False) for radius in range(whole, 0, -1)]
        ladder += [stack] + [_morphology(stack, radius, dilate=True) for radius in range(1, whole + 1)]
        position = (radii + whole)[:, None, None]  # 0 .. 2 * whole along the ladder
        # Linear interpolation along the ladder as a weighted sum (a "hat" weight per rung), not a gather.
        stack = tf.add_n([tf.nn.relu(1.0 - tf.abs(position - rung)) * image for rung, image in enumerate(ladder)])
        stack = barrier(stack)
    if distortions.rotation or distortions.scale or distortions.shift or distortions.elastic_alpha:
        angles = uniform(0, [count]) * (distortions.rotation * math.pi / 180)
        factors = 1.0 + uniform(1, [count]) * distortions.scale
        offsets = uniform(2, [count, 2]) * distortions.shift
        rows, columns = affine_sources(angles, factors, offsets)
        if distortions.elastic_alpha:
            basis = tf.constant(elastic_basis(distortions.elastic_sigma))
            for stream, along in ((3, "rows"), (4, "columns")):  # a field for each axis
                draws = uniform(stream, [count, basis.shape[1], basis.shape[1]])
                smooth = tf.matmul(tf.matmul(basis, draws), basis, transpose_b=True) * distortions.elastic_alpha
                if along == "rows":
                    rows = rows + smooth
                else:
                    columns = columns + smooth
        stack = bilinear_sample(stack, rows, columns)
    return tf.reshape(stack, shape)
