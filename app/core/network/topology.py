"""A line layer as a walking graph, built once, vectorised (shapely 2, numpy, scipy).

1. Lines are cut into their straight segments.
2. At-grade segments that cross (or where a line ends on another within the tolerance)
   are split at the crossing: a junction. Segments of a **grade-separated** line (bridge,
   tunnel, overpass) are never split and their inner vertices never join anything: they
   meet the streets only at their two ends.
3. Segment ends closer than the tolerance (metres) become one node (STRtree ``dwithin``
   pairs, connected components).
4. Runs of segments of one line between junctions become the graph's edges, their
   length that of their geometry in EPSG:5186.
5. Connected components are the islands: the largest (by length) is the main network,
   the others are reported (count, share of length).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import shapely

if TYPE_CHECKING:  # scipy is imported where a graph is built: not at the app's start
    from scipy import sparse

#: Default node tolerance (m): segment ends closer than this are one node.
DEFAULT_TOLERANCE_M = 1.0
#: Split parameters this close to a segment's end are the end itself.
_EDGE_EPS = 1e-9
#: csgraph drops explicit zero weights; a zero-length step weighs this instead.
TINY_M = 1e-6


@dataclass(frozen=True, eq=False)
class Network:
    """The walking graph as arrays (EPSG:5186 metres).

    Attributes
    ----------
    node_xy : ndarray (n, 2)
        Node coordinates.
    edge_u, edge_v : ndarray of int
        End nodes of each edge (``u`` at the start of its geometry).
    edge_length : ndarray of float
        Length of each edge's geometry (m).
    edge_coords : ndarray (k, 2), edge_offsets : ndarray (m + 1,)
        The edges' vertices, edge ``i`` is ``edge_coords[edge_offsets[i]:edge_offsets[i+1]]``.
    edge_separated : ndarray of bool
        The edge is part of a bridge, tunnel or overpass.
    tolerance : float
        The node tolerance used (m).
    """

    node_xy: np.ndarray
    edge_u: np.ndarray
    edge_v: np.ndarray
    edge_length: np.ndarray
    edge_coords: np.ndarray
    edge_offsets: np.ndarray
    edge_separated: np.ndarray
    tolerance: float

    @property
    def n_nodes(self) -> int:
        return len(self.node_xy)

    @property
    def n_edges(self) -> int:
        return len(self.edge_u)

    @cached_property
    def edges(self) -> np.ndarray:
        """The edges as shapely LineStrings."""
        ids = np.repeat(np.arange(self.n_edges), np.diff(self.edge_offsets))
        return np.asarray(shapely.linestrings(self.edge_coords, indices=ids), dtype=object)

    @cached_property
    def tree(self) -> shapely.STRtree:
        """STRtree over :attr:`edges`."""
        return shapely.STRtree(self.edges)

    @cached_property
    def main_edges(self) -> np.ndarray:
        """Indices of the edges of the largest connected part (by length)."""
        islands = self.islands
        return np.flatnonzero(islands.edge_label == islands.main)

    @cached_property
    def main_tree(self) -> shapely.STRtree:
        """STRtree over the edges of the largest connected part (:attr:`main_edges`)."""
        return shapely.STRtree(self.edges[self.main_edges])

    @cached_property
    def base_coo(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(rows, cols, weights)`` of the undirected graph, both directions, parallel
        edges reduced to the shortest, self-loops dropped."""
        keep = self.edge_u != self.edge_v
        u, v = self.edge_u[keep], self.edge_v[keep]
        w = np.maximum(self.edge_length[keep], TINY_M)
        return min_coo(np.concatenate([u, v]), np.concatenate([v, u]), np.concatenate([w, w]))

    @cached_property
    def graph(self) -> sparse.csr_matrix:
        """The graph as a CSR matrix (n × n)."""
        from scipy import sparse

        r, c, w = self.base_coo
        return sparse.csr_matrix((w, (r, c)), shape=(self.n_nodes, self.n_nodes))

    @cached_property
    def incidence(self) -> tuple[np.ndarray, np.ndarray]:
        """``(offsets, edges)``: the edges at node ``i`` are
        ``edges[offsets[i]:offsets[i+1]]`` (both ends)."""
        ends = np.concatenate([self.edge_u, self.edge_v])
        edges = np.concatenate([np.arange(self.n_edges), np.arange(self.n_edges)])
        order = np.argsort(ends, kind="stable")
        offsets = np.zeros(self.n_nodes + 1, np.int64)
        np.cumsum(np.bincount(ends, minlength=self.n_nodes), out=offsets[1:])
        return offsets, edges[order]

    @cached_property
    def islands(self) -> Islands:
        """The connected components and their lengths."""
        return islands_of(self)

    def to_arrays(self) -> dict[str, np.ndarray]:
        """The network as named arrays (for the cache)."""
        return {
            "node_xy": self.node_xy,
            "edge_u": self.edge_u,
            "edge_v": self.edge_v,
            "edge_length": self.edge_length,
            "edge_coords": self.edge_coords,
            "edge_offsets": self.edge_offsets,
            "edge_separated": self.edge_separated,
            "tolerance": np.array([self.tolerance]),
        }

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> Network:
        """The inverse of :meth:`to_arrays`."""
        return cls(
            np.asarray(arrays["node_xy"], float).reshape(-1, 2),
            np.asarray(arrays["edge_u"], np.int64),
            np.asarray(arrays["edge_v"], np.int64),
            np.asarray(arrays["edge_length"], float),
            np.asarray(arrays["edge_coords"], float).reshape(-1, 2),
            np.asarray(arrays["edge_offsets"], np.int64),
            np.asarray(arrays["edge_separated"], bool),
            float(np.asarray(arrays["tolerance"]).ravel()[0]),
        )


@dataclass(frozen=True)
class Islands:
    """Connected components of a network."""

    node_label: np.ndarray  # component of each node
    edge_label: np.ndarray  # component of each edge
    main: int  # the component with the most length
    count: int  # components other than the main one (with at least one edge)
    share_outside_main: float  # share of the total length outside the main component

    @property
    def main_share(self) -> float:
        return 1.0 - self.share_outside_main


def islands_of(network: Network) -> Islands:
    """Components of ``network``, by length (see :class:`Islands`)."""
    from scipy.sparse import csgraph

    n_comp, labels = csgraph.connected_components(network.graph, directed=False)
    edge_label = labels[network.edge_u] if network.n_edges else np.zeros(0, np.int64)
    length = np.bincount(edge_label, weights=network.edge_length, minlength=n_comp)
    total = float(length.sum())
    main = int(np.argmax(length)) if n_comp else 0
    with_edges = np.bincount(edge_label, minlength=n_comp) > 0
    count = int(with_edges.sum()) - (1 if n_comp and with_edges[main] else 0)
    share = 0.0 if total <= 0 else float((total - length[main]) / total)
    return Islands(labels, edge_label, main, count, share)


def min_coo(
    rows: np.ndarray, cols: np.ndarray, weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Duplicate ``(row, col)`` entries reduced to their smallest weight (a CSR matrix
    would add them up)."""
    if len(rows) == 0:
        return rows, cols, weights
    order = np.lexsort((weights, cols, rows))
    r, c, w = rows[order], cols[order], weights[order]
    first = np.ones(len(r), bool)
    first[1:] = (r[1:] != r[:-1]) | (c[1:] != c[:-1])
    return r[first], c[first], w[first]


def build_network(
    lines: np.ndarray,
    separated: np.ndarray | None = None,
    tolerance: float = DEFAULT_TOLERANCE_M,
) -> Network:
    """Build the walking graph of ``lines``.

    Parameters
    ----------
    lines : array of shapely geometries
        LineStrings or MultiLineStrings in EPSG:5186 (others and empty ones are skipped).
    separated : array of bool, optional
        Per line: a bridge, tunnel or overpass (never split by what it crosses).
    tolerance : float
        Segment ends closer than this (m) are one node; a line ending this close to
        another at-grade line joins it.

    Returns
    -------
    Network
    """
    lines = np.asarray(lines, dtype=object)
    sep = np.zeros(len(lines), bool) if separated is None else np.asarray(separated, bool)
    parts, part_of = shapely.get_parts(lines, return_index=True)
    linear = np.isin(shapely.get_type_id(parts), (1, 2)) & ~shapely.is_empty(parts)
    parts, part_sep = parts[linear], sep[part_of[linear]]
    coords, line_id = shapely.get_coordinates(parts, return_index=True)
    if len(coords) < 2:
        return _empty(tolerance)
    # 1. segments
    same = line_id[1:] == line_id[:-1]
    a, b = coords[:-1][same], coords[1:][same]
    seg_line = line_id[:-1][same]
    moves = np.any(a != b, axis=1)
    a, b, seg_line = a[moves], b[moves], seg_line[moves]
    seg_sep = part_sep[seg_line]
    # 2. split points (parameter 0 < t < 1 along each at-grade segment)
    split_seg, split_t = _split_parameters(a, b, seg_line, seg_sep, tolerance)
    # sub-segments, in order along each line
    n_seg = len(a)
    seg_all = np.concatenate([np.arange(n_seg), split_seg, np.arange(n_seg)])
    t_all = np.concatenate([np.zeros(n_seg), split_t, np.ones(n_seg)])
    order = np.lexsort((t_all, seg_all))
    seg_all, t_all = seg_all[order], t_all[order]
    pts = a[seg_all] + (b[seg_all] - a[seg_all]) * t_all[:, None]
    sub = seg_all[1:] == seg_all[:-1]
    start, end = pts[:-1][sub], pts[1:][sub]
    sub_seg = seg_all[:-1][sub]
    # drop zero-length pieces (a split at an existing end)
    keep = np.hypot(*(end - start).T) > 0
    start, end, sub_seg = start[keep], end[keep], sub_seg[keep]
    sub_line = seg_line[sub_seg]
    sub_sep = seg_sep[sub_seg]
    # 3. nodes: segment ends within tolerance; inner vertices of separated lines stay private
    n_sub = len(start)
    first_of_line = np.ones(n_sub, bool)
    first_of_line[1:] = sub_line[1:] != sub_line[:-1]
    last_of_line = np.ones(n_sub, bool)
    last_of_line[:-1] = sub_line[1:] != sub_line[:-1]
    ends = np.concatenate([start, end])  # occurrence k: start of k, n_sub + k: end of k
    private = np.concatenate([sub_sep & ~first_of_line, sub_sep & ~last_of_line])
    label = _cluster(ends, private, tolerance, n_sub)
    node_of_start, node_of_end = label[:n_sub], label[n_sub:]
    n_nodes = int(label.max()) + 1
    node_xy = np.zeros((n_nodes, 2))
    node_xy[label] = ends  # any member stands for its node
    # 4. edges: runs of sub-segments of one line between junctions
    degree = np.bincount(label, minlength=n_nodes)
    brk = first_of_line | (degree[node_of_start] != 2)
    run = np.cumsum(brk) - 1
    n_edges = int(run[-1]) + 1 if n_sub else 0
    seg_len = np.hypot(*(end - start).T)
    edge_length = np.bincount(run, weights=seg_len, minlength=n_edges)
    first_sub = np.flatnonzero(brk)
    last_sub = np.append(first_sub[1:] - 1, n_sub - 1)
    edge_u = node_of_start[first_sub].astype(np.int64)
    edge_v = node_of_end[last_sub].astype(np.int64)
    counts = np.bincount(run, minlength=n_edges) + 1
    offsets = np.zeros(n_edges + 1, np.int64)
    np.cumsum(counts, out=offsets[1:])
    edge_coords = np.empty((offsets[-1], 2))
    # each run: the starts of its sub-segments, then the end of its last one
    pos = np.arange(n_sub) + run  # run r's k-th start lands at offsets[r] + k
    edge_coords[pos] = start
    edge_coords[offsets[1:] - 1] = end[last_sub]
    # the nodes' own coordinates at the ends so that edges meet exactly
    edge_coords[offsets[:-1]] = node_xy[edge_u]
    edge_coords[offsets[1:] - 1] = node_xy[edge_v]
    edge_sep = sub_sep[first_sub]
    good = edge_length > 0
    if not good.all():
        return _subset(
            node_xy, edge_u, edge_v, edge_length, edge_coords, offsets, edge_sep, good, tolerance
        )
    return Network(node_xy, edge_u, edge_v, edge_length, edge_coords, offsets, edge_sep, tolerance)


def _subset(node_xy, u, v, length, coords, offsets, sep, keep, tolerance) -> Network:
    counts = np.diff(offsets)
    coords = coords[np.repeat(keep, counts)]
    new_offsets = np.zeros(int(keep.sum()) + 1, np.int64)
    np.cumsum(counts[keep], out=new_offsets[1:])
    return Network(
        node_xy, u[keep], v[keep], length[keep], coords, new_offsets, sep[keep], tolerance
    )


def _empty(tolerance: float) -> Network:
    return Network(
        np.zeros((0, 2)),
        np.zeros(0, np.int64),
        np.zeros(0, np.int64),
        np.zeros(0),
        np.zeros((0, 2)),
        np.zeros(1, np.int64),
        np.zeros(0, bool),
        tolerance,
    )


def _cluster(points: np.ndarray, private: np.ndarray, tolerance: float, n_sub: int) -> np.ndarray:
    """Node label of each end occurrence: public ends within ``tolerance`` are one node;
    a private end (inner vertex of a bridge) is shared only by its two sub-segments."""
    from scipy import sparse
    from scipy.sparse import csgraph

    n = len(points)
    geoms = shapely.points(points)
    public = np.flatnonzero(~private)
    tree = shapely.STRtree(geoms[public])
    i, j = tree.query(geoms[public], predicate="dwithin", distance=max(tolerance, 0.0))
    rows, cols = public[i], public[j]
    # a private inner vertex: the end of sub-segment k and the start of k + 1 coincide
    priv_end = np.flatnonzero(private[n_sub:]) + n_sub  # end of k (k not last of line)
    rows = np.concatenate([rows, priv_end])
    cols = np.concatenate([cols, priv_end - n_sub + 1])
    adj = sparse.csr_matrix((np.ones(len(rows), bool), (rows, cols)), shape=(n, n))
    _, label = csgraph.connected_components(adj, directed=False)
    # compact labels in first-seen order (stable)
    _, first, inverse = np.unique(label, return_index=True, return_inverse=True)
    rank = np.empty(len(first), np.int64)
    rank[np.argsort(first)] = np.arange(len(first))
    return rank[inverse]


def _split_parameters(
    a: np.ndarray, b: np.ndarray, seg_line: np.ndarray, seg_sep: np.ndarray, tolerance: float
) -> tuple[np.ndarray, np.ndarray]:
    """``(segment, t)``: where each at-grade segment is split (crossings with other
    at-grade segments, and ends of other lines lying on it within ``tolerance``)."""
    segs = shapely.linestrings(np.stack([a, b], axis=1))
    grade = np.flatnonzero(~seg_sep)
    out_seg: list[np.ndarray] = []
    out_t: list[np.ndarray] = []
    if len(grade):
        tree = shapely.STRtree(segs[grade])
        i, j = tree.query(segs[grade], predicate="intersects")
        i, j = grade[i], grade[j]
        keep = i < j
        i, j = i[keep], j[keep]
        d1, d2 = b[i] - a[i], b[j] - a[j]
        denom = d1[:, 0] * d2[:, 1] - d1[:, 1] * d2[:, 0]
        ok = np.abs(denom) > 1e-12  # parallel overlaps: no crossing point
        diff = a[j] - a[i]
        with np.errstate(invalid="ignore", divide="ignore"):
            t = (diff[:, 0] * d2[:, 1] - diff[:, 1] * d2[:, 0]) / denom
            s = (diff[:, 0] * d1[:, 1] - diff[:, 1] * d1[:, 0]) / denom
        ok &= (t >= -_EDGE_EPS) & (t <= 1 + _EDGE_EPS) & (s >= -_EDGE_EPS) & (s <= 1 + _EDGE_EPS)
        out_seg += [i[ok], j[ok]]
        out_t += [t[ok], s[ok]]
        # line ends lying on (or within tolerance of) an at-grade segment's interior
        first = np.ones(len(a), bool)
        first[1:] = seg_line[1:] != seg_line[:-1]
        last = np.ones(len(a), bool)
        last[:-1] = seg_line[1:] != seg_line[:-1]
        end_pts = np.concatenate([a[first], b[last]])
        end_line = np.concatenate([seg_line[first], seg_line[last]])
        p, q = tree.query(shapely.points(end_pts), predicate="dwithin", distance=tolerance)
        q = grade[q]
        other = end_line[p] != seg_line[q]
        p, q = p[other], q[other]
        d = b[q] - a[q]
        dd = np.einsum("ij,ij->i", d, d)
        tt = np.einsum("ij,ij->i", end_pts[p] - a[q], d) / np.where(dd > 0, dd, 1)
        out_seg.append(q)
        out_t.append(tt)
    seg = np.concatenate(out_seg) if out_seg else np.zeros(0, np.int64)
    t = np.concatenate(out_t) if out_t else np.zeros(0)
    inner = (t > _EDGE_EPS) & (t < 1 - _EDGE_EPS)
    return seg[inner].astype(np.int64), t[inner]
