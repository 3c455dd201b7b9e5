"""A project folder that reads pictures with a network trained on real digits, written as the pipeline writes it.

Shared by the tests (``conftest.py``'s session fixture trains the network once) and
the benchmarks: the network file, the PCA map, the calibration threshold and the
familiarity limits, under the paths ``hiddennodes.cli.project`` names, and a
params.yaml whose one experiment is that network.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "stages") not in sys.path:
    sys.path.insert(0, str(ROOT / "stages"))

from familiarity import prepared_like_a_picture  # noqa: E402
from pca import fit_pca  # noqa: E402

from hiddennodes.evaluate.calibration import threshold_for_accuracy  # noqa: E402
from hiddennodes.cli.project import CALIBRATION, FAMILIARITY, PCA_MAP, network_path  # noqa: E402
from hiddennodes.data.datasets import DIGITS, IMAGE_SHAPE  # noqa: E402
from hiddennodes.reading.familiarity import features as familiarity_features, fit_limits  # noqa: E402
from hiddennodes.network.trained import Network, save_network  # noqa: E402
from hiddennodes.config.params import parse_params  # noqa: E402

EXPERIMENT = "exp3"


def project_params(**changes) -> dict:
    """The project's params.yaml with only the reference experiment, and ``section={key: value}`` changes."""
    raw = yaml.safe_load((ROOT / "params.yaml").read_text())
    raw["experiments"] = {EXPERIMENT: raw["experiments"][EXPERIMENT]}
    raw["reference"] = EXPERIMENT
    for section, values in changes.items():
        raw[section] = {**raw.get(section, {}), **values}
    return raw


def write_reading_project(root: Path, layers: dict[str, np.ndarray], train_features: np.ndarray, val_features: np.ndarray,
                          val_labels: np.ndarray, threshold: float | None = None, **changes) -> dict:
    """Write what ``hiddennodes-predict`` reads into ``root``; the threshold is the calibration stage's unless given.

    Returns:
        The threshold (None where no confidence reaches the target), the familiarity limits' pass share on the
        validation digits and the number of PCA components.
    """
    raw = project_params(**changes)
    params = parse_params(raw)
    (root / "params.yaml").write_text(yaml.safe_dump(raw, sort_keys=False))
    network = Network(layers=layers, input_kind="pixels", input_arrays={}, class_names=DIGITS,
                      settings={"experiment": EXPERIMENT}, background=np.asarray(train_features[:50], dtype=np.float32))
    save_network(root / network_path(EXPERIMENT), network)
    pca = fit_pca(train_features, params.pca.variance)
    components, mean = pca.components_.astype(np.float32), pca.mean_.astype(np.float32)
    (root / PCA_MAP).parent.mkdir(parents=True, exist_ok=True)
    np.savez(root / PCA_MAP, input_kind=np.array("pca"), pca_components=components, pca_mean=mean)
    if threshold is None:
        calibration = params.calibration
        threshold = threshold_for_accuracy(network.run(val_features)[1], val_labels, calibration.target_accuracy,
                                           calibration.certainty)["threshold"]
        threshold = None if np.isnan(threshold) else threshold
    (root / CALIBRATION).parent.mkdir(parents=True, exist_ok=True)
    (root / CALIBRATION).write_text(json.dumps({"target_accuracy": params.calibration.target_accuracy,
                                                EXPERIMENT: {"threshold": threshold}}))
    prepared = np.stack([one for one in map(prepared_like_a_picture, val_features.reshape(-1, *IMAGE_SHAPE)) if one is not None])
    limits = fit_limits(familiarity_features(prepared, components, mean), params.familiarity.pass_share)
    (root / FAMILIARITY).write_text(json.dumps(limits))
    return {"threshold": threshold, "val_pass_share": limits["val_pass_share"], "pca_components": len(components)}
