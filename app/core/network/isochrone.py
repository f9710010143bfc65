"""Isochrones: the area reached within R along the network, as polygons.

For each site and band R, the reached **edge pieces** are: from each reached node the
first ``R - D[node]`` metres of every edge leaving it (the whole edge when both ends
meet), and around each start the stretch ``R - cost`` either way along its edge. The
pieces are cut from the edges' geometry (vectorised: the inner vertices kept by their
distance along the edge, the two cut points by ``line_interpolate_point``), then
buffered by :data:`ISOCHRONE_BUFFER_M` either side (vectorised) and merged into one polygon
per site and band (``union_all`` per site: three times faster than buffering the pieces
as one multi-line). A polygon site's own shape is part of its isochrone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely

from app.core.network.join import OFF_NETWORK_M, Starts, site_starts
from app.core.network.paths import _ranges, node_distances
from app.core.network.topology import Network

#: Half-width (m) of the band drawn around the reached streets: about a street and
#: its frontage (documented in docs/indicators.md).
ISOCHRONE_BUFFER_M = 25.0
_QUAD_SEGS = 4


@dataclass(frozen=True)
class Isochrones:
    """Per (site, band): the polygon and the reached street length (m)."""

    site: np.ndarray
    band: np.ndarray  # band radius (m)
    geometry: np.ndarray
    reached_m: np.ndarray


def vertex_distances(network: Network) -> np.ndarray:
    """Distance of each vertex of ``edge_coords`` from the start of its edge (m)."""
    xy = network.edge_coords
    step = np.zeros(len(xy))
    if len(xy) > 1:
        step[1:] = np.hypot(*(xy[1:] - xy[:-1]).T)
    step[network.edge_offsets[:-1]] = 0.0
    cum = np.cumsum(step)
    starts = np.repeat(cum[network.edge_offsets[:-1]], np.diff(network.edge_offsets))
    return cum - starts


def substrings(
    network: Network, edge: np.ndarray, a: np.ndarray, b: np.ndarray, cum: np.ndarray | None = None
) -> np.ndarray:
    """The pieces ``[a, b]`` (m along each edge from ``u``) as LineStrings."""
    if len(edge) == 0:
        return np.zeros(0, dtype=object)
    cum = vertex_distances(network) if cum is None else cum
    lines = network.edges[edge]
    first = shapely.get_coordinates(shapely.line_interpolate_point(lines, a))
    last = shapely.get_coordinates(shapely.line_interpolate_point(lines, b))
    entry, pos = _ranges(network.edge_offsets, edge)
    inner = (cum[pos] > a[entry]) & (cum[pos] < b[entry])
    entry, pos = entry[inner], pos[inner]
    n = len(edge)
    ids = np.concatenate([np.arange(n), entry, np.arange(n)])
    rank = np.concatenate([np.full(n, -1), pos, np.full(n, np.iinfo(np.int64).max)])
    xy = np.concatenate([first, network.edge_coords[pos], last])
    order = np.lexsort((rank, ids))
    return np.asarray(shapely.linestrings(xy[order], indices=ids[order]), dtype=object)


def reached_pieces(
    network: Network, starts: Starts, dist: np.ndarray, radius: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(source, edge, a, b)``: the stretches of edges reached within ``radius`` (per
    source) given the node distances ``dist`` (sources × nodes)."""
    length = network.edge_length
    eu, ev = network.edge_u, network.edge_v
    rem_u = radius[:, None] - dist[:, eu]
    rem_v = radius[:, None] - dist[:, ev]
    s1, e1 = np.nonzero(rem_u > 0)
    s2, e2 = np.nonzero(rem_v > 0)
    src = [s1, s2]
    edge = [e1, e2]
    a = [np.zeros(len(e1)), np.maximum(0.0, length[e2] - rem_v[s2, e2])]
    b = [np.minimum(length[e1], rem_u[s1, e1]), length[e2]]
    rem = radius[starts.source] - starts.cost
    ok = rem >= 0
    k = np.flatnonzero(ok)
    e = starts.edge[k]
    src.append(starts.source[k])
    edge.append(e)
    a.append(np.maximum(0.0, starts.lo[k] - rem[k]))
    b.append(np.minimum(length[e], starts.hi[k] + rem[k]))
    out = [np.concatenate(x) for x in (src, edge, a, b)]
    keep = out[3] > out[2]
    return merge_intervals(out[0][keep], out[1][keep], out[2][keep], out[3][keep])


def merge_intervals(
    src: np.ndarray, edge: np.ndarray, a: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Overlapping stretches of one edge for one source merged into one (an edge reached
    from both ends is drawn once: overlapping lines make the buffer slow)."""
    if len(src) == 0:
        return src, edge, a, b
    order = np.lexsort((a, edge, src))
    src, edge, a, b = src[order], edge[order], a[order], b[order]
    group = np.ones(len(src), bool)
    group[1:] = (src[1:] != src[:-1]) | (edge[1:] != edge[:-1])
    gid = np.cumsum(group) - 1
    # running max of b within each group (offset by the group so groups never mix)
    span = float(max(b.max(), 1.0)) + 1.0
    reach = np.maximum.accumulate(b + gid * span) - gid * span
    prev = np.empty(len(b))
    prev[0] = -np.inf
    prev[1:] = reach[:-1]
    new = group | (a > prev)
    first = np.flatnonzero(new)
    end = np.maximum.reduceat(b, first)
    return src[first], edge[first], a[first], end


def isochrones(
    network: Network,
    sites: np.ndarray,
    bands: Sequence[float],
    *,
    buffer_m: float = ISOCHRONE_BUFFER_M,
    starts: Starts | None = None,
    off_limit: float = OFF_NETWORK_M,
) -> Isochrones:
    """The isochrone of every site for every band.

    Parameters
    ----------
    network : Network
    sites : array of shapely geometries
        Points and/or polygons (EPSG:5186).
    bands : sequence of float
        Walking radii (m), e.g. ``(400, 800, 1200)``.
    buffer_m : float
        Half-width of the drawn band around the reached streets (m).
    starts : Starts, optional
        The sites' starts when already known.

    Returns
    -------
    Isochrones
        Rows ordered by site, then band (as given).
    """
    sites = np.asarray(sites, dtype=object)
    bands_arr = np.asarray(list(bands), float)
    n, k = len(sites), len(bands_arr)
    starts = starts or site_starts(network, sites, off_limit)
    limit = float(bands_arr.max()) if k else 0.0
    dist = node_distances(network, starts, limit=limit)
    cum = vertex_distances(network)
    geoms = np.empty(n * k, dtype=object)
    reached = np.zeros(n * k)
    polygonal = np.isin(shapely.get_type_id(sites), (3, 6))
    for j, radius in enumerate(bands_arr):  # a few bands; everything inside is vectorised
        src, edge, a, b = reached_pieces(network, starts, dist, np.full(n, radius))
        order = np.argsort(src, kind="stable")
        src, edge, a, b = src[order], edge[order], a[order], b[order]
        pieces = substrings(network, edge, a, b, cum)
        reached[j::k] = np.bincount(src, weights=b - a, minlength=n)
        polys = np.full(n, None, dtype=object)
        if len(pieces):
            ribbons = shapely.buffer(pieces, buffer_m, quad_segs=_QUAD_SEGS)
            first = np.flatnonzero(np.r_[True, src[1:] != src[:-1]])
            last = np.r_[first[1:], len(src)]
            for lo, hi in zip(first.tolist(), last.tolist()):  # per site, not per piece
                polys[src[lo]] = shapely.union_all(ribbons[lo:hi])
        if polygonal.any():  # a polygon site is inside its own isochrone
            own = sites[polygonal]
            drawn = polys[polygonal]
            polys[polygonal] = np.where(shapely.is_missing(drawn), own, shapely.union(drawn, own))
        polys[shapely.is_missing(polys)] = shapely.Polygon()
        geoms[j::k] = polys
    site = np.repeat(np.arange(n), k)
    band = np.tile(bands_arr, n)
    return Isochrones(site, band, geoms, reached)
