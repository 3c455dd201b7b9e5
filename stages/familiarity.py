"""Stage familiarity: the limits within which a prepared 28x28 looks like the training digits at all.

The prediction command and the customers' digits stage refuse a picture whose
prepared image falls outside them ("the marks do not look like a handwritten
digit") before the network is asked, because a network answers a blot or a
ruled line with a confident digit and the calibration threshold cannot tell.
The measures (``hiddennodes.reading.familiarity``) are the reconstruction error through
the pipeline's own PCA (fitted on the training split), the amount of ink and the
ink's aspect; their limits are picked on the validation digits, each prepared
as the command prepares a picture of it (the ink found on the 28x28 "paper",
then MNIST's recipe), so that at least ``familiarity.pass_share`` of them pass.
"""

from __future__ import annotations

import argparse
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from common import load_arrays, run, write_json
from settings import load_params

from hiddennodes import ImageError, PipelineError
from hiddennodes.reading.familiarity import features, fit_limits
from hiddennodes.reading.prepare import prepare_digits


def prepared_like_a_picture(image: np.ndarray) -> np.ndarray | None:
    """A validation digit prepared as a picture of it is (all its marks as one digit); None where the reader finds
    no mark in it (it refuses such a picture before this check, so it has no place in the limits)."""
    try:
        return prepare_digits(image)[0][0]
    except ImageError:
        return None


def prepared_like_pictures(images: np.ndarray) -> list[np.ndarray | None]:
    """``prepared_like_a_picture`` of each image, in order."""
    return [prepared_like_a_picture(image) for image in images]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--val", required=True, type=Path, help="the prepared val.npz (pixels)")
    parser.add_argument("--pca", required=True, type=Path, help="the PCA inputs' map.npz (components, mean)")
    parser.add_argument("--metrics", required=True, type=Path)
    args = parser.parse_args()
    pass_share = load_params().familiarity.pass_share
    images = load_arrays(args.val, keys=("features",))["features"].reshape(-1, 28, 28)
    pca = load_arrays(args.pca, keys=("pca_components", "pca_mean"))
    # Each digit is prepared on its own (most of the stage's time): one process a core, each a share, in order.
    workers = max(1, min(os.cpu_count() or 1, len(images) // 500))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        prepared = [one for share in pool.map(prepared_like_pictures, np.array_split(images, workers)) for one in share]
    found = [one for one in prepared if one is not None]
    if not found:
        raise PipelineError(f"None of the {len(images):,} validation images in {args.val} has a mark the picture reader finds, "
                            "so no familiarity limits can be fitted; check that data.dataset's images are dark-on-light "
                            "or light-on-dark drawings (docs/data.md).")
    result = fit_limits(features(np.stack(found), pca["pca_components"], pca["pca_mean"]), pass_share)
    result["val_digits"] = int(len(images))
    result["val_digits_unprepared"] = len(prepared) - len(found)
    if result["val_digits_unprepared"]:
        print(f"{result['val_digits_unprepared']:,} of {len(images):,} validation images have no mark the picture reader "
              "finds (it would refuse them as pictures); the limits are fitted on the other "
              f"{len(found):,} (val_digits_unprepared in {args.metrics}).")
    result["pca_components"] = int(len(pca["pca_components"]))
    write_json(args.metrics, result)
    print(result)


if __name__ == "__main__":
    run(main)
