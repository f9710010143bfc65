"""Walking coverage for the site suggestion (MCLP, LSCP): sparse (candidate, start-up)
pairs within a walk of R.

All candidates are joined to the network as virtual nodes and searched by
``scipy.sparse.csgraph.dijkstra`` with ``limit = R`` in as few calls as the distance
matrix allows (:data:`app.core.network.paths.MAX_MATRIX_CELLS` cells per call: 1 000
candidates on a 20 000-node network take three calls), not one search per candidate; the
start-ups on each reached edge are then gathered with numpy. The result is the same
sparse pairs array the straight-line ``dwithin`` query gives, so the existing models
solve it unchanged. :meth:`WalkingPairs.distances` gives the p-median its dense walking
distances from candidates (or fixed sites) to the demand points, by the same searches.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from app.core.network.join import OFF_NETWORK_M, Joined, join, site_starts
from app.core.network.paths import feature_pairs
from app.core.network.topology import Network


class WalkingPairs:
    """``pairs_within(sources, demand, radius)`` for
    :func:`app.core.analysis.suggest.coverage.build_coverage` by walking distance, and
    :meth:`distances` for the p-median (the demand's join to the network is kept between
    calls on the same demand array).

    Off-network start-ups (farther than ``off_limit`` from every edge) are never covered.
    """

    def __init__(self, network: Network, off_limit: float = OFF_NETWORK_M) -> None:
        self.network, self.off_limit = network, off_limit
        self._joined: tuple[np.ndarray, Joined] | None = None

    def _join(self, demand: np.ndarray) -> Joined:
        if self._joined is None or self._joined[0] is not demand:
            self._joined = (demand, join(self.network, demand, self.off_limit))
        return self._joined[1]

    def __call__(self, sources: np.ndarray, demand: np.ndarray, radius: float) -> np.ndarray:
        network = self.network
        feats = self._join(demand)
        starts = site_starts(network, np.asarray(sources, dtype=object), self.off_limit)
        radii = np.full(starts.n_sources, float(radius))
        s, f, _ = feature_pairs(network, starts, feats, radii, with_distance=False)
        return np.stack([s, f]).astype(np.intp)

    def distances(self, sources: np.ndarray, demand: np.ndarray) -> np.ndarray:
        """``(len(sources), len(demand))`` walking distances (m), inf where a demand point
        is off network or on a part of the network the source does not reach. The
        sources are searched together (chunked multi-source ``dijkstra``, no limit)."""
        network = self.network
        out = np.full((len(sources), len(demand)), np.inf)
        if len(sources) == 0 or len(demand) == 0:
            return out
        feats = self._join(demand)
        starts = site_starts(network, np.asarray(sources, dtype=object), self.off_limit)
        radii = np.full(starts.n_sources, np.inf)
        s, f, d = feature_pairs(network, starts, feats, radii, with_distance=True)
        np.minimum.at(out, (s, f), d)
        return out


def walking_pairs(
    network: Network, off_limit: float = OFF_NETWORK_M
) -> Callable[[np.ndarray, np.ndarray, float], np.ndarray]:
    """A ``pairs_within(sources, demand, radius)`` for
    :func:`app.core.analysis.suggest.coverage.build_coverage` by walking distance (a
    :class:`WalkingPairs`: its ``distances`` serve the p-median).

    Off-network start-ups (farther than ``off_limit`` from every edge) are never covered.
    """
    return WalkingPairs(network, off_limit)
