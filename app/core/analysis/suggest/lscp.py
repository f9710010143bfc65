"""The location set covering problem: the fewest sites that cover a share of the demand.

:func:`greedy_set_cover` adds the candidate with the largest gain until the target is
reached; :func:`lscp_lower_bound` bounds the optimum from below without a solver (the
fewest single-candidate covers whose sum reaches the target: coverage is subadditive);
:func:`solve_lscp` solves the integer model exactly with CBC through PuLP, warm-started
from the greedy answer, with the same time limit and bound reporting as the MCLP::

    all coverable demand:  min Σ_j x_j  s.t.  Σ_{j ∈ N(i)} x_j ≥ 1  for every i of weight > 0
    a share s of it:       min Σ_j x_j  s.t.  y_i ≤ Σ_{j ∈ N(i)} x_j,  Σ_i w_i y_i ≥ target,
                                            x ∈ {0,1}, 0 ≤ y ≤ 1

(the model reduced first by :func:`~app.core.analysis.suggest.reduction.reduce_cover`:
identical and dominated candidates left out, demand points with the same candidate set
merged; residual weights: what a fixed site covers is already covered). The relations
are ``bound ≤ optimum ≤ greedy``.
"""

from __future__ import annotations

import math

import numpy as np

from app.core.analysis.suggest.cover_model import solve_cover_model
from app.core.analysis.suggest.coverage import Coverage
from app.core.analysis.suggest.solvers import (
    NO_CBC,
    NOT_REQUESTED,
    Solution,
    cbc_available,
    exact_solver,
    exact_status,
)
from app.core.progress import Progress

#: Covered demand within this of the target counts as reaching it (float sums).
TOLERANCE = 1e-9


def greedy_set_cover(coverage: Coverage, target: float) -> list[int]:
    """Greedy set cover: add the candidate with the largest gain (lowest index on ties)
    until the residual demand covered reaches ``target`` (or nothing more can be gained)."""
    uncovered = np.ones(len(coverage.weights), dtype=float)
    chosen: list[int] = []
    taken = np.zeros(coverage.n_candidates, bool)
    value = 0.0
    while value < target - TOLERANCE:
        gains = coverage.gains(uncovered)
        gains[taken] = -1.0
        best = int(np.argmax(gains)) if len(gains) else 0
        if len(gains) == 0 or gains[best] <= 0:
            break
        chosen.append(best)
        taken[best] = True
        value += float(gains[best])
        start, stop = np.searchsorted(coverage.pairs[0], [best, best + 1])
        uncovered[coverage.pairs[1][start:stop]] = 0.0
    return chosen


def lscp_lower_bound(coverage: Coverage, target: float) -> int:
    """The fewest candidates whose single covers sum to ``target``: a lower bound on the
    optimum, since a set of candidates covers at most the sum of what each covers."""
    if target <= TOLERANCE:
        return 0
    singles = np.sort(coverage.gains(np.ones(len(coverage.weights))))[::-1]
    reached = np.flatnonzero(np.cumsum(singles) >= target - TOLERANCE)
    return int(reached[0]) + 1 if len(reached) else len(singles)


def solve_lscp(
    coverage: Coverage,
    target: float,
    *,
    exact: bool,
    time_limit: float,
    progress: Progress | None = None,
) -> Solution:
    """The fewest candidates covering ``target`` residual demand, exactly when CBC can.

    Parameters
    ----------
    coverage : Coverage
        Which demand each candidate covers, and the demand's residual weights.
    target : float
        Residual demand to cover; at most the coverable demand (the caller caps it).
    exact, time_limit, progress
        As for :func:`~app.core.analysis.suggest.solvers.solve_cover`: False keeps the
        greedy answer; CBC's limit in seconds; ``progress(fraction, message)``.

    Returns
    -------
    Solution
        ``value`` is the residual demand covered; ``bound`` a lower bound on the number of
        sites (equal to it when optimal). CBC's answer is kept when it reaches the target
        with no more sites than the greedy one.
    """
    greedy = greedy_set_cover(coverage, target)
    coverable = float(coverage.weights[np.unique(coverage.pairs[1])].sum())
    everything = target >= coverable - TOLERANCE
    build_s = solve_s = 0.0
    chosen, optimal, cbc_bound, solver = greedy, False, None, "greedy"
    extra: dict = {}
    if not greedy:
        optimal, message = True, "nothing to add: the target is already covered"
    elif exact and cbc_available():
        if progress is not None:
            progress(0.5, "solving the set covering model (CBC)")
        try:
            run = solve_cover_model(
                coverage, greedy, time_limit, target=target, everything=everything
            )
            found, optimal, cbc_bound = run.chosen, run.optimal, run.bound
            build_s, solve_s = run.build_seconds, run.solve_seconds
            extra["reduced"] = run.sizes
        except Exception as err:  # a solver failure must not lose the greedy answer
            message, optimal = f"CBC failed ({type(err).__name__}); greedy solution", False
        else:
            solver = exact_solver(extra.get("reduced"))
            if (
                found is not None
                and coverage.value(found) >= target - 1e-6
                and len(found) <= len(greedy)
            ):
                chosen = found
            else:
                optimal = False
            message = exact_status(optimal, time_limit, solver, extra.get("reduced"))
    else:
        message = NO_CBC if exact else NOT_REQUESTED
    if optimal:
        bound = float(len(chosen))
    else:
        bound = float(lscp_lower_bound(coverage, target))
        if cbc_bound is not None and math.isfinite(cbc_bound):
            bound = max(bound, float(math.ceil(cbc_bound - 1e-6)))
        bound = min(bound, float(len(chosen)))
    return Solution(
        chosen,
        coverage.value(chosen),
        bool(optimal),
        bound,
        solver,
        message,
        build_s,
        solve_s,
        greedy_objective=float(len(greedy)),
        greedy=tuple(greedy),
        extra=extra,
    )
