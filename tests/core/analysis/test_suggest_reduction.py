"""The reduced covering model (identical and dominated candidates removed, demand with
the same candidates merged) has the optimum of the full one, by enumeration of both."""

import itertools

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.analysis.suggest.coverage import Coverage
from app.core.analysis.suggest.lscp import solve_lscp
from app.core.analysis.suggest.reduction import reduce_cover
from app.core.analysis.suggest.solvers import cbc_available, greedy_cover, solve_cover

cases = st.fixed_dictionaries(
    {
        "seed": st.integers(0, 2**31 - 1),
        "n_cand": st.integers(1, 9),
        "n_dem": st.integers(1, 25),
        "radius": st.floats(50, 400),
        "k": st.integers(1, 4),
        "zero": st.floats(0, 0.5),
        "grid": st.booleans(),
    }
)


def coverage_of(case) -> Coverage:
    """Candidates on a small grid (or scattered, some at the same place), demand around."""
    rng = np.random.default_rng(case["seed"])
    n = case["n_cand"]
    if case["grid"]:
        cxy = np.c_[np.arange(n) % 3 * 100.0, np.arange(n) // 3 * 100.0]
    else:
        cxy = rng.integers(0, 4, (n, 2)) * 80.0  # repeated places: identical columns
    dxy = rng.uniform(-100, 400, (case["n_dem"], 2))
    weights = rng.integers(1, 5, case["n_dem"]).astype(float)
    weights[rng.uniform(size=len(weights)) < case["zero"]] = 0.0  # covered by a fixed site
    tree = shapely.STRtree(shapely.points(dxy))
    pairs = tree.query(shapely.points(cxy), predicate="dwithin", distance=case["radius"])
    pairs = pairs[:, np.lexsort((pairs[1], pairs[0]))]
    return Coverage(n, weights, pairs, cxy)


def sets_of(coverage: Coverage) -> list[set]:
    return [
        set(coverage.pairs[1][coverage.pairs[0] == j].tolist())
        for j in range(coverage.n_candidates)
    ]


def best_full(coverage: Coverage, k: int) -> float:
    k = min(k, coverage.n_candidates)
    return max(coverage.value(c) for c in itertools.combinations(range(coverage.n_candidates), k))


def best_reduced(reduced, k: int) -> float:
    n = len(reduced.candidates)
    best = 0.0
    for chosen in itertools.combinations(range(n), min(k, n)):
        hit = [bool(set(s.tolist()) & set(chosen)) for s in reduced.sets]
        best = max(best, float(reduced.weights[hit].sum()))
    return best


def fewest_full(coverage: Coverage) -> int:
    need = set(np.flatnonzero(coverage.weights > 0).tolist()) & set(coverage.pairs[1].tolist())
    sets = sets_of(coverage)
    for size in range(coverage.n_candidates + 1):
        for chosen in itertools.combinations(range(coverage.n_candidates), size):
            if need <= set().union(*[sets[j] for j in chosen]):
                return size
    raise AssertionError("unreachable")


def fewest_reduced(reduced) -> int:
    n = len(reduced.candidates)
    for size in range(n + 1):
        for chosen in itertools.combinations(range(n), size):
            if all(set(s.tolist()) & set(chosen) for s in reduced.sets):
                return size
    raise AssertionError("unreachable")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases)
def test_reduced_model_has_the_optimum_of_the_full_one(case):
    coverage = coverage_of(case)
    reduced = reduce_cover(coverage)
    assert best_reduced(reduced, case["k"]) == pytest.approx(best_full(coverage, case["k"]))
    assert fewest_reduced(reduced) == fewest_full(coverage)
    # the rows keep every weight that some candidate can cover
    live = coverage.weights[np.unique(coverage.pairs[1])].sum()
    assert reduced.weights.sum() == pytest.approx(live)
    # every candidate maps to a kept one covering at least its (weighted) demand
    sets = sets_of(coverage)
    positive = set(np.flatnonzero(coverage.weights > 0).tolist())
    for j, rep in enumerate(reduced.representative):
        if rep < 0:
            assert not (sets[j] & positive)
        else:
            assert sets[j] & positive <= sets[int(reduced.candidates[rep])]
    s = reduced.sizes
    assert s["candidates_reduced"] == len(reduced.candidates) <= s["candidates"]
    assert s["demand_reduced"] == len(reduced.weights) <= s["demand"]
    assert (
        s["identical"] + s["dominated"] + s["empty"] + s["candidates_reduced"] == (s["candidates"])
    )


def test_reductions_on_a_hand_built_case():
    # demand 0..3; candidates: 0 covers {0,1}, 1 the same, 2 covers {0}, 3 {2,3}, 4 nothing
    pairs = np.array([[0, 0, 1, 1, 2, 3, 3], [0, 1, 0, 1, 0, 2, 3]])
    coverage = Coverage(5, np.array([1.0, 2.0, 3.0, 3.0]), pairs)
    reduced = reduce_cover(coverage)
    assert reduced.candidates.tolist() == [0, 3]
    assert reduced.representative.tolist() == [0, 0, 0, 1, -1]
    assert sorted(reduced.weights.tolist()) == [3.0, 6.0]  # {0,1} and {2,3} merged rows
    assert reduced.sizes["identical"] == 1 and reduced.sizes["dominated"] == 1
    assert reduced.sizes["empty"] == 1
    assert "from 5 to 2 candidates" in reduced.summary()
    unreduced = reduce_cover(coverage, dominance=False)
    assert unreduced.candidates.tolist() == [0, 2, 3]


needs_cbc = pytest.mark.skipif(not cbc_available(), reason="CBC (PuLP) is not available")


@needs_cbc
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases)
def test_cbc_on_the_reduced_model_equals_enumeration(case):
    coverage = coverage_of(case)
    k = min(case["k"], coverage.n_candidates)
    greedy = greedy_cover(coverage, k)
    solution = solve_cover(coverage, k, greedy, coverage.value(greedy), exact=True, time_limit=30)
    assert solution.optimal
    assert len(set(solution.chosen)) == k  # padded when fewer candidates were kept
    assert solution.value == pytest.approx(best_full(coverage, k))
    assert solution.extra["reduced"]["candidates"] == coverage.n_candidates
    target = float(coverage.weights[np.unique(coverage.pairs[1])].sum())
    lscp = solve_lscp(coverage, target, exact=True, time_limit=30)
    assert lscp.optimal
    assert len(lscp.chosen) == fewest_full(coverage)


@needs_cbc
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases, st.floats(0.3, 1.0))
def test_highs_reaches_the_optimum_cbc_proves(case, share):
    """HiGHS on the sparse model (the measured alternative) and CBC through PuLP reach the
    same objective for the MCLP and for the LSCP (all demand, or a share of it)."""
    from app.core.analysis.suggest.cover_model import solve_cover_highs, solve_cover_model

    coverage = coverage_of(case)
    k = min(case["k"], coverage.n_candidates)
    greedy = greedy_cover(coverage, k)
    cbc = solve_cover_model(coverage, greedy, 30, k=k)
    highs = solve_cover_highs(coverage, 30, k=k)
    assert cbc.optimal and highs.optimal
    assert coverage.value(highs.chosen) == pytest.approx(coverage.value(cbc.chosen))
    assert coverage.value(cbc.chosen) == pytest.approx(best_full(coverage, k))
    coverable = float(coverage.weights[np.unique(coverage.pairs[1])].sum())
    for target, everything in ((coverable, True), (share * coverable, False)):
        cbc = solve_cover_model(coverage, [], 30, target=target, everything=everything)
        highs = solve_cover_highs(coverage, 30, target=target, everything=everything)
        assert cbc.optimal and highs.optimal
        assert len(highs.chosen) == len(cbc.chosen)
        assert coverage.value(highs.chosen) >= target - 1e-6
    assert len(highs.chosen) <= fewest_full(coverage)
