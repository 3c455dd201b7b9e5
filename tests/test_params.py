from pathlib import Path

import pytest
import yaml

from hiddennodes.params import ParamsError, parse_params

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


def test_project_params_are_valid_and_match_the_study():
    parsed = parse_params(params())
    assert parsed.data.dataset == "mnist"
    assert parsed.data.val_size == 5000
    assert parsed.pca.variance == 0.95
    assert (parsed.rf.n_estimators, parsed.rf.top_pixels) == (100, 70)
    assert (parsed.small.hidden_exp1, parsed.small.hidden_exp2) == (1, 2)
    assert parsed.model.hidden == 128
    for section in (parsed.small, parsed.model):
        assert (section.epochs, section.batch_size, section.activation, section.optimizer) == (30, 32, "relu", "rmsprop")
    assert parsed.hidden_units("model.hidden") == 128
    assert parsed.hidden_units("small.hidden_exp2") == 2
    assert parsed.embedding.perplexity == 30
    assert parsed.robustness.levels == 4
    assert (parsed.model.dropout, parsed.model.l2, parsed.model.patience, parsed.model.repeats) == (0, 0, 0, 1)
    assert (parsed.baseline.max_iter, parsed.baseline.C) == (100, 1.0)
    assert (parsed.calibration.bins, parsed.calibration.target_accuracy, parsed.calibration.certainty) == (10, 0.99, 0.95)
    assert parsed.familiarity.pass_share == 0.99 and parsed.customers.digits == 50
    assert parsed.robustness.strongest() == {"rotation": 30, "shift": 5, "smaller": 0.6, "larger": 1.3, "thinner": 1,
                                             "thicker": 2, "noise": 0.4, "blur": 2, "contrast": 0.2}


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
        ({"model__epochs": 0}, r"model\.epochs is 0; it must be a whole number of at least 1"),
        ({"small__batch_size": 0}, r"small\.batch_size is 0; it must be a whole number of at least 1"),
        ({"model__optimizer": "adamm"}, r"model\.optimizer is 'adamm'; allowed values are .*adam.*rmsprop.*sgd"),
        ({"small__activation": "relu6x"}, r"small\.activation is 'relu6x'; allowed values are .*relu.*sigmoid"),
        ({"model__learning_rate": -0.1}, r"model\.learning_rate is -0\.1; it must be a number greater than 0"),
        ({"data__val_size": 0}, r"data\.val_size is 0; it must be a whole number of at least 1"),
        ({"data__dataset": "custom"}, r"data\.mirror is ''; data\.dataset custom reads its files from data\.mirror"),
        ({"model__hiden": 700}, r"unknown key model\.hiden; the keys of model are"),
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


def test_unknown_section():
    with pytest.raises(ParamsError, match="unknown section 'train'"):
        parse_params({**params(), "train": {}})


def test_missing_keys_take_the_study_defaults():
    parsed = parse_params({"data": {"dataset": "fashion_mnist"}})
    assert parsed.model.hidden == 128 and parsed.small.epochs == 30 and parsed.seed == 42
