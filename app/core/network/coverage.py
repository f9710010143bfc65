"""Walking coverage for the site suggestion (MCLP, LSCP): sparse (candidate, start-up)
pairs within a walk of R.

All candidates are joined to the network as virtual nodes and searched by
``scipy.sparse.csgraph.dijkstra`` with ``limit = R`` in as few calls as the distance
matrix allows (:data:`app.core.network.paths.MAX_MATRIX_CELLS` cells per call: 1 000
candidates on a 20 000-node network take three calls), not one search per candidate; the
start-ups on each reached edge are then gathered with numpy. The result is the same
sparse pairs array the straight-line ``dwithin`` query gives, so the existing models
solve it unchanged.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from app.core.network.join import OFF_NETWORK_M, Joined, join, site_starts
from app.core.network.paths import feature_pairs
from app.core.network.topology import Network


def walking_pairs(
    network: Network, off_limit: float = OFF_NETWORK_M
) -> Callable[[np.ndarray, np.ndarray, float], np.ndarray]:
    """A ``pairs_within(sources, demand, radius)`` for
    :func:`app.core.analysis.suggest.coverage.build_coverage` by walking distance.

    Off-network start-ups (farther than ``off_limit`` from every edge) are never covered.
    """
    joined_cache: dict[int, tuple[np.ndarray, Joined]] = {}

    def pairs(sources: np.ndarray, demand: np.ndarray, radius: float) -> np.ndarray:
        key = id(demand)
        cached = joined_cache.get(key)
        if cached is None or cached[0] is not demand:
            cached = (demand, join(network, demand, off_limit))
            joined_cache.clear()
            joined_cache[key] = cached
        feats = cached[1]
        starts = site_starts(network, np.asarray(sources, dtype=object), off_limit)
        radii = np.full(starts.n_sources, float(radius))
        s, f, _ = feature_pairs(network, starts, feats, radii, with_distance=False)
        return np.stack([s, f]).astype(np.intp)

    return pairs
