"""The covering models reduced before solving, as the covering-location literature does.

:func:`reduce_cover` turns the coverage pairs into the smallest equivalent model of the
MCLP and the LSCP (Church & ReVelle 1974; Daskin, *Network and Discrete Location*, 3.3):

1. demand of residual weight 0 is left out (a fixed site already covers it);
2. candidates that cover the same demand (identical columns) are merged into the one of
   lowest index, and candidates covering no demand are left out;
3. a candidate whose covered demand is a strict subset of another's (a *dominated*
   column) is left out: in any solution it can be swapped for the one that dominates
   it without covering less (MCLP) or needing more sites (LSCP);
4. demand points with the same set of remaining candidates are merged, their weights
   summed (the rows of the model).

The optimum of the reduced model is the optimum of the full one: every removed
candidate maps to a kept one that covers at least what it covers
(:attr:`ReducedCover.representative`), so a solution maps to one of the reduced model
as good, and a solution of the reduced model is one of the full model. A reduced model
with fewer candidates than k is solved with ``Σ x ≤ k`` and padded with any others.

Dominance is tested with one dense product of the column incidence matrix with itself
in blocks (``|S_a ∩ S_b| = |S_a|``); it is skipped (steps 1, 2 and 4 still apply) when
that product would exceed :data:`DOMINANCE_MAX_WORK` multiply-adds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from scipy import sparse

from app.core.analysis.suggest.coverage import Coverage

#: At most this many multiply-adds (columns² × rows) for the dominance test (~1 s here).
DOMINANCE_MAX_WORK = 5e10
#: At most this many entries (float32) in the dense incidence matrix of the dominance test.
DOMINANCE_MAX_ENTRIES = 25_000_000
#: Neighbours within this many grid steps are tested first (bit sets, cheap).
NEIGHBOUR_STEPS = 3.0
#: Entries of one block of the column intersection matrix (float32: 4 bytes each).
BLOCK_ENTRIES = 4_000_000


@dataclass(frozen=True)
class ReducedCover:
    """The reduced covering model: rows (merged demand), columns (kept candidates)."""

    weights: np.ndarray  # summed residual weight of each row
    sets: list[np.ndarray]  # the columns (indices into ``candidates``) of each row
    candidates: np.ndarray  # the original index of each column, ascending
    #: For every original candidate, a kept one covering at least what it covers (as an
    #: index into ``candidates``); -1 for a candidate that covers no demand.
    representative: np.ndarray
    sizes: dict  # the model's size before and after (see :meth:`summary`)

    def summary(self) -> str:
        """One line: candidates and demand rows before and after the reduction."""
        s = self.sizes
        return (
            f"model reduced from {s['candidates']} to {s['candidates_reduced']} candidates "
            f"({s['identical']} identical, {s['dominated']} dominated, {s['empty']} covering "
            f"nothing) and from {s['demand']} demand points to {s['demand_reduced']} rows"
        )

    def original(self, columns) -> list[int]:
        """The original candidate indices of reduced columns."""
        return [int(self.candidates[j]) for j in columns]

    def warm(self, chosen) -> list[int]:
        """A solution in original indices mapped to the reduced columns (as good)."""
        mapped = self.representative[np.asarray(list(chosen), dtype=np.intp)]
        return sorted({int(j) for j in mapped if j >= 0})


def _group_rows(
    rows: np.ndarray, cols: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Group ``(row, col)`` incidences by row and rows by their set of cols.

    Returns the distinct rows (ascending), each one's group (rows with the same set of
    cols share one), the number of cols of each, the cols sorted by (row, col) and where
    each row's cols start among them.
    """
    if len(rows):  # a counting sort by row (CSR), then each row's few cols sorted
        shape = (int(rows.max()) + 1, int(cols.max()) + 1)
        matrix = sparse.csr_array((np.ones(len(rows), dtype=np.int8), (rows, cols)), shape)
        matrix.sort_indices()
        counts = np.diff(matrix.indptr)
        rows = np.repeat(np.arange(shape[0], dtype=rows.dtype), counts)
        cols = matrix.indices.astype(cols.dtype, copy=False)
    cuts = np.flatnonzero(np.diff(rows)) + 1
    starts = np.r_[0, cuts]
    lengths = np.diff(np.r_[starts, len(rows)])
    keys = np.empty(len(starts), dtype=object)
    keys[:] = [chunk.tobytes() for chunk in np.split(cols, cuts)]
    _, group = np.unique(keys, return_inverse=True)
    return rows[starts], np.asarray(group).ravel(), lengths, cols, starts


def reduce_cover(coverage: Coverage, dominance: bool = True) -> ReducedCover:
    """The reduced MCLP/LSCP model of ``coverage`` (module docstring).

    Parameters
    ----------
    coverage : Coverage
        The coverage pairs with the residual weights.
    dominance : bool
        False keeps dominated candidates (identical ones are still merged): for tests
        comparing the reductions.

    Returns
    -------
    ReducedCover
    """
    cand, dem = coverage.pairs[0], coverage.pairs[1]
    live = coverage.weights[dem] > 0
    cand, dem = cand[live], dem[live]
    n = coverage.n_candidates
    n_demand = int(np.count_nonzero(coverage.weights > 0))
    sizes = {"candidates": n, "demand": n_demand, "nonzeros": int(len(cand))}
    representative = np.full(n, -1, dtype=np.intp)
    if len(cand) == 0:
        sizes.update(
            candidates_reduced=0, demand_reduced=0, nonzeros_reduced=0, identical=0,
            dominated=0, empty=n,
        )  # fmt: skip
        return ReducedCover(np.empty(0), [], np.empty(0, np.intp), representative, sizes)
    # demand points with the same candidate set: the rows of the incidence matrix
    heads, row_group, _, _, _ = _group_rows(dem, cand)
    n_rows = int(row_group.max()) + 1
    row_of_demand = np.full(len(coverage.weights), -1, dtype=np.intp)
    row_of_demand[heads] = row_group
    row_weight = np.bincount(row_group, weights=coverage.weights[heads], minlength=n_rows)
    # (candidate, row) incidences, deduplicated and sorted: a CSR matrix (counting sort)
    incidence = sparse.csr_array(
        (np.ones(len(cand), dtype=np.int32), (cand, row_of_demand[dem])), shape=(n, n_rows)
    )
    incidence.sum_duplicates()
    cu = np.repeat(np.arange(n, dtype=np.intp), np.diff(incidence.indptr))
    ru = incidence.indices.astype(np.intp)
    # identical columns over those rows: one per group, the lowest candidate index
    col_heads, col_group, col_sizes, _, _ = _group_rows(cu, ru)
    n_distinct = int(col_group.max()) + 1
    first = np.full(n_distinct, n, dtype=np.intp)
    np.minimum.at(first, col_group, col_heads)
    size = col_sizes[np.searchsorted(col_heads, first)].astype(np.float32)
    group_of_candidate = np.full(n, -1, dtype=np.intp)
    group_of_candidate[col_heads] = col_group
    lead = cu == first[group_of_candidate[cu]]
    dc, dr = group_of_candidate[cu[lead]], ru[lead]  # incidences of the distinct columns
    parent = np.arange(n_distinct)
    dominated = np.zeros(n_distinct, bool)
    if dominance:
        xy = None if coverage.xy is None else coverage.xy[first]
        parent, dominated = _dominance(dc, dr, n_distinct, n_rows, size, xy)
    kept = np.flatnonzero(~dominated)
    kept = kept[np.argsort(first[kept])]  # columns in ascending original index
    column_of_group = np.full(n_distinct, -1, dtype=np.intp)
    column_of_group[kept] = np.arange(len(kept))
    for _ in range(64):  # follow the chains of dominators to a kept column
        if not dominated[parent].any():
            break
        parent = np.where(dominated[parent], parent[parent], parent)
    covering = group_of_candidate >= 0
    representative[covering] = column_of_group[parent[group_of_candidate[covering]]]
    # the rows merged again over the kept columns
    stay = ~dominated[dc]
    rows, groups, _, cols, starts = _group_rows(dr[stay], column_of_group[dc[stay]])
    n_final = int(groups.max()) + 1
    weights = np.bincount(groups, weights=row_weight[rows], minlength=n_final)
    stops = np.r_[starts[1:], len(cols)]
    firsts = np.unique(groups, return_index=True)[1]
    sets = [cols[starts[i] : stops[i]] for i in firsts]
    sizes.update(
        candidates_reduced=int(len(kept)),
        demand_reduced=n_final,
        nonzeros_reduced=int(sum(len(s) for s in sets)),
        identical=int(len(col_heads) - n_distinct),
        dominated=int(dominated.sum()),
        empty=int(n - len(col_heads)),
    )
    return ReducedCover(weights, sets, first[kept], representative, sizes)


def _dominance(
    dc: np.ndarray,
    dr: np.ndarray,
    n: int,
    n_rows: int,
    size: np.ndarray,
    xy: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray]:
    """Which of ``n`` distinct columns (incidences ``dc``, ``dr``) are strictly contained in
    another, and for each a column containing it (itself when none).

    First each column against its neighbours on the grid (bit sets, cheap), then the
    columns left against each other (one blocked product) when that fits the limits.
    """
    parent = np.arange(n)
    dominated = np.zeros(n, bool)
    words = (n_rows + 63) // 64
    if xy is not None and n > 1 and float(n) * words <= DOMINANCE_MAX_ENTRIES:
        bits = np.zeros((n, words), dtype=np.uint64)
        np.bitwise_or.at(
            bits, (dc, dr // 64), np.left_shift(np.uint64(1), (dr % 64).astype(np.uint64))
        )
        points = shapely.points(xy)
        tree = shapely.STRtree(points)
        _, gaps = tree.query_nearest(points, exclusive=True, return_distance=True)
        step = float(np.median(gaps)) if len(gaps) else 0.0
        a, b = tree.query(points, predicate="dwithin", distance=NEIGHBOUR_STEPS * step)
        pair = (a != b) & (size[a] < size[b])
        a, b = a[pair], b[pair]
        chunk = max(1, BLOCK_ENTRIES // words)
        for start in range(0, len(a), chunk):
            sa, sb = a[start : start + chunk], b[start : start + chunk]
            inside = ~np.any(bits[sa] & ~bits[sb], axis=1)
            dominated[sa[inside]] = True
            parent[sa[inside]] = sb[inside]
    left = np.flatnonzero(~dominated)
    m = len(left)
    if float(m) ** 2 * n_rows <= DOMINANCE_MAX_WORK and m * n_rows <= DOMINANCE_MAX_ENTRIES:
        position = np.full(n, -1, dtype=np.intp)
        position[left] = np.arange(m)
        mine = position[dc] >= 0
        matrix = np.zeros((m, n_rows), dtype=np.float32)
        matrix[position[dc[mine]], dr[mine]] = 1.0
        sub_parent, sub_dominated = _dominated(matrix, size[left])
        dominated[left] = sub_dominated
        parent[left] = left[sub_parent]
    return parent, dominated


def _dominated(matrix: np.ndarray, size: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For distinct columns (rows of ``matrix``, ``size`` entries each): a column strictly
    containing each one (itself when none), and which are strictly contained in another.

    Distinct sets: ``S_a ⊆ S_b`` with ``a != b`` is strict, so only larger columns can
    contain a column; columns are compared in blocks, largest first."""
    n = len(matrix)
    by_size = np.argsort(-size, kind="stable")
    ordered, sorted_size = matrix[by_size], size[by_size]
    parent = np.arange(n)
    dominated = np.zeros(n, bool)
    block = max(1, BLOCK_ENTRIES // max(n, 1))
    for start in range(0, n, block):
        stop = min(start + block, n)
        larger = int(np.searchsorted(-sorted_size, -sorted_size[stop - 1], side="left"))
        if larger == 0:
            continue
        inter = ordered[start:stop] @ ordered[:larger].T  # |S_a ∩ S_b|, exact (< 2^24)
        inside = (inter >= sorted_size[start:stop, None] - 0.5) & (
            sorted_size[None, :larger] > sorted_size[start:stop, None]
        )
        best = inside.argmax(axis=1)  # the largest column containing it
        hit = inside[np.arange(stop - start), best]
        rows = by_size[start:stop]
        dominated[rows] = hit
        parent[rows] = np.where(hit, by_size[best], rows)
    return parent, dominated
