"""Optimality of a maximal cover proven in-process, before (and often instead of) CBC.

On the reduced MCLP (:func:`~.reduction.reduce_cover`: rows i of weight w_i, columns j,
N_i the columns covering row i), :func:`mclp_lagrange` does what the covering-location
literature does (Galvão & ReVelle 1996; Daskin, *Network and Discrete Location*, 4.4):

1. **An incumbent**: the greedy answer improved by a swap (Teitz–Bart interchange)
   search (:func:`swap_search`): for every chosen column at once, the best column to
   put in its place, from one sparse product; the best improving swap is made until
   none improves.
2. **An upper bound**: the coverage constraints ``y_i ≤ Σ_{j∈N_i} x_j`` relaxed with
   multipliers ``λ_i ≥ 0``::

       L(λ) = Σ_i max(0, w_i − λ_i) + (sum of the k largest c_j),  c_j = Σ_{i∈N_j} λ_i

   is an upper bound on the optimum for *every* λ ≥ 0 (the relaxed problem separates
   into y and a cardinality-constrained x). λ is improved by subgradient steps (one
   sparse product each); every step's k columns are also a solution, and one better than
   the incumbent is improved by the swap search (a Lagrangian heuristic).
3. **The proof**: with integer weights every value is an integer, so
   ``L(λ) < incumbent + 1`` proves the incumbent optimal; with other weights
   ``L(λ) < incumbent + MARGIN·Σw`` is required, a solver's tolerance (both keep a margin
   of :data:`MARGIN` of the total weight, far above the rounding of the sums).
4. **Fixing** when a gap remains: forcing column j into the relaxed problem bounds every
   solution holding j by ``L_j = L − c_(k) + c_j`` (c_(k) the k-th largest c); a column
   with ``L_j`` under the same threshold cannot be in a better solution, so CBC is run
   on the other columns only (:attr:`LagrangeRun.keep`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from app.core.analysis.suggest.reduction import ReducedCover

#: Tolerance of the proof and the fixing, relative to the total weight (the sums' rounding
#: is about 1e-13 of it).
MARGIN = 1e-9
#: The LP relaxation's time limit (HiGHS) when no other is given; the exact path passes
#: half of the user's time limit.
LP_SECONDS = 30.0
#: Subgradient steps at most (each one sparse product over the reduced model).
MAX_STEPS = 400
#: At most this many nonzeros × steps: large models get fewer steps (CBC takes over).
MAX_WORK = 2.5e8
#: Steps without a better bound before the step size is halved.
PATIENCE = 30
#: Swap searches at most from the steps' solutions (each a few sparse products).
SEARCHES = 8
#: The first step size factor (Polyak's θ).
THETA = 2.0


@dataclass(frozen=True)
class LagrangeRun:
    """The incumbent, the best Lagrangian bound and what it proves (reduced columns)."""

    chosen: list[int]  # the incumbent's columns (k of them), ascending
    value: float  # the weight the incumbent covers
    bound: float  # L(λ) at the best λ: an upper bound on the optimum
    proven: bool  # the bound proves the incumbent optimal
    keep: np.ndarray  # bool per column: may belong to a solution better than the incumbent
    steps: int  # subgradient steps taken
    cover: CoverMatrix  # the model's matrix (values of other solutions)


class CoverMatrix:
    """The reduced model as a sparse column × row incidence matrix with the row weights."""

    def __init__(self, reduced: ReducedCover) -> None:
        self.weights = np.asarray(reduced.weights, dtype=float)
        self.n_rows = len(self.weights)
        self.n_cols = len(reduced.candidates)
        lengths = np.array([len(group) for group in reduced.sets], dtype=np.intp)
        rows = np.repeat(np.arange(self.n_rows), lengths)
        cols = np.concatenate(reduced.sets).astype(np.intp) if len(lengths) else rows
        self.matrix = sparse.csr_array(
            (np.ones(len(rows)), (cols, rows)), shape=(self.n_cols, self.n_rows)
        )
        self.matrix.sort_indices()

    def rows_of(self, chosen) -> np.ndarray:
        """The rows the columns ``chosen`` cover, concatenated (a row once per column)."""
        ptr, idx = self.matrix.indptr, self.matrix.indices
        parts = [idx[ptr[j] : ptr[j + 1]] for j in chosen]  # k slices (k sites, small)
        return np.concatenate(parts) if parts else np.zeros(0, np.intp)

    def counts(self, chosen) -> np.ndarray:
        """How many of the columns ``chosen`` cover each row."""
        return np.bincount(self.rows_of(chosen), minlength=self.n_rows)

    def value(self, chosen) -> float:
        """The weight the columns ``chosen`` cover."""
        return float(self.weights[self.counts(chosen) > 0].sum())


def swap_search(cm: CoverMatrix, chosen, max_swaps: int = 1000) -> list[int]:
    """Best-improvement interchange from ``chosen`` (k distinct columns): each round finds,
    for every chosen column, the best column to replace it (one product of the matrix
    with the k vectors of what would be uncovered) and makes the best swap that covers
    more; stops when no swap covers more."""
    current = [int(j) for j in chosen]
    k = len(current)
    if k == 0 or k >= cm.n_cols:
        return sorted(current)
    w = cm.weights
    for _ in range(max_swaps):
        count = cm.counts(current)
        # per chosen column a: the rows only a covers (lost when a leaves)
        alone = np.zeros((cm.n_rows, k), dtype=bool)
        for a, j in enumerate(current):  # k columns (k sites)
            rows = cm.matrix.indices[cm.matrix.indptr[j] : cm.matrix.indptr[j + 1]]
            alone[rows[count[rows] == 1], a] = True
        lose = w @ alone
        # what a new column would gain with a gone: uncovered rows and the rows a alone covers
        open_weight = np.where((count == 0)[:, None] | alone, w[:, None], 0.0)
        gain = cm.matrix @ open_weight  # columns × k
        gain[current, :] = -np.inf
        best = np.argmax(gain, axis=0)
        delta = gain[best, np.arange(k)] - lose
        a = int(np.argmax(delta))
        if not delta[a] > MARGIN * max(1.0, float(w.sum())):
            break
        current[a] = int(best[a])
    return sorted(current)


def _fix(
    cm: CoverMatrix,
    k: int,
    lam: np.ndarray,
    keep: np.ndarray,
    goal: float,
    margin: float,
    bound: float,
) -> tuple[float, np.ndarray]:
    """L(λ) over the ``keep`` columns (a bound on every solution better than the
    incumbent, all of which hold only kept columns) and the columns still kept: those
    whose forced bound ``L − c_(k) + c_j`` reaches ``goal``. Returns the smaller bound."""
    cols = np.flatnonzero(keep)
    if len(cols) < k:
        return bound, keep
    c = cm.matrix[cols] @ lam
    kth = float(np.partition(c, len(cols) - k)[len(cols) - k])
    value = float(np.maximum(cm.weights - lam, 0.0).sum() + np.sort(c)[len(cols) - k :].sum())
    out = np.zeros_like(keep)
    out[cols] = value - kth + c + margin >= goal
    return min(bound, value), out


def _lp_multipliers(
    cm: CoverMatrix, k: int, keep: np.ndarray, seconds: float = LP_SECONDS
) -> np.ndarray:
    """The coverage constraints' multipliers of the LP relaxation over the kept columns
    (HiGHS through scipy), clipped to [0, w]: near the best λ, which the subgradient
    steps approach only slowly on large models. Any λ gives a valid bound (:func:`_fix`
    evaluates it), so the LP's tolerances do not weaken the proof."""
    from scipy.optimize import linprog

    cols = np.flatnonzero(keep)
    b = cm.matrix[cols].T.tocsr()  # rows × kept columns
    m, n = b.shape
    w = cm.weights
    a_ub = sparse.hstack([-b, sparse.eye_array(m, format="csr")], format="csr")
    a_eq = np.r_[np.ones(n), np.zeros(m)][None, :]
    result = linprog(
        np.r_[np.zeros(n), -w],
        A_ub=a_ub,
        b_ub=np.zeros(m),
        A_eq=a_eq,
        b_eq=[float(k)],
        bounds=(0.0, 1.0),
        method="highs",
        options={"time_limit": max(float(seconds), 0.01)},
    )
    if result.status != 0 or result.ineqlin is None:
        return np.zeros(m)
    return np.clip(-np.asarray(result.ineqlin.marginals, dtype=float), 0.0, w)


def _threshold(cm: CoverMatrix, incumbent: float) -> tuple[float, float]:
    """The value a bound plus the margin must stay under to prove ``incumbent`` (the next
    integer when the weights are integers; else the incumbent within twice the margin,
    a solver's tolerance), and the margin that absorbs the sums' rounding."""
    w = cm.weights
    margin = MARGIN * max(1.0, float(w.sum()))
    integer = bool(np.all(w == np.floor(w)))
    return (incumbent + 1.0 if integer else incumbent + 2.0 * margin), margin


def mclp_lagrange(
    reduced: ReducedCover,
    k: int,
    warm: list[int],
    max_steps: int | None = None,
    lp: bool = True,
    lp_seconds: float = LP_SECONDS,
) -> LagrangeRun:
    """Incumbent, Lagrangian bound, proof and fixing for the reduced MCLP (module docstring).

    Parameters
    ----------
    reduced : ReducedCover
        The reduced model, with at least ``k`` columns and one row.
    k : int
        The number of columns to choose.
    warm : list of int
        k distinct reduced columns to start from (the greedy answer, filled up to k).
    max_steps : int, optional
        Subgradient steps at most (default :data:`MAX_STEPS`; fewer on large models,
        :data:`MAX_WORK`).
    lp : bool
        When the steps leave a gap, take the multipliers of the LP relaxation over the
        columns not yet fixed (HiGHS) for a last bound and fixing.
    lp_seconds : float
        The LP's time limit (stopped, it gives no bound).

    Returns
    -------
    LagrangeRun
    """
    cm = CoverMatrix(reduced)
    w = cm.weights
    incumbent = swap_search(cm, warm)
    best_value = cm.value(incumbent)
    goal, margin = _threshold(cm, best_value)
    nnz = max(cm.matrix.nnz, 1)
    limit = MAX_STEPS if max_steps is None else max_steps
    steps = int(min(limit, max(20, MAX_WORK // nnz)))
    lam = np.zeros(cm.n_rows)
    best_bound, best_lam = float(w.sum()), lam
    theta, stall, step = THETA, 0, 0
    seen: set[tuple[int, ...]] = set()
    while step < steps and best_bound + margin >= goal:
        step += 1
        c = cm.matrix @ lam
        top = np.argpartition(-c, k - 1)[:k]
        bound = float(np.maximum(w - lam, 0.0).sum() + c[top].sum())
        improved = bound < best_bound
        if improved:
            best_bound, best_lam, stall = bound, lam, 0
        else:
            stall += 1
            if stall >= PATIENCE:
                theta, stall = theta / 2.0, 0
        count = cm.counts(top)
        value = float(w[count > 0].sum())
        key = tuple(sorted(top.tolist()))
        if len(seen) < SEARCHES and key not in seen and (improved or value > best_value - margin):
            seen.add(key)  # the Lagrangian heuristic
            found = swap_search(cm, top)
            found_value = cm.value(found)
            if found_value > best_value + margin:
                incumbent, best_value = found, found_value
                goal, margin = _threshold(cm, best_value)
        if best_bound + margin < goal or theta < 1e-4:
            break
        g = count - (w > lam)  # a subgradient of L at λ
        norm = float(g @ g)
        if norm == 0.0:  # λ optimal for the relaxation: the bound cannot improve
            break
        lam = np.clip(lam - theta * (bound - best_value) / norm * g, 0.0, w)
    keep = np.ones(cm.n_cols, dtype=bool)
    best_bound, keep = _fix(cm, k, best_lam, keep, goal, margin, best_bound)
    if best_bound + margin >= goal and lp and keep.sum() > k:
        lam = _lp_multipliers(cm, k, keep, lp_seconds)
        best_bound, keep = _fix(cm, k, lam, keep, goal, margin, best_bound)
    proven = best_bound + margin < goal
    keep[incumbent] = True
    # after fixing, L bounds the solutions better than the incumbent only
    best_bound = max(best_bound, best_value)
    return LagrangeRun(
        sorted(int(j) for j in incumbent), best_value, best_bound, proven, keep, step, cm
    )


# --- the set covering problem -----------------------------------------------------------
#: Subgradient steps at most for the set covering problem: they converge slowly there
#: (the LP relaxation's multipliers then give the bound); they improve the incumbent.
SET_COVER_STEPS = 50
#: Covered weight within this of the target counts as reaching it (as the greedy's).
TARGET_TOLERANCE = 1e-9


@dataclass(frozen=True)
class SetCoverRun:
    """The fewest columns found, the best Lagrangian lower bound and the proof."""

    chosen: list[int]  # the incumbent's columns, ascending
    bound: float  # L(λ) at the best λ: a lower bound on the fewest columns
    proven: bool  # ceil(bound) reaches the incumbent's count
    steps: int


def _complete(cm: CoverMatrix, start, target: float) -> list[int]:
    """``start`` completed greedily (largest gain) until it covers ``target``, then
    stripped of columns it can do without (smallest loss first)."""
    w = cm.weights
    tol = TARGET_TOLERANCE
    chosen = [int(j) for j in start]
    count = cm.counts(chosen)
    while float(w[count > 0].sum()) < target - tol and len(chosen) < cm.n_cols:
        gain = cm.matrix @ np.where(count == 0, w, 0.0)
        gain[chosen] = -1.0
        best = int(np.argmax(gain))
        if gain[best] <= 0:
            break
        chosen.append(best)
        count = cm.counts(chosen)
    for j in sorted(chosen, key=lambda j: float(w[cm.rows_of([j])].sum())):  # sites: few
        rows = cm.rows_of([j])
        loss = float(w[rows[count[rows] == 1]].sum())
        if float(w[count > 0].sum()) - loss >= target - tol:
            chosen.remove(j)
            count = cm.counts(chosen)
    return sorted(chosen)


def _knapsack(lam: np.ndarray, w: np.ndarray, target: float) -> tuple[float, np.ndarray]:
    """min λ·y s.t. w·y ≥ target, 0 ≤ y ≤ 1 (w > 0): the rows by λ_i / w_i ascending,
    the last one fractional. Returns the minimum and y."""
    order = np.argsort(lam / w, kind="stable")
    before = np.cumsum(w[order]) - w[order]  # weight taken before each row
    share = np.clip((target - before) / w[order], 0.0, 1.0)
    y = np.zeros(len(w))
    y[order] = share
    return float(lam @ y), y


def lscp_lagrange(
    reduced: ReducedCover,
    target: float,
    warm: list[int],
    max_steps: int | None = None,
    lp: bool = True,
    lp_seconds: float = LP_SECONDS,
) -> SetCoverRun:
    """Incumbent and Lagrangian lower bound of the reduced set covering problem::

        min Σ_j x_j  s.t.  y_i ≤ Σ_{j∈N_i} x_j,  Σ_i w_i y_i ≥ target,  x ∈ {0,1}, y ∈ [0,1]

    (all coverable demand: target = Σ w, y = 1). Relaxing the coverage constraints with
    λ ≥ 0 gives, for every λ, the lower bound
    ``L(λ) = Σ_j min(0, 1 − c_j) + min{λ·y : w·y ≥ target}`` (c_j = Σ_{i∈N_j} λ_i; the
    second term a fractional knapsack), raised by subgradient steps; each step's columns
    completed greedily are a solution (Lagrangian heuristic). The count of columns is an
    integer, so ``L(λ) > incumbent − 1`` proves the incumbent optimal.

    Parameters
    ----------
    reduced : ReducedCover
        The reduced model (at least one row).
    target : float
        The weight to cover (at most the rows' total).
    warm : list of int
        Reduced columns of a solution to start from (the greedy answer).
    max_steps : int, optional
        Subgradient steps at most (default :data:`SET_COVER_STEPS`, fewer on large
        models).
    lp : bool
        When the steps leave a gap, take the LP relaxation's multipliers (HiGHS) for a
        last bound, and its columns for a last incumbent.
    lp_seconds : float
        The LP's time limit (stopped, it gives no bound).

    Returns
    -------
    SetCoverRun
    """
    cm = CoverMatrix(reduced)
    w = cm.weights
    incumbent = _complete(cm, warm, target)
    margin = 1e-6
    nnz = max(cm.matrix.nnz, 1)
    limit = SET_COVER_STEPS if max_steps is None else max_steps
    steps = int(min(limit, max(20, MAX_WORK // nnz)))
    # a start covering each row's cheapest share: Σ_{i∈N_j} λ_i ≤ 1 for every column j
    degree = np.diff(cm.matrix.indptr).astype(float)
    by_row = cm.matrix.T.tocsr()
    lam = np.full(cm.n_rows, np.inf)
    row_of = np.repeat(np.arange(cm.n_rows), np.diff(by_row.indptr))
    np.minimum.at(lam, row_of, 1.0 / np.maximum(degree[by_row.indices], 1.0))
    lam[~np.isfinite(lam)] = 0.0
    best_bound, theta, stall, step, searches = 0.0, THETA, 0, 0, 0
    while step < steps and not best_bound - margin > len(incumbent) - 1:
        step += 1
        c = cm.matrix @ lam
        x = np.flatnonzero(c > 1.0)
        knap, y = _knapsack(lam, w, target)
        bound = float(np.minimum(0.0, 1.0 - c).sum() + knap)
        if bound > best_bound:
            best_bound, stall = bound, 0
            if searches < SEARCHES:  # the Lagrangian heuristic
                searches += 1
                found = _complete(cm, x, target)
                if len(found) < len(incumbent):
                    incumbent = found
        else:
            stall += 1
            if stall >= PATIENCE:
                theta, stall = theta / 2.0, 0
        if best_bound - margin > len(incumbent) - 1 or theta < 1e-4:
            break
        g = y - cm.counts(x)  # a subgradient of L at λ (ascent)
        norm = float(g @ g)
        if norm == 0.0:
            break
        gap = max(len(incumbent) - bound, 0.1)
        lam = np.maximum(lam + theta * gap / norm * g, 0.0)
    if not best_bound - margin > len(incumbent) - 1 and lp:
        lam, lp_x = _lp_set_cover(cm, target, lp_seconds)
        if lp_x is not None:  # the LP's columns, completed: often the optimum itself
            found = _complete(cm, np.flatnonzero(lp_x > 0.5), target)
            if len(found) < len(incumbent):
                incumbent = found
        best_bound = max(best_bound, _set_cover_bound(cm, lam, target))
    proven = best_bound - margin > len(incumbent) - 1
    return SetCoverRun(sorted(incumbent), best_bound, proven, step)


def _set_cover_bound(cm: CoverMatrix, lam: np.ndarray, target: float) -> float:
    """L(λ) of the set covering problem (:func:`lscp_lagrange`), a lower bound."""
    c = cm.matrix @ lam
    return float(np.minimum(0.0, 1.0 - c).sum() + _knapsack(lam, cm.weights, target)[0])


def _lp_set_cover(
    cm: CoverMatrix, target: float, seconds: float = LP_SECONDS
) -> tuple[np.ndarray, np.ndarray | None]:
    """The LP relaxation of the set covering problem (HiGHS through scipy): its coverage
    multipliers (≥ 0; any give a valid bound, :func:`_set_cover_bound`) and its x."""
    from scipy.optimize import linprog

    b = cm.matrix.T.tocsr()  # rows × columns
    m, n = b.shape
    w = cm.weights
    a_ub = sparse.vstack(
        [
            sparse.hstack([-b, sparse.eye_array(m, format="csr")], format="csr"),
            sparse.csr_array(np.r_[np.zeros(n), -w][None, :]),
        ],
        format="csr",
    )
    result = linprog(
        np.r_[np.ones(n), np.zeros(m)],
        A_ub=a_ub,
        b_ub=np.r_[np.zeros(m), -float(target)],
        bounds=(0.0, 1.0),
        method="highs",
        options={"time_limit": max(float(seconds), 0.01)},
    )
    if result.status != 0 or result.ineqlin is None:
        return np.zeros(m), None
    lam = np.maximum(-np.asarray(result.ineqlin.marginals[:m], dtype=float), 0.0)
    return lam, np.asarray(result.x[:n])
