"""The synthetic start-up generator, run on the real districts, stations and universities."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from layers.themes.startups import SECTORS
from layers.themes.synthetic import COLUMNS, generate_startups

DISTRICT_IDS = {"gvalley", "magok", "yangjae"}


@pytest.fixture(scope="module")
def inputs(default_project_path):
    read = lambda layer: pyogrio.read_dataframe(default_project_path, layer=layer)  # noqa: E731
    return read("districts"), read("stations"), read("education")


@pytest.fixture(scope="module")
def many(inputs):
    return generate_startups(20_000, *inputs, seed=7)


def test_same_seed_same_output_other_seed_other_output(inputs):
    first = generate_startups(3000, *inputs, seed=42)
    again = generate_startups(3000, *inputs, seed=42)
    other = generate_startups(3000, *inputs, seed=43)
    pd.testing.assert_frame_equal(
        pd.DataFrame(first.drop(columns="geometry")), pd.DataFrame(again.drop(columns="geometry"))
    )
    assert first.geometry.geom_equals_exact(again.geometry, tolerance=0).all()
    assert not first.geometry.geom_equals_exact(other.geometry, tolerance=0).all()


def test_columns_dtypes_and_values(many):
    assert list(many.columns) == [*COLUMNS, "geometry"]
    assert list(COLUMNS) == ["name", "sector", "founded", "employees", "synthetic", "district_id"]
    assert many.crs.to_epsg() == 5186
    assert len(many) == 20_000
    assert (many.geom_type == "Point").all()
    assert pd.api.types.is_string_dtype(many["name"])
    assert pd.api.types.is_string_dtype(many["sector"])
    assert pd.api.types.is_integer_dtype(many["founded"])
    assert pd.api.types.is_integer_dtype(many["employees"])
    assert many["synthetic"].dtype == bool and many["synthetic"].all()
    assert many["name"].is_unique and many["name"].str.startswith("합성기업 ").all()
    assert set(many["sector"]) <= set(SECTORS)
    assert many["founded"].between(2005, 2025).all()
    assert (many["employees"] >= 1).all()
    assert set(many["district_id"]) == DISTRICT_IDS | {""}


def test_employees_are_heavy_tailed(many):
    employees = many["employees"]
    assert employees.mean() > employees.median()
    assert employees.max() > 10 * employees.median()


def test_district_id_matches_location(many, inputs):
    districts = inputs[0]
    x, y = shapely.get_coordinates(many.geometry.values).T
    outside = np.ones(len(many), dtype=bool)
    for district_id, geom in zip(districts.district_id, districts.geometry):
        inside = shapely.contains_xy(geom, x, y)
        assert (inside == (many["district_id"] == district_id).to_numpy()).all()
        outside &= ~inside
    assert (outside == (many["district_id"] == "").to_numpy()).all()


def test_most_start_ups_cluster_in_the_districts(many):
    counts = many["district_id"].value_counts(normalize=True)
    assert counts.drop("").sum() > 0.7
    assert counts.idxmax() == "gvalley"
    assert counts[""] > 0.05  # a minority outside


def test_sector_mix_per_district(many):
    shares = pd.crosstab(many["district_id"], many["sector"], normalize="index")
    assert shares.loc["gvalley"].idxmax() == "ICT/SW"
    assert shares.loc["yangjae"].idxmax() == "AI/Data"
    assert shares.loc["magok"].idxmax() in {"Bio/Health", "Electronics"}
    assert shares.loc["magok", ["Bio/Health", "Electronics"]].sum() > 0.45
    assert shares.loc["yangjae", "AI/Data"] > 2 * shares.loc["gvalley", "AI/Data"]


def test_start_ups_sit_near_stations(many, inputs):
    stations = inputs[1]
    tree = shapely.STRtree(stations.geometry.values)
    _, distance = tree.query_nearest(many.geometry.values, return_distance=True, all_matches=False)
    outside = (many["district_id"] == "").to_numpy()
    assert np.median(distance[outside]) < 800
    # Clustered, not uniform: district start-ups are closer to stations than random points.
    assert np.median(distance[~outside]) < 1000


def test_extent_limits_the_scattered_start_ups(inputs):
    districts = inputs[0]
    box = shapely.box(*districts.total_bounds)
    frame = generate_startups(5000, *inputs, extent=tuple(districts.total_bounds))
    assert shapely.contains_xy(box, *shapely.get_coordinates(frame.geometry.values).T).all()


def test_inputs_in_another_crs_are_reprojected(inputs):
    districts, stations, education = inputs
    native = generate_startups(2000, districts, stations, education, seed=3)
    lonlat = generate_startups(
        2000, districts.to_crs(4326), stations.to_crs(4326), education.to_crs(4326), seed=3
    )
    assert lonlat.crs.to_epsg() == 5186
    assert (native["district_id"] != "").mean() == pytest.approx(
        (lonlat["district_id"] != "").mean(), abs=0.03
    )


def test_zero_and_negative_counts(inputs):
    empty = generate_startups(0, *inputs)
    assert len(empty) == 0 and list(empty.columns) == [*COLUMNS, "geometry"]
    assert empty.crs.to_epsg() == 5186
    with pytest.raises(ValueError):
        generate_startups(-1, *inputs)


def test_large_counts_are_vectorised(inputs):
    frame = generate_startups(300_000, *inputs, seed=11)
    assert len(frame) == 300_000
    assert isinstance(frame, gpd.GeoDataFrame)
    assert frame["name"].iloc[-1].startswith("합성기업 ")
