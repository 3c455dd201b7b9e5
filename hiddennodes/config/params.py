"""Typed, validated view of ``params.yaml``: the whole config, and the checks that build it.

Every stage builds :class:`Params` from the raw mapping before any heavy work,
so a typo or an out-of-range value fails in a second with one sentence that
names the key, the value and what is allowed.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any, Mapping

from hiddennodes.config.distortions import RANGES as AUGMENT_RANGES
from hiddennodes.config.distortions import Distortions
from hiddennodes.config.experiments import TRAINING_SECTIONS, Experiment, ParamsError, _choice, _fail, _nearest, parse_experiments
from hiddennodes.config.sections import (ACTIVATIONS, OPTIMIZERS, PENALTIES, ROBUSTNESS_RANGES, SCHEDULES, SECTIONS,
                                         Architecture, AttributionsParams, BaselineParams, CalibrationParams, CnnAugmentedParams, CnnParams, ModelAugmentedParams,
                                         CustomersParams,
                                         DataParams, EmbeddingParams, FamiliarityParams, ModelParams, PcaParams, SnapshotsParams,
                                         RandomForestParams, RobustnessParams, SmallParams, TrainingParams)
from hiddennodes.data.datasets import DATASETS, IMAGE_PIXELS, IMAGE_SHAPE


@dataclass(frozen=True)
class Params:
    seed: int
    data: DataParams
    pca: PcaParams
    rf: RandomForestParams
    small: SmallParams
    model: ModelParams
    model_augmented: ModelAugmentedParams = ModelAugmentedParams()
    cnn: CnnParams = CnnParams()
    cnn_augmented: CnnAugmentedParams = CnnAugmentedParams()
    networks: Mapping[str, Architecture] = dataclasses.field(default_factory=lambda: {"dense": Architecture()})
    embedding: EmbeddingParams = EmbeddingParams()
    snapshots: SnapshotsParams = SnapshotsParams()
    robustness: RobustnessParams = RobustnessParams()
    calibration: CalibrationParams = CalibrationParams()
    baseline: BaselineParams = BaselineParams()
    familiarity: FamiliarityParams = FamiliarityParams()
    customers: CustomersParams = CustomersParams()
    attributions: AttributionsParams = AttributionsParams()
    experiments: tuple[Experiment, ...] = ()
    reference: str = ""
    augment: Mapping[str, Distortions] = dataclasses.field(default_factory=lambda: {"none": Distortions()})

    def distortions(self, experiment: Experiment) -> Distortions:
        """The distortions ``experiment`` trains on (all off for ``augment: none``)."""
        return self.augment[experiment.augment]

    def architecture(self, experiment: Experiment) -> Architecture:
        """What comes before ``experiment``'s hidden layer (no filters for a dense network)."""
        return self.networks[experiment.network]

    def experiment(self, name: str) -> Experiment:
        """The experiment called ``name``, or ParamsError listing the declared ones."""
        for experiment in self.experiments:
            if experiment.name == name:
                return experiment
        raise ParamsError(f"no experiment {name!r} in params.yaml; the experiments are {', '.join(self.names)}.")

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(experiment.name for experiment in self.experiments)

    def reference_peers(self) -> tuple[str, ...]:
        """The reference and the other experiments of its width (one per input kind by default): like with like."""
        width = self.experiment(self.reference).width
        return (self.reference, *(e.name for e in self.experiments if e.width == width and e.name != self.reference))

    def wide_networks(self) -> tuple[str, ...]:
        """The networks one would put in front of customers: the reference and every other experiment drawn as a map
        (wide enough for one; the convolutional ones too, whatever their width key)."""
        return (self.reference, *(e.name for e in self.experiments if e.view == "map" and e.name != self.reference))

    def width(self, experiment: Experiment) -> int:
        return self.hidden_units(experiment.width)

    def training(self, section: str) -> TrainingParams:
        """The training settings of a section (``small``, ``model``, ``model_augmented``, ``cnn`` or ``cnn_augmented``)."""
        if section not in TRAINING_SECTIONS:
            raise ParamsError(f"unknown training section {section!r}; use one of " + ", ".join(TRAINING_SECTIONS) + ".")
        return getattr(self, section)

    def hidden_units(self, key: str) -> int:
        """The width stored under a dotted key such as ``model.hidden``."""
        section, _, name = key.partition(".")
        value = getattr(getattr(self, section, None), name, None)
        if not isinstance(value, int) or "hidden" not in name:
            raise ParamsError(f"{key!r} is not a hidden-width key in params.yaml; use e.g. 'model.hidden'.")
        return value


def _int(key: str, value: Any, low: int, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low or (high is not None and value > high):
        span = f"from {low} to {high}" if high is not None else f"of at least {low}"
        raise _fail(key, value, f"it must be a whole number {span}")
    return value


def _positive_float(key: str, value: Any, high: float | None = None) -> float:
    number_ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    if not number_ok or not value > 0 or (high is not None and value > high):
        allowed = f"in (0, {high}]" if high is not None else "greater than 0"
        raise _fail(key, value, f"it must be a number {allowed}")
    return float(value)


def _section(name: str, raw: Any) -> dict[str, Any]:
    cls = SECTIONS[name]
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        raise _fail(name, raw, "it must be a mapping of keys to values")
    known = {field.name for field in dataclasses.fields(cls)}
    for key in raw:
        if key not in known:
            raise ParamsError(f"params.yaml: unknown key {name}.{key}{_nearest(str(key), known, f'{name}.')}; "
                              f"the keys of {name} are " + ", ".join(sorted(known)) + ".")
    defaults = {field.name: field.default for field in dataclasses.fields(cls)}
    return {**defaults, **raw}


def _training(name: str, values: dict[str, Any]) -> dict[str, Any]:
    values["activation"] = _choice(f"{name}.activation", values["activation"], ACTIVATIONS)
    values["optimizer"] = _choice(f"{name}.optimizer", values["optimizer"], OPTIMIZERS)
    values["learning_rate"] = _positive_float(f"{name}.learning_rate", values["learning_rate"])
    values["schedule"] = _choice(f"{name}.schedule", values["schedule"], SCHEDULES)
    values["epochs"] = _int(f"{name}.epochs", values["epochs"], 1)
    values["batch_size"] = _int(f"{name}.batch_size", values["batch_size"], 1)
    dropout = values["dropout"]
    if isinstance(dropout, bool) or not isinstance(dropout, (int, float)) or not 0 <= dropout < 1:
        raise _fail(f"{name}.dropout", dropout, "it must be a share from 0 (off) to below 1")
    values["dropout"] = float(dropout)
    l2 = values["l2"]
    if isinstance(l2, bool) or not isinstance(l2, (int, float)) or l2 < 0:
        raise _fail(f"{name}.l2", l2, "it must be a number of at least 0 (0 is off)")
    values["l2"] = float(l2)
    values["patience"] = _int(f"{name}.patience", values["patience"], 0)
    values["repeats"] = _int(f"{name}.repeats", values["repeats"], 1, 100)
    return values


def _augment(raw: Any) -> dict[str, Distortions]:
    """The ``augment`` section: named sets of distortions, each a mapping of some of
    ``hiddennodes.network.augment.Distortions``'s fields (``{}`` is none); ``none`` must be there and be empty."""
    if not isinstance(raw, Mapping) or not raw:
        raise _fail("augment", raw, "it must map names to sets of distortions, such as none: {} and "
                    "paper: {rotation: 15, shift: 2} (see the project's params.yaml)")
    sets = {}
    for name, entry in raw.items():
        key = f"augment.{name}"
        if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9_]{0,31}", name):
            raise _fail("augment", name, "a set's name must be a lower-case word of letters, digits and _, such as paper")
        if entry is None:
            entry = {}
        if not isinstance(entry, Mapping):
            raise _fail(key, entry, "it must be a mapping of " + ", ".join(AUGMENT_RANGES) + " ({} for none)")
        values = {}
        for field, value in entry.items():
            if field not in AUGMENT_RANGES:
                raise ParamsError(f"params.yaml: unknown key {key}.{field}{_nearest(str(field), AUGMENT_RANGES, f'{key}.')}; "
                                  "a set of distortions has " + ", ".join(AUGMENT_RANGES) + ".")
            low, high = AUGMENT_RANGES[field]
            if field == "copies":
                values[field] = _int(f"{key}.{field}", value, low, high)
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
                raise _fail(f"{key}.{field}", value, f"it must be a number from {low:g} to {high:g}")
            values[field] = float(value)
        sets[name] = Distortions(**values)
    if "none" not in sets or sets["none"] != Distortions():
        raise _fail("augment.none", raw.get("none", "missing"), "it must be there and be {} (no distortion): "
                    "the experiments trained on the digits as they are name it")
    return sets


def _networks(raw: Any) -> dict[str, Architecture]:
    """The ``networks`` section: named architectures; ``{}`` is dense, ``filters`` makes one convolutional."""
    if raw is None:
        return {"dense": Architecture()}
    if not isinstance(raw, Mapping) or not raw:
        raise _fail("networks", raw, "it must map names to architectures, such as dense: {} and "
                    "conv: {filters: [16, 32], kernel: 5, pool: 2} (see the project's params.yaml)")
    known = tuple(field.name for field in dataclasses.fields(Architecture))
    networks = {}
    for name, entry in raw.items():
        key = f"networks.{name}"
        if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9_]{0,31}", name):
            raise _fail("networks", name, "a network's name must be a lower-case word of letters, digits and _, such as conv")
        entry = {} if entry is None else entry
        if not isinstance(entry, Mapping):
            raise _fail(key, entry, "it must be a mapping of " + ", ".join(known) + " ({} for a dense network)")
        for field in entry:
            if field not in known:
                raise ParamsError(f"params.yaml: unknown key {key}.{field}{_nearest(str(field), known, f'{key}.')}; "
                                  "a network has " + ", ".join(known) + ".")
        values = {**{field.name: field.default for field in dataclasses.fields(Architecture)}, **entry}
        filters = values["filters"]
        if (not isinstance(filters, (list, tuple)) or len(filters) > 4
                or any(isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 256 for count in filters)):
            raise _fail(f"{key}.filters", filters, "it must be a list of up to 4 filter counts from 1 to 256, one per "
                        "convolutional layer ([] for a dense network)")
        kernel = _int(f"{key}.kernel", values["kernel"], 1, 9)
        pool = _int(f"{key}.pool", values["pool"], 1, 4)
        size = IMAGE_SHAPE[0]
        for _ in filters:
            size = (size - kernel + 1) // pool
            if size < 1:
                raise ParamsError(f"params.yaml: {key} leaves no pixel of the 28x28 image after {len(filters)} layers of "
                                  f"{kernel}x{kernel} kernels and {pool}x{pool} pooling; use fewer filters layers, a smaller kernel or pool.")
        networks[name] = Architecture(filters=tuple(filters), kernel=kernel, pool=pool)
    return networks


def parse_params(raw: Mapping[str, Any]) -> Params:
    """Validate the mapping loaded from params.yaml and return typed params.

    Raises:
        ParamsError: naming the first bad key, its value and what is allowed.
    """
    if not isinstance(raw, Mapping):
        raise ParamsError("params.yaml must be a mapping of sections; see the project's params.yaml for the layout.")
    top_level = ("seed", "experiments", "reference", "augment", "networks", *SECTIONS)
    for key in raw:
        if key not in top_level:
            raise ParamsError(f"params.yaml: unknown section {key!r}{_nearest(str(key), top_level)}; "
                              "the sections are " + ", ".join(top_level) + ".")
    seed = _int("seed", raw.get("seed", 42), 0, 2**32 - 1)

    data = _section("data", raw.get("data"))
    data["dataset"] = _choice("data.dataset", data["dataset"], tuple(DATASETS))
    if not isinstance(data["mirror"], str):
        raise _fail("data.mirror", data["mirror"], "it must be a folder path or URL in quotes, or \"\" for none")
    if DATASETS[data["dataset"]].needs_mirror and not data["mirror"]:
        raise _fail("data.mirror", data["mirror"], f"data.dataset {data['dataset']} reads its files from data.mirror, so set it to the folder that holds them")
    data["val_size"] = _int("data.val_size", data["val_size"], 1)

    pca = _section("pca", raw.get("pca"))
    pca["variance"] = _positive_float("pca.variance", pca["variance"], 1)

    rf = _section("rf", raw.get("rf"))
    rf["n_estimators"] = _int("rf.n_estimators", rf["n_estimators"], 1)
    rf["top_pixels"] = _int("rf.top_pixels", rf["top_pixels"], 1, IMAGE_PIXELS)
    rf["max_samples"] = _positive_float("rf.max_samples", rf["max_samples"], 1)

    small = _training("small", _section("small", raw.get("small")))
    small["hidden_exp1"] = _int("small.hidden_exp1", small["hidden_exp1"], 1)
    small["hidden_exp2"] = _int("small.hidden_exp2", small["hidden_exp2"], 2)

    model = _training("model", _section("model", raw.get("model")))
    model["hidden"] = _int("model.hidden", model["hidden"], 1)
    model_augmented = _training("model_augmented", _section("model_augmented", raw.get("model_augmented")))

    cnn = _training("cnn", _section("cnn", raw.get("cnn")))
    cnn["hidden"] = _int("cnn.hidden", cnn["hidden"], 1)
    cnn_augmented = _training("cnn_augmented", _section("cnn_augmented", raw.get("cnn_augmented")))

    embedding = _section("embedding", raw.get("embedding"))
    # openTSNE needs at least 3 x perplexity neighbours per point; 100 is already far above useful.
    embedding["perplexity"] = _positive_float("embedding.perplexity", embedding["perplexity"], 100)
    embedding["points"] = _int("embedding.points", embedding["points"], 0)
    if 0 < embedding["points"] <= 3 * embedding["perplexity"]:
        raise _fail("embedding.points", embedding["points"], f"it must be 0 (all) or above 3 x embedding.perplexity ({3 * embedding['perplexity']:g})")

    snapshots = _section("snapshots", raw.get("snapshots"))
    epochs = snapshots["epochs"]
    if (not isinstance(epochs, (list, tuple)) or not epochs
            or any(isinstance(epoch, bool) or not isinstance(epoch, int) or epoch < 0 for epoch in epochs)):
        raise _fail("snapshots.epochs", epochs, "it must be a list of whole numbers of at least 0, such as [0, 1, 2, 3, 5, 8]")
    snapshots["epochs"] = tuple(sorted(set(epochs)))

    robustness = _section("robustness", raw.get("robustness"))
    robustness["levels"] = _int("robustness.levels", robustness["levels"], 1, 20)
    for name, (low, high) in ROBUSTNESS_RANGES.items():
        value = robustness[name]
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        if not number or not low < value <= high or (name in ("smaller", "contrast") and value == high):
            upper = f"below {high:g}" if name in ("smaller", "contrast") else f"at most {high:g}"
            raise _fail(f"robustness.{name}", value, f"it must be a number above {low:g} and {upper}")
        robustness[name] = float(value)

    calibration = _section("calibration", raw.get("calibration"))
    calibration["bins"] = _int("calibration.bins", calibration["bins"], 1, 100)
    target = calibration["target_accuracy"]
    if isinstance(target, bool) or not isinstance(target, (int, float)) or not 0 < target < 1:
        raise _fail("calibration.target_accuracy", target, "it must be a share above 0 and below 1, such as 0.99")
    calibration["target_accuracy"] = float(target)
    certainty = calibration["certainty"]
    if isinstance(certainty, bool) or not isinstance(certainty, (int, float)) or not 0.5 <= certainty < 1:
        raise _fail("calibration.certainty", certainty, "it must be a probability from 0.5 (no margin) to below 1, such as 0.95")
    calibration["certainty"] = float(certainty)

    baseline = _section("baseline", raw.get("baseline"))
    baseline["max_iter"] = _int("baseline.max_iter", baseline["max_iter"], 1)
    baseline["C"] = _positive_float("baseline.C", baseline["C"])
    penalties = baseline["penalties"]
    if (not isinstance(penalties, (list, tuple)) or not penalties or len(set(map(str, penalties))) != len(penalties)
            or any(penalty not in PENALTIES for penalty in penalties)):
        raise _fail("baseline.penalties", penalties, "it must be a list of different penalties from " + ", ".join(PENALTIES))
    baseline["penalties"] = tuple(penalties)
    ratio = baseline["l1_ratio"]
    if isinstance(ratio, bool) or not isinstance(ratio, (int, float)) or not 0 < ratio < 1:
        raise _fail("baseline.l1_ratio", ratio, "it must be a share above 0 and below 1 (1 is l1, 0 is l2)")
    baseline["l1_ratio"] = float(ratio)
    baseline["saga_max_iter"] = _int("baseline.saga_max_iter", baseline["saga_max_iter"], 1)

    familiarity = _section("familiarity", raw.get("familiarity"))
    share = familiarity["pass_share"]
    if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0.5 <= share < 1:
        raise _fail("familiarity.pass_share", share, "it must be a share from 0.5 to below 1, such as 0.99")
    familiarity["pass_share"] = float(share)

    attributions = _section("attributions", raw.get("attributions"))
    attributions["per_class"] = _int("attributions.per_class", attributions["per_class"], 1, 1000)
    attributions["mistakes"] = _int("attributions.mistakes", attributions["mistakes"], 0, 50)

    customers = _section("customers", raw.get("customers"))
    customers["digits"] = _int("customers.digits", customers["digits"], 1, 10000)

    augment = _augment(raw.get("augment", {"none": {}}))
    networks = _networks(raw.get("networks"))
    sections = dict(small=SmallParams(**small), model=ModelParams(**model),
                    model_augmented=ModelAugmentedParams(**model_augmented), cnn=CnnParams(**cnn),
                    cnn_augmented=CnnAugmentedParams(**cnn_augmented))
    experiments = parse_experiments(raw.get("experiments"), sections, tuple(augment), networks)
    names = tuple(experiment.name for experiment in experiments)
    reference = raw.get("reference", names[0])
    if reference not in names:
        raise _fail("reference", reference, "it must name one of the experiments: " + ", ".join(names))

    return Params(
        experiments=experiments,
        reference=reference,
        augment=augment,
        seed=seed,
        data=DataParams(**data),
        pca=PcaParams(**pca),
        rf=RandomForestParams(**rf),
        small=sections["small"],
        model=sections["model"],
        model_augmented=sections["model_augmented"],
        cnn=sections["cnn"],
        cnn_augmented=sections["cnn_augmented"],
        networks=networks,
        embedding=EmbeddingParams(**embedding),
        snapshots=SnapshotsParams(**snapshots),
        robustness=RobustnessParams(**robustness),
        calibration=CalibrationParams(**calibration),
        baseline=BaselineParams(**baseline),
        familiarity=FamiliarityParams(**familiarity),
        customers=CustomersParams(**customers),
        attributions=AttributionsParams(**attributions),
    )
