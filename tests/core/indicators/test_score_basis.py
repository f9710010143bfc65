"""One ranking, one basis: a criterion unknown for any site is left out for every site,
and what the score shows adds up (app.core.indicators.score, docs/indicators.md)."""

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.indicators.engine import compute_indicators
from app.core.indicators.format import format_raw, rounded_parts
from app.core.indicators.score import (
    BASIS,
    CRITERIA,
    Weights,
    composite_score,
    criterion_values,
    left_out_notes,
    score_breakdown,
)

CRS = "EPSG:5186"
X0, Y0 = 200_000.0, 550_000.0


def at(x, y):
    return shapely.Point(X0 + x, Y0 + y)


def layer(geoms, **columns):
    return gpd.GeoDataFrame(columns, geometry=list(geoms), crs=CRS)


def compute(sites, **kw):
    startups = layer([at(30 * i, 10 * (i % 4)) for i in range(12)], sector=list("ABCABCAABBCD"))
    education = layer([at(400, 0)])
    stations = layer([at(-150, 60)])
    zoning = gpd.GeoDataFrame(
        {"kind": ["zone"], "zone_type": ["준공업"]},
        geometry=[shapely.box(X0 - 2000, Y0 - 2000, X0 + 2000, Y0 + 2000)],
        crs=CRS,
    )
    return compute_indicators(sites, startups, education, stations, zoning, radius=300, **kw)


@pytest.fixture
def mixed_sites():
    """Two polygon sites and, second, a point site without lot area."""
    return gpd.GeoDataFrame(
        {"name": ["Site 1", "Site 2", "Site 3"]},
        geometry=[
            shapely.box(X0, Y0, X0 + 60, Y0 + 40),
            at(200, 100),
            shapely.box(X0 - 300, Y0 - 80, X0 - 200, Y0),
        ],
        crs=CRS,
    )


def test_point_site_without_lot_area_leaves_floor_area_out_for_every_site(mixed_sites):
    table = compute(mixed_sites)
    assert np.isfinite(table["max_gfa_m2"].iloc[[0, 2]]).all()  # known for the polygons
    basis = table.attrs[BASIS].named(dict(zip(mixed_sites.index, mixed_sites["name"])))
    assert basis.used == ("startups", "diversity", "education", "transit")
    assert left_out_notes(basis) == [
        "Buildable floor area left out of every score: unknown for Site 2 "
        "(point site without lot area)"
    ]
    parts = score_breakdown(table)
    for position, site in enumerate(table.index):
        rows = parts[parts["site"] == site]
        floor = rows[rows["criterion"] == "floor_area"].iloc[0]
        assert not floor["used"] and math.isnan(floor["points"]) and floor["weight_share"] == 0
        assert rows["points"].sum() == pytest.approx(table["score"].iloc[position], abs=1e-9)
        assert rows["weight_share"].sum() == pytest.approx(1.0)
    # the polygon's score equals its score computed alone without the floor area
    alone = compute(mixed_sites.iloc[[0]], weights=Weights(floor_area=0))
    assert table["score"].iloc[0] == pytest.approx(alone["score"].iloc[0], abs=1e-9)


def test_today_the_point_site_was_silently_rescaled(mixed_sites):
    """0.681 × 30 % must be shown as 20.4 points, not as 24.0 (30 % renormalised to 35.3 %):
    here every site of the ranking shares the same weight shares."""
    parts = score_breakdown(compute(mixed_sites))
    shares = parts.groupby("criterion")["weight_share"].nunique()
    assert (shares == 1).all()  # one share per criterion, whatever the site


def test_a_single_site_scored_alone_follows_the_same_rule(mixed_sites):
    point_only = compute(mixed_sites.iloc[[1]])
    basis = point_only.attrs[BASIS]
    assert "floor_area" not in basis.used and basis.n_sites == 1
    assert left_out_notes(basis.named({1: "(sketch)"})) == [
        "Buildable floor area left out of the score: unknown (point site without lot area)"
    ]
    polygon_only = compute(mixed_sites.iloc[[0]])
    assert polygon_only.attrs[BASIS].used == tuple(c.key for c in CRITERIA)
    assert left_out_notes(polygon_only.attrs[BASIS]) == []


def test_a_site_without_geometry_does_not_leave_criteria_out(mixed_sites):
    sites = pd.concat([mixed_sites.iloc[[0]], mixed_sites.iloc[[0]]], ignore_index=True)
    sites.loc[1, "geometry"] = None
    table = compute(gpd.GeoDataFrame(sites, geometry="geometry", crs=CRS))
    assert table.attrs[BASIS].used == tuple(c.key for c in CRITERIA)
    assert math.isnan(table["score"].iloc[1]) and np.isfinite(table["score"].iloc[0])


def test_notes_group_sites_by_reason_and_name_them_in_korean(mixed_sites):
    sites = mixed_sites.copy()
    sites.loc[len(sites)] = ["Site 4", at(-100, -100)]
    sites.loc[len(sites)] = ["Site 5", at(5000, 5000)]  # outside the zoning: no zone
    table = compute(gpd.GeoDataFrame(sites, geometry="geometry", crs=CRS))
    basis = table.attrs[BASIS].named(dict(zip(sites.index, sites["name"])))
    assert left_out_notes(basis) == [
        "Buildable floor area left out of every score: unknown for Site 2, Site 4, Site 5 "
        "(point site without lot area)"
    ]
    korean = left_out_notes(basis, "ko")[0]
    assert korean.startswith("건축 가능 연면적: 모든 점수에서 제외")
    assert "대지면적이 없는 점 후보지" in korean
    lots = sites.assign(lot_area_m2=[np.nan, 500.0, np.nan, 800.0, 900.0])
    named = compute(gpd.GeoDataFrame(lots, geometry="geometry", crs=CRS)).attrs[BASIS]
    assert left_out_notes(named.named(dict(zip(sites.index, sites["name"])))) == [
        "Buildable floor area left out of every score: unknown for Site 5 "
        "(no zoning data under the site)"
    ]


def test_raw_values_use_one_rounding_rule_per_unit():
    assert format_raw("startups_n", 117) == "117"
    assert format_raw("employees_sum", 1933.6) == "1,934"
    assert format_raw("station_nearest_m", 82.4) == "82 m"
    assert format_raw("education_nearest_m", 1819.5) == "1,820 m"
    assert format_raw("max_gfa_m2", 12345.4) == "12,345 m²"
    assert format_raw("max_gfa_m2", 99.6) == "100 m²"
    assert format_raw("sector_evenness", 0.73449) == "0.734"
    assert format_raw("score", 100.0) == "100.0"
    assert format_raw("station_nearest_m", float("nan")) == "—"


criterion_value = st.one_of(st.floats(0, 1), st.just(float("nan")))


@settings(max_examples=200, deadline=None)
@given(
    weights=st.lists(st.floats(0, 10), min_size=5, max_size=5),
    values=st.lists(st.lists(criterion_value, min_size=5, max_size=5), min_size=1, max_size=6),
)
def test_points_always_add_up_to_the_score(weights, values):
    frame = pd.DataFrame(values, columns=[c.key for c in CRITERIA])
    indicators = pd.DataFrame(
        {
            "startups_n": 250 * frame["startups"] / (1 - frame["startups"].clip(upper=0.999)),
            "sector_evenness": frame["diversity"],
            "education_nearest_m": -1000 * np.log(frame["education"].clip(lower=1e-12)),
            "station_nearest_m": -500 * np.log(frame["transit"].clip(lower=1e-12)),
            "max_gfa_m2": 1e4 * frame["floor_area"] / (1 - frame["floor_area"].clip(upper=0.999)),
        }
    )
    w = Weights(**dict(zip([c.key for c in CRITERIA], weights)))
    scored = indicators.copy()
    from app.core.indicators.score import score_sites

    score_sites(scored, w)
    parts = score_breakdown(scored)
    score = scored["score"].to_numpy()
    per_site = parts["points"].to_numpy().reshape(len(scored), len(CRITERIA))
    used = parts["used"].to_numpy().reshape(len(scored), len(CRITERIA))
    shares = parts["weight_share"].to_numpy().reshape(len(scored), len(CRITERIA))
    for site in range(len(scored)):
        if np.isfinite(score[site]):
            assert per_site[site, used[site]].sum() == pytest.approx(score[site], abs=1e-9)
            assert shares[site].sum() == pytest.approx(1.0)
            texts, total = rounded_parts(per_site[site])
            shown = sum(float(t) for t in texts if t != "—")
            assert f"{shown:.1f}" == total == f"{score[site]:.1f}"
        assert 0 <= np.nan_to_num(score[site]) <= 100 + 1e-9
    # the same criteria for every site: a criterion unknown anywhere scores nowhere
    known = np.isfinite(criterion_values(indicators).to_numpy())
    scoreable = known.any(axis=1)
    assert (used.all(axis=0) == used.any(axis=0)).all()
    assert (used[0] == known[scoreable].all(axis=0)).all() or not scoreable.any()
    assert composite_score(criterion_values(indicators), w).to_numpy() == pytest.approx(
        score, nan_ok=True
    )
