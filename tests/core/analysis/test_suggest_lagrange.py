"""The MCLP proven in-process (swap search, Lagrangian bound, fixing) against enumeration:
the bound is an upper bound on the optimum, "proven" only when the answer is the optimum,
no better solution holds a fixed column, and the whole exact path (bound, then CBC on the
kept columns) reaches the optimum, with integer and fractional weights and many ties."""

import itertools

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.analysis.suggest.cover_model import solve_cover_model
from app.core.analysis.suggest.coverage import Coverage
from app.core.analysis.suggest.lagrange import lscp_lagrange, mclp_lagrange
from app.core.analysis.suggest.reduction import reduce_cover
from app.core.analysis.suggest.solvers import cbc_available, greedy_cover, solve_cover

cases = st.fixed_dictionaries(
    {
        "seed": st.integers(0, 2**31 - 1),
        "n_cand": st.integers(2, 12),
        "n_dem": st.integers(1, 30),
        "radius": st.floats(60, 300),
        "k": st.integers(1, 4),
        "weights": st.sampled_from(["ones", "integers", "fractions"]),
        "steps": st.sampled_from([0, 3, None]),
        "lp": st.booleans(),
    }
)


def coverage_of(case) -> Coverage:
    """Scattered candidates (some at one place: identical columns) and demand around."""
    rng = np.random.default_rng(case["seed"])
    cxy = rng.integers(0, 5, (case["n_cand"], 2)) * 70.0
    dxy = rng.uniform(-50, 330, (case["n_dem"], 2))
    n = case["n_dem"]
    weights = {
        "ones": np.ones(n),  # ties everywhere
        "integers": rng.integers(0, 4, n).astype(float),  # 0: covered by a fixed site
        "fractions": np.round(rng.uniform(0.1, 3.0, n), 3),
    }[case["weights"]]
    tree = shapely.STRtree(shapely.points(dxy))
    pairs = tree.query(shapely.points(cxy), predicate="dwithin", distance=case["radius"])
    pairs = pairs[:, np.lexsort((pairs[1], pairs[0]))]
    return Coverage(case["n_cand"], weights, pairs, cxy)


def values_of(reduced, k: int) -> dict[tuple[int, ...], float]:
    """Every k columns of the reduced model and the weight they cover."""
    sets = [set(s.tolist()) for s in reduced.sets]
    return {
        chosen: float(sum(w for w, s in zip(reduced.weights, sets) if s & set(chosen)))
        for chosen in itertools.combinations(range(len(reduced.candidates)), k)
    }


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases)
def test_the_bound_the_proof_and_the_fixing_hold_against_enumeration(case):
    coverage = coverage_of(case)
    reduced = reduce_cover(coverage)
    k = case["k"]
    if len(reduced.candidates) <= k or len(reduced.weights) == 0:
        return  # solved without a bound (every column, or nothing to cover)
    values = values_of(reduced, k)
    best = max(values.values())
    run = mclp_lagrange(reduced, k, list(range(k)), case["steps"], case["lp"])
    assert len(set(run.chosen)) == k
    assert run.value == pytest.approx(values[tuple(run.chosen)])
    assert run.bound >= best - 1e-9  # a valid upper bound
    if run.proven:  # claimed only when it is the optimum
        assert run.value == pytest.approx(best)
    better = [chosen for chosen, value in values.items() if value > run.value + 1e-9]
    for chosen in better:  # no better solution holds a fixed column
        assert run.keep[list(chosen)].all()


needs_cbc = pytest.mark.skipif(not cbc_available(), reason="CBC (PuLP) is not available")


@needs_cbc
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases)
def test_the_exact_path_reaches_the_optimum_and_bounds_it(case):
    """With few subgradient steps (and without the LP) CBC runs on the kept columns;
    with the defaults the bound usually proves the answer in-process: both optimal."""
    coverage = coverage_of(case)
    k = min(case["k"], coverage.n_candidates)
    greedy = greedy_cover(coverage, k)
    best = max(
        coverage.value(chosen) for chosen in itertools.combinations(range(coverage.n_candidates), k)
    )
    run = solve_cover_model(coverage, greedy, 30, k=k, steps=case["steps"], lp=case["lp"])
    assert run.optimal and run.chosen is not None
    assert coverage.value(run.chosen) == pytest.approx(best)
    assert run.bound is not None and run.bound >= best - 1e-9
    assert run.sizes["proof"] in {"lagrangian", "cbc", "all candidates"}
    solution = solve_cover(coverage, k, greedy, coverage.value(greedy), exact=True, time_limit=30)
    assert solution.optimal and solution.value == pytest.approx(best)
    assert solution.bound == pytest.approx(solution.value)


@needs_cbc
def test_a_gap_the_bound_cannot_close_goes_to_cbc():
    """Seven demand points, five candidates, k = 2: the LP relaxation (and so the best
    Lagrangian bound) is 6, the optimum 5 — not provable in-process, so CBC decides on
    the kept columns, and the answer is still the optimum with the bound of a proof."""
    incidence = np.array(
        [
            [0, 0, 1, 1, 0, 0, 1],
            [0, 0, 0, 0, 1, 1, 1],
            [1, 0, 1, 0, 0, 1, 0],
            [0, 1, 0, 1, 0, 1, 0],
            [1, 1, 0, 0, 0, 0, 1],
        ]
    )
    coverage = Coverage(5, np.ones(7), np.array(np.nonzero(incidence)))
    reduced = reduce_cover(coverage)
    run = mclp_lagrange(reduced, 2, [0, 1])
    assert not run.proven and run.value == 5.0 and run.bound >= 6.0 - 1e-6
    exact = solve_cover_model(coverage, greedy_cover(coverage, 2), 30, k=2)
    assert exact.sizes["proof"] == "cbc" and exact.optimal
    assert coverage.value(exact.chosen) == 5.0 == max(values_of(reduced, 2).values())


def fewest_for(reduced, target: float) -> int:
    """The fewest reduced columns covering ``target`` weight, by enumeration."""
    sets = [set(s.tolist()) for s in reduced.sets]
    for size in range(len(reduced.candidates) + 1):
        for chosen in itertools.combinations(range(len(reduced.candidates)), size):
            covered = sum(w for w, s in zip(reduced.weights, sets) if s & set(chosen))
            if covered >= target - 1e-9:
                return size
    raise AssertionError("unreachable")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases, st.sampled_from([1.0, 0.9, 0.5, 0.25]))
def test_the_set_cover_bound_and_proof_hold_against_enumeration(case, share):
    coverage = coverage_of(case)
    reduced = reduce_cover(coverage)
    if len(reduced.weights) == 0:
        return
    target = share * float(reduced.weights.sum())
    fewest = fewest_for(reduced, target)
    run = lscp_lagrange(reduced, target, [], case["steps"])
    covered = sum(
        w for w, s in zip(reduced.weights, reduced.sets) if set(s.tolist()) & set(run.chosen)
    )
    assert covered >= target - 1e-9 and len(set(run.chosen)) == len(run.chosen)
    assert run.bound <= fewest + 1e-9  # a valid lower bound
    if run.proven:  # claimed only when it is the optimum
        assert len(run.chosen) == fewest


@needs_cbc
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases, st.sampled_from([1.0, 0.6]))
def test_the_exact_set_cover_path_is_the_fewest(case, share):
    coverage = coverage_of(case)
    reduced = reduce_cover(coverage)
    if len(reduced.weights) == 0:
        return
    total = float(reduced.weights.sum())
    run = solve_cover_model(
        coverage, [], 30, target=share * total, everything=share == 1.0, steps=case["steps"]
    )
    assert run.optimal and run.chosen is not None
    assert len(run.chosen) == fewest_for(reduced, share * total) == run.bound
    assert coverage.value(run.chosen) >= share * total - 1e-6


@pytest.mark.skipif(not cbc_available(), reason="PuLP/CBC not installed")
def test_an_answer_of_every_useful_candidate_does_not_claim_a_lagrangian_bound():
    """k at least the candidates that cover anything (a tiny radius), or none covering
    anything (no start-up near the district): optimal without any bound computed, and
    the message says why instead of "Lagrangian bound"."""
    from app.ui import i18n
    from app.ui.analysis.suggest_summary import summary_text

    pairs = np.array([[1, 1, 3], [0, 1, 2]])  # candidates 1 and 3 cover demand 0-2
    some = Coverage(5, np.array([1.0, 2.0, 1.0]), pairs)
    none = Coverage(5, np.array([1.0, 2.0]), np.zeros((2, 0), dtype=np.intp))
    for coverage, k, words in ((some, 3, "every candidate"), (none, 2, "no candidate")):
        greedy = greedy_cover(coverage, k)
        solution = solve_cover(
            coverage, k, greedy, coverage.value(greedy), exact=True, time_limit=5.0
        )
        assert solution.optimal and solution.extra["reduced"]["proof"] == "all candidates"
        assert "Lagrangian" not in solution.message and words in solution.message

    class Answer:  # what the Suggest dialog's summary reads of a Suggestion
        model, optimal, solver, k = "mclp", True, "lagrangian", 3
        sites = [object()] * 3
        covered_demand = total_demand = 4.0
        fixed_covered_demand, share, mean_distance_m = 0.0, 1.0, 120.0
        saturated, note, target_share = False, "", None
        n_candidates, build_seconds, solve_seconds = 5, 0.1, 0.0
        extra = {"reduced": {"proof": "all candidates"}}

    for code, lagrange, nothing in (
        ("en", "Lagrangian", "no candidate"),
        ("ko", "라그랑지", "없음"),
    ):
        i18n.set_language(code, save=False)
        try:
            text = summary_text(Answer, "Magok")
            Answer.extra = {"reduced": {"proof": "all candidates", "candidates_reduced": 0}}
            empty = summary_text(Answer, "Magok")
            Answer.extra = {"reduced": {"proof": "all candidates"}}
        finally:
            i18n.set_language("en", save=False)
        assert lagrange not in text and "<b>" in text and nothing not in text
        assert lagrange not in empty and nothing in empty


@needs_cbc
def test_a_time_limit_spent_by_the_bound_returns_its_answer_without_cbc():
    """The time limit is spent before CBC could start (a tiny limit): the improved answer
    and the Lagrangian bound are returned, not proven, without building and starting
    CBC on the rest (with --time-limit 0.1 on Yangjae 25 m that took 3 s, twice the
    whole proven solve with the default limit)."""
    incidence = np.array(
        [
            [0, 0, 1, 1, 0, 0, 1],
            [0, 0, 0, 0, 1, 1, 1],
            [1, 0, 1, 0, 0, 1, 0],
            [0, 1, 0, 1, 0, 1, 0],
            [1, 1, 0, 0, 0, 0, 1],
        ]
    )
    coverage = Coverage(5, np.ones(7), np.array(np.nonzero(incidence)))
    run = solve_cover_model(coverage, greedy_cover(coverage, 2), 1e-9, k=2)
    assert not run.optimal and run.sizes["proof"] == "none"
    assert "candidates_after_fixing" not in run.sizes  # CBC's model never made
    assert coverage.value(run.chosen) == 5.0 and run.bound >= 6.0 - 1e-6
    target = 7.0  # the set cover: every demand point
    lscp = solve_cover_model(coverage, [0, 1, 2, 3, 4], 1e-9, target=target, everything=True)
    assert coverage.value(lscp.chosen) >= target and len(lscp.chosen) >= 3
    assert lscp.optimal == (lscp.sizes["proof"] == "lagrangian")
