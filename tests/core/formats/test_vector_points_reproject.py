"""Point layers take a shorter way to EPSG:5186 (the coordinate arrays transformed once,
the Korea check only transforming points near the box's edge): same answer as the long way."""

import re

import geopandas as gpd
import numpy as np
import pyogrio
import shapely

from app.core.formats.vector import read_vector


def test_points_match_to_crs_and_the_outside_korea_count_is_exact(tmp_path):
    rng = np.random.default_rng(3)
    inner = np.c_[rng.uniform(125, 130, 200), rng.uniform(34, 39, 200)]
    # right at the edges of the lon/lat box 120..135 × 30..45, both sides
    edge = np.array(
        [[119.999, 38], [120.001, 38], [134.999, 38], [135.001, 38],
         [127, 29.999], [127, 30.001], [127, 44.999], [127, 45.001], [100, 10]]
    )  # fmt: skip
    lonlat = np.r_[inner, edge]
    frame = gpd.GeoDataFrame(
        {"n": np.arange(len(lonlat))}, geometry=shapely.points(lonlat), crs="EPSG:4326"
    ).to_crs("EPSG:5179")
    path = tmp_path / "points.gpkg"
    pyogrio.write_dataframe(frame, path, layer="points")
    layer = read_vector(path, "start-ups")
    expected = frame.to_crs("EPSG:5186")
    assert layer.frame.crs.equals(expected.crs)
    assert layer.frame["n"].tolist() == expected["n"].tolist()
    got = shapely.get_coordinates(layer.frame.geometry.values)
    assert np.allclose(got, shapely.get_coordinates(expected.geometry.values), atol=1e-6)
    notes = [n for n in layer.notes if "outside Korea" in n]
    assert len(notes) == 1
    assert re.search(r": 5 of 209 features lie outside Korea", notes[0])


def test_points_already_in_the_working_crs_are_kept(tmp_path):
    frame = gpd.GeoDataFrame(
        {"n": [1, 2]}, geometry=shapely.points([[200_000, 550_000], [201_000, 551_000]]),
        crs="EPSG:5186",
    )  # fmt: skip
    path = tmp_path / "points.gpkg"
    pyogrio.write_dataframe(frame, path, layer="points")
    layer = read_vector(path, "start-ups")
    assert shapely.get_coordinates(layer.frame.geometry.values).tolist() == [
        [200_000, 550_000],
        [201_000, 551_000],
    ]
    assert not [n for n in layer.notes if "outside Korea" in n]


def test_only_the_asked_columns_are_read_and_unknown_names_are_ignored(tmp_path):
    from app.core.formats.vector import ReadOptions

    frame = gpd.GeoDataFrame(
        {"상호": ["(주)가", "(주)나"], "업종": ["바이오", "핀테크"], "종사자수": [3, 4]},
        geometry=shapely.points([[200_000, 550_000], [201_000, 551_000]]),
        crs="EPSG:5186",
    )
    path = tmp_path / "startups.gpkg"
    pyogrio.write_dataframe(frame, path, layer="startups")
    options = ReadOptions(columns=("업종", "no such column"))
    layer = read_vector(path, "startups", options=options)
    assert list(layer.frame.columns) == ["업종", "geometry"]
    assert layer.frame["업종"].tolist() == ["바이오", "핀테크"]
    assert list(read_vector(path, "startups").frame.columns) == [*frame.columns]
