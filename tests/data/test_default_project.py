"""The embedded default project GeoPackage (data/innoatlas_default.gpkg), read with pyogrio."""

import hashlib
import sqlite3
import subprocess
import sys

import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from app.core.paths import ROOT
from layers.provenance import PROVENANCE_COLUMNS, PROVENANCE_TABLE
from layers.themes.districts import DISTRICTS
from layers.themes.registry import DEFAULT_SPECS, SPECS_BY_NAME
from layers.themes.startups import SECTORS
from layers.themes.zoning import OVERLAYS, ZONE_COLOURS

LAYERS = {"districts", "gu", "dong", "education", "stations", "startups", "zoning"}
EXPECTED_STATUS = {
    "startups": "synthetic",
    "zoning": "illustrative",
    "districts": "approximate",
    "gu": "real",
    "dong": "real",
    "education": "real",
    "stations": "real",
}
GEOMETRY_TYPES = {"point": {"Point"}, "polygon": {"Polygon", "MultiPolygon"}}
BUILD = ROOT / "data" / "build_default_project.py"


@pytest.fixture(scope="module")
def read(default_project_path):
    cache = {}

    def reader(layer):
        if layer not in cache:
            cache[layer] = pyogrio.read_dataframe(default_project_path, layer=layer)
        return cache[layer]

    return reader


@pytest.fixture(scope="module")
def zones(read):
    zoning = read("zoning")
    return zoning[zoning["kind"] == "zone"]


def test_exactly_the_seven_layers_and_the_provenance_table(default_project_path):
    listed = dict(pyogrio.list_layers(default_project_path))
    assert set(listed) == LAYERS | {PROVENANCE_TABLE}
    assert listed[PROVENANCE_TABLE] is None  # non-spatial
    assert {spec.name for spec in DEFAULT_SPECS} == LAYERS


def test_valid_geopackage_1_2(default_project_path):
    with sqlite3.connect(default_project_path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert db.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47  # "GPKG"
        assert db.execute("PRAGMA user_version").fetchone()[0] == 10200
        contents = dict(db.execute("SELECT table_name, data_type FROM gpkg_contents"))
    db.close()
    assert contents == {**{name: "features" for name in LAYERS}, PROVENANCE_TABLE: "attributes"}


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_layer_has_spec_columns_crs_and_geometry(read, default_project_path, name):
    spec = SPECS_BY_NAME[name]
    frame = read(name)
    assert len(frame) > 0
    assert set(spec.columns) <= set(frame.columns)
    assert frame.crs.to_epsg() == 5186
    assert pyogrio.read_info(default_project_path, layer=name)["crs"] == "EPSG:5186"
    assert set(frame.geom_type) <= GEOMETRY_TYPES[spec.geometry_kind]
    assert frame.geometry.is_valid.all()
    kinds = {
        "str": pd.api.types.is_string_dtype,
        "int": pd.api.types.is_integer_dtype,
        "bool": pd.api.types.is_bool_dtype,
        "float": pd.api.types.is_float_dtype,
    }
    for column, kind in spec.columns.items():
        assert kinds[kind](frame[column]), f"{name}.{column} is {frame[column].dtype}"


def test_feature_counts(read):
    counts = {name: len(read(name)) for name in LAYERS}
    assert counts["districts"] == 3
    assert counts["gu"] == 25
    assert counts["dong"] == 303
    assert counts["startups"] == 6000
    assert counts["stations"] > 300 and counts["education"] > 300
    ids = read("stations")["station_id"].astype(str).str.lstrip("0")
    assert not ids.duplicated().any(), "a station is listed twice (150 and 0150)"


def test_three_districts_with_names_and_plausible_areas(read):
    districts = read("districts").set_index("district_id")
    assert set(districts.index) == set(DISTRICTS)
    for district_id, (name_ko, name_en, _) in DISTRICTS.items():
        assert districts.loc[district_id, "name_ko"] == name_ko
        assert districts.loc[district_id, "name_en"] == name_en
        assert "not an official boundary" in districts.loc[district_id, "boundary_basis"]
    area_km2 = districts.area / 1e6
    assert 2.0 < area_km2["gvalley"] < 5.0
    assert 2.0 < area_km2["magok"] < 4.0
    assert 10.0 < area_km2["yangjae"] < 20.0


def test_points_lie_in_the_study_area(read):
    area = shapely.box(*read("dong").total_bounds)
    for name in ("education", "stations", "startups"):
        xy = shapely.get_coordinates(read(name).geometry.values)
        assert shapely.contains_xy(area, xy[:, 0], xy[:, 1]).all(), name


def test_startups_are_all_synthetic(read):
    startups = read("startups")
    assert startups["synthetic"].all()
    assert set(startups["sector"]) <= set(SECTORS)
    assert startups["founded"].between(2005, 2025).all()
    assert (startups["employees"] >= 1).all()


def test_zoning_kinds_types_and_flags(read):
    zoning = read("zoning")
    assert zoning["illustrative"].all()
    assert set(zoning["kind"]) == {"zone", "overlay"}
    assert set(zoning.loc[zoning.kind == "zone", "zone_type"]) <= set(ZONE_COLOURS)
    assert set(zoning.loc[zoning.kind == "overlay", "zone_type"]) == set(OVERLAYS)
    assert (zoning["note"].str.len() > 0).all()
    # Zones are written first, then overlays.
    assert (zoning["kind"] == "zone").to_numpy().argmin() == (zoning["kind"] == "zone").sum()


@pytest.mark.parametrize("district_id", sorted(DISTRICTS))
def test_zones_tile_each_district_without_overlaps(read, zones, district_id):
    district = read("districts").set_index("district_id").geometry[district_id]
    parts = zones.loc[zones["district_id"] == district_id].geometry.values
    assert len(parts) >= 3
    union = shapely.union_all(parts)
    assert union.area == pytest.approx(district.area, rel=0.005)
    assert shapely.symmetric_difference(union, district).area < 0.005 * district.area
    left, right = shapely.STRtree(parts).query(parts, predicate="intersects")
    pairs = left < right
    overlap = shapely.area(shapely.intersection(parts[left[pairs]], parts[right[pairs]])).sum()
    assert overlap < 1.0  # m²: shared edges only


def test_zoning_matches_the_district_facts(read, zones):
    shares = zones.assign(area=zones.area).groupby(["district_id", "zone_type"]).area.sum()
    shares = shares / shares.groupby(level=0).transform("sum")
    assert shares["gvalley"].idxmax() == "준공업" and shares["gvalley", "준공업"] > 0.5
    assert shares["magok"].idxmax() == "준공업" and shares["magok", "준공업"] > 0.5
    assert {"일반상업", "제3종일반주거", "자연녹지"} <= set(shares["magok"].index)
    built_up = shares["yangjae"].drop("자연녹지")
    assert built_up.idxmax() == "제2종일반주거"
    assert {"일반상업", "제3종일반주거", "자연녹지"} <= set(shares["yangjae"].index)
    # 일반상업 sits at the main stations.
    stations = read("stations")
    commercial = zones.loc[zones["zone_type"] == "일반상업"]
    for name in ("가산디지털단지", "구로디지털단지", "마곡나루", "양재(서초구청)"):
        station = stations.loc[stations["name"] == name].geometry.iloc[0]
        assert commercial.distance(station).min() < 150, name


def test_restriction_overlays(read):
    zoning = read("zoning")
    overlays = zoning[zoning["kind"] == "overlay"].set_index("zone_type")
    districts = read("districts").set_index("district_id").geometry
    airport = overlays.loc[["비행안전구역"]]
    assert airport.geometry.iloc[0].buffer(1).contains(districts["magok"])
    assert airport.geometry.iloc[0].bounds[0] < districts["magok"].bounds[0] - 1000  # westward
    assert airport["max_height_m"].iloc[0] > 0
    assert "illustrative" in airport["note"].iloc[0].lower()
    special = overlays.loc[["특정개발진흥지구"]].geometry.iloc[0]
    assert special.area / 1e6 == pytest.approx(0.93, rel=0.05)
    assert special.intersection(districts["yangjae"]).area > 0.99 * special.area
    greenbelt = overlays.loc[["개발제한구역"]].geometry
    assert (greenbelt.distance(districts["yangjae"]) < 100).all()
    assert (greenbelt.centroid.y < districts["yangjae"].centroid.y).all()  # south of Yangjae


def test_provenance_table(default_project_path):
    table = pyogrio.read_dataframe(
        default_project_path, layer=PROVENANCE_TABLE, read_geometry=False
    )
    assert tuple(table.columns) == PROVENANCE_COLUMNS
    assert sorted(table["layer"]) == sorted(LAYERS)
    assert dict(zip(table["layer"], table["status"])) == EXPECTED_STATUS
    for row in table.to_dict("records"):
        expected = SPECS_BY_NAME[row.pop("layer")].provenance.as_record()
        assert row == expected, "stale provenance: run python data/build_default_project.py"


def _build(out):
    result = subprocess.run(
        [sys.executable, str(BUILD), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return hashlib.sha256(out.read_bytes()).hexdigest()


def test_build_is_deterministic_and_the_shipped_file_is_current(tmp_path, read):
    first = _build(tmp_path / "a.gpkg")
    assert _build(tmp_path / "b.gpkg") == first
    for name in sorted(LAYERS):
        fresh = pyogrio.read_dataframe(tmp_path / "a.gpkg", layer=name)
        shipped = read(name)
        pd.testing.assert_frame_equal(
            pd.DataFrame(fresh.drop(columns="geometry")),
            pd.DataFrame(shipped.drop(columns="geometry")),
            obj=f"{name} (rebuild data/innoatlas_default.gpkg)",
        )
        assert np.all(
            shapely.equals_exact(fresh.geometry.values, shipped.geometry.values, tolerance=1e-3)
        ), name
