"""Indicators of sites against layers that cover only part of the map (issue 12, coverage).

A layer speaks only for its coverage area: outside it a site's values are unknown (never
0), across its edge they come from the covered part and the site is partial, ranked after
the complete ones, and a note names it.
"""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.indicators.engine import COLUMNS, IndicatorEngine, compute_indicators
from app.core.indicators.score import BASIS, left_out_notes, rank_sites

CRS = "EPSG:5186"
AREA = shapely.box(0, 0, 1000, 1000)  # the start-up layer's coverage


def _points(xy, **columns):
    return gpd.GeoDataFrame(columns, geometry=shapely.points(np.asarray(xy, float)), crs=CRS)


@pytest.fixture(scope="module")
def startups():
    rng = np.random.default_rng(7)
    few = rng.normal((300, 500), 20, size=(10, 2))
    many = np.column_stack([rng.uniform(900, 999, 300), rng.normal(500, 30, 300)])
    xy = np.vstack([few, many])
    return _points(xy, sector=np.where(np.arange(len(xy)) % 2, "ICT", "Bio"))


def _sites(*xy):
    return _points(xy, name=[f"S{i + 1}" for i in range(len(xy))])


def _engine(startups, area=AREA):
    return IndicatorEngine(startups, None, None, None, coverage={"startups": area})


def test_a_site_across_the_edge_is_partial_and_ranks_after_a_complete_one(startups):
    sites = _sites((300, 500), (1000, 500))  # S2's catchment is half outside the coverage
    frame = _engine(startups).compute(sites, 200.0)
    assert frame["startups_coverage"].tolist()[0] == 1.0
    assert 0.45 < frame["startups_coverage"].iloc[1] < 0.55
    assert frame["partial"].tolist() == [False, True]
    assert frame["startups_n"].tolist() == [10, 300]
    assert frame["score"].iloc[1] > frame["score"].iloc[0]  # more start-ups ...
    assert rank_sites(frame).tolist() == [1, 2]  # ... but compared on partial data
    # the density is that of the covered part of the catchment
    share = frame["startups_coverage"].iloc[1]
    assert frame["startups_per_km2"].iloc[1] == pytest.approx(
        300 / (np.pi * 0.2**2 * share), rel=5e-3
    )
    basis = frame.attrs[BASIS].named({0: "S1", 1: "S2"})
    note = left_out_notes(basis)[-1]
    assert note.startswith("Compared on partial data") and "S2 (start-ups cover" in note
    assert "S1" not in note


def test_outside_the_coverage_values_are_unknown_not_zero(startups):
    sites = _sites((300, 500), (3000, 500))
    stations = _points([(0, 0)])  # known for both sites: both are scored
    engine = IndicatorEngine(startups, None, stations, None, coverage={"startups": AREA})
    frame = engine.compute(sites, 200.0)
    outside = frame.iloc[1]
    assert outside["startups_coverage"] == 0.0
    for column in ("startups_n", "startups_per_km2", "sector_shannon", "sector_evenness"):
        assert pd.isna(outside[column]), column
    assert outside["top_sector"] is None
    assert frame["startups_n"].iloc[0] == 10
    # the start-up criteria are left out of every score, saying why
    basis = frame.attrs[BASIS].named({0: "S1", 1: "S2"})
    assert "startups" not in basis.used
    assert any("S2 (outside the start-up layer's coverage)" in n for n in left_out_notes(basis))
    assert not frame["partial"].any()  # nothing is compared on the start-ups


def test_features_outside_the_coverage_do_not_count(startups):
    # the start-ups beyond x = 1000 are outside a coverage ending at x = 950
    frame = _engine(startups, shapely.box(0, 0, 950, 1000)).compute(_sites((300, 500)), 2000.0)
    inside = int((startups.geometry.x <= 950).sum())
    assert frame["startups_n"].iloc[0] == inside < len(startups)


def test_zoning_is_cut_to_its_coverage_and_unknown_outside():
    zoning = gpd.GeoDataFrame(
        {"zone_type": ["준공업"]}, geometry=[shapely.box(0, 0, 2000, 1000)], crs=CRS
    )
    sites = gpd.GeoDataFrame(
        {"name": ["edge", "out"]},
        geometry=[shapely.box(900, 100, 1100, 200), shapely.box(1500, 100, 1600, 200)],
        crs=CRS,
    )
    frame = compute_indicators(sites, None, None, None, zoning, coverage={"zoning": AREA})
    assert frame["zoning_coverage"].tolist() == pytest.approx([0.5, 0.0])
    assert frame["dominant_zone"].iloc[0] == "준공업"
    assert frame["max_gfa_m2"].iloc[0] == pytest.approx(100 * 100 * 4.0)  # covered half
    out = frame.iloc[1]
    assert out["dominant_zone"] is None and pd.isna(out["use_permitted"])
    assert pd.isna(out["max_gfa_m2"]) and out["zone_shares"] is None
    whole = compute_indicators(sites, None, None, None, zoning)
    assert whole["zoning_coverage"].tolist() == pytest.approx([1.0, 1.0])


def test_without_a_layer_its_share_is_unknown_and_columns_keep_their_order(startups):
    frame = compute_indicators(_sites((300, 500)), startups, None, None, None, 200.0)
    assert list(frame.columns) == list(COLUMNS)
    assert frame["startups_coverage"].tolist() == [1.0]
    assert frame["education_coverage"].isna().all() and frame["partial"].tolist() == [False]


site_xy = st.tuples(st.floats(-500, 1500), st.floats(-500, 1500))


@settings(max_examples=15, deadline=None)
@given(st.lists(site_xy, min_size=1, max_size=6), st.floats(0, 600))
def test_a_coverage_holding_everything_changes_nothing(startups, xy, radius):
    """The default project's layers cover the whole map: its numbers must not move."""
    sites = _sites(*xy)
    everything = shapely.box(-10_000, -10_000, 10_000, 10_000)
    layers = (startups, startups.iloc[:20], startups.iloc[-20:], None)
    plain = compute_indicators(sites, *layers, radius)
    covered = compute_indicators(
        sites,
        *layers,
        radius,
        coverage={"startups": everything, "education": everything, "stations": None},
    )
    pd.testing.assert_frame_equal(plain, covered)
    assert not plain["partial"].any()


@settings(max_examples=25, deadline=None)
@given(site_xy, st.floats(1, 600))
def test_the_share_is_the_covered_part_of_the_catchment(startups, xy, radius):
    frame = _engine(startups).compute(_sites(xy), radius)
    disc = shapely.Point(xy).buffer(radius, quad_segs=64)
    expected = disc.intersection(AREA).area / disc.area
    share = frame["startups_coverage"].iloc[0]
    assert share == pytest.approx(expected, abs=2e-3)
    assert pd.isna(frame["startups_n"].iloc[0]) == (share == 0)
    assert bool(frame["partial"].iloc[0]) == (0 < share < 1)  # at 0 no score: not compared
