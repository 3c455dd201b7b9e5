"""Stage pca: the principal components that keep ``pca.variance`` of the variance.

Fitted on the training split only, so validation and test stay unseen; on MNIST
0.95 keeps 154 components. The fitted components and mean are saved as plain
arrays (not a pickle) in the folder's ``map.npz``, enough to transform new images or
to project hidden weights back into pixel space.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from common import load_splits, run, save_splits, write_json
from settings import load_params
from sklearn.decomposition import PCA


def fit_pca(train_features: np.ndarray, variance: float) -> PCA:
    # A full SVD is exact and deterministic; 55,000 x 784 takes seconds.
    components = None if variance >= 1.0 else variance
    return PCA(n_components=components, svd_solver="full").fit(train_features)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prepared", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path, help="folder for the transformed splits")
    parser.add_argument("--metrics", required=True, type=Path)
    args = parser.parse_args()
    params = load_params()
    splits = load_splits(args.prepared)
    pca = fit_pca(splits["train"]["features"], params.pca.variance)
    save_splits(
        args.out,
        {
            name: {"features": pca.transform(arrays["features"]).astype(np.float32), "labels": arrays["labels"]}
            for name, arrays in splits.items()
        },
        # How a digit's pixels become these inputs, for the network files and the familiarity check.
        map={
            "input_kind": np.array("pca"),
            "pca_components": pca.components_.astype(np.float32),
            "pca_mean": pca.mean_.astype(np.float32),
            "explained_variance_ratio": pca.explained_variance_ratio_,
        },
    )
    metrics = {
        "n_components": int(pca.n_components_),
        "explained_variance": round(float(pca.explained_variance_ratio_.sum()), 6),
    }
    write_json(args.metrics, metrics)
    print(metrics)


if __name__ == "__main__":
    run(main)
