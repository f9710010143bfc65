"""The solvers of the maximal covering location problem.

:func:`greedy_cover` picks k candidates one at a time by largest gain;
:func:`solve_exact` solves the integer model exactly (after the reductions of
:mod:`.reduction`, which keep the optimum): proven in-process by a Lagrangian bound when
it can be (:mod:`.lagrange`), else with CBC warm-started from the improved answer and
stopped at a time limit; :func:`solve_cover` runs it when CBC
is available, keeps the better of the two answers and bounds the optimum (CBC's bound, or
:func:`greedy_bound` without a proof), saying in one line what the answer is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from app.core.analysis.suggest.cbc import cbc_path
from app.core.analysis.suggest.cover_model import solve_cover_model
from app.core.analysis.suggest.coverage import Coverage
from app.core.progress import Progress

#: The solve status every model reports when CBC is missing or was not asked for.
NO_CBC = "CBC is not available: greedy solution, not proven optimal"
NOT_REQUESTED = "greedy solution (exact solver not requested)"


#: How the covering models' exact path proved an answer without running CBC.
IN_PROCESS_PROOFS = ("lagrangian", "all candidates")


def exact_solver(sizes: dict | None) -> str:
    """``"lagrangian"`` when the Lagrangian bound proved the answer in-process (no CBC
    run, :mod:`.lagrange`), else ``"cbc"``."""
    return "lagrangian" if (sizes or {}).get("proof") in IN_PROCESS_PROOFS else "cbc"


#: The status of an answer made of every candidate that covers (uncovered) demand.
ALL_CANDIDATES = "proven optimal (every candidate that covers demand is chosen)"
#: The status when no candidate covers any (uncovered) demand within R.
NO_COVER = "no candidate covers any demand within R: every answer is as good"


def exact_status(
    optimal: bool, time_limit: float, solver: str = "cbc", sizes: dict | None = None
) -> str:
    """The status line of an exact solve: proven optimal (by CBC, by the Lagrangian
    bound, or as every candidate that covers demand: ``sizes["proof"]`` is
    ``"all candidates"``), or stopped at the time limit."""
    if optimal and (sizes or {}).get("proof") == "all candidates":
        return NO_COVER if (sizes or {}).get("candidates_reduced") == 0 else ALL_CANDIDATES
    if optimal and solver == "lagrangian":
        return "proven optimal (Lagrangian bound, no branch and bound needed)"
    if optimal:
        return "proven optimal"
    return f"time limit of {time_limit:g} s reached: best solution found, not proven optimal"


def greedy_cover(coverage: Coverage, k: int) -> list[int]:
    """Greedy maximal cover: k times the candidate with the largest gain (lowest index on
    ties), vectorised as one ``bincount`` over the coverage pairs per step."""
    uncovered = np.ones(len(coverage.weights), dtype=float)
    chosen: list[int] = []
    taken = np.zeros(coverage.n_candidates, bool)
    for _ in range(k):
        gains = coverage.gains(uncovered)
        gains[taken] = -1.0
        best = int(np.argmax(gains))
        chosen.append(best)
        taken[best] = True
        start, stop = np.searchsorted(coverage.pairs[0], [best, best + 1])
        uncovered[coverage.pairs[1][start:stop]] = 0.0
    return chosen


def greedy_bound(coverage: Coverage, k: int, greedy_value: float) -> float:
    """Upper bound on the optimal residual coverage without an exact solver.

    min of: all coverable demand, the k largest single-candidate covers (submodularity)
    and greedy / (1 − (1 − 1/k)^k) (Nemhauser–Wolsey–Fisher).
    """
    coverable = float(coverage.weights[np.unique(coverage.pairs[1])].sum())
    singles = np.sort(coverage.gains(np.ones(len(coverage.weights))))[::-1]
    top_k = float(singles[:k].sum())
    ratio = 1.0 - (1.0 - 1.0 / k) ** k
    return min(coverable, top_k, greedy_value / ratio if ratio > 0 else math.inf)


# --- exact solver ----------------------------------------------------------------------
@dataclass
class ExactResult:
    """What CBC found: the chosen candidates, whether proven optimal, its bound, timings."""

    chosen: list[int]
    optimal: bool
    bound: float | None
    build_seconds: float
    solve_seconds: float
    sizes: dict | None = None  # the model's size before and after the reduction


def solve_exact(
    coverage: Coverage, k: int, warm: list[int], time_limit: float, progress: Progress | None = None
) -> ExactResult:
    """Solve the MCLP with PuLP + CBC, warm-started from ``warm``, on the reduced model
    (:func:`~app.core.analysis.suggest.reduction.reduce_cover`: same optimum)."""
    return _solve_exact(coverage, k, warm, time_limit, progress)


def _solve_exact(
    coverage: Coverage, k: int, warm: list[int], time_limit: float, progress: Progress | None
) -> ExactResult:
    if progress:
        progress(0.6, "solving the covering model (CBC)")
    run = solve_cover_model(coverage, warm, time_limit, k=k)
    chosen = pad(run.chosen or [], k, warm, coverage.n_candidates)
    optimal = run.optimal
    if run.chosen is None or len(chosen) != k:
        chosen, optimal = list(warm), False
    bound = None if optimal else run.bound
    return ExactResult(chosen, optimal, bound, run.build_seconds, run.solve_seconds, run.sizes)


def pad(chosen: list[int], k: int, prefer: list[int], n: int) -> list[int]:
    """``chosen`` filled up to ``k`` candidates, first from ``prefer``, then the lowest
    unused indices (a reduced model may hold fewer than k candidates)."""
    result = list(chosen)
    taken = set(result)
    for j in list(prefer) + list(range(n)):
        if len(result) >= k:
            break
        if j not in taken:
            result.append(int(j))
            taken.add(j)
    return result


def cbc_available() -> bool:
    """True when PuLP and its CBC binary work (else the greedy answers are returned)."""
    return _cbc_available()


def _cbc_available() -> bool:
    try:
        import pulp

        return bool(pulp.COIN_CMD(path=cbc_path(), msg=False).available())
    except Exception:  # missing package or binary: greedy fallback
        return False


# --- the solution ------------------------------------------------------------------------
@dataclass(frozen=True)
class Solution:
    """The chosen candidates and how good they are (demand in residual units)."""

    chosen: list[int]
    value: float  # residual demand the chosen candidates cover
    optimal: bool  # True only when CBC proved optimality
    bound: float  # upper bound on the optimal residual coverage (>= value)
    solver: str  # "cbc", "lagrangian" (proven without a CBC run) or "greedy"
    message: str
    build_seconds: float  # building the exact model (0 without CBC)
    solve_seconds: float  # CBC's solve (0 without CBC)
    greedy_objective: float = 0.0  # the greedy warm start's objective
    greedy: tuple[int, ...] = ()  # the greedy warm start's candidates
    extra: dict | None = None  # model-specific figures (e.g. p-median's cut-off rounds)


def solve_cover(
    coverage: Coverage,
    k: int,
    greedy: list[int],
    greedy_value: float,
    *,
    exact: bool,
    time_limit: float,
    progress: Progress | None = None,
) -> Solution:
    """Improve the greedy cover with CBC when asked and available, and bound the optimum.

    Parameters
    ----------
    coverage : Coverage
        The coverage sets with the residual weights.
    k : int
        Number of candidates to choose.
    greedy : list of int
        The greedy solution (:func:`greedy_cover`) and ``greedy_value``, its coverage.
    greedy_value : float
        ``coverage.value(greedy)``.
    exact : bool
        False keeps the greedy solution without trying CBC.
    time_limit : float
        CBC's time limit in seconds.
    progress : callable(fraction, message), optional
        Called when the exact model is built and solved.

    Returns
    -------
    Solution
        CBC's answer when it covers at least as much as the greedy one, else the greedy
        answer; a CBC failure falls back to the greedy answer with a message.
    """
    build_s = solve_s = 0.0
    chosen, optimal, bound, solver, message = greedy, False, None, "greedy", ""
    extra: dict = {}
    if exact and _cbc_available():
        if progress is not None:
            progress(0.45, "building the covering model")
        try:
            result = solve_exact(coverage, k, greedy, time_limit, progress)
        except Exception as err:  # a solver failure must not lose the greedy answer
            message = f"CBC failed ({type(err).__name__}); greedy solution"
        else:
            build_s = result.build_seconds
            solve_s = result.solve_seconds
            extra["reduced"] = result.sizes
            solver = exact_solver(result.sizes)
            if coverage.value(result.chosen) >= greedy_value:
                chosen = result.chosen
            optimal, bound = result.optimal, result.bound
            message = exact_status(optimal, time_limit, solver, result.sizes)
    else:
        message = NO_CBC if exact else NOT_REQUESTED
    value = coverage.value(chosen)
    if optimal:
        bound = value
    else:
        heuristic = greedy_bound(coverage, k, greedy_value)
        bound = heuristic if bound is None else min(bound, heuristic)
        bound = max(bound, value)
    return Solution(
        chosen,
        value,
        bool(optimal),
        bound,
        solver,
        message,
        build_s,
        solve_s,
        greedy_objective=greedy_value,
        greedy=tuple(greedy),
        extra=extra,
    )
