"""The p-median problem: k sites minimising the mean distance from demand to its nearest.

Distances are straight-line metres in EPSG:5186 from each demand point to each candidate,
or, with a walking network (``walk``: :meth:`app.core.network.coverage.WalkingPairs.distances`),
walking metres along the streets from multi-source ``dijkstra`` searches; a demand point's
distance to the answer is that to its nearest chosen **or fixed** site (a fixed polygon is
at distance 0 from the demand inside it). With walking distances, demand points that no
candidate reaches (off network, or on a part of the network no candidate is on) are left
out (:attr:`MedianDemand.unreached`), and a candidate that does not reach a demand point is
:data:`UNREACHED_M` from it (finite, so the greedy and the model still compare answers).

**Proven in-process first.** With ``exact``, the greedy answer is improved by a swap
search and bounded by a Lagrangian relaxation (:mod:`.median_bound`); when the bound
reaches the answer it is optimal (``solver = "lagrangian"``), else the answers the bound
leaves are enumerated when they are few (:mod:`.median_enum`, also exact). Only when
neither proves it does CBC run, on the candidates the bound could not rule out:

**Exactness with a sparse distance matrix.** The exact model needs a candidate × demand
distance for every pair a demand point might be assigned to. Instead of the dense matrix,
each demand point i gets a cut-off ``c_i`` (first the distance to its nearest site in the
improved answer) and only the candidates strictly closer than ``e_i = min(c_i, f_i)`` (``f_i``
its distance to the nearest fixed site); a *fallback* assignment costs ``e_i``. Every
candidate left out is at least ``e_i`` away, so this model's cost of any set of sites is a
lower bound on its true cost, and its optimum a lower bound on the true optimum. When the
true cost of the model's optimum equals its model cost, it is the true optimum; otherwise
the cut-off of each demand point whose nearest chosen site lies beyond ``e_i`` grows to at
least twice its value and the distance to that site, and the model is solved again
(warm-started). The cut-offs only grow and a cut-off past a point's farthest candidate
leaves nothing out, so the loop ends, exact; in practice after one or two rounds with a
small part of the dense matrix (:data:`Solution.extra` says how many pairs and rounds).

Model (demand points at the same place merged)::

    min Σ_i w_i (Σ_{j ∈ O(i)} d_ij z_ij + e_i u_i)
    s.t. Σ_{j ∈ O(i)} z_ij + u_i = 1,  z_ij ≤ x_j,  Σ_j x_j = k,  x ∈ {0,1}, z, u ≥ 0

:func:`greedy_median` adds k times the candidate lowering the total distance most,
evaluated over the dense matrix in chunks (never held whole). The relations are
``bound ≤ optimum ≤ greedy`` (total or mean distance).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import shapely

from app.core.analysis.suggest.cbc import run_cbc
from app.core.analysis.suggest.median_bound import MARGIN, median_lagrange
from app.core.analysis.suggest.median_enum import enumerate_rest
from app.core.analysis.suggest.solvers import (
    NO_CBC,
    NOT_REQUESTED,
    Solution,
    cbc_available,
    exact_status,
)
from app.core.progress import Progress

#: Rows of the dense matrix evaluated at once by the greedy (entries per chunk).
CHUNK_ENTRIES = 2_000_000
#: The first cut-off of a demand point: this times its distance to the greedy answer.
START = 1.5
#: A cut-off that was too short grows to this times the distance to the round's answer.
GROWTH = 1.5
#: CBC's root LP cannot be stopped at the time limit: a round whose model has more
#: candidate-demand pairs than this times the seconds left is not started.
PAIRS_PER_SECOND = 3000
#: The share of the time limit after which the in-process bound takes no new step
#: (:mod:`.median_bound`; its steps are bounded by work first: a safety net under load).
BOUND_SHARE = 0.6
#: The share of the time limit by which the enumeration of the answers the bound leaves
#: (:mod:`.median_enum`) must be done (else CBC runs in the time left).
ENUM_SHARE = 0.7
#: Relative tolerance when comparing the model's cost with the true cost.
TOLERANCE = 1e-9
#: Walking distance (m) of a demand point a candidate does not reach (another part of
#: the network): longer than any walk in a district, finite for the models.
UNREACHED_M = 100_000.0
#: Walking distances from every candidate are kept when the matrix has at most this many
#: cells (else computed again per chunk of candidates).
KEEP_WALK_CELLS = 10_000_000

WalkDistances = Callable[[np.ndarray, np.ndarray], np.ndarray]


@dataclass(frozen=True)
class MedianDemand:
    """Demand points (merged where they coincide), their weights and fixed-site distance."""

    x: np.ndarray
    y: np.ndarray
    weights: np.ndarray
    fixed_distance: np.ndarray  # to the nearest fixed site, inf without one
    #: walking distances (sources, demand points) -> matrix; None: straight lines
    walk: WalkDistances | None = None
    #: with walking: the demand weight no candidate reaches (left out)
    unreached: float = 0.0
    _kept: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def build(
        cls,
        points: np.ndarray,
        weights: np.ndarray,
        fixed_geoms: np.ndarray,
        walk: WalkDistances | None = None,
        cx: np.ndarray | None = None,
        cy: np.ndarray | None = None,
    ) -> MedianDemand:
        """From demand point geometries, their weights and the fixed sites (EPSG:5186);
        with ``walk`` (and the candidates ``cx``, ``cy``), by walking distance."""
        xy = shapely.get_coordinates(points) if len(points) else np.empty((0, 2))
        keep = weights > 0
        xy, w = xy[keep], weights[keep]
        unique, inverse = np.unique(xy, axis=0, return_inverse=True)
        merged = np.bincount(inverse.ravel(), weights=w, minlength=len(unique))
        fixed = np.full(len(unique), np.inf)
        if walk is not None and cx is not None and cy is not None:
            return cls._walking(unique, merged, fixed_geoms, walk, cx, cy)
        if len(fixed_geoms) and len(unique):
            where, dist = shapely.STRtree(fixed_geoms).query_nearest(
                shapely.points(unique), return_distance=True
            )
            np.minimum.at(fixed, where[0], dist)
        return cls(unique[:, 0], unique[:, 1], merged, fixed)

    @classmethod
    def _walking(cls, unique, merged, fixed_geoms, walk, cx, cy) -> MedianDemand:
        """Walking demand: the points some candidate reaches, the walk to the fixed sites."""
        geoms = shapely.points(unique) if len(unique) else np.empty(0, dtype=object)
        reached = np.zeros(len(unique), bool)
        full = None
        if len(cx) * len(unique) <= KEEP_WALK_CELLS:  # one pass, kept for the solve
            full = walk(shapely.points(cx, cy), geoms)
            reached = np.isfinite(full).any(axis=0)
        else:
            rows = max(1, CHUNK_ENTRIES // max(1, len(unique)))
            for start in range(0, len(cx), rows):
                stop = start + rows
                part = walk(shapely.points(cx[start:stop], cy[start:stop]), geoms)
                reached |= np.isfinite(part).any(axis=0)
        fixed = np.full(len(unique), np.inf)
        if len(fixed_geoms) and len(unique):
            fixed = walk(np.asarray(fixed_geoms, dtype=object), geoms).min(axis=0)
        kept = cls(
            unique[reached, 0],
            unique[reached, 1],
            merged[reached],
            fixed[reached],
            walk,
            float(merged[~reached].sum()),
        )
        if full is not None:
            full = full[:, reached]
            kept._kept["matrix"] = np.where(np.isfinite(full), full, UNREACHED_M)
        return kept

    @property
    def has_matrix(self) -> bool:
        """True when every distance row is at hand (straight lines, or the walking
        matrix kept whole): a pass over all candidates is cheap."""
        return self.walk is None or "matrix" in self._kept

    @property
    def total(self) -> float:
        return float(self.weights.sum())

    def rows(self, cx: np.ndarray, cy: np.ndarray, idx) -> np.ndarray:
        """``(len(idx), n)`` distances from the candidates ``idx`` to the demand points
        (straight line, or walking with :data:`UNREACHED_M` where a walk does not reach)."""
        idx = np.atleast_1d(np.asarray(idx, dtype=np.intp))
        if self.walk is None:
            return np.hypot(cx[idx, None] - self.x[None, :], cy[idx, None] - self.y[None, :])
        whole = self._kept.get("matrix")
        if whole is None and len(cx) * len(self.x) <= KEEP_WALK_CELLS:
            whole = self._walk_rows(cx, cy, np.arange(len(cx)))
            self._kept["matrix"] = whole
        return whole[idx] if whole is not None else self._walk_rows(cx, cy, idx)

    def _walk_rows(self, cx, cy, idx) -> np.ndarray:
        assert self.walk is not None
        d = self.walk(shapely.points(cx[idx], cy[idx]), shapely.points(self.x, self.y))
        return np.where(np.isfinite(d), d, UNREACHED_M)


def nearest_chosen(
    cx: np.ndarray, cy: np.ndarray, demand: MedianDemand, chosen: list[int]
) -> tuple[np.ndarray, np.ndarray]:
    """Per demand point, the distance to its nearest chosen or fixed site and the index
    into ``chosen`` of that site (-1 where a fixed site is nearer or nothing is chosen)."""
    distance = demand.fixed_distance.copy()
    which = np.full(len(distance), -1)
    if chosen and len(distance):
        d = demand.rows(cx, cy, chosen)
        best = np.argmin(d, axis=0)
        dmin = d[best, np.arange(d.shape[1])]
        closer = dmin < distance
        distance[closer], which[closer] = dmin[closer], best[closer]
    return distance, which


def total_distance(cx, cy, demand: MedianDemand, chosen: list[int]) -> float:
    """Σ w_i · distance of demand point i to its nearest chosen or fixed site."""
    if demand.total <= 0:
        return 0.0
    return float((demand.weights * nearest_chosen(cx, cy, demand, chosen)[0]).sum())


def greedy_median(cx: np.ndarray, cy: np.ndarray, demand: MedianDemand, k: int) -> list[int]:
    """Greedy p-median: k times the candidate lowering the weighted distance most (lowest
    index on ties), evaluated over the dense matrix in chunks of rows."""
    current = demand.fixed_distance.copy()
    taken = np.zeros(len(cx), bool)
    chosen: list[int] = []
    rows = max(1, CHUNK_ENTRIES // max(1, len(current)))
    for _ in range(k):
        best_cost, best_j = np.inf, -1
        for start in range(0, len(cx), rows):
            stop = min(start + rows, len(cx))
            d = demand.rows(cx, cy, np.arange(start, stop))
            cost = (np.minimum(d, current[None, :]) * demand.weights[None, :]).sum(axis=1)
            cost[taken[start:stop]] = np.inf
            j = int(np.argmin(cost)) if len(cost) else 0
            if cost[j] < best_cost:
                best_cost, best_j = float(cost[j]), start + j
        if best_j < 0:
            break
        chosen.append(best_j)
        taken[best_j] = True
        dist = demand.rows(cx, cy, [best_j])[0]
        current = np.minimum(current, dist)
    return chosen


def trivial_bound(cx: np.ndarray, cy: np.ndarray, demand: MedianDemand) -> float:
    """Σ w_i · distance to its nearest candidate or fixed site: a lower bound for any k."""
    if demand.total <= 0 or len(cx) == 0:
        return 0.0
    if demand.walk is not None:
        nearest = np.full(len(demand.x), np.inf)
        rows = max(1, CHUNK_ENTRIES // max(1, len(demand.x)))
        for start in range(0, len(cx), rows):
            part = demand.rows(cx, cy, np.arange(start, min(len(cx), start + rows)))
            nearest = np.minimum(nearest, part.min(axis=0))
        return float((demand.weights * np.minimum(nearest, demand.fixed_distance)).sum())
    where, dist = shapely.STRtree(shapely.points(cx, cy)).query_nearest(
        shapely.points(demand.x, demand.y), return_distance=True
    )
    nearest = np.full(len(demand.x), np.inf)
    np.minimum.at(nearest, where[0], dist)
    return float((demand.weights * np.minimum(nearest, demand.fixed_distance)).sum())


def options(
    cx, cy, demand: MedianDemand, limit: np.ndarray, allowed: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (demand index, candidate index) with distance strictly below ``limit`` (per
    demand point), sorted by demand point, and their distances (one STRtree query); with
    ``allowed`` (bool per candidate), the pairs of those candidates only."""
    if len(cx) == 0 or len(limit) == 0:
        return np.empty((2, 0), dtype=np.intp), np.empty(0)
    pairs, d = _options(cx, cy, demand, limit)
    if allowed is not None:
        sel = allowed[pairs[1]]
        pairs, d = pairs[:, sel], d[sel]
    return pairs, d


def _options(cx, cy, demand: MedianDemand, limit: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if demand.walk is not None:
        return _walk_options(cx, cy, demand, limit)
    finite = np.where(np.isfinite(limit), limit, 0.0)
    pairs = shapely.STRtree(shapely.points(cx, cy)).query(
        shapely.points(demand.x, demand.y), predicate="dwithin", distance=finite
    )
    d = np.hypot(cx[pairs[1]] - demand.x[pairs[0]], cy[pairs[1]] - demand.y[pairs[0]])
    keep = d < limit[pairs[0]]
    pairs, d = pairs[:, keep], d[keep]
    order = np.lexsort((pairs[1], pairs[0]))
    return pairs[:, order], d[order]


def _walk_options(cx, cy, demand: MedianDemand, limit: np.ndarray):
    """:func:`options` by walking distance (over the rows, in chunks of candidates)."""
    found_i, found_j, found_d = [], [], []
    rows = max(1, CHUNK_ENTRIES // max(1, len(demand.x)))
    for start in range(0, len(cx), rows):
        part = demand.rows(cx, cy, np.arange(start, min(len(cx), start + rows)))
        j, i = np.nonzero(part < limit[None, :])
        found_i.append(i)
        found_j.append(j + start)
        found_d.append(part[j, i])
    i, j, d = (np.concatenate(x) for x in (found_i, found_j, found_d))
    order = np.lexsort((j, i))
    return np.stack([i, j])[:, order].astype(np.intp), d[order]


def _solve_model(cx, cy, demand: MedianDemand, limit, k, warm, time_limit, pairs, d, allowed):
    """One round: the cut-off model over the ``allowed`` candidates solved by CBC;
    (chosen or None, proven, model bound, pairs, build s, solve s)."""
    import pulp

    t0 = time.perf_counter()
    n = len(demand.x)
    prob = pulp.LpProblem("pmedian", pulp.LpMinimize)
    x = {int(j): prob.add_variable(f"x{j}", cat=pulp.LpBinary) for j in np.flatnonzero(allowed)}
    z = [prob.add_variable(f"z{p}", lowBound=0) for p in range(pairs.shape[1])]
    u = [prob.add_variable(f"u{i}", lowBound=0) for i in range(n)]
    w = demand.weights
    terms = [(z[p], float(w[i] * d[p])) for p, i in enumerate(pairs[0].tolist())]
    terms += [(u[i], float(w[i] * limit[i])) for i in range(n)]
    prob += pulp.LpAffineExpression(terms), "distance"
    starts = np.searchsorted(pairs[0], np.arange(n + 1))
    for i in range(n):  # one row per demand point: Σ z + u = 1
        row = [(z[p], 1.0) for p in range(starts[i], starts[i + 1])] + [(u[i], 1.0)]
        prob += pulp.LpConstraint(pulp.LpAffineExpression(row), pulp.LpConstraintEQ, f"a{i}", 1.0)
    for p, j in enumerate(pairs[1].tolist()):
        prob += pulp.LpConstraint(
            pulp.LpAffineExpression([(z[p], 1.0), (x[j], -1.0)]), pulp.LpConstraintLE, f"o{p}", 0.0
        )
    prob += pulp.LpConstraint(
        pulp.LpAffineExpression([(v, 1.0) for v in x.values()]), pulp.LpConstraintEQ, "k", float(k)
    )
    # warm start: the sites only (CBC completes the assignment with one LP; a start
    # naming every continuous variable makes CBC's start-up slow)
    warm_set = set(warm)
    for j, var in x.items():
        var.setInitialValue(1 if j in warm_set else 0)
    build = time.perf_counter() - t0
    run = run_cbc(prob, time_limit, "pmedian")
    chosen = sorted(j for j, var in x.items() if (var.value() or 0) > 0.5) if run.feasible else None
    if chosen is not None and len(chosen) != k:
        chosen = None
    return chosen, run.optimal, run.bound, int(pairs.shape[1]), build, run.seconds


def solve_pmedian(
    cx: np.ndarray,
    cy: np.ndarray,
    demand: MedianDemand,
    k: int,
    *,
    exact: bool,
    time_limit: float,
    progress: Progress | None = None,
) -> Solution:
    """The k candidates minimising the total weighted distance, proven optimal when the
    Lagrangian bound, the enumeration it leaves or CBC can (module docstring).

    Parameters
    ----------
    cx, cy : ndarray
        The candidate points (EPSG:5186).
    demand : MedianDemand
        The demand points with their weights and fixed-site distances.
    k : int
        Number of candidates to choose.
    exact : bool
        False keeps the greedy answer without trying CBC.
    time_limit : float
        The exact path's time limit in seconds: the bound's steps stop at 60 % of it at
        the latest, the enumeration at 70 % (both in CPU seconds of this process, so that
        a loaded machine does not change the answer), CBC's cut-off rounds get the rest
        of the wall time.
    progress : callable(fraction, message), optional
        Called at each round.

    Returns
    -------
    Solution
        ``value`` the total weighted distance (Σ w_i d_i) of the answer; ``bound`` a lower
        bound on the optimal total (equal to ``value`` when optimal); ``extra`` the proof,
        the Lagrangian bound, steps and pairs, the candidates left after fixing, the
        answers enumerated, CBC's rounds, the pairs of its last model and the dense
        matrix's size.
    """
    started, started_cpu = time.perf_counter(), time.process_time()
    greedy = greedy_median(cx, cy, demand, k)
    greedy_value = total_distance(cx, cy, demand, greedy)
    chosen, value = greedy, greedy_value
    bound = min(trivial_bound(cx, cy, demand), value)
    optimal, solver = False, "greedy"
    build_s = solve_s = 0.0
    extra: dict = {"rounds": 0, "pairs": 0, "dense_pairs": int(len(cx) * len(demand.x))}
    if demand.total <= 0:
        optimal, message = True, "no demand: every answer is as good"
    elif exact and k >= len(cx):  # every candidate: nothing to choose
        optimal, solver, bound = True, "lagrangian", value
        extra["proof"] = "all candidates"
        message = exact_status(True, time_limit, solver)
    elif exact:
        if progress is not None:
            progress(0.4, "improving and bounding the p-median")
        run = median_lagrange(
            cx,
            cy,
            demand,
            k,
            greedy,
            lambda limit: options(cx, cy, demand, limit),
            seconds=BOUND_SHARE * float(time_limit),
        )
        if run.value < value:
            chosen, value = run.chosen, run.value
        bound = max(bound, min(run.bound, value))
        extra.update(
            lagrangian_bound=run.bound,
            lagrangian_steps=run.steps,
            lagrangian_pairs=run.pairs,
            candidates_after_fixing=int(run.keep.sum()),
        )
        listed = None
        if not run.proven and run.rho is not None:
            spent = time.process_time() - started_cpu  # as the bound's: CPU seconds
            listed = enumerate_rest(
                cx,
                cy,
                demand,
                k,
                run.rho,
                run.base,
                value,
                value - MARGIN * value,
                ENUM_SHARE * float(time_limit) - spent,
            )
        solve_s = time.perf_counter() - started
        if run.proven:
            optimal, solver, bound = True, "lagrangian", value
            extra["proof"] = "lagrangian"
            message = exact_status(True, time_limit, solver)
        elif listed is not None:
            if listed[0] and listed[1] < value:
                chosen, value = listed[0], listed[1]
            optimal, solver, bound = True, "lagrangian", value
            extra.update(proof="lagrangian enumeration", enumerated=listed[2])
            message = (
                "proven optimal (Lagrangian bound; the "
                f"{listed[2]:,} answers it could not rule out compared one by one)"
            )
        elif cbc_available():
            left = float(time_limit) - solve_s
            optimal, chosen, value, bound, message, b, s = _cbc_rounds(
                cx, cy, demand, k, chosen, value, bound, run.keep, left, time_limit, extra, progress
            )
            build_s, solve_s = b, solve_s + s
            solver = "cbc"
            extra["proof"] = "cbc" if optimal else "none"
        else:
            message = NO_CBC
            extra["proof"] = "none"
    else:
        message = NOT_REQUESTED
    return Solution(
        chosen,
        value,
        bool(optimal),
        value if optimal else min(bound, value),
        solver,
        message,
        build_s,
        solve_s,
        greedy_objective=greedy_value,
        greedy=tuple(greedy),
        extra=extra,
    )


def _cbc_rounds(
    cx, cy, demand, k, chosen, value, bound, allowed, left, time_limit, extra, progress
):
    """The cut-off rounds of CBC (module docstring) over the ``allowed`` candidates, from
    the incumbent ``chosen`` (of total ``value``); returns (optimal, chosen, value, bound,
    message, build s, solve s)."""
    message = ""
    optimal = False
    build_s = solve_s = 0.0
    limit = np.minimum(START * nearest_chosen(cx, cy, demand, chosen)[0], demand.fixed_distance)
    deadline = time.perf_counter() + max(float(left), 0.0)
    warm = chosen
    while True:
        left = deadline - time.perf_counter()
        if left <= 0:
            message = f"time limit of {time_limit:g} s reached: best solution found"
            break
        pairs, d = options(cx, cy, demand, limit, allowed)
        if pairs.shape[1] > PAIRS_PER_SECOND * left:
            message = (
                f"the exact model ({pairs.shape[1]:,} pairs) does not fit in the time "
                f"limit of {time_limit:g} s: best solution found (a longer time limit or "
                "a larger spacing allows the exact one)"
            )
            break
        extra["rounds"] += 1
        if progress is not None:
            progress(min(0.85, 0.4 + 0.1 * extra["rounds"]), "solving the p-median (CBC)")
        try:
            found, proven, model_bound, n_pairs, b, s = _solve_model(
                cx, cy, demand, limit, k, warm, left, pairs, d, allowed
            )
        except Exception as err:  # a solver failure must not lose the best answer
            message = f"CBC failed ({type(err).__name__}); best solution found"
            break
        build_s, solve_s, extra["pairs"] = build_s + b, solve_s + s, n_pairs
        if found is None:
            message = f"time limit of {time_limit:g} s reached: best solution found"
            break
        true = nearest_chosen(cx, cy, demand, found)[0]
        found_value = float((demand.weights * true).sum())
        model_value = float((demand.weights * np.minimum(true, limit)).sum())
        if found_value < value:
            chosen, value = found, found_value
        if not proven:
            if model_bound is not None:
                bound = max(bound, min(model_bound, value))
            message = f"time limit of {time_limit:g} s reached: best solution found"
            break
        # the model's optimum bounds every answer over the allowed candidates; the others
        # cannot beat the incumbent (the Lagrangian fixing)
        bound = max(bound, min(model_value, value))
        if found_value <= model_value * (1 + TOLERANCE) + TOLERANCE or model_value >= value * (
            1 - TOLERANCE
        ):
            optimal, bound = True, value
            message = "proven optimal"
            break
        short = true > limit * (1 + TOLERANCE)
        limit = np.where(short, np.minimum(GROWTH * true, demand.fixed_distance), limit)
        warm = chosen
    if not optimal:
        message += ", not proven optimal"
    return optimal, chosen, value, bound, message, build_s, solve_s
