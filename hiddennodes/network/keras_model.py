"""The study's network: inputs -> one dense hidden layer -> softmax over classes; a convolutional one puts
learnt filters (convolution, activation, max pooling per layer) between the pixels and that hidden layer."""

from __future__ import annotations

import keras
import numpy as np

HIDDEN_LAYER = "hidden"


def build_model(
    num_inputs: int,
    hidden_units: int,
    num_classes: int,
    activation: str,
    optimizer: str,
    learning_rate: float,
    steps_per_execution: int = 64,
    dropout: float = 0.0,
    l2: float = 0.0,
    schedule: str = "constant",
    decay_steps: int | None = None,
    filters: tuple[int, ...] = (),
    kernel_size: int = 5,
    pool: int = 2,
) -> keras.Model:
    """A compiled single-hidden-layer dense network.

    The hidden layer is named ``hidden`` so later stages can read its
    activations; the loss is sparse categorical cross-entropy on integer labels.
    ``steps_per_execution`` runs that many batches per call into TensorFlow:
    the same updates in the same order (a test checks the weights match), with
    far less per-batch Python overhead, which dominates these small networks
    (hidden 128 on Fashion-MNIST: 8.4 s an epoch with 1, 2.6-3.0 s with 64).
    ``dropout`` adds a Dropout layer after the hidden one (active in training
    only) and ``l2`` penalises the hidden weights; both 0 (off) by default.
    ``schedule="cosine"`` lowers the learning rate along a half cosine to 0 over
    ``decay_steps`` updates (all of training: batches per epoch times epochs).
    """
    rate = learning_rate
    if schedule == "cosine":
        if not decay_steps:
            raise ValueError("a cosine schedule needs decay_steps, the number of updates in all of training.")
        rate = keras.optimizers.schedules.CosineDecay(learning_rate, decay_steps)
    elif schedule != "constant":
        raise ValueError(f"schedule is {schedule!r}; use 'constant' or 'cosine'.")
    regularizer = keras.regularizers.L2(l2) if l2 > 0 else None
    layers = [keras.Input(shape=(num_inputs,), name="inputs")]
    if filters:
        side = int(round(num_inputs**0.5))
        if side * side != num_inputs:
            raise ValueError(f"a convolutional network reads a square image, but it has {num_inputs} inputs.")
        layers.append(keras.layers.Reshape((side, side, 1), name="image"))
        for index, count in enumerate(filters, start=1):
            layers += [keras.layers.Conv2D(count, kernel_size, activation=activation, name=f"conv{index}"),
                       keras.layers.MaxPooling2D(pool, name=f"pool{index}")]
        layers.append(keras.layers.Flatten(name="flatten"))
    layers.append(keras.layers.Dense(hidden_units, activation=activation, kernel_regularizer=regularizer, name=HIDDEN_LAYER))
    if dropout > 0:
        layers.append(keras.layers.Dropout(dropout, name="dropout"))
    layers.append(keras.layers.Dense(num_classes, activation="softmax", name="output"))
    model = keras.Sequential(layers)
    model.compile(
        optimizer=keras.optimizers.get({"class_name": optimizer, "config": {"learning_rate": rate}}),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
        steps_per_execution=steps_per_execution,
    )
    return model


def model_for(settings, num_inputs: int, hidden_units: int, num_classes: int, examples: int, copies: int = 1,
              architecture=None) -> keras.Model:
    """``build_model`` with a params training section's settings (``hiddennodes.config.params.TrainingParams``), for
    ``examples`` training examples each seen ``copies`` times an epoch: the cosine schedule's steps are all of training's.
    ``architecture``: the experiment's entry of params.yaml's ``networks`` (``hiddennodes.config.sections.Architecture``)."""
    conv = {} if architecture is None or not architecture.filters else dict(
        filters=architecture.filters, kernel_size=architecture.kernel, pool=architecture.pool)
    return build_model(num_inputs, hidden_units, num_classes, settings.activation, settings.optimizer, settings.learning_rate,
                       dropout=settings.dropout, l2=settings.l2, schedule=settings.schedule,
                       decay_steps=-(-examples * copies // settings.batch_size) * settings.epochs, **conv)


def layer_parameters(model: keras.Model) -> dict[str, np.ndarray]:
    """Both layers' weights and the hidden activation's name, as NumPy arrays:
    all ``hiddennodes.network.trained.forward`` needs to run the network without TensorFlow; for a
    convolutional one also each ``conv<i>_kernel`` and ``conv<i>_bias``, ``conv_activation`` and ``conv_pool``."""
    hidden = model.get_layer(HIDDEN_LAYER)
    hidden_kernel, hidden_bias = hidden.get_weights()
    output_weights, output_bias = model.get_layer("output").get_weights()
    conv = {}
    convolutions = [layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D)]
    for index, layer in enumerate(convolutions, start=1):
        conv[f"conv{index}_kernel"], conv[f"conv{index}_bias"] = layer.get_weights()
    if convolutions:
        conv["conv_activation"] = np.array(convolutions[0].get_config()["activation"])
        conv["conv_pool"] = np.array(model.get_layer("pool1").get_config()["pool_size"][0])
    return {**conv,
        "hidden_kernel": hidden_kernel,
        "hidden_bias": hidden_bias,
        "hidden_activation": np.array(hidden.get_config()["activation"]),
        "output_weights": output_weights,
        "output_bias": output_bias,
    }


def hidden_layer_model(model: keras.Model) -> keras.Model:
    """A model that maps the inputs to the hidden layer's activations."""
    return keras.Model(inputs=model.inputs, outputs=model.get_layer(HIDDEN_LAYER).output)


class KeepBestWeights(keras.callbacks.Callback):
    """Remember the weights of the epoch with the lowest monitored value and
    restore them when training ends, as the study's ``ModelCheckpoint(
    save_best_only=True)`` does, without writing a file per improvement."""

    def __init__(self, monitor: str = "val_loss"):
        super().__init__()
        self.monitor = monitor
        self.best_value = np.inf
        self.best_epoch = 0  # 1-based, as Keras prints epochs
        self.best_weights: list[np.ndarray] | None = None

    def on_epoch_end(self, epoch, logs=None):
        value = (logs or {}).get(self.monitor)
        if value is not None and value < self.best_value:
            self.best_value = float(value)
            self.best_epoch = epoch + 1
            self.best_weights = self.model.get_weights()

    def on_train_end(self, logs=None):
        if self.best_weights is not None:
            self.model.set_weights(self.best_weights)


class KeepSnapshots(keras.callbacks.Callback):
    """The network's layers (``layer_parameters``) before training (epoch 0) and after each epoch in ``epochs``, and
    after the last epoch it ran, to show the hidden nodes forming. It only reads the weights, between epochs: the
    training is the same with it as without (``tests/test_snapshots.py``)."""

    def __init__(self, epochs):
        super().__init__()
        self.epochs = set(epochs)
        self.taken: dict[int, dict[str, np.ndarray]] = {}
        self.last_epoch = 0

    def on_train_begin(self, logs=None):
        if 0 in self.epochs:
            self.taken[0] = layer_parameters(self.model)

    def on_epoch_end(self, epoch, logs=None):
        self.last_epoch = epoch + 1
        self.last = layer_parameters(self.model)  # the last epoch is kept whatever the list; early stopping may end anywhere
        if epoch + 1 in self.epochs:
            self.taken[epoch + 1] = self.last

    def on_train_end(self, logs=None):
        if self.last_epoch:
            self.taken[self.last_epoch] = self.last
