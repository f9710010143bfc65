"""The integer model of the two covering problems, built once for both and solved exactly
on the reduced model (:func:`~.reduction.reduce_cover`: same optimum)::

    MCLP (k given):           max Σ_i w_i y_i  s.t.  y_i ≤ Σ_{j ∈ N(i)} x_j,  Σ_j x_j = k
    LSCP, all demand:         min Σ_j x_j      s.t.  Σ_{j ∈ N(i)} x_j ≥ 1
    LSCP, a target share:     min Σ_j x_j      s.t.  y_i ≤ Σ_{j ∈ N(i)} x_j,  Σ_i w_i y_i ≥ target

with x ∈ {0,1}, 0 ≤ y ≤ 1, starting from the greedy answer (each pick mapped to the
kept candidate that covers at least as much). First in-process (:mod:`.lagrange`): the
answer improved, bounded by a Lagrangian relaxation and, when the bound proves it,
returned without a MIP run; else CBC solves the model (the MCLP only over the candidates
the bound could not fix), warm-started from the improved answer. A reduced MCLP with no
more candidates than k takes them all.

Measured against scipy's HiGHS (``scipy.optimize.milp``, the same reduced model as
sparse arrays, docs/performance.md): CBC with the greedy warm start, no heuristics and
no preprocessing was faster on Magok and proved Yangjae's optimum where HiGHS found no
solution within a minute, so CBC stays the solver.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from app.core.analysis.suggest.cbc import run_cbc, run_cbc_mps
from app.core.analysis.suggest.coverage import Coverage
from app.core.analysis.suggest.lagrange import lscp_lagrange, mclp_lagrange
from app.core.analysis.suggest.reduction import ReducedCover, reduce_cover

#: CBC options of the covering models: their warm start is the greedy answer, so CBC's
#: own primal heuristics (feasibility pump ...) only cost time (10x on the dense Yangjae
#: 25 m model), as do its presolve and integer preprocessing of a model already reduced
#: (about 5-10 % more on Magok and Yangjae).
COVER_OPTIONS = ("heur off", "preprocess off")
#: CBC options of the MCLP left after the Lagrangian fixing (:func:`_solve_mclp`): a small
#: model whose LP bound is already near the incumbent, where plain branch and bound on
#: the LP beats cut generation and strong branching (Yangjae k=5, 25 m, 159 candidates
#: left: CBC 0.14 s of CPU against 1.1 s with cuts and strong branching).
REMAINDER_OPTIONS = (*COVER_OPTIONS, "cuts off", "strong 0")


@dataclass(frozen=True)
class CoverRun:
    """One exact solve of a covering model.

    ``chosen`` holds original candidate indices (None without an integer solution; an
    MCLP answer may hold fewer than k when the reduced model has fewer candidates).
    """

    chosen: list[int] | None
    optimal: bool
    bound: float | None
    build_seconds: float
    solve_seconds: float
    sizes: dict


def solve_cover_model(
    coverage: Coverage,
    warm: list[int],
    time_limit: float,
    *,
    k: int | None = None,
    target: float | None = None,
    everything: bool = False,
    steps: int | None = None,
    lp: bool = True,
) -> CoverRun:
    """Solve the MCLP (``k`` given) or the LSCP (``target`` given) exactly: the MCLP
    in-process when its Lagrangian bound proves the incumbent (:mod:`.lagrange`), else
    (and the LSCP) with CBC.

    Parameters
    ----------
    coverage : Coverage
        The coverage sets with the residual weights.
    warm : list of int
        The greedy answer (original indices), the warm start.
    time_limit : float
        CBC's time limit in seconds.
    k : int, optional
        MCLP: the number of candidates to choose.
    target : float, optional
        LSCP: the residual demand to cover.
    everything : bool
        LSCP: the target is all coverable demand (one row per demand group, no y).
    steps, lp
        The subgradient steps at most (:mod:`.lagrange`) and, MCLP, whether the LP
        relaxation's multipliers are tried (for tests and benches).

    Returns
    -------
    CoverRun
        The answer, whether it is proven optimal, the bound and the model's sizes (with
        ``proof``: ``"lagrangian"``, ``"cbc"``, ``"all candidates"`` or ``"none"``).
    """
    t0 = time.perf_counter()
    reduced = reduce_cover(coverage)
    if k is not None:
        return _solve_mclp(coverage, reduced, warm, time_limit, t0, k, steps, lp)
    if len(reduced.candidates) and len(reduced.weights):
        return _solve_lscp(reduced, warm, time_limit, t0, target, everything, steps)
    return _solve_pulp(reduced, warm, time_limit, t0, k, target, everything)


def _warm_set(reduced: ReducedCover, warm: list[int], k: int | None) -> set[int]:
    """The greedy answer in the reduced model, filled up to k (MCLP)."""
    n = len(reduced.candidates)
    warm_set = set(reduced.warm(warm))  # as good: each pick's kept representative
    if k is not None:
        for j in range(n):  # the greedy's dominated picks replaced: fill up to k
            if len(warm_set) >= min(k, n):
                break
            warm_set.add(j)
    return warm_set


def _solve_mclp(
    coverage: Coverage,
    reduced: ReducedCover,
    warm: list[int],
    time_limit: float,
    t0: float,
    k: int,
    steps: int | None = None,
    lp: bool = True,
) -> CoverRun:
    """The reduced MCLP: proven in-process when the Lagrangian bound allows
    (:func:`~.lagrange.mclp_lagrange`), else CBC on the columns the bound could not fix,
    warm-started from the improved incumbent."""
    n = len(reduced.candidates)
    build = time.perf_counter() - t0
    if n <= k:  # every kept column (or none): all coverable demand, optimal
        total = float(np.sum(reduced.weights))
        sizes = dict(reduced.sizes, proof="all candidates")
        return CoverRun(reduced.original(range(n)), True, total, build, 0.0, sizes)
    t1 = time.perf_counter()
    start = sorted(_warm_set(reduced, warm, k))
    run = mclp_lagrange(reduced, k, start, steps, lp, lp_seconds=time_limit / 2)
    seconds = time.perf_counter() - t1
    kept = np.flatnonzero(run.keep)
    sizes = dict(reduced.sizes, lagrangian_bound=run.bound, lagrangian_steps=run.steps)
    if run.proven:
        sizes["proof"] = "lagrangian"
        return CoverRun(reduced.original(run.chosen), True, run.value, build, seconds, sizes)
    if seconds >= time_limit:  # the limit is spent: the improved answer and its bound
        sizes["proof"] = "none"
        return CoverRun(reduced.original(run.chosen), False, run.bound, build, seconds, sizes)
    # the model of the kept columns, reduced again (rows merge, columns dominate anew)
    sub = reduce_cover(restrict(coverage, reduced.candidates[kept]))
    sizes.update(candidates_after_fixing=len(sub.candidates), rows_after_fixing=len(sub.weights))
    incumbent = reduced.original(run.chosen)
    warm_sub = _warm_set(sub, incumbent, k)
    left = max(time_limit - (time.perf_counter() - t1), 0.01)  # one limit for both
    cbc = _solve_mps(sub, warm_sub, left, t1, k, None, False, REMAINDER_OPTIONS)
    sizes["proof"] = "cbc" if cbc.optimal else "none"
    chosen, bound = cbc.chosen, run.bound
    picked = None if chosen is None else [int(j) for j in reduced.representative[chosen]]
    if picked is None or run.cover.value(picked) < run.value:
        chosen, picked = incumbent, run.chosen  # CBC found nothing better: the incumbent
    if cbc.optimal:
        bound = run.cover.value(picked)
    elif cbc.bound is not None and cbc.bound >= run.value:  # better solutions: kept columns
        bound = min(bound, float(cbc.bound))
    solve = time.perf_counter() - t1
    return CoverRun(chosen, cbc.optimal, bound, build, solve, sizes)


def _solve_lscp(
    reduced: ReducedCover,
    warm: list[int],
    time_limit: float,
    t0: float,
    target: float | None,
    everything: bool,
    steps: int | None = None,
) -> CoverRun:
    """The reduced LSCP: proven in-process when the Lagrangian lower bound reaches the
    improved incumbent's count (:func:`~.lagrange.lscp_lagrange`), else CBC warm-started
    from that incumbent."""
    build = time.perf_counter() - t0
    t1 = time.perf_counter()
    total = float(np.sum(reduced.weights))
    goal = total if everything else min(float(target or 0.0), total)
    start = sorted(_warm_set(reduced, warm, None))
    run = lscp_lagrange(reduced, goal, start, steps, lp_seconds=time_limit / 2)
    sizes = dict(reduced.sizes, lagrangian_bound=run.bound, lagrangian_steps=run.steps)
    if run.proven:
        sizes["proof"] = "lagrangian"
        seconds = time.perf_counter() - t1
        return CoverRun(
            reduced.original(run.chosen), True, float(len(run.chosen)), build, seconds, sizes
        )
    seconds = time.perf_counter() - t1
    if seconds >= time_limit:  # the limit is spent: the improved answer and its bound
        sizes["proof"] = "none"
        return CoverRun(reduced.original(run.chosen), False, run.bound, build, seconds, sizes)
    left = max(time_limit - seconds, 0.01)  # one limit for both
    cbc = _solve_mps(reduced, set(run.chosen), left, t1, None, target, everything)
    sizes["proof"] = "cbc" if cbc.optimal else "none"
    chosen, optimal, bound = cbc.chosen, cbc.optimal, run.bound
    if chosen is None or len(chosen) > len(run.chosen):
        chosen, optimal = reduced.original(run.chosen), False  # the incumbent stands
    if cbc.bound is not None and cbc.bound <= len(run.chosen):
        bound = max(bound, float(cbc.bound))
    if optimal:
        bound = float(len(chosen))
    return CoverRun(chosen, optimal, bound, build, time.perf_counter() - t1, sizes)


def restrict(coverage: Coverage, candidates: np.ndarray) -> Coverage:
    """``coverage`` with only the pairs of ``candidates`` (original indices)."""
    mask = np.zeros(coverage.n_candidates, dtype=bool)
    mask[candidates] = True
    keep = mask[coverage.pairs[0]]
    return Coverage(coverage.n_candidates, coverage.weights, coverage.pairs[:, keep], coverage.xy)


def _solve_mps(
    reduced: ReducedCover,
    warm_set: set[int],
    time_limit: float,
    t0: float,
    k: int | None,
    target: float | None,
    everything: bool,
    options: tuple[str, ...] = COVER_OPTIONS,
) -> CoverRun:
    """The model written as MPS straight from the reduced arrays (column by column;
    PuLP's row-by-row expressions took a third of Yangjae's time) and solved by CBC."""
    weights = np.asarray(reduced.weights, dtype=float)
    n, m = len(reduced.candidates), len(weights)
    mclp = k is not None
    with_y = mclp or not everything
    lengths = np.array([len(group) for group in reduced.sets], dtype=np.intp)
    rows = np.repeat(np.arange(m), lengths)
    cols = np.concatenate(reduced.sets).astype(np.intp)
    order = np.argsort(cols, kind="stable")  # column-major, as MPS wants
    by_col_rows = rows[order]
    col_starts = np.zeros(n + 1, dtype=np.intp)
    np.cumsum(np.bincount(cols, minlength=n), out=col_starts[1:])
    covered = np.zeros(m, dtype=bool)
    for j in warm_set:
        covered[by_col_rows[col_starts[j] : col_starts[j + 1]]] = True

    def write(out) -> None:
        sense = "L" if with_y else "G"
        out.write("NAME model\nROWS\n N obj\n")
        out.write("".join(f" {sense} c{i}\n" for i in range(m)))
        if mclp:
            out.write(f" {'E' if n >= (k or 0) else 'L'} k\n")
        elif with_y:
            out.write(" G target\n")
        out.write("COLUMNS\n    MARKER  'MARKER'  'INTORG'\n")
        cell = [f" c{i} {-1 if with_y else 1}\n" for i in range(m)]
        extra = " k 1\n" if mclp else " obj 1\n"
        for j in range(n):
            head = f"    x{j}"
            members = by_col_rows[col_starts[j] : col_starts[j + 1]].tolist()
            out.write("".join([head + cell[i] for i in members] + [head + extra]))
        out.write("    MARKER  'MARKER'  'INTEND'\n")
        if with_y:
            last = " obj" if mclp else " target"
            out.write(
                "".join(
                    f"    y{i} c{i} 1\n    y{i}{last} {w!r}\n"
                    for i, w in enumerate(weights.tolist())
                )
            )
        out.write("RHS\n")
        if mclp:
            out.write(f"    RHS k {float(min(k or 0, n))!r}\n")
        elif with_y:
            out.write(f"    RHS target {float(target or 0.0)!r}\n")
        else:
            out.write("".join(f"    RHS c{i} 1\n" for i in range(m)))
        out.write("BOUNDS\n")
        out.write("".join(f" UP BND x{j} 1\n" for j in range(n)))
        if with_y:
            out.write("".join(f" UP BND y{i} 1\n" for i in range(m)))
        out.write("ENDATA\n")

    names = [f"x{j}" for j in range(n)] + ([f"y{i}" for i in range(m)] if with_y else [])
    start = [1.0 if j in warm_set else 0.0 for j in range(n)]
    start += covered.astype(float).tolist() if with_y else []
    build = time.perf_counter() - t0
    run, values = run_cbc_mps(
        write,
        names,
        start,
        time_limit,
        "mclp" if mclp else "lscp",
        maximise=mclp,
        options=options,
        presolve=False,
    )
    picked = [j for j in range(n) if values.get(f"x{j}", 0.0) > 0.5]
    chosen = reduced.original(picked) if run.feasible else None
    return CoverRun(chosen, run.optimal, run.bound, build, run.seconds, reduced.sizes)


def _solve_pulp(
    reduced: ReducedCover,
    warm: list[int],
    time_limit: float,
    t0: float,
    k: int | None,
    target: float | None,
    everything: bool,
) -> CoverRun:
    """The model through PuLP (kept for an empty reduced model, which CBC's MPS reader
    refuses)."""
    import pulp

    weights, sets = reduced.weights, reduced.sets
    n = len(reduced.candidates)
    mclp = k is not None
    name = "mclp" if mclp else "lscp"
    prob = pulp.LpProblem(name, pulp.LpMaximize if mclp else pulp.LpMinimize)
    x = [prob.add_variable(f"x{j}", cat=pulp.LpBinary) for j in range(n)]
    warm_set = _warm_set(reduced, warm, k)
    with_y = mclp or not everything
    y = [prob.add_variable(f"y{i}", lowBound=0, upBound=1) for i in range(len(weights))]
    if mclp:
        prob += pulp.LpAffineExpression(list(zip(y, weights.tolist()))), "covered"
    else:
        prob += pulp.LpAffineExpression([(v, 1.0) for v in x]), "sites"
    for i, group in enumerate(sets):
        members = [(x[j], -1.0 if with_y else 1.0) for j in group.tolist()]
        if with_y:
            expr = pulp.LpAffineExpression([(y[i], 1.0)] + members)
            prob += pulp.LpConstraint(expr, pulp.LpConstraintLE, f"c{i}", 0.0)
            y[i].setInitialValue(1 if warm_set.intersection(group.tolist()) else 0)
        else:
            expr = pulp.LpAffineExpression(members)
            prob += pulp.LpConstraint(expr, pulp.LpConstraintGE, f"c{i}", 1.0)
    if mclp:
        assert k is not None
        # fewer kept candidates than k: all of them may be taken (then padded)
        sense = pulp.LpConstraintEQ if n >= k else pulp.LpConstraintLE
        prob += pulp.LpConstraint(
            pulp.LpAffineExpression([(v, 1.0) for v in x]), sense, "k", float(min(k, n))
        )
    elif with_y:
        prob += pulp.LpConstraint(
            pulp.LpAffineExpression(list(zip(y, weights.tolist()))),
            pulp.LpConstraintGE,
            "target",
            float(target or 0.0),
        )
    for j, var in enumerate(x):
        var.setInitialValue(1 if j in warm_set else 0)
    build = time.perf_counter() - t0
    run = run_cbc(prob, time_limit, name, COVER_OPTIONS, presolve=False)
    picked = [j for j, var in enumerate(x) if (var.value() or 0) > 0.5]
    chosen = reduced.original(picked) if run.feasible else None
    return CoverRun(chosen, run.optimal, run.bound, build, run.seconds, reduced.sizes)


def solve_cover_highs(
    coverage: Coverage,
    time_limit: float,
    *,
    k: int | None = None,
    target: float | None = None,
    everything: bool = False,
) -> CoverRun:
    """The same reduced model as :func:`solve_cover_model`, built as scipy.sparse arrays
    and solved with HiGHS (``scipy.optimize.milp``, no warm start, ``mip_rel_gap=0``).

    Kept for the comparison in bench/bench_solvers.py and the test
    that both solvers reach the same optimum; CBC is the solver the app uses.

    Returns
    -------
    CoverRun
        As :func:`solve_cover_model`; the bound is HiGHS's dual bound.
    """
    import numpy as np
    from scipy import sparse
    from scipy.optimize import Bounds, LinearConstraint, milp

    t0 = time.perf_counter()
    reduced = reduce_cover(coverage)
    weights = np.asarray(reduced.weights, dtype=float)
    n, m = len(reduced.candidates), len(weights)
    if n == 0 or m == 0:  # nothing left to cover
        return CoverRun([], True, 0.0, time.perf_counter() - t0, 0.0, reduced.sizes)
    lengths = np.array([len(group) for group in reduced.sets], dtype=np.intp)
    rows = np.repeat(np.arange(m), lengths)
    cols = np.concatenate(reduced.sets) if m else np.zeros(0, np.intp)
    member = sparse.csr_array((np.ones(len(rows)), (rows, cols)), shape=(m, n))
    mclp = k is not None
    with_y = mclp or not everything
    if with_y:  # variables x (n) then y (m): y_i - Σ x_j <= 0
        a = sparse.hstack([-member, sparse.eye_array(m, format="csr")], format="csr")
        constraints = [LinearConstraint(a, -np.inf, 0.0)]
        ones_x = np.r_[np.ones(n), np.zeros(m)]
        if mclp:
            assert k is not None
            picks = float(min(k, n))
            low = picks if n >= k else 0.0
            constraints.append(LinearConstraint(ones_x[None, :], low, picks))
            cost = np.r_[np.zeros(n), -weights]
        else:
            row = np.r_[np.zeros(n), weights][None, :]
            constraints.append(LinearConstraint(row, float(target or 0.0), np.inf))
            cost = ones_x
        integrality = np.r_[np.ones(n), np.zeros(m)]
    else:
        constraints = [LinearConstraint(member, 1.0, np.inf)]
        cost, integrality = np.ones(n), np.ones(n)
    build = time.perf_counter() - t0
    result = milp(
        cost,
        constraints=constraints,
        integrality=integrality,
        bounds=Bounds(0.0, 1.0),
        options={"time_limit": max(float(time_limit), 0.01), "mip_rel_gap": 0.0},
    )
    seconds = time.perf_counter() - t0 - build
    chosen = None
    if result.x is not None:
        chosen = reduced.original(np.flatnonzero(result.x[:n] > 0.5))
    bound = getattr(result, "mip_dual_bound", None)
    if bound is not None and mclp:
        bound = -float(bound)
    optimal = bool(result.status == 0 and result.x is not None)
    return CoverRun(chosen, optimal, bound, build, seconds, reduced.sizes)
