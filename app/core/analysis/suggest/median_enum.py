"""The p-median answers the Lagrangian bound cannot rule out, enumerated (exact).

After :func:`~.median_bound.median_lagrange`, every answer S (k kept candidates) costs at
least ``base + Σ_{j∈S} ρ_j`` (the relaxed problem with S forced open). With the kept
candidates sorted by ρ, the answers are enumerated in lexicographic order, a level (one
more candidate) at a time, and a partial answer is cut when even its cheapest completion
(the next ρ in the order, a window sum of the sorted ρ) reaches the incumbent: that bound
grows with the next candidate's position, so the candidates that extend a partial answer
form one range, found by ``searchsorted`` for all partial answers at once. The complete
answers left are evaluated exactly (their true total distance, in chunks); the best of
them, or the incumbent when none is better, is the optimum. Every answer better than the
incumbent has a bound under it, so it is among those evaluated: the result is exact.

The enumeration gives up (returns None) when the partial answers or the answers to
evaluate grow past :data:`MAX_SETS`, or the kept candidates' distance rows past
:data:`MAX_CELLS`; CBC then runs as before.
"""

from __future__ import annotations

import time

import numpy as np

#: Partial or complete answers held at most at one level.
MAX_SETS = 300_000
#: Kept candidates × demand points at most (their distances are held).
MAX_CELLS = 20_000_000
#: Entries (answers × k × demand points) evaluated at once.
CHUNK_ENTRIES = 4_000_000


def enumerate_rest(
    cx, cy, demand, k: int, rho: np.ndarray, base: float, value: float, goal: float, seconds: float
) -> tuple[list[int], float, int] | None:
    """The optimum among the kept candidates (``rho`` finite) given the incumbent's
    ``value`` and the ``goal`` an answer's bound must stay under to be better.

    Parameters
    ----------
    cx, cy : ndarray
        The candidates (EPSG:5186).
    demand : MedianDemand
        The demand points, weights and fixed-site distances (:mod:`.pmedian`).
    k : int
        Sites to choose.
    rho : ndarray
        ρ_j at the best multipliers, inf for the candidates fixed out
        (:attr:`~.median_bound.MedianRun.rho`).
    base : float
        Σ w_i μ_i at those multipliers.
    value : float
        The incumbent's total distance.
    goal : float
        An answer whose bound reaches this cannot be better than the incumbent.
    seconds : float
        CPU seconds at most.

    Returns
    -------
    (list of int, float, int) or None
        The best answer better than the incumbent (empty when none is) with its total,
        and how many complete answers were evaluated; None when the enumeration is too
        large (:data:`MAX_SETS`, :data:`MAX_CELLS`) or runs out of ``seconds`` (CPU).
    """
    deadline = time.process_time() + float(seconds)
    cols = np.flatnonzero(np.isfinite(rho))
    m = len(demand.weights)
    if len(cols) < k or len(cols) * m > MAX_CELLS:
        return None
    order = cols[np.argsort(rho[cols], kind="stable")]
    r = rho[order]
    n = len(r)
    cum = np.r_[0.0, np.cumsum(r)]
    # partial answers: positions (count × t) and their ρ sums
    sets = np.zeros((1, 0), dtype=np.intp)
    sums = np.zeros(1)
    for t in range(1, k + 1):
        rest = k - t  # candidates still to add after this one
        top = n - rest  # positions q < top leave room for the rest
        if top <= 0:
            return [], value, 0
        q = np.arange(top)
        window = cum[q + rest + 1] - cum[q]  # ρ_q + the next rest ones: nondecreasing in q
        first = sets[:, -1] + 1 if t > 1 else np.zeros(len(sets), dtype=np.intp)
        last = np.searchsorted(window, goal - base - sums, side="left")  # window < room
        lengths = np.maximum(last - first, 0)
        count = int(lengths.sum())
        if count > MAX_SETS or time.process_time() > deadline:
            return None
        if count == 0:
            return [], value, 0
        parent = np.repeat(np.arange(len(sets)), lengths)
        offsets = np.repeat(first - (np.cumsum(lengths) - lengths), lengths)
        pos = offsets + np.arange(count)
        sets = np.column_stack([sets[parent], pos])
        sums = sums[parent] + r[pos]
    rows = demand.rows(cx, cy, order)  # n × m, the kept candidates in ρ order
    w, fixed = demand.weights, demand.fixed_distance
    best_value, best_set = value, None
    per = max(1, CHUNK_ENTRIES // max(1, k * m))
    for start in range(0, len(sets), per):
        if time.process_time() > deadline:
            return None
        part = sets[start : start + per]
        near = np.minimum(rows[part].min(axis=1), fixed[None, :])  # sets × m
        totals = near @ w
        j = int(np.argmin(totals))
        if totals[j] < best_value:
            best_value, best_set = float(totals[j]), part[j]
    chosen = [] if best_set is None else sorted(int(c) for c in order[best_set])
    return chosen, best_value, int(len(sets))
