"""Composite score: transforms, weights, breakdown and ranking (app.core.indicators.score)."""

import math

import numpy as np
import pandas as pd
import pytest

from app.core.indicators.score import (
    CRITERIA,
    References,
    ScoreSettingsError,
    Weights,
    composite_score,
    criterion_values,
    rank_sites,
    score_breakdown,
)


def indicators(**columns):
    base = dict(
        startups_n=[250],
        sector_evenness=[0.5],
        education_nearest_m=[1000.0],
        station_nearest_m=[500.0],
        max_gfa_m2=[10_000.0],
        use_permitted=[True],
    )
    base.update(columns)
    return pd.DataFrame(base)


def test_every_transform_is_one_half_at_its_reference():
    values = criterion_values(indicators())
    for key in ("startups", "floor_area"):
        assert values[key].iloc[0] == pytest.approx(0.5)
    assert values["education"].iloc[0] == pytest.approx(math.exp(-1))
    assert values["transit"].iloc[0] == pytest.approx(math.exp(-1))
    assert values["diversity"].iloc[0] == 0.5


def test_transforms_are_monotone_and_bounded():
    frame = indicators(
        startups_n=[0, 10, 1000],
        sector_evenness=[0, 0.5, 1],
        education_nearest_m=[0, 500, 5000],
        station_nearest_m=[0, 100, 9000],
        max_gfa_m2=[0, 5000, 1e6],
        use_permitted=[True] * 3,
    )
    values = criterion_values(frame)
    assert ((values >= 0) & (values <= 1)).all().all()
    for key in ("startups", "diversity", "floor_area"):
        assert values[key].is_monotonic_increasing
    for key in ("education", "transit"):
        assert values[key].is_monotonic_decreasing
    assert values["education"].iloc[0] == 1 and values["startups"].iloc[0] == 0


def test_score_is_the_weighted_mean():
    frame = indicators()
    weights = Weights(startups=1, diversity=0, education=0, transit=0, floor_area=1)
    assert composite_score(criterion_values(frame), weights).iloc[0] == pytest.approx(50)
    default = composite_score(criterion_values(frame)).iloc[0]
    w = Weights()
    expected = (
        100
        * (
            0.5 * w.startups
            + 0.5 * w.diversity
            + math.exp(-1) * w.education
            + math.exp(-1) * w.transit
            + 0.5 * w.floor_area
        )
        / sum(w.to_dict().values())
    )
    assert default == pytest.approx(expected)


def test_missing_criterion_renormalises_the_weights():
    frame = indicators(max_gfa_m2=[np.nan], education_nearest_m=[np.nan])
    weights = Weights(startups=1, diversity=1, education=5, transit=0, floor_area=5)
    assert composite_score(criterion_values(frame), weights).iloc[0] == pytest.approx(50)
    nothing = pd.DataFrame({"startups_n": [np.nan]})
    assert math.isnan(composite_score(criterion_values(nothing)).iloc[0])


def test_breakdown_points_add_up_to_the_score():
    frame = indicators(
        startups_n=[250, 40],
        sector_evenness=[0.5, 0.9],
        education_nearest_m=[1000.0, np.nan],
        station_nearest_m=[500.0, 20.0],
        max_gfa_m2=[10_000.0, 300.0],
        use_permitted=[True, False],
    )
    frame.index = ["a", "b"]
    table = score_breakdown(frame)
    assert len(table) == 2 * len(CRITERIA)
    assert list(table["criterion"][:5]) == [c.key for c in CRITERIA]
    scores = composite_score(criterion_values(frame))
    for site in ("a", "b"):
        part = table[table["site"] == site]
        assert part["points"].sum() == pytest.approx(scores[site])
        assert part["weight_share"].sum() == pytest.approx(1.0)
    b_education = table[(table["site"] == "b") & (table["criterion"] == "education")]
    assert math.isnan(b_education["points"].iloc[0])
    assert table.loc[table["criterion"] == "startups", "reference"].iloc[0] == 250


def test_weights_and_references_round_trip():
    weights = Weights(startups=2, transit=0)
    assert Weights.from_dict(weights.to_dict()) == weights
    assert Weights.from_dict({"startups": 3, "unknown": 9}).startups == 3
    assert Weights.from_dict(None) == Weights()
    refs = References(gfa_m2=5000)
    assert References.from_dict(refs.to_dict()) == refs
    with pytest.raises(ScoreSettingsError):
        Weights(startups=-1)
    with pytest.raises(ScoreSettingsError):
        References(station_m=0)


def test_not_permitted_sites_rank_below_every_permitted_site():
    frame = pd.DataFrame(
        {
            "score": [90.0, 20.0, 50.0, np.nan, 70.0],
            "use_permitted": pd.array([False, True, True, True, None], dtype="boolean"),
        }
    )
    assert rank_sites(frame).tolist() == [4, 2, 1, 3, 5]
