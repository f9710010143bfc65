"""Indicators with a walking catchment: same columns, walking counts, reach ratio."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from app.core.indicators.engine import COLUMNS, compute_indicators
from app.core.network.catchment import CATCHMENT_ATTR, REACH_COLUMN, walking_indicators
from app.core.network.topology import build_network
from layers.model import WORKING_CRS
from tests.core.network.synthetic import X0, Y0, points, river_with_one_bridge


@pytest.fixture
def river():
    lines, sep = river_with_one_bridge()
    return build_network(lines, sep)


def _startups():
    # two on the site's bank (100 m and 600 m along the street), two across the river
    frame = points((100, -160), (600, -160), (0, 140), (200, 140))
    frame["sector"] = ["ICT", "ICT", "bio", "bio"]
    frame["employees"] = [5, 6, 7, 8]
    return frame


def test_start_ups_across_the_river_are_not_within_a_walk(river):
    sites = points((0, -160))
    stations = points((0, 160), (-700, -160))
    straight = compute_indicators(sites, _startups(), None, stations, None, radius=800)
    walked = walking_indicators(
        sites, _startups(), None, stations, None, network=river, name="river", radius=800
    )
    assert list(walked.columns) == [*COLUMNS, REACH_COLUMN, "catchment"]
    assert straight["startups_n"].iloc[0] == 4
    assert walked["startups_n"].iloc[0] == 2
    assert walked["employees_sum"].iloc[0] == 11
    assert walked["top_sector"].iloc[0] == "ICT"
    assert walked[REACH_COLUMN].iloc[0] == pytest.approx(0.5)
    # the station 320 m across the river is far on foot; the other 700 m along the street
    assert straight["station_nearest_m"].iloc[0] == pytest.approx(320.0)
    assert walked["station_nearest_m"].iloc[0] == pytest.approx(720.0)  # 10 + 700 + 10
    assert walked["stations_n"].iloc[0] == 1
    assert walked.attrs[CATCHMENT_ATTR] == "walking network: river"
    assert set(walked["catchment"]) == {"walking network: river"}


def test_polygon_site_walks_from_its_boundary(river):
    lot = shapely.box(X0 + 300, Y0 - 300, X0 + 500, Y0 - 155)  # touches no street
    sites = gpd.GeoDataFrame(geometry=[lot], crs=WORKING_CRS)
    walked = walking_indicators(sites, _startups(), None, None, None, network=river, radius=150)
    # the lot's edge is 5 m from the street: 100 m start-up 200 m along, 600 m one 100 m
    assert walked["startups_n"].iloc[0] == 1


def test_site_radius_column_is_respected(river):
    sites = points((0, -160), (0, -160))
    sites["radius_m"] = [50.0, np.nan]
    walked = walking_indicators(sites, _startups(), None, None, None, network=river, radius=800)
    assert walked["startups_n"].tolist() == [0, 2]


def test_off_network_start_ups_are_counted_not_reached(river):
    startups = points((100, -160), (100, -5000))
    walked = walking_indicators(points((0, -160)), startups, None, None, None, network=river)
    assert walked["startups_n"].iloc[0] == 1
    assert walked.attrs["off_network"]["startups"] == 1


def test_a_site_off_the_network_reads_unknown_not_zero(river):
    """A site 5 km from every street (e.g. in a district the network does not cover) has
    unknown walking figures, never 0 start-ups, and is scored on what is known."""
    sites = points((0, -160), (0, -5000))
    stations = points((0, 160), (-700, -160))
    walked = walking_indicators(
        sites, _startups(), None, stations, None, network=river, name="river", radius=800
    )
    on, off = walked.iloc[0], walked.iloc[1]
    assert on["startups_n"] == 2 and on["startups_coverage"] == 1.0
    for column in ("startups_n", "employees_sum", "stations_n", "station_nearest_m"):
        assert pd.isna(off[column]), column
    assert pd.isna(off["top_sector"])
    assert off["startups_coverage"] == 0.0
    assert pd.isna(off[REACH_COLUMN])
    assert walked.attrs["off_network"]["sites"] == 1  # the CLI notes it
