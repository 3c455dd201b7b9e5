"""Where ``dvc repro`` leaves what the commands read, in a project folder.

dvc.yaml names these paths for the stages that write them; the commands, which
DVC does not run, find them here (a test checks that the two agree).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from hiddennodes.config.params import Params, ParamsError, parse_params
from hiddennodes.files import SetupError

PARAMS = "params.yaml"
CALIBRATION = "metrics/calibration.json"
FAMILIARITY = "metrics/familiarity.json"
CUSTOMERS = "metrics/customers.json"
PCA_MAP = "data/inputs/pca/map.npz"


def network_path(experiment: str) -> str:
    return f"models/{experiment}/network.npz"


def project_params(project: Path) -> Params:
    """The project's params.yaml, validated; SetupError or ParamsError in one sentence."""
    path = Path(project) / PARAMS
    try:
        return parse_params(yaml.safe_load(path.read_text()) or {})
    except FileNotFoundError:
        raise SetupError(f"{path} not found; run the command in the project's folder or give --project.") from None
    except yaml.YAMLError as error:
        raise ParamsError(f"{path} is not valid YAML ({error}); fix the line it names.") from None
