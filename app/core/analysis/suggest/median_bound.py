"""The p-median proven optimal in-process, before (and often instead of) CBC.

What :mod:`.lagrange` does for the covering models, for the p-median of :mod:`.pmedian`
(Daskin, *Network and Discrete Location*, 6.3; Beasley 1993):

1. **An incumbent**: the greedy answer improved by a best-improvement interchange
   (Teitz–Bart) search, :func:`swap_search`: per chosen site a, the distance of every
   demand point without a (``D_a``); the cost of putting candidate j in a's place is
   ``Σ_i w_i min(d_ij, D_a,i)``, evaluated for all j and all a at once over chunks of the
   candidate × demand distances; the best improving swap is made until none improves.
2. **A lower bound**: the assignment constraints ``Σ_j z_ij + u_i = 1`` (u_i: served by
   the nearest fixed site, at f_i) relaxed with multipliers ``w_i μ_i``::

       L(μ) = Σ_i w_i μ_i + (sum of the k smallest ρ_j),  ρ_j = Σ_i w_i min(0, d_ij − μ_i)

   bounds the optimum from below for *every* μ with μ_i ≤ f_i (the relaxed problem
   separates per candidate). Only the pairs with ``d_ij < μ_i`` count, so μ_i is kept
   under a cap ``h_i`` (≤ f_i) and only the pairs ``d_ij < h_i`` are listed (a sparse
   model, exact for every μ ≤ h). μ is improved by subgradient steps (vectorised, one
   ``bincount`` over the pairs each); each step's k candidates are also an answer, and one
   better than the incumbent is improved by the swap search (a Lagrangian heuristic).
3. **The proof**: ``L(μ) ≥ incumbent − MARGIN · incumbent`` (a relative tolerance of
   :data:`MARGIN`, as the MCLP's for fractional weights) proves the incumbent optimal.
4. **Fixing** when a gap remains: forcing candidate j in bounds every answer holding j by
   ``L − ρ_(k) + ρ_j``; a candidate whose bound reaches the incumbent cannot be in a better
   answer, so CBC runs on the other candidates only (:attr:`MedianRun.keep`). When only
   the incumbent's candidates are left, it is proven too.

No dominance rule between candidates is used: in the p-median a candidate is dominated
only when it is at least as far from *every* demand point as another one, which on a grid
of distinct points by straight-line distance never happens.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

#: Relative tolerance of the proof and the fixing (of the incumbent's total distance).
MARGIN = 1e-9
#: Entries of the candidate × demand (× sites) arrays evaluated at once by the swap search.
CHUNK_ENTRIES = 4_000_000
#: Best-improvement swaps at most per search.
MAX_SWAPS = 50
#: The cap of μ_i: ``min(f_i, CAP_FACTOR · c_i + CAP_ADD · c̄)`` (c_i the incumbent's
#: distance of demand point i, c̄ their weighted mean): the pairs listed for the bound.
CAP_FACTOR = 2.0
CAP_ADD = 1.0
#: Subgradient steps at most, the patience before halving the step, the first step factor.
MAX_STEPS = 300
PATIENCE = 20
THETA = 2.0
#: Pairs listed at most for the bound (estimated first from :data:`SAMPLE` demand points;
#: a larger list gets a smaller cap, :func:`_capped`).
MAX_PAIRS = 1_500_000
SAMPLE = 200
#: At most this many listed pairs × steps: a large list gets fewer steps (as the MCLP's,
#: the work, not the machine's load, decides how far the bound goes; the time given is a
#: safety net).
MAX_WORK = 6e8
#: Subgradient steps taken even past the time given (a bound, however rough).
MIN_STEPS = 10
#: The share of the time given that the first swap search may take.
SWAP_SHARE = 0.3
#: The share of the time given that the steps may take even when the swap search and
#: the pairs' listing took longer than planned.
STEP_SHARE = 0.4
#: Swap searches at most from the steps' answers (the Lagrangian heuristic).
SEARCHES = 6
#: Every this many steps, the candidates the best μ excludes are dropped from the pairs.
FIX_EVERY = 15
#: The pairs are filtered again when the kept candidates fall under this share of those
#: whose pairs are listed.
SHRINK = 0.7


def _without_each(rows: np.ndarray, fixed: np.ndarray) -> np.ndarray:
    """``(k, m)``: per chosen site a, each demand point's distance to the nearest other
    chosen or fixed site (rows: the k chosen sites' distances)."""
    k = rows.shape[0]
    if k == 1:
        return fixed[None, :].copy()
    order = np.argsort(rows, axis=0)
    cols = np.arange(rows.shape[1])
    first = rows[order[0], cols]
    second = rows[order[1], cols]
    out = np.where(np.arange(k)[:, None] == order[0][None, :], second[None, :], first[None, :])
    return np.minimum(out, fixed[None, :])


def total(demand, cx, cy, chosen) -> float:
    """Σ w_i · distance of i to its nearest chosen or fixed site.

    Parameters
    ----------
    demand : MedianDemand
        The demand points, weights and fixed-site distances (:mod:`.pmedian`).
    cx, cy : ndarray
        The candidates (EPSG:5186).
    chosen : sequence of int
        Candidate indices.

    Returns
    -------
    float
    """
    near = demand.fixed_distance
    if len(chosen):
        near = np.minimum(near, demand.rows(cx, cy, list(chosen)).min(axis=0))
    return float(demand.weights @ near)


def swap_search(
    cx, cy, demand, chosen, max_swaps: int | None = None, deadline: float = np.inf
) -> list[int]:
    """Best-improvement interchange from ``chosen`` (k distinct candidates): each round
    the cheapest answer one swap away (over all candidates j and chosen sites a); stops
    when no swap lowers the total distance by more than :data:`MARGIN` of it, or at the
    ``deadline`` (``time.process_time()``: CPU seconds, so that a loaded machine does not
    change the answer) with the best answer so far.

    Parameters
    ----------
    cx, cy : ndarray
        The candidates (EPSG:5186).
    demand : MedianDemand
        The demand points, weights and fixed-site distances (:mod:`.pmedian`).
    chosen : sequence of int
        k distinct candidates to start from.
    max_swaps : int, optional
        Swaps at most (default :data:`MAX_SWAPS`).
    deadline : float
        ``time.process_time()`` after which no new round starts.

    Returns
    -------
    list of int
        The k candidates found, ascending.
    """
    current = [int(j) for j in chosen]
    k, n = len(current), len(cx)
    w, fixed = demand.weights, demand.fixed_distance
    m = len(w)
    if k == 0 or k >= n or m == 0:
        return sorted(current)
    rows_per = max(1, CHUNK_ENTRIES // max(1, k * m))
    for _ in range(MAX_SWAPS if max_swaps is None else max_swaps):
        if time.process_time() > deadline:
            break
        mine = demand.rows(cx, cy, current)
        value = float(w @ np.minimum(fixed, mine.min(axis=0)))
        without = _without_each(mine, fixed)  # k × m
        best_cost, best_j, best_a = np.inf, -1, -1
        for start in range(0, n, rows_per):
            stop = min(n, start + rows_per)
            part = demand.rows(cx, cy, np.arange(start, stop))  # r × m
            cost = np.minimum(part[:, None, :], without[None, :, :]) @ w  # r × k
            cost[np.isin(np.arange(start, stop), current)] = np.inf
            flat = int(np.argmin(cost))
            j, a = divmod(flat, k)
            if cost[j, a] < best_cost:
                best_cost, best_j, best_a = float(cost[j, a]), start + j, a
        if not best_cost < value - MARGIN * max(value, 1e-300):
            break
        current[best_a] = best_j
    return sorted(current)


@dataclass(frozen=True)
class MedianRun:
    """The incumbent, the best Lagrangian bound and what it proves."""

    chosen: list[int]  # the incumbent (k candidates), ascending
    value: float  # its total weighted distance
    bound: float  # a lower bound on the optimal total (≤ value)
    proven: bool  # the bound (or the fixing) proves the incumbent optimal
    keep: np.ndarray  # bool per candidate: may belong to an answer better than the incumbent
    steps: int  # subgradient steps taken
    pairs: int  # candidate-demand pairs of the sparse bound
    #: ρ_j at the best μ (inf for the candidates fixed out) and Σ w_i μ_i: an answer S of
    #: kept candidates costs at least ``base + Σ_{j∈S} ρ_j`` (:mod:`.median_enum`)
    rho: np.ndarray | None = None
    base: float = 0.0


class _Pairs:
    """The listed pairs sorted by demand point and distance, so that the pairs with
    ``d_ij < μ_i`` (the only ones in ρ) are found by one ``searchsorted``."""

    def __init__(self, i, j, d, w, m: int) -> None:
        self.scale = float(d.max()) * 2.0 + 1.0 if len(d) else 1.0
        key = i + d / self.scale
        order = np.argsort(key, kind="stable")
        self.i, self.j, self.d, self.key = i[order], j[order], d[order], key[order]
        self.wi = w[self.i]
        self.m = m
        self.start = np.searchsorted(self.i, np.arange(m))

    def keep(self, cols: np.ndarray) -> _Pairs:
        """The pairs of the candidates ``cols`` (bool per candidate) only."""
        sel = cols[self.j]
        out = object.__new__(_Pairs)
        out.i, out.j, out.d, out.wi = self.i[sel], self.j[sel], self.d[sel], self.wi[sel]
        out.m, out.scale = self.m, self.scale
        out.key = self.key[sel]
        out.start = np.searchsorted(out.i, np.arange(self.m))
        return out

    def active(self, mu: np.ndarray) -> np.ndarray:
        """Indices of the pairs with ``d_ij < μ_i`` (up to the last bits of d; those
        contribute ``min(0, d − μ)`` ≈ 0 either way)."""
        end = np.searchsorted(self.key, np.arange(self.m) + mu / self.scale, side="left")
        lengths = np.maximum(end - self.start, 0)
        total = int(lengths.sum())
        if total == 0:
            return np.zeros(0, dtype=np.intp)
        offsets = np.repeat(self.start - (np.cumsum(lengths) - lengths), lengths)
        return offsets + np.arange(total)

    def rho(self, mu: np.ndarray, n: int, act: np.ndarray) -> np.ndarray:
        """ρ_j = Σ_i w_i min(0, d_ij − μ_i) over the active pairs ``act``."""
        i = self.i[act]
        t = self.wi[act] * np.minimum(0.0, self.d[act] - mu[i])
        return np.bincount(self.j[act], weights=t, minlength=n).astype(float)


def _bound(rho: np.ndarray, keep: np.ndarray, k: int, base: float) -> tuple[float, np.ndarray]:
    """L over the kept candidates and its k candidates (the k smallest ρ)."""
    cols = np.flatnonzero(keep)
    r = rho[cols]
    top = cols[np.argpartition(r, k - 1)[:k]] if len(cols) > k else cols
    return base + float(rho[top].sum()), top


def _fixed_out(rho, keep, k, value, goal) -> np.ndarray:
    """The kept candidates after fixing: those whose forced bound stays under ``goal``."""
    cols = np.flatnonzero(keep)
    if len(cols) <= k:
        return keep
    r = rho[cols]
    kth = float(np.partition(r, k - 1)[k - 1])
    out = np.zeros_like(keep)
    out[cols] = value - kth + r < goal
    return out


def median_lagrange(
    cx, cy, demand, k: int, warm, options, max_steps: int | None = None, seconds: float = 60.0
) -> MedianRun:
    """Incumbent, Lagrangian bound, proof and fixing for the p-median (module docstring).

    Parameters
    ----------
    cx, cy : ndarray
        The candidates (EPSG:5186).
    demand : MedianDemand
        The demand points, weights and fixed-site distances (:mod:`.pmedian`).
    k : int
        Sites to choose (fewer than the candidates).
    warm : list of int
        k distinct candidates to start from (the greedy answer).
    options : callable(limit) -> (pairs, distances)
        The candidate-demand pairs closer than a per-demand limit
        (:func:`~.pmedian.options`).
    max_steps : int, optional
        Subgradient steps at most (default :data:`MAX_STEPS`).
    seconds : float
        No new subgradient step after this many CPU seconds (the bound so far stands),
        or :data:`STEP_SHARE` of it after the pairs are listed, whichever is later (CPU
        time: a loaded machine slows the steps but does not change the answer).

    Returns
    -------
    MedianRun
    """
    now = time.process_time()
    deadline = now + float(seconds)
    n = len(cx)
    w, fixed = demand.weights, demand.fixed_distance
    incumbent = swap_search(cx, cy, demand, warm, deadline=now + SWAP_SHARE * float(seconds))
    near = np.minimum(fixed, demand.rows(cx, cy, incumbent).min(axis=0))
    value = float(w @ near)
    mean = value / max(float(w.sum()), 1e-300)
    cap = np.minimum(fixed, CAP_FACTOR * near + CAP_ADD * mean)
    if demand.walk is None or demand.has_matrix:  # a sample costs a pass over the walks
        cap = _capped(cap, options)
    found_pairs, d = options(cap)
    n_pairs = int(found_pairs.shape[1])
    lo = np.full(len(w), np.inf)
    np.minimum.at(lo, found_pairs[0], d)
    lo = np.minimum(lo, cap)
    pairs = _Pairs(found_pairs[0], found_pairs[1], d, w, len(w))
    del found_pairs, d
    deadline = max(deadline, time.process_time() + STEP_SHARE * float(seconds))
    mu = np.clip(near, lo, cap)
    keep = np.ones(n, dtype=bool)
    listed = n
    goal = value - MARGIN * value
    best, best_mu = -np.inf, mu
    theta, stall, step = THETA, 0, 0
    seen: set[tuple[int, ...]] = set()
    limit = MAX_STEPS if max_steps is None else max_steps
    steps = int(min(limit, max(MIN_STEPS, MAX_WORK // max(n_pairs, 1))))
    while step < steps and (step < MIN_STEPS or time.process_time() < deadline):
        step += 1
        act = pairs.active(mu)
        rho = pairs.rho(mu, n, act)
        rho[~keep] = np.inf
        bound, top = _bound(rho, keep, k, float(w @ mu))
        if bound > best:
            best, best_mu, stall = bound, mu, 0
        else:
            stall += 1
            if stall >= PATIENCE:
                theta, stall = theta / 2.0, 0
        if best >= goal or theta < 1e-4:
            break
        key = tuple(sorted(int(t) for t in top))
        if len(seen) < SEARCHES and key not in seen:  # the Lagrangian heuristic
            seen.add(key)
            if total(demand, cx, cy, key) < value:
                found = swap_search(cx, cy, demand, key, deadline=deadline)
                found_value = total(demand, cx, cy, found)
                if found_value < value:
                    incumbent, value = found, found_value
                    goal = value - MARGIN * value
                    if best >= goal:
                        break
        if step % FIX_EVERY == 0:  # drop the candidates the best μ excludes
            keep = _fix(pairs, w, best_mu, n, k, keep, goal)
            keep[incumbent] = True
            if keep.sum() <= k:
                break
            if keep.sum() < SHRINK * listed:  # fewer pairs to go through
                pairs, listed = pairs.keep(keep), int(keep.sum())
                act = pairs.active(mu)
        is_top = np.zeros(n, dtype=bool)
        is_top[top] = True
        opened = act[is_top[pairs.j[act]]]
        g = w * (1.0 - np.bincount(pairs.i[opened], minlength=len(w)))
        g[((mu >= cap) & (g > 0)) | ((mu <= lo) & (g < 0))] = 0.0
        norm = float(g @ g)
        if norm == 0.0:
            break
        mu = np.clip(mu + theta * max(value - bound, 1e-12 * value) / norm * g, lo, cap)
    keep = _fix(pairs, w, best_mu, n, k, keep, goal)
    keep[incumbent] = True
    proven = best >= goal or int(keep.sum()) <= k
    rho = pairs.rho(best_mu, n, pairs.active(best_mu))
    rho[~keep] = np.inf
    return MedianRun(
        sorted(int(t) for t in incumbent),
        value,
        min(max(best, 0.0), value),
        bool(proven),
        keep,
        step,
        n_pairs,
        rho,
        float(w @ best_mu),
    )


def _capped(cap: np.ndarray, options) -> np.ndarray:
    """``cap`` shrunk (by one factor) when its pairs, estimated from a sample of
    :data:`SAMPLE` demand points, would pass :data:`MAX_PAIRS`: more steps on fewer pairs
    give a better bound within the time limit than a few on many (any cap is valid)."""
    m = len(cap)
    if m <= SAMPLE:
        return cap
    pick = np.zeros(m, dtype=bool)
    pick[np.linspace(0, m - 1, SAMPLE).astype(np.intp)] = True
    sample, _ = options(np.where(pick, cap, 0.0))
    estimate = sample.shape[1] * m / SAMPLE
    if estimate <= MAX_PAIRS:
        return cap
    return cap * np.sqrt(MAX_PAIRS / estimate)  # pairs grow with the cap's square


def _fix(pairs: _Pairs, w, mu, n, k, keep, goal) -> np.ndarray:
    """The kept candidates after fixing with the multipliers ``mu``."""
    rho = pairs.rho(mu, n, pairs.active(mu))
    rho[~keep] = np.inf
    bound, _ = _bound(rho, keep, k, float(w @ mu))
    return _fixed_out(rho, keep, k, bound, goal)
