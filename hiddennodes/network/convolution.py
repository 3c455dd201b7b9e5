"""A convolutional network's learnt filters in NumPy: the layers before its dense hidden layer, forward and back.

Keras's ``Conv2D`` (valid padding, stride 1, channels last) followed by the activation and
``MaxPooling2D`` (pool x pool, stride pool, the rows and columns that do not fill a window dropped), then
``Flatten``: the same arithmetic in NumPy, so every stage but the training runs a convolutional network
without TensorFlow, and the gradient back to the pixels, so its hidden nodes' and classes' preferred
inputs are found by gradient ascent through the convolutions as the dense networks' are through their weights.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from hiddennodes.data.datasets import IMAGE_SHAPE


def _windows(maps: np.ndarray, kernel: int) -> np.ndarray:
    """Every kernel x kernel window of (n, height, width, channels) maps: (n, rows, columns, kernel, kernel, channels)."""
    return sliding_window_view(maps, (kernel, kernel), axis=(1, 2)).transpose(0, 1, 2, 4, 5, 3)


def convolve(maps: np.ndarray, kernel: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """Keras's Conv2D with valid padding: (n, h, w, in) maps and a (k, k, in, out) kernel give (n, h-k+1, w-k+1, out)."""
    size = kernel.shape[0]
    windows = _windows(maps, size)
    rows, columns = windows.shape[1:3]
    flat = windows.reshape(len(maps) * rows * columns, -1)
    return (flat @ kernel.reshape(-1, kernel.shape[3]) + bias).reshape(len(maps), rows, columns, kernel.shape[3])


def _convolve_back(gradient: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """The gradient with respect to a valid convolution's input maps, from the gradient at its output: each output
    position's gradient times the kernel, added back over the window it read (im2col's transpose)."""
    size, _, channels, count = kernel.shape
    n, rows, columns, _ = gradient.shape
    spread = (gradient.reshape(-1, count) @ kernel.reshape(-1, count).T).reshape(n, rows, columns, size, size, channels)
    back = np.zeros((n, rows + size - 1, columns + size - 1, channels), dtype=spread.dtype)
    for row in range(size):
        for column in range(size):
            back[:, row : row + rows, column : column + columns] += spread[:, :, :, row, column]
    return back


def max_pool(maps: np.ndarray, pool: int) -> np.ndarray:
    """Keras's MaxPooling2D(pool): the largest value of each pool x pool block; a last partial row or column is dropped."""
    if pool == 1:
        return maps
    n, height, width, channels = maps.shape
    rows, columns = height // pool, width // pool
    blocks = maps[:, : rows * pool, : columns * pool].reshape(n, rows, pool, columns, pool, channels)
    return blocks.max(axis=(2, 4))


def _pool_back(gradient: np.ndarray, maps: np.ndarray, pool: int) -> np.ndarray:
    """The gradient at max pooling's input: each block's gradient goes to the first of its largest values, as TensorFlow's."""
    if pool == 1:
        return gradient
    n, height, width, channels = maps.shape
    rows, columns = gradient.shape[1:3]
    blocks = maps[:, : rows * pool, : columns * pool].reshape(n, rows, pool, columns, pool, channels)
    blocks = blocks.transpose(0, 1, 3, 5, 2, 4).reshape(n, rows, columns, channels, pool * pool)
    winner = blocks.argmax(axis=-1)
    spread = np.zeros_like(blocks)
    np.put_along_axis(spread, winner[..., None], gradient[..., None], axis=-1)
    spread = spread.reshape(n, rows, columns, channels, pool, pool).transpose(0, 1, 4, 2, 5, 3)
    back = np.zeros_like(maps)
    back[:, : rows * pool, : columns * pool] = spread.reshape(n, rows * pool, columns * pool, channels)
    return back


@dataclass(frozen=True)
class Filters:
    """The convolutional layers of a network file: kernels (k, k, in, out) and biases, their activation, the pooling."""

    kernels: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...]
    activation: str
    pool: int

    def maps(self, pixels: np.ndarray) -> list[np.ndarray]:
        """Each layer's feature maps after its activation and pooling, for (n, 784) or (n, 28, 28) pixels."""
        from hiddennodes.network.trained import ACTIVATION_FUNCTIONS

        activate = ACTIVATION_FUNCTIONS[self.activation][0]
        maps = np.asarray(pixels, dtype=np.float32).reshape(-1, *IMAGE_SHAPE, 1)
        layers = []
        for kernel, bias in zip(self.kernels, self.biases):
            maps = max_pool(activate(convolve(maps, kernel, bias)), self.pool)
            layers.append(maps)
        return layers

    def flat(self, pixels: np.ndarray, chunk_rows: int = 2048) -> np.ndarray:
        """What the dense hidden layer reads: the last layer's maps flattened as Keras's Flatten does (rows, columns, channels)."""
        pixels = np.asarray(pixels, dtype=np.float32).reshape(len(pixels), -1)
        parts = [self.maps(pixels[start : start + chunk_rows])[-1] for start in range(0, len(pixels), chunk_rows)]
        return np.concatenate(parts).reshape(len(pixels), -1) if parts else np.zeros((0, self.flat_size), np.float32)

    @property
    def flat_size(self) -> int:
        size = IMAGE_SHAPE[0]
        for kernel in self.kernels:
            size = (size - kernel.shape[0] + 1) // self.pool
        return size * size * int(self.kernels[-1].shape[3])

    def gradient(self, pixels: np.ndarray, flat_gradient) -> np.ndarray:
        """The gradient with respect to (n, 784) ``pixels`` of ``sum(flat_gradient * flat(pixels))``: back through
        the pooling, the activations and the convolutions, in float32 (float64 is four times slower and changes no
        preferred image visibly). ``flat_gradient``: an (n, flat_size) array, or a
        function of the flat values (n, flat_size) that returns it (the gradient of whatever is computed from them)."""
        from hiddennodes.network.trained import ACTIVATION_FUNCTIONS

        activate, derivative = ACTIVATION_FUNCTIONS[self.activation]
        maps = np.asarray(pixels, dtype=np.float32).reshape(-1, *IMAGE_SHAPE, 1)
        pre_activations, activated = [], []
        for kernel, bias in zip(self.kernels, self.biases):
            pre = convolve(maps, kernel, bias)
            pre_activations.append(pre)
            activated.append(activate(pre))
            maps = max_pool(activated[-1], self.pool)
        if callable(flat_gradient):
            flat_gradient = flat_gradient(maps.reshape(len(maps), -1))
        gradient = np.asarray(flat_gradient, dtype=np.float32).reshape(maps.shape)
        for index in reversed(range(len(self.kernels))):
            gradient = _pool_back(gradient, activated[index], self.pool) * derivative(pre_activations[index])
            gradient = _convolve_back(gradient, self.kernels[index])
        return gradient.reshape(len(maps), -1).astype(np.float64)
