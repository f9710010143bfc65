"""Shortest walks with ``scipy.sparse.csgraph.dijkstra``: virtual nodes, limits, pairs.

A walk from a site (or a feature) starts at a point inside an edge. Rather than split the
edge, each source becomes one **virtual node** appended to the graph, with an arc to each
end of every edge it starts on (weight: its cost plus the stretch of edge to that end).
One ``dijkstra`` call answers all sources at once (``indices`` = the virtual nodes,
``limit`` = the largest radius; ``min_only=True`` for "the nearest of many"). A feature at
position ``t`` on edge ``(u, v)`` of length ``L`` is then at
``min(D[u] + t, D[v] + L - t) + access``; a feature on an edge where the walk starts is
also reached directly along that edge. No Python loop runs over edges or features.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from app.core.network.join import Joined, Starts
from app.core.network.topology import TINY_M, Network, min_coo

if TYPE_CHECKING:  # scipy is imported at the first walk: not at the app's start
    from scipy import sparse

#: Sources per dijkstra call so that the distance matrix stays small (sources × nodes).
MAX_MATRIX_CELLS = 8_000_000


def graph_with_sources(network: Network, starts: Starts) -> sparse.csr_matrix:
    """The network's graph with one virtual node per source appended (rows ``n + s``)."""
    from scipy import sparse

    n = network.n_nodes
    m = starts.n_sources
    e = starts.edge
    length = network.edge_length[e]
    rows = np.concatenate([starts.source, starts.source])
    cols = np.concatenate([network.edge_u[e], network.edge_v[e]])
    w = np.concatenate([starts.cost + starts.lo, starts.cost + (length - starts.hi)])
    rows, cols, w = min_coo(rows, cols, np.maximum(w, TINY_M))
    base = network.graph
    counts = np.bincount(rows, minlength=m)
    indptr = np.concatenate([base.indptr, base.indptr[-1] + np.cumsum(counts)])
    indices = np.concatenate([base.indices, cols])
    data = np.concatenate([base.data, w])
    return sparse.csr_matrix((data, indices, indptr), shape=(n + m, n + m))


def node_distances(network: Network, starts: Starts, limit: float = np.inf) -> np.ndarray:
    """``(n_sources, n_nodes)`` walking distances from each source (inf beyond ``limit``)."""
    n, m = network.n_nodes, starts.n_sources
    if m == 0:
        return np.zeros((0, n))
    from scipy.sparse import csgraph

    graph = graph_with_sources(network, starts)
    dist = csgraph.dijkstra(graph, directed=True, indices=np.arange(n, n + m), limit=limit)
    return np.asarray(dist)[:, :n]


def nearest_node_distances(network: Network, starts: Starts) -> np.ndarray:
    """``(n_nodes,)`` walking distance from each node to the nearest source (one
    multi-source search, ``min_only=True``); inf where none is reachable."""
    n, m = network.n_nodes, starts.n_sources
    if m == 0:
        return np.full(n, np.inf)
    from scipy.sparse import csgraph

    graph = graph_with_sources(network, starts)
    # arcs run source -> network; walking is symmetric, so distances from the sources
    # are distances to them
    dist = csgraph.dijkstra(graph, directed=True, indices=np.arange(n, n + m), min_only=True)
    return np.asarray(dist)[:n]


def feature_pairs(
    network: Network,
    starts: Starts,
    features: Joined,
    radii: np.ndarray,
    by_edge: tuple[np.ndarray, np.ndarray] | None = None,
    with_distance: bool = True,
    farthest: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(source, feature, distance)`` for every feature within its source's radius.

    Parameters
    ----------
    network : Network
    starts : Starts
        The walks' starts (sites).
    features : Joined
        The features joined to the network (off-network ones are never reached).
    radii : ndarray
        Per source, the walking radius (m).
    by_edge : tuple, optional
        ``features.by_edge(network.n_edges)``, when the caller keeps it.
    with_distance : bool
        False: the distance of a feature on an edge that lies wholly within R is not
        computed (NaN; the pair alone is wanted): much less work for large R.
    farthest : ndarray, optional
        :func:`farthest_access` of the features, when the caller keeps it.
    """
    radii = np.broadcast_to(np.asarray(radii, float), (starts.n_sources,))
    order, offsets = by_edge or features.by_edge(network.n_edges)
    far = None
    if not with_distance:
        far = farthest if farthest is not None else farthest_access(features, order, offsets)
    n = max(network.n_nodes, 1)
    chunk = max(1, MAX_MATRIX_CELLS // n)
    out: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for first in range(0, starts.n_sources, chunk):
        part = _chunk(starts, first, min(starts.n_sources, first + chunk))
        r = radii[first : first + part.n_sources]
        s, f, d = _pairs_one(network, part, features, r, order, offsets, far)
        out.append((s + first, f, d))
    if not out:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
    s, f, d = (np.concatenate(c) for c in zip(*out))
    return s, f, d


def _chunk(starts: Starts, first: int, last: int) -> Starts:
    keep = (starts.source >= first) & (starts.source < last)
    return Starts(
        starts.source[keep] - first,
        starts.edge[keep],
        starts.lo[keep],
        starts.hi[keep],
        starts.cost[keep],
        last - first,
        starts.off[first:last],
    )


def reached_edges(network: Network, dist: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(source, edge)`` for every edge with a reached end (finite distance), sorted:
    from the reached nodes through the node-edge incidence, never over every edge."""
    sn, node = np.nonzero(np.isfinite(dist))
    inc_off, inc_edge = network.incidence
    k, pos = _ranges(inc_off, node)
    mark = np.zeros((dist.shape[0], max(network.n_edges, 1)), bool)
    mark[sn[k], inc_edge[pos]] = True
    source, edge = np.nonzero(mark)
    return source, edge


def _ranges(offsets: np.ndarray, edges: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each entry of ``edges``, the positions ``offsets[e]..offsets[e+1]``:
    ``(entry, position)`` flattened."""
    lo, hi = offsets[edges], offsets[edges + 1]
    counts = hi - lo
    entry = np.repeat(np.arange(len(edges)), counts)
    start = np.repeat(lo - np.concatenate([[0], np.cumsum(counts)[:-1]]), counts)
    return entry, start + np.arange(len(entry))


def farthest_access(features: Joined, order: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Per edge, the largest access distance of its features (0 without features)."""
    n_edges = len(offsets) - 1
    out = np.zeros(n_edges)
    filled = np.flatnonzero(np.diff(offsets) > 0)
    if len(filled):
        out[filled] = np.maximum.reduceat(features.access[order], offsets[filled])
    return out


def _pairs_one(network, starts, features, radii, order, offsets, far=None):
    limit = float(radii.max()) if len(radii) else 0.0
    dist = node_distances(network, starts, limit=limit)
    eu, ev, length = network.edge_u, network.edge_v, network.edge_length
    s, e = reached_edges(network, dist)
    du_se, dv_se = dist[s, eu[e]], dist[s, ev[e]]  # per reached (source, edge)
    # (source, edge) pairs where the walk also starts on the edge: merged below
    n_edges = max(network.n_edges, 1)
    on_start = np.isin(s * n_edges + e, starts.source * n_edges + starts.edge)
    whole_s = whole_f = np.zeros(0, np.int64)
    if far is not None:  # edges wholly within R: their features are in, no distance needed
        le = length[e]  # no point of the edge is farther than this bound from the site
        bound = np.minimum(np.minimum(du_se, dv_se) + le, (du_se + dv_se + le) / 2)
        whole = ~on_start & (bound + far[e] <= radii[s])
        k_w, pos_w = _ranges(offsets, e[whole])
        whole_s, whole_f = s[whole][k_w], order[pos_w]
        s, e, du_se, dv_se, on_start = (x[~whole] for x in (s, e, du_se, dv_se, on_start))
    entry, pos = _ranges(offsets, e)
    f = order[pos]
    tf = features.t[f]
    d = np.minimum(du_se[entry] + tf, dv_se[entry] + (length[e][entry] - tf)) + features.access[f]
    src = s[entry]
    keep = d <= radii[src]
    plain = keep & ~on_start[entry]
    out_s, out_f, out_d = src[plain], f[plain], d[plain]
    # features on an edge where the walk starts: also directly along it; the minimum wins
    mixed = keep & on_start[entry]
    k, pos2 = _ranges(offsets, starts.edge)
    f2 = order[pos2]
    tf2 = features.t[f2]
    along = np.maximum(0.0, np.maximum(starts.lo[k] - tf2, tf2 - starts.hi[k]))
    d2 = starts.cost[k] + along + features.access[f2]
    s2 = starts.source[k]
    near = d2 <= radii[s2]
    ms = np.concatenate([src[mixed], s2[near]])
    mf = np.concatenate([f[mixed], f2[near]])
    md = np.concatenate([d[mixed], d2[near]])
    key = ms.astype(np.int64) * (len(features.edge) + 1) + mf
    o = np.lexsort((md, key))
    key, ms, mf, md = key[o], ms[o], mf[o], md[o]
    first = np.ones(len(key), bool)
    first[1:] = key[1:] != key[:-1]
    return (
        np.concatenate([out_s, ms[first], whole_s]),
        np.concatenate([out_f, mf[first], whole_f]),
        np.concatenate([out_d, md[first], np.full(len(whole_s), np.nan)]),
    )


def nearest_distance(
    network: Network,
    starts: Starts,
    to_nearest: np.ndarray,
    features: Joined,
    by_edge: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """Per source, the walking distance to the nearest feature.

    ``to_nearest`` is :func:`nearest_node_distances` from the features (computed once
    per layer, whatever the sites).
    """
    out = np.full(starts.n_sources, np.inf)
    if len(starts.edge) == 0:
        return out
    e = starts.edge
    length = network.edge_length[e]
    via = starts.cost + np.minimum(
        to_nearest[network.edge_u[e]] + starts.lo,
        to_nearest[network.edge_v[e]] + (length - starts.hi),
    )
    np.minimum.at(out, starts.source, via)
    order, offsets = by_edge or features.by_edge(network.n_edges)
    k, pos = _ranges(offsets, e)
    f = order[pos]
    tf = features.t[f]
    along = np.maximum(0.0, np.maximum(starts.lo[k] - tf, tf - starts.hi[k]))
    np.minimum.at(out, starts.source[k], starts.cost[k] + along + features.access[f])
    return out
