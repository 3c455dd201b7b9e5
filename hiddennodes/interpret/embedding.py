"""2-D maps of the hidden activations (PCA and t-SNE), and how well a map keeps the classes apart.

Pure functions of activations; the figures are drawn elsewhere.
"""

from __future__ import annotations

import numpy as np


def pca_embedding(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The first two principal components of ``values`` and their share of the variance.

    From the eigenvectors of the covariance matrix (scikit-learn's ``covariance_eigh``): exact, and for many
    more rows than columns (20,000 activations of 128 nodes) an eighth of the full SVD's time (0.04 s against 0.32 s)."""
    from sklearn.decomposition import PCA

    pca = PCA(n_components=2, svd_solver="covariance_eigh").fit(values)
    return pca.transform(values).astype(np.float32), pca.explained_variance_ratio_


def approximate_neighbours(values: np.ndarray, count: int, seed: int, trees: int = 10,
                           threads: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """The ``count`` nearest neighbours of every row (itself left out), by Annoy.

    What openTSNE's own Annoy search does, with less overhead: it queries one
    ``joblib`` task per point; here ``threads`` threads (Annoy releases the
    GIL) each query a share of the points. 55,000 points, 50 dimensions, 90
    neighbours, 10 trees, 2 cores: 11.7 s inside openTSNE, 6.7 s here.

    Returns:
        ``(indices, distances)``, both ``(rows, count)``, nearest first.
    """
    from concurrent.futures import ThreadPoolExecutor

    from openTSNE.dependencies.annoy import AnnoyIndex

    if not 1 <= count < len(values):
        raise ValueError(f"count is {count}; it must be between 1 and the number of rows less one ({len(values) - 1}).")
    index = AnnoyIndex(values.shape[1], "euclidean")
    index.set_seed(seed)
    for row, value in enumerate(values):
        index.add_item(row, value)
    index.build(trees, n_jobs=threads)
    indices = np.empty((len(values), count), dtype=np.int64)
    distances = np.empty((len(values), count), dtype=np.float64)

    def query(rows: np.ndarray) -> None:
        for row in rows:
            found, found_distances = index.get_nns_by_item(int(row), count + 1, include_distances=True)
            # Itself is normally first, but a duplicate point may come before it.
            keep = [position for position, other in enumerate(found) if other != row][:count]
            indices[row] = [found[position] for position in keep]
            distances[row] = [found_distances[position] for position in keep]

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(query, np.array_split(np.arange(len(values)), threads)))
    return indices, distances


def tsne_embedding(values: np.ndarray, seed: int, perplexity: float = 30.0, pca_dimensions: int = 50,
                   n_jobs: int = -1) -> np.ndarray:
    """t-SNE to 2-D with openTSNE (FFT-accelerated gradients, Annoy neighbours).

    Wide inputs are first reduced to ``pca_dimensions`` principal components,
    the usual practice for t-SNE: it keeps the neighbourhoods and makes the
    neighbour search several times faster. The PCA initialisation and the seed
    make the layout repeatable. The affinities are openTSNE's for one
    perplexity, on ``3 x perplexity`` neighbours from ``approximate_neighbours``.

    Settings measured on Fashion-MNIST's 55,000 hidden-layer activations of
    exp3 (2 cores), with the share of each point's 10 nearest neighbours on the
    map that share its class as the quality: openTSNE's defaults (250
    exaggerated + 500 iterations, finest interpolation grid, 50 Annoy trees)
    150 s, 0.841; 125 + 375 iterations and a grid half as fine 71 s, 0.836;
    the same with 10 Annoy trees 62 s, 0.835; 100 + 250 iterations 44 s,
    0.834; 75 + 200 iterations 34 s, 0.834. Of the 44 s, the optimisation is
    29 s (82 ms an iteration), neighbours and affinities 10 s. On the
    20,000 points the stage maps (``embedding.points``), exp3's at 128 nodes:
    100 + 250 iterations 14.1 s, 0.8295; 75 + 200 (used here) 9.6 s, 0.8298;
    50 + 150 8.6 s, 0.8295.
    """
    import os

    from openTSNE import TSNE
    from openTSNE.affinity import MultiscaleMixture
    from openTSNE.nearest_neighbors import PrecomputedNeighbors
    from sklearn.decomposition import PCA

    threads = (os.cpu_count() or 1) if n_jobs == -1 else n_jobs
    values = np.asarray(values, dtype=np.float64)
    if values.shape[1] > pca_dimensions:
        values = PCA(n_components=pca_dimensions, svd_solver="randomized", random_state=seed).fit_transform(values)
    neighbours = approximate_neighbours(values, min(len(values) - 1, int(3 * perplexity)), seed, threads=threads)
    affinities = MultiscaleMixture(perplexities=[perplexity], knn_index=PrecomputedNeighbors(*neighbours), n_jobs=n_jobs,
                                   random_state=seed)
    tsne = TSNE(perplexity=perplexity, initialization="pca", random_state=seed, n_jobs=n_jobs, verbose=False,
                early_exaggeration_iter=75, n_iter=200, ints_in_interval=2)
    return np.asarray(tsne.fit(values, affinities=affinities), dtype=np.float32)


def spread_points(coordinates: np.ndarray, min_distance: float) -> np.ndarray:
    """Indices of points no two of which are closer than ``min_distance`` (on
    coordinates scaled to [0, 1]), taken greedily in order: where to place
    thumbnails so they do not cover each other, as scikit-learn's manifold
    example does."""
    points = np.asarray(coordinates, dtype=np.float64)
    span = points.max(axis=0) - points.min(axis=0)
    points = (points - points.min(axis=0)) / np.where(span > 0, span, 1)
    chosen = np.empty(len(points), dtype=np.int64)
    placed = np.empty_like(points)  # the chosen points, kept contiguous: no re-indexing per step
    count = 0
    limit = min_distance**2
    for index, point in enumerate(points):
        if count == 0 or np.min(np.sum((placed[:count] - point) ** 2, axis=1)) >= limit:
            chosen[count], placed[count] = index, point
            count += 1
    return chosen[:count]


def neighbour_agreement(coordinates: np.ndarray, labels: np.ndarray, neighbours: int = 10) -> float:
    """Share of each point's ``neighbours`` nearest neighbours with its own class,
    averaged over points: how well a 2-D map keeps the classes apart (0.1 by chance for 10 balanced classes)."""
    from sklearn.neighbors import NearestNeighbors

    coordinates = np.asarray(coordinates, dtype=np.float64)
    labels = np.asarray(labels)
    _, indices = NearestNeighbors(n_neighbors=neighbours + 1).fit(coordinates).kneighbors(coordinates)
    return float(np.mean(labels[indices[:, 1:]] == labels[:, None]))
