"""How sure is the ranking: the Monte Carlo over weights and references
(app.core.decisions.robust, docs/indicators.md)."""

import numpy as np
import pandas as pd
import pytest

from app.core.decisions import DecisionError, robust
from app.core.decisions.robust import RobustSettings, p_first_line, robust_ranking
from app.core.indicators.score import References, Weights, rank_sites, score_sites

TWO = Weights(startups=0, diversity=0, education=1, transit=1, floor_area=0)
SAME_REFS = References(education_m=1000.0, station_m=1000.0)


def scored(weights=None, references=None, **columns):
    frame = pd.DataFrame(
        columns, index=[f"Site {i + 1}" for i in range(len(next(iter(columns.values()))))]
    )
    frame["use_permitted"] = frame.get("use_permitted", True)
    score_sites(frame, weights, references)
    return frame


def test_a_dominating_site_is_first_in_every_draw():
    frame = scored(
        startups_n=[400, 300, 100],
        sector_evenness=[0.9, 0.8, 0.2],
        education_nearest_m=[100.0, 200.0, 900.0],
        station_nearest_m=[50.0, 300.0, 700.0],
        max_gfa_m2=[30_000.0, 20_000.0, 5_000.0],
    )
    result = robust_ranking(
        frame, RobustSettings(draws=3000, concentration=5, reference_spread=0.5)
    )
    assert result.p_first.tolist() == [1.0, 0.0, 0.0]
    assert result.rank_low.tolist() == [1, 2, 3] and result.rank_high.tolist() == [1, 2, 3]


def test_two_mirrored_sites_are_each_first_about_half_the_time():
    """Mirror images under equal weights and equal references: P = 1/2 by symmetry;
    the tolerance is four binomial standard deviations."""
    draws = 4000
    frame = scored(
        TWO,
        SAME_REFS,
        education_nearest_m=[200.0, 800.0],
        station_nearest_m=[800.0, 200.0],
    )
    result = robust_ranking(frame, RobustSettings(draws=draws, concentration=10))
    tolerance = 4 * np.sqrt(0.25 / draws)
    assert result.p_first[0] == pytest.approx(0.5, abs=tolerance)
    assert result.p_first.sum() == pytest.approx(1.0)
    assert result.rank_low.tolist() == [1, 1] and result.rank_high.tolist() == [2, 2]


def random_sites(n, seed=3):
    rng = np.random.default_rng(seed)
    return scored(
        startups_n=rng.integers(0, 600, n),
        sector_evenness=rng.uniform(0, 1, n),
        education_nearest_m=rng.uniform(0, 3000, n),
        station_nearest_m=rng.uniform(0, 2000, n),
        max_gfa_m2=rng.uniform(0, 50_000, n),
    )


def test_rank_intervals_hold_the_deterministic_rank():
    frame = random_sites(12)
    result = robust_ranking(frame, RobustSettings(draws=2000))
    rank = rank_sites(frame).to_numpy()
    assert (result.rank == rank).all()
    assert ((result.rank_low <= rank) & (rank <= result.rank_high)).all()
    assert result.rank_counts.sum(axis=1).tolist() == [2000] * 12
    assert result.rank_counts.sum(axis=0).tolist() == [2000] * 12


def test_without_spread_every_draw_is_the_deterministic_ranking():
    frame = random_sites(6)
    result = robust_ranking(frame, RobustSettings(draws=50, concentration=1e12, reference_spread=0))
    rank = rank_sites(frame).to_numpy()
    assert result.p_first.tolist() == (rank == 1).astype(float).tolist()
    assert (result.rank_low == rank).all() and (result.rank_high == rank).all()


def test_a_site_whose_use_is_not_permitted_is_never_first():
    frame = scored(
        startups_n=[600, 10],
        sector_evenness=[0.9, 0.1],
        education_nearest_m=[0.0, 2000.0],
        station_nearest_m=[0.0, 2000.0],
        max_gfa_m2=[90_000.0, 100.0],
        use_permitted=[False, True],
    )
    result = robust_ranking(frame, RobustSettings(draws=500, concentration=1))
    assert result.p_first.tolist() == [0.0, 1.0]


def test_same_seed_same_result_and_blocks_do_not_matter(monkeypatch):
    frame = random_sites(20)
    settings = RobustSettings(draws=1500, seed=7)
    one = robust_ranking(frame, settings)
    monkeypatch.setattr(robust, "BLOCK_VALUES", 37)  # many small blocks
    two = robust_ranking(frame, settings)
    assert (one.rank_counts == two.rank_counts).all()
    other = robust_ranking(frame, RobustSettings(draws=1500, seed=8))
    assert (one.rank_counts != other.rank_counts).any()


def test_progress_reaches_one():
    seen = []
    robust_ranking(
        random_sites(5), RobustSettings(draws=300), progress=lambda f, m="": seen.append(f)
    )
    assert seen[-1] == 1.0


def test_bad_input_says_so_in_one_line():
    with pytest.raises(DecisionError, match="no sites"):
        robust_ranking(random_sites(3).iloc[0:0])
    zero = Weights(startups=0, diversity=0, education=0, transit=0, floor_area=0)
    frame = random_sites(3)
    score_sites(frame, zero)
    with pytest.raises(DecisionError, match="all 0"):
        robust_ranking(frame)
    with pytest.raises(DecisionError, match="draws"):
        RobustSettings(draws=0)
    with pytest.raises(DecisionError, match="concentration"):
        RobustSettings(concentration=0)


def test_the_card_line_in_both_languages():
    assert p_first_line(0.834) == "Ranked 1st in 83 % of weightings"
    assert p_first_line(0.004) == "Ranked 1st in < 1 % of weightings"
    korean = p_first_line(0.834, "ko")
    assert "83 %" in korean and korean != p_first_line(0.834)


def test_saved_settings_are_read_as_data():
    settings = RobustSettings(draws=500, concentration=5, reference_spread=0, seed=3)
    assert RobustSettings.of({"robustness": settings.as_record()}) == settings
    assert RobustSettings.of({}) == RobustSettings()
    assert RobustSettings.of({"robustness": "junk"}) == RobustSettings()
    bad = {"robustness": {"draws": -4, "concentration": "50", "seed": 1.5}}
    assert RobustSettings.of(bad) == RobustSettings()  # a bad value: the defaults
    assert RobustSettings.of({"robustness": {"draws": 300.0, "seed": True}}).draws == 300
