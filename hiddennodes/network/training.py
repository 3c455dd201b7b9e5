"""Training without the per-batch overhead: each epoch's batches in one compiled call.

``EpochRunner.fit`` does what ``model.fit(x, y, batch_size=32, shuffle=True,
validation_data=..., epochs=...)`` does for the study's networks: the same
model, loss, optimizer and batch size, every example once per epoch in a fresh
random order (the last batch smaller when the batch size does not divide the
examples, as Keras does), the validation split evaluated after every epoch, and
the Keras callbacks called with the same ``logs`` (``loss``, ``accuracy``,
``val_loss``, ``val_accuracy``). What changes is how the work reaches
TensorFlow. ``fit`` feeds one batch per call through ``tf.data``, Python and
the executor, about 2 ms a batch here, for networks whose arithmetic per batch
takes microseconds (hidden 1) to a millisecond (hidden 700). Here the data stays
in memory as tensors, an epoch's shuffled order goes in as one index array, and
a ``tf.while_loop`` compiled by XLA gathers each batch, takes the gradient and
updates the weights, all inside one call per epoch.

The numbers that chose this (benchmarks/training.py) are in the README.
"""

from __future__ import annotations

import sys
import time

import keras
import numpy as np
import tensorflow as tf


def epoch_order(num_examples: int, batch_size: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """One epoch's shuffled example indices, a row per batch.

    When ``batch_size`` does not divide ``num_examples`` the last batch is
    smaller, as in Keras; here it is padded to full size with weight-0 rows,
    so every batch has one shape and an epoch compiles once.

    Returns:
        ``(batches, weights)``: ``int32`` indices and ``float32`` weights (1 for
        an example, 0 for padding), both of shape ``(ceil(num_examples /
        batch_size), batch_size)``.
    """
    num_batches = -(-num_examples // batch_size)
    batches = np.zeros(num_batches * batch_size, dtype=np.int32)
    weights = np.zeros(num_batches * batch_size, dtype=np.float32)
    batches[:num_examples] = rng.permutation(num_examples)
    weights[:num_examples] = 1.0
    return batches.reshape(num_batches, batch_size), weights.reshape(num_batches, batch_size)


class EpochRunner:
    """Compiled functions that train a compiled Keras classifier an epoch per
    call and evaluate it in one call.

    The model must have been compiled with ``sparse_categorical_crossentropy``
    on softmax outputs (``hiddennodes.network.keras_model.build_model``); its optimizer
    updates its weights in place, so the model is trained when the runner is
    done, and ``model.optimizer.iterations`` counts the updates as after ``fit``.
    """

    def __init__(self, model: keras.Model, jit_compile: bool = True, distortions=None, input_map=None):
        """
        Args:
            jit_compile: the whole epoch's loop compiled by XLA: right for dense networks; not for convolutional
                ones, whose convolutions XLA runs about 15x slower on CPU than TensorFlow's own kernels
                (185 s against 11 s an epoch of Fashion-MNIST, 16 and 32 filters of 5x5, on two cores).
            distortions: a ``hiddennodes.network.augment.Distortions``; when active, every training batch is
                replaced by freshly distorted copies (``hiddennodes.network.augment.distort``) before the update.
                The training images handed to ``fit`` are then the 28x28 pixels.
            input_map: ``(matrix, offset)`` from pixels to the network's inputs (``Network.matrix`` and
                ``Network.offset``; ``offset`` may be None), applied after distorting, for a network on
                PCA components or selected pixels. None: the network reads the pixels.
        """
        if model.loss != "sparse_categorical_crossentropy":
            raise ValueError(
                f"EpochRunner trains with sparse categorical cross-entropy, but the model was compiled with {model.loss!r}."
            )
        self.model = model
        self.jit_compile = jit_compile
        self.distortions = distortions if distortions is not None and distortions.active else None
        self.input_map = None
        if input_map is not None and input_map[0] is not None:
            matrix, offset = input_map
            self.input_map = (tf.constant(matrix, tf.float32), None if offset is None else tf.constant(offset, tf.float32))
        self.loss = keras.losses.sparse_categorical_crossentropy  # per example
        model.optimizer.build(model.trainable_variables)
        self._distort_compiled = tf.function(self._distort, jit_compile=True)
        self._train = tf.function(self._train_batches, jit_compile=jit_compile, reduce_retracing=False)
        # Evaluation is a few large matrix products: plain graph mode does them
        # as fast as XLA, and one trace serves every set size.
        self._evaluate = tf.function(self._loss_and_correct, reduce_retracing=True)

    def _distort(self, pixels, seed):
        from hiddennodes.network.augment import distort

        return distort(pixels, self.distortions, seed, compiled=True)

    def _inputs(self, pixels, seed):
        """A batch as the network reads it: distorted with ``seed`` when augmenting, then mapped to its inputs."""
        if self.distortions is not None:
            # Compiled by XLA even when the loop around it is not (a convolutional network's): the distortions'
            # gathers and morphology run as one fused kernel either way.
            pixels = self._distort(pixels, seed) if self.jit_compile else self._distort_compiled(pixels, seed)
        if self.input_map is not None:
            matrix, offset = self.input_map
            pixels = pixels @ matrix if offset is None else pixels @ matrix + offset
        return pixels

    def _step(self, images, labels, batch, weights, seed):
        """One update on the rows ``batch`` of the data, padding rows weighted 0;
        the batch's summed loss and number of correct predictions, before the update."""
        batch_images = self._inputs(tf.gather(images, batch), seed)
        batch_labels = tf.gather(labels, batch)
        variables = self.model.trainable_variables
        with tf.GradientTape() as tape:
            probabilities = self.model(batch_images, training=True)
            # The mean over the batch's examples, as Keras's loss takes it.
            loss_sum = tf.reduce_sum(weights * self.loss(batch_labels, probabilities))
            loss = loss_sum / tf.reduce_sum(weights)
            if self.model.losses:  # weight penalties (L2): added to the batch's mean, and to the loss reported, as fit does
                penalty = tf.add_n(self.model.losses)
                loss = loss + penalty
                loss_sum = loss_sum + penalty * tf.reduce_sum(weights)
        self.model.optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
        return loss_sum, self._correct(batch_labels, probabilities, weights)

    @staticmethod
    def _correct(labels, probabilities, weights):
        predicted = tf.argmax(probabilities, axis=1, output_type=labels.dtype)
        return tf.reduce_sum(weights * tf.cast(tf.equal(predicted, labels), tf.float32))

    def _train_batches(self, images, labels, batches, weights, epoch_seed):
        """Train on each row of ``batches`` in turn; the summed loss and correct count.
        ``epoch_seed`` keys the distortions: batch ``index`` draws with ``(epoch_seed, index)``."""

        def body(index, loss_sum, correct_sum):
            loss, correct = self._step(images, labels, batches[index], weights[index], tf.stack([epoch_seed, index]))
            return index + 1, loss_sum + loss, correct_sum + correct

        _, loss_sum, correct_sum = tf.while_loop(
            lambda index, *_: index < tf.shape(batches)[0],
            body,
            (tf.constant(0), tf.constant(0.0), tf.constant(0.0)),
        )
        return loss_sum, correct_sum

    def _loss_and_correct(self, images, labels):
        probabilities = self.model(images, training=False)
        weights = tf.ones_like(labels, dtype=tf.float32)
        return tf.reduce_sum(self.loss(labels, probabilities)), self._correct(labels, probabilities, weights)

    def train_epoch(self, images, labels, batches: np.ndarray, weights: np.ndarray, epoch_seed: int = 0) -> dict[str, float]:
        """Train on ``batches`` (one per row, see ``epoch_order``); the epoch's
        mean loss and accuracy as Keras reports them (averaged over the
        examples, each taken before its batch's update, on the distorted copies when augmenting)."""
        loss_sum, correct_sum = self._train(images, labels, tf.constant(batches), tf.constant(weights),
                                            tf.constant(epoch_seed, tf.int32))
        count = float(weights.sum())
        return {"loss": float(loss_sum) / count, "accuracy": float(correct_sum) / count}

    def evaluate(self, images, labels, batch_size: int = 8192) -> dict[str, float]:
        """Mean loss and accuracy over a whole set, in batches of ``batch_size``."""
        images = tf.convert_to_tensor(images)
        labels = tf.cast(labels, tf.int32)
        loss_sum = correct_sum = 0.0
        count = int(labels.shape[0])
        for start in range(0, count, batch_size):
            loss, correct = self._evaluate(images[start : start + batch_size], labels[start : start + batch_size])
            loss_sum += float(loss)
            correct_sum += float(correct)
        return {"loss": loss_sum / count, "accuracy": correct_sum / count}

    def fit(
        self,
        train_images: np.ndarray,
        train_labels: np.ndarray,
        validation_data: tuple[np.ndarray, np.ndarray],
        epochs: int,
        batch_size: int,
        seed: int,
        callbacks: list[keras.callbacks.Callback] = (),
        verbose: bool = True,
        copies: int = 1,
    ) -> keras.callbacks.History:
        """Train the model as ``model.fit`` would, an epoch per compiled call.

        Args:
            train_images: the network's inputs; the 28x28 pixels (n, 784) when the runner maps them (``input_map``).
            validation_data: always in the network's own inputs.
            seed: seeds the order of the examples in every epoch, and the distortions.
            callbacks: Keras callbacks; they see the same ``logs`` as under ``fit``.
            verbose: print one line per epoch, as ``fit(verbose=2)``.
            copies: each example this many times an epoch (distorted afresh each time when augmenting).

        Returns:
            The ``History`` callback, as ``fit`` returns it.
        """
        if not 1 <= batch_size:
            raise ValueError(f"batch_size is {batch_size}; it must be at least 1.")
        model = self.model
        images = tf.convert_to_tensor(train_images)
        labels = tf.cast(train_labels, tf.int32)
        val_images = tf.convert_to_tensor(validation_data[0])
        val_labels = tf.cast(validation_data[1], tf.int32)
        rng = np.random.default_rng(seed)
        distortion_rng = np.random.default_rng([seed, 1])  # its own stream: the order of the examples is as without
        callback_list = keras.callbacks.CallbackList(list(callbacks), add_history=True, model=model)
        model.stop_training = False
        logs: dict[str, float] = {}
        callback_list.on_train_begin()
        for epoch in range(epochs):
            callback_list.on_epoch_begin(epoch)
            started = time.perf_counter()
            order = epoch_order(len(train_labels) * copies, batch_size, rng)
            if copies > 1:  # every digit `copies` times, in one shuffled order
                order = (order[0] % len(train_labels), order[1])
            logs = self.train_epoch(images, labels, *order, epoch_seed=int(distortion_rng.integers(2**31 - 1)))
            logs.update({f"val_{name}": value for name, value in self.evaluate(val_images, val_labels).items()})
            if verbose:
                print(
                    f"Epoch {epoch + 1}/{epochs} - {time.perf_counter() - started:.2f}s - "
                    + " - ".join(f"{name}: {value:.4f}" for name, value in logs.items()),
                    file=sys.stdout,
                    flush=True,
                )
            callback_list.on_epoch_end(epoch, logs)
            if model.stop_training:
                break
        callback_list.on_train_end(logs)
        return model.history
