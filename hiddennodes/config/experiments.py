"""The ``experiments`` of params.yaml: each one's inputs, training section, width key, label and view, checked.

The experiments are declared once, there; every stage, the report and the
commands take them from :class:`hiddennodes.config.params.Params`. The rules here
answer a bad entry with one sentence naming the key, the value and what is allowed.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
from dataclasses import dataclass
from typing import Any, Mapping

from hiddennodes import PipelineError


class ParamsError(PipelineError, ValueError):
    """A value in params.yaml that the pipeline cannot use."""


# What an experiment can be trained on: the folder ``data/inputs/<kind>`` and the words the tables use.
INPUT_KINDS = {"pixels": "pixels", "pca": "pca", "top_pixels": "top pixels"}
# How an experiment's hidden layer is drawn, and the widths each drawing can show.
VIEWS = {"box": (1, 1), "scatter": (2, None), "map": (1, None)}
TRAINING_SECTIONS = ("small", "model", "model_augmented", "cnn", "cnn_augmented")


@dataclass(frozen=True)
class Experiment:
    """One experiment as params.yaml declares it: what it trains on, how, how wide, and how it is shown."""

    name: str
    inputs: str  # a key of INPUT_KINDS
    training: str  # the params section with its training settings
    width: str  # the dotted params key holding its hidden width
    label: str  # the words the report uses for it
    view: str  # a key of VIEWS
    augment: str = "none"  # the set of distortions in params.yaml's `augment` it is trained on ("none": the digits as they are)
    network: str = "dense"  # the entry of params.yaml's `networks` that says what comes before its hidden layer

    @property
    def input_label(self) -> str:
        return INPUT_KINDS[self.inputs]


def _nearest(key: str, known, prefix: str = "") -> str:
    """", did you mean <the closest known key>?" when one is close, else nothing."""
    close = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.6)
    return f" (did you mean {prefix}{close[0]}?)" if close else ""


def _fail(key: str, value: Any, allowed: str) -> ParamsError:
    return ParamsError(f"params.yaml: {key} is {value!r}; {allowed}.")


def _choice(key: str, value: Any, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise _fail(key, value, "allowed values are " + ", ".join(allowed))
    return value


EXPERIMENT_KEYS = tuple(field.name for field in dataclasses.fields(Experiment) if field.name != "name")


def parse_experiments(raw: Any, sections: Mapping[str, Any], augment_sets: tuple[str, ...] = ("none",),
                      networks: Mapping[str, Any] | None = None) -> tuple[Experiment, ...]:
    """The ``experiments`` mapping checked entry by entry: one sentence names the first bad key.

    ``augment_sets`` are the names of params.yaml's ``augment`` sets an experiment may name; ``networks`` its
    ``networks`` entries (``hiddennodes.config.sections.Architecture``) by name."""
    networks = networks if networks is not None else {"dense": None}
    if not isinstance(raw, Mapping) or not raw:
        raise _fail("experiments", raw, "it must map each experiment's name to its inputs, training, width, augment, label and view "
                    "(see the project's params.yaml)")
    experiments = []
    for name, entry in raw.items():
        if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9_]{0,31}", name):
            raise _fail("experiments", name, "an experiment's name must be a lower-case word of letters, digits and _ "
                        "(it names its folders), such as exp6")
        if not isinstance(entry, Mapping):
            raise _fail(f"experiments.{name}", entry, "it must be a mapping with " + ", ".join(EXPERIMENT_KEYS))
        for key in entry:
            if key not in EXPERIMENT_KEYS:
                raise ParamsError(f"params.yaml: unknown key experiments.{name}.{key}{_nearest(str(key), EXPERIMENT_KEYS, f'experiments.{name}.')}; "
                                  "an experiment has " + ", ".join(EXPERIMENT_KEYS) + ".")
        missing = [key for key in EXPERIMENT_KEYS if key not in entry]
        if missing:
            hint = (" (augment: none trains on the digits as they are)" if "augment" in missing
                    else " (network: dense is the study's network)" if "network" in missing else "")
            raise ParamsError(f"params.yaml: experiments.{name} has no {', '.join(missing)}; an experiment needs "
                              + ", ".join(EXPERIMENT_KEYS) + hint + ".")
        key = f"experiments.{name}"
        _choice(f"{key}.inputs", entry["inputs"], tuple(INPUT_KINDS))
        _choice(f"{key}.training", entry["training"], TRAINING_SECTIONS)
        _choice(f"{key}.view", entry["view"], tuple(VIEWS))
        if entry["augment"] not in augment_sets:
            raise _fail(f"{key}.augment", entry["augment"], "it must name a set of params.yaml's augment section: "
                        + ", ".join(augment_sets) + " (none trains on the digits as they are)")
        if entry["network"] not in networks:
            raise _fail(f"{key}.network", entry["network"], "it must name an entry of params.yaml's networks: " + ", ".join(networks)
                        + " (dense reads its inputs straight into the hidden layer)")
        architecture = networks[entry["network"]]
        if architecture is not None and architecture.convolutional and entry["inputs"] != "pixels":
            raise _fail(f"{key}.inputs", entry["inputs"], f"network {entry['network']} convolves the 28x28 image, so its inputs must be pixels")
        if not isinstance(entry["label"], str) or not entry["label"].strip():
            raise _fail(f"{key}.label", entry["label"], "it must be a few words in quotes, such as \"one hidden node on pixels\"")
        width_key = entry["width"]
        section, _, field_name = str(width_key).partition(".")
        width = getattr(sections.get(section), field_name, None) if "hidden" in field_name else None
        if not isinstance(width, int):
            widths = [f"{section}.{field.name}" for section, params in sections.items()
                      for field in dataclasses.fields(params) if field.name.startswith("hidden")]
            raise _fail(f"{key}.width", width_key, "it must name a hidden-width key: " + ", ".join(widths))
        low, high = VIEWS[entry["view"]]
        if width < low or (high is not None and width > high):
            span = f"exactly {low}" if low == high else f"at least {low}"
            raise ParamsError(f"params.yaml: experiments.{name}.view is {entry['view']!r}, which draws {span} hidden node"
                              f"{'s' if low > 1 or high is None else ''}, but {width_key} is {width}; "
                              f"use view {'map' if width > 2 else 'scatter' if width == 2 else 'box'} or change the width.")
        experiments.append(Experiment(name=name, inputs=entry["inputs"], training=entry["training"], width=width_key,
                                      label=entry["label"].strip(), view=entry["view"], augment=entry["augment"],
                                      network=entry["network"]))
    return tuple(experiments)


def memory_needed(inputs: int, hidden: int, classes: int, images: int) -> int:
    """Bytes one experiment needs at its widest moment, roughly: float32 weights while training (the weights,
    their gradients, two optimizer slots and the best epoch's copy) or, in the activations stage,
    every image's hidden activations and probabilities."""
    parameters = (inputs + 1) * hidden + (hidden + 1) * classes
    return 4 * max(5 * parameters, images * (hidden + classes))


def machine_memory() -> int:
    """Bytes of memory this machine has."""
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def check_fits(experiment: str, width_key: str, width: int, inputs: int, classes: int, images: int, available: int) -> None:
    """ParamsError, naming the memory needed and the widest width that fits, when ``width`` cannot fit in ``available``."""
    needed = memory_needed(inputs, width, classes, images)
    if needed <= available:
        return
    # memory_needed is linear in the width in each of its two terms: solve each for the width.
    widest = int(min((available / 20 - classes) / (inputs + 1 + classes), available / (4 * images) - classes))
    raise ParamsError(f"params.yaml: {width_key} is {width}; {experiment} would need about {needed / 2**30:,.1f} GiB of memory "
                      f"and this machine has {available / 2**30:,.1f} GiB, so use a width of at most about {max(widest, 0):,}.")
