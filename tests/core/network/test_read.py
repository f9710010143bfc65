"""Reading networks: the OA-21208 CSV fixture, line files, bad input, the cache."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

from app.core.formats.vector import InputError
from app.core.network.join import join, site_starts
from app.core.network.paths import feature_pairs
from app.core.network.read import is_oa21208, read_network
from app.core.network.source import open_network
from layers.model import WORKING_CRS
from tests.core.network.synthetic import grid, line

FIXTURE = Path(__file__).parents[2] / "data" / "network" / "oa21208_guro.csv"
X0, Y0 = 190_500.0, 543_000.0  # the fixture's origin (EPSG:5186)


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setenv("INNOATLAS_DATA_DIR", str(tmp_path / "data"))


def test_fixture_is_cp949_with_oa21208_columns():
    raw = FIXTURE.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert "구로구" in raw.decode("cp949")
    assert is_oa21208(FIXTURE)


def test_oa21208_links_are_read_in_epsg5186_with_the_overpass_flagged():
    lines = read_network(FIXTURE)
    assert len(lines.frame) == 26  # 24 grid links, the footbridge, the island
    assert lines.frame.crs.equals(WORKING_CRS)
    assert set(lines.frame["SGG_NM"]) == {"구로구"}
    assert lines.separated.sum() == 1
    assert lines.frame.loc[lines.separated, "LNKG_ID"].tolist() == ["L900"]
    lengths = lines.frame.geometry.length.to_numpy()[:24]
    assert np.allclose(lengths, 100.0, atol=0.01)


def test_oa21208_network_walks_around_the_footbridge():
    opened = open_network(FIXTURE)
    net = opened.network
    assert net.islands.count == 1
    assert net.islands.share_outside_main == pytest.approx(100 / 2800, rel=1e-3)
    site = shapely.Point(X0 + 140, Y0 + 95)  # by the street y = 100, beside the footbridge
    startup = shapely.Point(X0 + 140, Y0 + 305)  # by the street y = 300
    starts = site_starts(net, np.array([site], dtype=object))
    feats = join(net, np.array([startup], dtype=object))
    _, _, d = feature_pairs(net, starts, feats, np.array([2000.0]))
    # along y = 100 to the corner x = 100 (40), up 200, back 40, plus the two 5 m
    # accesses; the footbridge passes over y = 100 without meeting it: not 5 + 200 + 5
    assert d[0] == pytest.approx(290.0, abs=0.05)
    assert any("disconnected" in note for note in opened.notes)


def test_second_open_comes_from_the_cache():
    first = open_network(FIXTURE)
    second = open_network(FIXTURE)
    assert not first.from_cache and second.from_cache
    assert second.network.n_edges == first.network.n_edges


def test_geopackage_line_layer_is_read(tmp_path):
    frame = gpd.GeoDataFrame({"bridge": ["no"] * 8}, geometry=list(grid(4)), crs=WORKING_CRS)
    frame.loc[0, "bridge"] = "yes"
    path = tmp_path / "streets.gpkg"
    frame.to_file(path, layer="streets")
    lines = read_network(path)
    assert lines.separated.tolist() == [True] + [False] * 7
    assert open_network(path).network.n_edges > 0


def test_points_are_not_a_network(tmp_path):
    path = tmp_path / "points.geojson"
    gpd.GeoDataFrame(geometry=[shapely.Point(X0, Y0)], crs=WORKING_CRS).to_file(path)
    with pytest.raises(InputError, match="no lines"):
        open_network(path)


def test_network_outside_the_districts_is_refused(tmp_path):
    path = tmp_path / "far.gpkg"
    gpd.GeoDataFrame(geometry=list(grid(3)), crs=WORKING_CRS).to_file(path)
    districts = shapely.box(0, 0, 1000, 1000)
    with pytest.raises(InputError, match="outside the innovation districts"):
        open_network(path, area=districts)


def test_mostly_disconnected_network_is_refused(tmp_path):
    path = tmp_path / "bits.gpkg"
    pieces = [line((i * 500, 0), (i * 500 + 100, 0)) for i in range(6)]
    gpd.GeoDataFrame(geometry=pieces, crs=WORKING_CRS).to_file(path)
    with pytest.raises(InputError, match="mostly disconnected"):
        open_network(path)


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_network_without_crs_is_refused(tmp_path):
    path = tmp_path / "nocrs.gpkg"
    gpd.GeoDataFrame(geometry=list(grid(3))).to_file(path)
    with pytest.raises(InputError):
        open_network(path)
