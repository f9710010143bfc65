"""Coverage areas of role layers: defaults, saved records, shares (app.core.project.coverage)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

from app.core.project.coverage import (
    Coverage,
    coverage_geometry,
    coverage_share,
    default_coverage,
    describe,
    prune_coverage,
    saved_coverage,
    with_coverage,
)

CRS = "EPSG:5186"


@pytest.fixture(scope="module")
def districts():
    return gpd.GeoDataFrame(
        {
            "district_id": ["gvalley", "magok"],
            "name_ko": ["G밸리", "마곡"],
            "name_en": ["G-Valley", "Magok"],
        },
        geometry=[shapely.box(0, 0, 100, 100), shapely.box(200, 0, 300, 100)],
        crs=CRS,
    )


@pytest.fixture(scope="module")
def dongs():
    return gpd.GeoDataFrame(
        {"code": ["1", "2", "3"], "name": ["가산동", "구로3동", "마곡동"]},
        geometry=[
            shapely.box(-50, 0, 50, 100),
            shapely.box(50, 0, 150, 100),
            shapely.box(150, 0, 350, 100),
        ],
        crs=CRS,
    )


def _points(*xy):
    return gpd.GeoDataFrame(geometry=[shapely.Point(p) for p in xy], crs=CRS)


def test_default_is_the_districts_the_features_fall_in(districts, dongs):
    assert default_coverage(_points((210, 10), (250, 50)), districts, dongs) == Coverage(
        "districts", ("magok",)
    )


def test_default_falls_back_to_dongs_then_the_whole_map(districts, dongs):
    # (120, 50) is outside both districts but inside dong 2
    assert default_coverage(_points((10, 10), (120, 50)), districts, dongs) == Coverage(
        "dongs", ("1", "2")
    )
    assert default_coverage(_points((10, 10), (5000, 50)), districts, dongs).whole_map
    assert default_coverage(_points(), districts, dongs).whole_map


def test_records_round_trip_and_damaged_ones_are_ignored():
    extra = with_coverage({}, "mine", Coverage.of("districts", ["magok", "gvalley", "magok"]))
    assert extra["coverage"]["mine"] == {"mode": "districts", "ids": ["gvalley", "magok"]}
    assert saved_coverage(extra, "mine") == Coverage("districts", ("gvalley", "magok"))
    for bad in ({"mode": "moon"}, {"mode": "dongs", "ids": [1]}, "map", None):
        assert saved_coverage({"coverage": {"mine": bad}}, "mine") is None
    assert "coverage" not in with_coverage(extra, "mine", None)
    assert prune_coverage(extra, ["other"]) == {}


def test_shares_of_discs_across_a_coverage_edge(districts, dongs):
    area = coverage_geometry(Coverage.of("districts", ["gvalley"]), districts, dongs)
    discs = shapely.buffer(shapely.points([[50, 50], [100, 50], [1000, 1000]]), 10, quad_segs=64)
    share = coverage_share(np.array([*discs, None], dtype=object), area)
    assert share[0] == 1.0
    assert share[1] == pytest.approx(0.5, abs=1e-3)
    assert share[2] == 0.0
    assert np.isnan(share[3])
    assert coverage_share(discs, None).tolist() == [1.0, 1.0, 1.0]


def test_unknown_ids_cover_nothing(districts, dongs):
    area = coverage_geometry(Coverage.of("districts", ["nowhere"]), districts, dongs)
    assert area is not None and area.is_empty
    assert coverage_share(shapely.points([[50, 50]]), area).tolist() == [0.0]


def test_descriptions_use_display_names(districts, dongs):
    cov = Coverage.of("districts", ["magok", "gvalley"])
    assert describe(cov, districts, dongs) == "G-Valley, Magok"
    assert describe(cov, districts, dongs, "ko") == "G밸리, 마곡"
    assert describe(Coverage.of("dongs", ["2"]), districts, dongs) == "dongs: 구로3동"
    assert describe(Coverage(), districts, dongs, "ko") == "지도 전체"
