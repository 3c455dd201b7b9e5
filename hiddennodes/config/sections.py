"""The plain sections of params.yaml (``data``, ``pca``, ``rf``, ``small``, ``model``, ``embedding``, ...): each
a frozen dataclass with its defaults, and the names and ranges its settings allow. ``hiddennodes.config.params``
checks the raw values against them and builds the whole config.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

OPTIMIZERS = ("adadelta", "adagrad", "adam", "adamax", "adamw", "nadam", "rmsprop", "sgd")
SCHEDULES = ("constant", "cosine")
PENALTIES = ("l2", "l1", "elasticnet")
ACTIVATIONS = (
    "elu", "gelu", "leaky_relu", "linear", "relu", "selu",
    "sigmoid", "softplus", "softsign", "swish", "tanh",
)


@dataclass(frozen=True)
class DataParams:
    dataset: str = "mnist"
    mirror: str = ""
    val_size: int = 5000


@dataclass(frozen=True)
class PcaParams:
    variance: float = 0.95


@dataclass(frozen=True)
class RandomForestParams:
    n_estimators: int = 100
    top_pixels: int = 70
    max_samples: float = 1.0  # share of the training images each tree draws (1: as many as there are)


@dataclass(frozen=True)
class TrainingParams:
    """How one network is trained: the study's defaults."""

    activation: str = "relu"
    optimizer: str = "rmsprop"
    learning_rate: float = 0.001
    schedule: str = "constant"  # the learning rate over training: constant, or cosine (down to 0 at the last step)
    epochs: int = 30
    batch_size: int = 32
    dropout: float = 0.0  # share of hidden activations dropped in training; 0 = off
    l2: float = 0.0  # L2 penalty on the hidden layer's weights; 0 = off
    patience: int = 0  # stop after this many epochs without a lower validation loss; 0 = run every epoch
    repeats: int = 1  # train with seeds seed, seed + 1, ...; the first is kept, all give the mean and interval


@dataclass(frozen=True)
class SmallParams(TrainingParams):
    """Experiments 1 and 2: the study's one- and two-node networks."""

    hidden_exp1: int = 1
    hidden_exp2: int = 2


@dataclass(frozen=True)
class ModelParams(TrainingParams):
    """Experiments 3 to 5: the best width, on pixels, PCA and selected pixels."""

    hidden: int = 128


@dataclass(frozen=True)
class ModelAugmentedParams(TrainingParams):
    """The best width trained on distorted copies (exp6; its width is ``model.hidden``): the ``model`` recipe with
    fewer epochs, since each epoch shows every digit ``copies`` times (on MNIST, 4 copies x 20 epochs reads the test
    digits within 4 x 30's interval in two thirds of the time; docs/experiments.md)."""

    schedule: str = "cosine"
    epochs: int = 20
    batch_size: int = 128


@dataclass(frozen=True)
class CnnRecipe(TrainingParams):
    """How the convolutional experiments train (networks.conv): Adam on a cosine schedule, 8 epochs of batches of 128."""

    optimizer: str = "adam"
    learning_rate: float = 0.003
    schedule: str = "cosine"
    epochs: int = 8
    batch_size: int = 128


@dataclass(frozen=True)
class CnnParams(CnnRecipe):
    """The convolutional experiments' training: their dense hidden layer's width is their own key."""

    hidden: int = 128


@dataclass(frozen=True)
class CnnAugmentedParams(CnnRecipe):
    """The convolutional experiments trained on distorted copies: as ``cnn`` but more epochs, since every epoch
    shows new distortions to learn from (their width is ``cnn.hidden``, so both CNNs are the same network)."""

    epochs: int = 12


@dataclass(frozen=True)
class Architecture:
    """An entry of params.yaml's ``networks``: what comes before the dense hidden layer. No filters: the inputs
    themselves (a dense network); else a convolution of ``kernel`` x ``kernel`` per count of filters, each
    followed by max pooling over ``pool`` x ``pool`` blocks (hiddennodes.network.keras_model.build_model)."""

    filters: tuple[int, ...] = ()
    kernel: int = 5
    pool: int = 2

    @property
    def convolutional(self) -> bool:
        return bool(self.filters)


@dataclass(frozen=True)
class EmbeddingParams:
    """The 2-D maps of the hidden activations (experiments 3 to 5)."""

    perplexity: float = 30.0
    points: int = 10000  # training images mapped (a seeded sample, the same for every experiment); 0 = all of them


@dataclass(frozen=True)
class SnapshotsParams:
    """The epochs at which each training keeps its network, to show the hidden nodes forming (0: before training);
    the kept epoch and the last are always added."""

    epochs: tuple[int, ...] = (0, 1, 2, 3, 5, 8, 13, 21, 30)


@dataclass(frozen=True)
class RobustnessParams:
    """The graded changes to the test images: level k of ``levels`` is k/levels of the way to the strongest."""

    levels: int = 4
    rotation: float = 30.0  # degrees, either way
    shift: float = 5.0  # pixels, in a random direction
    smaller: float = 0.6  # times the size
    larger: float = 1.3
    thinner: float = 1.0  # pixels of stroke removed on each side
    thicker: float = 2.0  # pixels of stroke added on each side
    noise: float = 0.4  # standard deviation, full ink being 1
    blur: float = 2.0  # Gaussian sigma in pixels
    contrast: float = 0.2  # share of the contrast kept

    def strongest(self) -> dict[str, float]:
        """The last level's severity of every change, by name."""
        return {field.name: getattr(self, field.name) for field in dataclasses.fields(self) if field.name != "levels"}


@dataclass(frozen=True)
class BaselineParams:
    """Multinomial logistic regression on each input kind."""

    max_iter: int = 100  # lbfgs iterations at most (scikit-learn's default)
    C: float = 1.0  # inverse strength of its penalty (scikit-learn's default)
    penalties: tuple[str, ...] = ("l2", "l1", "elasticnet")  # one model each; l1 and elasticnet are fitted by saga
    l1_ratio: float = 0.5  # the elastic net's share of L1
    saga_max_iter: int = 5  # saga's passes over the data at most (L1 and elastic net)


@dataclass(frozen=True)
class CalibrationParams:
    """The reliability diagrams and the reject option."""

    bins: int = 10  # equal-width confidence bins of the reliability diagram and the ECE
    target_accuracy: float = 0.99  # the accuracy the kept answers must reach
    certainty: float = 0.95  # ... with this confidence (Wilson's lower bound); 0.5 takes the validation accuracy as it is


@dataclass(frozen=True)
class FamiliarityParams:
    """The check that a prepared picture looks like the training digits at all."""

    pass_share: float = 0.99  # the share of validation digits that must pass every limit


@dataclass(frozen=True)
class AttributionsParams:
    """Which pixels made each answer (stage attributions, with shap)."""

    per_class: int = 10  # test digits of each class whose attributions toward their class are averaged
    mistakes: int = 6  # most confident mistakes shown with the attributions toward both answers


@dataclass(frozen=True)
class CustomersParams:
    """The customers' digits stage: test digits drawn as photos and scans under many conditions."""

    digits: int = 50  # test digits per condition and level (the benchmark draws 100)


# Allowed (low, high] for each change's strongest severity, and why it ends there.
ROBUSTNESS_RANGES = {
    "rotation": (0.0, 180.0),  # beyond 180 degrees turns back
    "shift": (0.0, 14.0),  # 14 pixels moves the centre to the field's edge
    "smaller": (0.0, 1.0),  # below 1 (1 would be no change)
    "larger": (1.0, 3.0),
    "thinner": (0.0, 3.0),  # MNIST strokes are 2-4 pixels wide: 3 pixels a side erases them
    "thicker": (0.0, 5.0),
    "noise": (0.0, 1.0),
    "blur": (0.0, 5.0),
    "contrast": (0.0, 1.0),
}


# Each section of params.yaml that holds plain settings, and its dataclass.
SECTIONS = {
    "data": DataParams,
    "pca": PcaParams,
    "rf": RandomForestParams,
    "small": SmallParams,
    "model": ModelParams,
    "model_augmented": ModelAugmentedParams,
    "cnn": CnnParams,
    "cnn_augmented": CnnAugmentedParams,
    "embedding": EmbeddingParams,
    "snapshots": SnapshotsParams,
    "robustness": RobustnessParams,
    "calibration": CalibrationParams,
    "baseline": BaselineParams,
    "familiarity": FamiliarityParams,
    "customers": CustomersParams,
    "attributions": AttributionsParams,
}
