"""Features attached to the walking network at the nearest point of the nearest edge.

Each feature gets its edge, its position along the edge (m from the edge's ``u`` end) and
its straight **access distance** to that point, which is added to every walk. Only the
edges of the network's largest connected part are joined: the islands of a street layer
(a footpath drawn apart, a gap in the data) would strand a feature that happens to lie
nearest to one of them; they are reported, never joined. A feature
farther than :data:`OFF_NETWORK_M` from every edge is **off network**: it is counted as
such and never reached (docs/indicators.md, Walking catchment).

A site's walk starts from :class:`Starts`: a point site from its joined point (cost = its
access distance); a polygon site from its whole boundary: every edge piece inside the
polygon is a start at cost 0 (an edge that enters it is reached from its first to its
last point inside), and a polygon no edge enters joins at the nearest edge like a point.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from app.core.network.topology import Network

#: Features farther than this (m) from every edge are off network.
OFF_NETWORK_M = 250.0


@dataclass(frozen=True)
class Joined:
    """Features on the network: edge (-1 off network), position along it, access."""

    edge: np.ndarray
    t: np.ndarray
    access: np.ndarray

    @property
    def off(self) -> np.ndarray:
        """True where a feature is off network."""
        return self.edge < 0

    def by_edge(self, n_edges: int) -> tuple[np.ndarray, np.ndarray]:
        """``(order, offsets)``: the on-network features sorted by edge; the features of
        edge ``e`` are ``order[offsets[e]:offsets[e+1]]``."""
        on = np.flatnonzero(self.edge >= 0)
        order = on[np.argsort(self.edge[on], kind="stable")]
        offsets = np.zeros(n_edges + 1, np.int64)
        np.cumsum(np.bincount(self.edge[on], minlength=n_edges), out=offsets[1:])
        return order, offsets


@dataclass(frozen=True)
class Starts:
    """Where walks start: per row, a source, an edge, the stretch ``[lo, hi]`` of the edge
    the source touches (m from ``u``) and the cost to reach it."""

    source: np.ndarray
    edge: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    cost: np.ndarray
    n_sources: int
    off: np.ndarray  # per source: farther than OFF_NETWORK_M from every edge


def join(network: Network, geoms: np.ndarray, limit: float = OFF_NETWORK_M) -> Joined:
    """Join ``geoms`` (EPSG:5186) to the nearest point of the nearest edge.

    Parameters
    ----------
    network : Network
    geoms : array of shapely geometries
        Points (or any geometry: its nearest point to the edge is used).
    limit : float
        Farther than this (m) from every edge: off network (edge -1).

    Returns
    -------
    Joined
    """
    geoms = np.asarray(geoms, dtype=object)
    n = len(geoms)
    edge = np.full(n, -1, np.int64)
    t = np.zeros(n)
    access = np.full(n, np.inf)
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    if network.n_edges == 0 or not present.any():
        return Joined(edge, t, access)
    idx = np.flatnonzero(present)
    (gi, ti), dist = network.main_tree.query_nearest(
        geoms[idx], return_distance=True, all_matches=False
    )
    ei = network.main_edges[ti]
    rows = idx[gi]
    lines = network.edges[ei]
    pts = geoms[rows]
    not_point = shapely.get_type_id(pts) != 0
    if not_point.any():
        pts = pts.copy()
        pts[not_point] = shapely.get_point(
            shapely.shortest_line(pts[not_point], lines[not_point]), 1
        )
    pos = shapely.line_locate_point(lines, pts)
    ok = dist <= limit
    edge[rows[ok]] = ei[ok]
    t[rows] = pos
    access[rows] = dist
    return Joined(edge, t, access)


def site_starts(network: Network, geoms: np.ndarray, limit: float = OFF_NETWORK_M) -> Starts:
    """Where each site's walk starts (see the module docstring).

    A site farther than ``limit`` from every edge still starts from its nearest edge
    (its access distance counts against R) and is flagged ``off``.
    """
    geoms = np.asarray(geoms, dtype=object)
    n = len(geoms)
    polygonal = np.isin(shapely.get_type_id(geoms), (3, 6))
    parts = []
    entered = np.zeros(n, bool)
    if polygonal.any() and network.n_edges:
        poly = np.flatnonzero(polygonal)
        si, ei = network.tree.query(geoms[poly], predicate="intersects")
        if len(si):
            s = poly[si]
            inside = shapely.intersection(network.edges[ei], geoms[s])
            pts, pair = shapely.get_coordinates(inside, return_index=True)
            if len(pair):
                t = shapely.line_locate_point(network.edges[ei[pair]], shapely.points(pts))
                bounds = np.flatnonzero(np.r_[True, pair[1:] != pair[:-1]])
                lo = np.minimum.reduceat(t, bounds)
                hi = np.maximum.reduceat(t, bounds)
                which = pair[bounds]
                parts.append((s[which], ei[which], lo, hi, np.zeros(len(which))))
                entered[s[which]] = True
    joined = join(network, geoms, limit=np.inf)
    rest = np.flatnonzero(~entered & (joined.access < np.inf))
    if len(rest):
        parts.append((rest, joined.edge[rest], joined.t[rest], joined.t[rest], joined.access[rest]))
    if parts:
        source, edge, lo, hi, cost = (np.concatenate(c) for c in zip(*parts))
    else:
        source = edge = np.zeros(0, np.int64)
        lo = hi = cost = np.zeros(0)
    off = (joined.access > limit) & ~entered
    return Starts(source.astype(np.int64), edge.astype(np.int64), lo, hi, cost, n, off)


def starts_of_features(joined: Joined, rows: np.ndarray | None = None) -> Starts:
    """The on-network features as walk starts (for multi-source searches)."""
    on = np.flatnonzero(joined.edge >= 0) if rows is None else np.asarray(rows)
    n = len(on)
    return Starts(
        np.arange(n, dtype=np.int64),
        joined.edge[on],
        joined.t[on],
        joined.t[on],
        joined.access[on],
        n,
        np.zeros(n, bool),
    )
