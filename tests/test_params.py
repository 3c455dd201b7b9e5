from pathlib import Path

import pytest
import yaml

from conv_row import with_conv_row

from hiddennodes.config.params import ParamsError, parse_params

ROOT = Path(__file__).resolve().parent.parent


def params(**changes):
    """The project's params.yaml with dotted keys changed."""
    raw = yaml.safe_load((ROOT / "params.yaml").read_text())
    for dotted, value in changes.items():
        section, _, key = dotted.partition("__")
        if key:
            raw[section][key] = value
        else:
            raw[section] = value
    return raw


def test_the_project_params_parse_and_every_section_and_key_is_read():
    """The rules, not the committed values: every key of params.yaml reaches the typed params, so none is ignored."""
    raw = params()
    parsed = parse_params(raw)
    for section, values in raw.items():
        if section == "experiments":
            assert parsed.names == tuple(values)
            for experiment in parsed.experiments:
                assert {key: getattr(experiment, key) for key in values[experiment.name]} == values[experiment.name]
        elif section in ("augment", "networks"):
            assert tuple(getattr(parsed, section)) == tuple(values)
            for name, entry in values.items():
                read = {key: getattr(getattr(parsed, section)[name], key) for key in entry}
                assert {key: list(value) if isinstance(value, tuple) else value for key, value in read.items()} == entry, f"{section}.{name}"
        elif isinstance(values, dict):
            for key, value in values.items():
                parsed_value = getattr(getattr(parsed, section), key)
                assert (list(parsed_value) if isinstance(parsed_value, tuple) else parsed_value) == value, f"{section}.{key}"
        else:
            assert getattr(parsed, section) == values, section
    # Every experiment's width key names a hidden width, and its view can draw that many nodes.
    for experiment in parsed.experiments:
        assert parsed.width(experiment) >= 1


def test_the_convolutional_row_is_two_lines_to_uncomment():
    raw = yaml.safe_load(with_conv_row((ROOT / "params.yaml").read_text()))
    parsed = parse_params(raw)
    added = [e for e in parsed.experiments if parsed.architecture(e).convolutional]
    assert [e.name for e in added] == ["exp7", "exp8"]
    assert all(e.width == "cnn.hidden" and e.inputs == "pixels" for e in added)
    # The CNN on distorted copies trains longer, in a section of its own; the plain one keeps cnn's epochs.
    assert [e.training for e in added] == ["cnn", "cnn_augmented"]
    assert parsed.training("cnn_augmented").epochs > parsed.training("cnn").epochs
    assert parsed.distortions(added[1]).active and not parsed.distortions(added[0]).active
    assert parsed.architecture(added[0]).filters == tuple(raw["networks"]["conv"]["filters"])
    # Its width is its own key: the dense networks' width change does not reach it.
    assert parsed.width(added[0]) == raw["cnn"]["hidden"] and "model.hidden" not in {e.width for e in added}


@pytest.mark.parametrize(
    ("networks", "message"),
    [
        ({"dense": {}, "conv": {"filters": [16, 0]}}, r"networks\.conv\.filters is \[16, 0\]; it must be a list of up to 4 filter counts from 1 to 256"),
        ({"dense": {}, "conv": {"filters": 16}}, r"networks\.conv\.filters is 16; it must be a list"),
        ({"dense": {}, "conv": {"filters": [16], "kernel": 11}}, r"networks\.conv\.kernel is 11; it must be a whole number from 1 to 9"),
        ({"dense": {}, "conv": {"filters": [8, 8, 8], "kernel": 5}}, r"networks\.conv leaves no pixel of the 28x28 image after 3 layers"),
        ({"dense": {}, "conv": {"filtres": [16]}}, r"unknown key networks\.conv\.filtres \(did you mean networks\.conv\.filters\?\)"),
        ({"dense": {}, "Conv": {}}, r"networks is 'Conv'; a network's name must be a lower-case word"),
    ],
)
def test_each_network_rule_names_the_key(networks, message):
    raw = {**params(), "networks": networks}
    with pytest.raises(ParamsError, match=message) as caught:
        parse_params(raw)
    assert str(caught.value).startswith("params.yaml: ") and "\n" not in str(caught.value)


def test_another_experiment_is_one_entry():
    raw = params()
    raw["experiments"]["exp9"] = {"inputs": "pca", "training": "small", "width": "small.hidden_exp2", "label": "two nodes on PCA",
                                  "view": "scatter", "augment": "paper", "network": "dense"}
    parsed = parse_params(raw)
    assert parsed.names[-1] == "exp9" and parsed.width(parsed.experiment("exp9")) == raw["small"]["hidden_exp2"]
    assert parsed.distortions(parsed.experiment("exp9")).active and not parsed.distortions(parsed.experiment("exp3")).active


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"inputs": "pixel"}, r"experiments\.exp6\.inputs is 'pixel'; allowed values are pixels, pca, top_pixels"),
        ({"training": "big"}, r"experiments\.exp6\.training is 'big'; allowed values are small, model"),
        ({"width": "model.epochs"}, r"experiments\.exp6\.width is 'model\.epochs'; it must name a hidden-width key: .*model\.hidden"),
        ({"view": "box"}, r"experiments\.exp6\.view is 'box', which draws exactly 1 hidden node, but model\.hidden is \d+; use view"),
        ({"label": ""}, r"experiments\.exp6\.label is ''; it must be a few words"),
        ({"widht": "model.hidden"}, r"unknown key experiments\.exp6\.widht \(did you mean experiments\.exp6\.width\?\)"),
        ({"augment": "papr"}, r"experiments\.exp6\.augment is 'papr'; it must name a set of params\.yaml's augment section: none, paper"),
        ({"network": "cnn"}, r"experiments\.exp6\.network is 'cnn'; it must name an entry of params\.yaml's networks: dense, conv"),
        ({"network": "conv"}, r"experiments\.exp6\.inputs is 'pca'; network conv convolves the 28x28 image, so its inputs must be pixels"),
        ({"network": None}, r"experiments\.exp6\.network is None; it must name an entry"),
    ],
)
def test_each_experiment_rule_names_the_key(entry, message):
    raw = params()
    raw["experiments"]["exp6"] = {"inputs": "pca", "training": "model", "width": "model.hidden", "label": "PCA again", "view": "map",
                                  "augment": "none", "network": "dense", **entry}
    with pytest.raises(ParamsError, match=message) as caught:
        parse_params(raw)
    assert str(caught.value).startswith("params.yaml: ") and "\n" not in str(caught.value)


def test_experiment_names_and_the_reference_are_checked():
    raw = params()
    raw["experiments"]["Exp 6"] = raw["experiments"][next(iter(raw["experiments"]))]
    with pytest.raises(ParamsError, match="experiment's name must be a lower-case word"):
        parse_params(raw)
    with pytest.raises(ParamsError, match=r"reference is 'exp9'; it must name one of the experiments"):
        parse_params({**params(), "reference": "exp9"})
    with pytest.raises(ParamsError, match="experiments is None; it must map each experiment's name"):
        parse_params({**params(), "experiments": None})


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"data__dataset": "cifar10"}, r"data\.dataset is 'cifar10'; allowed values are mnist, fashion_mnist, custom"),
        ({"model__hidden": 0}, r"model\.hidden is 0; it must be a whole number of at least 1"),
        ({"model__hidden": 2.5}, r"model\.hidden is 2\.5; it must be a whole number"),
        ({"small__hidden_exp1": 0}, r"small\.hidden_exp1 is 0; it must be a whole number of at least 1"),
        ({"small__hidden_exp2": 1}, r"small\.hidden_exp2 is 1; it must be a whole number of at least 2"),
        ({"pca__variance": 0}, r"pca\.variance is 0; it must be a number in \(0, 1\]"),
        ({"pca__variance": 1.5}, r"pca\.variance is 1\.5; it must be a number in \(0, 1\]"),
        ({"rf__top_pixels": 0}, r"rf\.top_pixels is 0; it must be a whole number from 1 to 784"),
        ({"rf__top_pixels": 785}, r"rf\.top_pixels is 785; it must be a whole number from 1 to 784"),
        ({"rf__n_estimators": 0}, r"rf\.n_estimators is 0; it must be a whole number of at least 1"),
        ({"rf__max_samples": 0}, r"rf\.max_samples is 0; it must be a number in \(0, 1\]"),
        ({"rf__max_samples": 1.5}, r"rf\.max_samples is 1.5; it must be a number in \(0, 1\]"),
        ({"model__epochs": 0}, r"model\.epochs is 0; it must be a whole number of at least 1"),
        ({"small__batch_size": 0}, r"small\.batch_size is 0; it must be a whole number of at least 1"),
        ({"model__optimizer": "adamm"}, r"model\.optimizer is 'adamm'; allowed values are .*adam.*rmsprop.*sgd"),
        ({"small__activation": "relu6x"}, r"small\.activation is 'relu6x'; allowed values are .*relu.*sigmoid"),
        ({"model__learning_rate": -0.1}, r"model\.learning_rate is -0\.1; it must be a number greater than 0"),
        ({"data__val_size": 0}, r"data\.val_size is 0; it must be a whole number of at least 1"),
        ({"data__dataset": "custom"}, r"data\.mirror is ''; data\.dataset custom reads its files from data\.mirror"),
        ({"model__hiden": 700}, r"unknown key model\.hiden \(did you mean model\.hidden\?\); the keys of model are"),
        ({"seed": -1}, r"seed is -1; it must be a whole number from 0"),
        ({"embedding__perplexity": 0}, r"embedding\.perplexity is 0; it must be a number in \(0, 100"),
        ({"embedding__perplexity": 500}, r"embedding\.perplexity is 500; it must be a number in \(0, 100"),
        ({"robustness__rotation": 270}, r"robustness\.rotation is 270; it must be a number above 0 and at most 180"),
        ({"robustness__smaller": 1}, r"robustness\.smaller is 1; it must be a number above 0 and below 1"),
        ({"robustness__larger": 0.5}, r"robustness\.larger is 0\.5; it must be a number above 1 and at most 3"),
        ({"robustness__contrast": "low"}, r"robustness\.contrast is 'low'; it must be a number above 0 and below 1"),
        ({"calibration__target_accuracy": 1}, r"calibration\.target_accuracy is 1; it must be a share above 0 and below 1"),
        ({"calibration__certainty": 0.3}, r"calibration\.certainty is 0\.3; it must be a probability from 0\.5 \(no margin\) to below 1"),
        ({"baseline__max_iter": 0}, r"baseline\.max_iter is 0; it must be a whole number of at least 1"),
        ({"baseline__penalties": ["l2", "lasso"]}, r"baseline\.penalties is \['l2', 'lasso'\]; it must be a list of different penalties from l2, l1, elasticnet"),
        ({"baseline__l1_ratio": 1}, r"baseline\.l1_ratio is 1; it must be a share above 0 and below 1"),
        ({"model__dropout": 1}, r"model\.dropout is 1; it must be a share from 0 \(off\) to below 1"),
        ({"model__l2": -1}, r"model\.l2 is -1; it must be a number of at least 0"),
        ({"small__patience": -2}, r"small\.patience is -2; it must be a whole number of at least 0"),
        ({"model__repeats": 0}, r"model\.repeats is 0; it must be a whole number from 1 to 100"),
        ({"calibration__bins": 0}, r"calibration\.bins is 0; it must be a whole number from 1 to 100"),
        ({"familiarity__pass_share": 1}, r"familiarity\.pass_share is 1; it must be a share from 0\.5 to below 1"),
        ({"customers__digits": 0}, r"customers\.digits is 0; it must be a whole number from 1 to 10000"),
        ({"robustness__levels": 0}, r"robustness\.levels is 0; it must be a whole number from 1 to 20"),
    ],
)
def test_each_rule_names_key_value_and_what_is_allowed(changes, message):
    with pytest.raises(ParamsError, match=message) as caught:
        parse_params(params(**changes))
    text = str(caught.value)
    assert text.startswith("params.yaml: ") and text.endswith(".") and "\n" not in text


def test_unknown_section_names_the_nearest():
    with pytest.raises(ParamsError, match="unknown section 'train'"):
        parse_params({**params(), "train": {}})
    with pytest.raises(ParamsError, match=r"unknown section 'modle' \(did you mean model\?\)"):
        parse_params({**params(), "modle": {}})


def test_missing_keys_take_the_dataclass_defaults():
    from hiddennodes.config.sections import ModelParams

    plain = {name: entry for name, entry in params()["experiments"].items() if entry["augment"] == "none"}
    raw = {"experiments": plain, "data": {"dataset": "fashion_mnist"}}
    assert parse_params(raw).model == ModelParams()


@pytest.mark.parametrize(
    ("augment", "message"),
    [
        ({"none": {}, "paper": {"rotation": 200}}, r"augment\.paper\.rotation is 200; it must be a number from 0 to 180"),
        ({"none": {}, "paper": {"rotatoin": 15}}, r"unknown key augment\.paper\.rotatoin \(did you mean augment\.paper\.rotation\?\)"),
        ({"none": {}, "paper": {"thickness": "1"}}, r"augment\.paper\.thickness is '1'; it must be a number from 0 to 2"),
        ({"none": {"shift": 2}, "paper": {}}, r"augment\.none is \{'shift': 2\}; it must be there and be \{\}"),
        ({"paper": {"shift": 2}}, r"augment\.none is 'missing'; it must be there"),
        ({"none": {}, "Paper": {}}, r"augment is 'Paper'; a set's name must be a lower-case word"),
        ([], r"augment is \[\]; it must map names to sets of distortions"),
    ],
)
def test_each_augment_rule_names_the_key(augment, message):
    raw = {**params(), "augment": augment}
    raw["experiments"] = {name: {**entry, "augment": "none"} for name, entry in raw["experiments"].items()}
    with pytest.raises(ParamsError, match=message) as caught:
        parse_params(raw)
    assert str(caught.value).startswith("params.yaml: ") and "\n" not in str(caught.value)


def test_the_schedule_is_one_of_two():
    with pytest.raises(ParamsError, match=r"model\.schedule is 'linear'; allowed values are constant, cosine"):
        parse_params(params(model__schedule="linear"))
