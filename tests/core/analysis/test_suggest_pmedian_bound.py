"""The p-median proven in-process (swap search, Lagrangian bound, fixing) against brute force.

Small random instances by straight-line distance and by arbitrary distance matrices (as
walking distances are: asymmetric, ties, pairs no walk reaches), with integer and
fractional weights and fixed sites:

- the Lagrangian bound never exceeds the optimum;
- "proven" only when the incumbent is optimal;
- fixing never removes every optimal answer;
- the swap search ends in a local optimum (no single swap is better);
- :func:`solve_pmedian` returns the optimum, whichever path proves it (the bound, the
  enumeration of the answers it leaves, or CBC on the kept candidates).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import app.core.analysis.suggest.median_bound as median_bound
import app.core.analysis.suggest.median_enum as median_enum
import app.core.analysis.suggest.pmedian as pmedian
from app.core.analysis.suggest.median_bound import median_lagrange, swap_search
from app.core.analysis.suggest.pmedian import (
    UNREACHED_M,
    MedianDemand,
    options,
    solve_pmedian,
)
from app.core.analysis.suggest.solvers import cbc_available

REL = 1e-9


@st.composite
def instances(draw):
    n = draw(st.integers(2, 9))
    m = draw(st.integers(1, 14))
    k = draw(st.integers(1, n - 1))
    seed = draw(st.integers(0, 2**31 - 1))
    kind = draw(st.sampled_from(["plane", "matrix", "sparse"]))
    integer = draw(st.booleans())
    fixed = draw(st.booleans())
    return dict(n=n, m=m, k=k, seed=seed, kind=kind, integer=integer, fixed=fixed)


def build(case):
    """Candidates, a MedianDemand and the dense matrix the brute force uses."""
    rng = np.random.default_rng(case["seed"])
    n, m = case["n"], case["m"]
    cx, cy = rng.integers(0, 6, n) * 100.0, rng.integers(0, 6, n) * 100.0
    dx, dy = rng.integers(0, 6, m) * 100.0 + 7.0, rng.integers(0, 6, m) * 100.0
    w = rng.integers(1, 5, m).astype(float) if case["integer"] else rng.uniform(0.1, 3.0, m)
    fixed = np.full(m, np.inf)
    if case["fixed"]:
        fixed = np.where(rng.random(m) < 0.4, rng.integers(1, 8, m) * 50.0, np.inf)
    if case["kind"] == "plane":
        demand = MedianDemand(dx, dy, w, fixed)
        matrix = np.hypot(cx[:, None] - dx[None, :], cy[:, None] - dy[None, :])
    else:  # as walking distances: any matrix, ties, and walks that do not reach
        matrix = rng.integers(1, 9, (n, m)) * 100.0
        if case["kind"] == "sparse":
            matrix[rng.random((n, m)) < 0.4] = UNREACHED_M

        def walk(sources, targets):  # never called: the matrix is kept
            raise AssertionError("the kept matrix serves every row")

        demand = MedianDemand(dx, dy, w, fixed, walk)
        demand._kept["matrix"] = matrix
    return cx, cy, demand, matrix


def cost(demand, matrix, combo) -> float:
    return float(
        demand.weights @ np.minimum(matrix[list(combo)].min(axis=0), demand.fixed_distance)
    )


def brute(demand, matrix, k, allowed=None):
    cols = range(matrix.shape[0]) if allowed is None else np.flatnonzero(allowed)
    return min(cost(demand, matrix, c) for c in itertools.combinations(cols, k))


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(
    instances(),
    st.sampled_from([(2.0, 1.0, None), (0.5, 0.0, 3), (1.0, 0.0, 1)]),
    st.booleans(),
)
def test_bound_is_valid_and_proof_only_when_optimal(case, setting, search):
    cx, cy, demand, matrix = build(case)
    k = case["k"]
    best = brute(demand, matrix, k)
    greedy = list(range(k))
    with pytest.MonkeyPatch.context() as patch:  # weak caps and few steps: gaps remain
        patch.setattr(median_bound, "CAP_FACTOR", setting[0])
        patch.setattr(median_bound, "CAP_ADD", setting[1])
        if not search:  # the first k candidates stay the incumbent: often not optimal
            patch.setattr(median_bound, "MAX_SWAPS", 0)
            patch.setattr(median_bound, "SEARCHES", 0)
        else:  # the cap shrunk to keep the pairs under a (tiny) budget
            patch.setattr(median_bound, "SAMPLE", 2)
            patch.setattr(median_bound, "MAX_PAIRS", 3)
        run = median_lagrange(
            cx, cy, demand, k, greedy, lambda lim: options(cx, cy, demand, lim), setting[2]
        )
    tol = REL * max(best, 1.0)
    assert run.bound <= best + tol
    assert run.value == pytest.approx(cost(demand, matrix, run.chosen), rel=1e-12, abs=1e-9)
    assert len(run.chosen) == k and run.keep[run.chosen].all()
    if run.proven:
        assert run.value <= best + tol
    else:  # an optimal answer survives the fixing
        assert brute(demand, matrix, k, run.keep) <= best + tol


@SETTINGS
@given(instances())
def test_swap_search_ends_in_a_local_optimum(case):
    cx, cy, demand, matrix = build(case)
    k = case["k"]
    found = swap_search(cx, cy, demand, list(range(k)))
    value = cost(demand, matrix, found)
    assert len(set(found)) == k
    assert value <= cost(demand, matrix, range(k)) + 1e-9
    for a in range(k):
        for j in set(range(len(cx))) - set(found):
            other = [*found[:a], j, *found[a + 1 :]]
            assert cost(demand, matrix, other) >= value * (1 - 1e-9) - 1e-9


@pytest.mark.skipif(not cbc_available(), reason="CBC (PuLP's binary) is not available")
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), st.sampled_from(["any", "enumeration", "cbc", "cbc"]))
def test_solve_pmedian_returns_the_optimum(case, path):
    cx, cy, demand, matrix = build(case)
    k = case["k"]
    best = brute(demand, matrix, k)
    with pytest.MonkeyPatch.context() as patch:
        if path != "any":  # a weak bound from the first k candidates: it proves nothing
            patch.setattr(median_bound, "CAP_FACTOR", 0.3)
            patch.setattr(median_bound, "CAP_ADD", 0.0)
            patch.setattr(median_bound, "MAX_STEPS", 2)
            patch.setattr(median_bound, "MAX_SWAPS", 0)
            patch.setattr(median_bound, "SEARCHES", 0)
        if path == "cbc":  # no enumeration: CBC runs on the candidates the fixing keeps,
            patch.setattr(median_enum, "MAX_SETS", 0)  # with short first cut-offs
            patch.setattr(pmedian, "START", 0.2)  # (several rounds)
            patch.setattr(pmedian, "GROWTH", 1.01)
        solution = solve_pmedian(cx, cy, demand, k, exact=True, time_limit=30)
    tol = REL * max(best, 1.0)
    assert solution.optimal
    assert solution.value == pytest.approx(best, rel=REL, abs=1e-9)
    assert solution.bound == pytest.approx(best, rel=REL, abs=1e-9)
    assert solution.solver in ("cbc", "lagrangian")
    proofs = {
        "any": ("lagrangian", "lagrangian enumeration", "cbc"),
        "enumeration": ("lagrangian", "lagrangian enumeration"),
        "cbc": ("lagrangian", "cbc"),
    }
    assert solution.extra["proof"] in proofs[path]
    assert solution.value <= solution.greedy_objective + tol
