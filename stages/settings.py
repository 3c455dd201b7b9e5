"""params.yaml, read once at the edge of a stage and validated (``hiddennodes.config.params``)."""

from __future__ import annotations

from pathlib import Path

import yaml
from common import ROOT  # noqa: F401  (puts the package on the path)

from hiddennodes.config.params import Params, ParamsError, parse_params


def load_params(path: str | Path = "params.yaml") -> Params:
    """Read and validate params.yaml."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text())
    except FileNotFoundError:
        raise ParamsError(f"{path} not found; run the stage from the project's root folder.") from None
    except yaml.YAMLError as error:
        raise ParamsError(f"{path} is not valid YAML ({error}); fix the line it names.") from None
    return parse_params(raw or {})
