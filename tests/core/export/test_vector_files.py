"""Shapefile / GeoJSON / FlatGeobuf export (issue 14, items 3-5), read back with GDAL
(pyogrio), and the sites' tables and identities in saved projects."""

import json
import sqlite3

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely

from app.core.export.field_names import short_names
from app.core.export.geopackage import export_geopackage
from app.core.export.vector_files import export_vector_files
from app.core.project.store import open_project, save_project
from app.core.sites.identity import derive_ids
from tests.hostile_projects import _write
from tests.pyqgis import set_two_sites


@pytest.fixture(scope="module")
def project(default_project_path):
    project = open_project(default_project_path)
    set_two_sites(project.stack)
    sites = project.stack.get("sites")
    data = sites.data.copy()
    data.loc[0, "notes"] = "역에서 도보 5분 — 임대료 확인"
    sites.set_data(data)
    return project


@pytest.fixture(scope="module")
def indicators(project):
    from app.cli.export_shp import site_indicators

    return site_indicators(project.stack, project.settings, None)


@pytest.mark.parametrize("encoding", ["utf-8", "cp949"])
def test_shapefiles_keep_korean_text_and_every_field(project, indicators, tmp_path, encoding):
    result = export_vector_files(
        tmp_path, project.stack, fmt="shp", encoding=encoding, indicators=indicators
    )
    cpg = (tmp_path / "sites_points.cpg").read_text()
    assert cpg == {"utf-8": "UTF-8", "cp949": "CP949"}[encoding]
    raw = (tmp_path / "sites_points.dbf").read_bytes()
    assert "가산 A".encode(encoding) in raw  # the bytes are in the declared encoding
    fields = pd.read_csv(tmp_path / "fields.csv", encoding="utf-8-sig")
    assert (fields["short_name"].map(lambda n: len(n.encode(encoding))) <= 10).all()
    for file, group in fields.groupby("file"):
        assert group["short_name"].str.lower().is_unique, file
        back = pyogrio.read_dataframe(tmp_path / file)
        assert sorted(back.columns[:-1]) == sorted(group["short_name"])  # every field there
    points = pyogrio.read_dataframe(tmp_path / "sites_points.shp")
    names = dict(zip(fields["short_name"], fields["field"]))
    points = points.rename(columns=names)
    sites = project.stack.get("sites").data
    assert points["name"].tolist() == ["가산 A"]
    if encoding == "utf-8":
        assert points["notes"].tolist() == ["역에서 도보 5분 — 임대료 확인"]
    else:  # CP949 has no em dash: GDAL drops it, and the export says so
        assert points["notes"].tolist() == ["역에서 도보 5분  임대료 확인"]
        assert any(note.startswith("sites_points.shp: 1 text") for note in result.notes)
    assert points["site_id"].tolist() == [sites["site_id"][0]]
    assert points["top_sector_lq"].tolist() == pytest.approx([indicators["top_sector_lq"].iloc[0]])
    assert points["use_permitted"].iloc[0] in ("Y", "N")  # documented booleans
    startups = pyogrio.read_dataframe(tmp_path / "startups.shp", read_geometry=False)
    assert set(startups["synthetic"]) == {"Y"}
    assert startups["name"].str.startswith("합성기업").all()
    # one file per layer and geometry type, with the right counts
    assert pyogrio.read_info(tmp_path / "sites_points.shp")["geometry_type"] == "Point"
    assert pyogrio.read_info(tmp_path / "sites_areas.shp")["features"] == 1
    for layer in project.stack:
        if layer.name != "sites":
            info = pyogrio.read_info(tmp_path / f"{layer.name}.shp")
            assert info["features"] == len(layer.data), layer.name
    readme = (tmp_path / "README.txt").read_text(encoding="utf-8")
    assert "SYNTHETIC" in readme and "ILLUSTRATIVE" in readme
    assert "startups.shp" in readme and "What ESRI Shapefile cannot carry" in readme
    assert (tmp_path / "sites_areas.qml").read_text().startswith("<!DOCTYPE qgis")
    assert "<sld:StyledLayerDescriptor" in (tmp_path / "zoning.sld").read_text()
    if encoding == "cp949":  # the education names hold '・', which CP949 (iconv) lacks
        assert any(note.startswith("education.shp:") for note in result.notes)


def test_short_names_follow_the_documented_rule():
    names = ["top_sector", "top_sector_lq", "employees_sum", "startups_n", "Name", "name"]
    short = short_names(names)
    assert short["top_sector_lq"] == "tp_sctr_lq" and short["employees_sum"] == "emplys_sm"
    assert short["startups_n"] == "startups_n"
    assert short["Name"] == "Name" and short["name"] == "name01"  # unique without case
    assert short_names(list(reversed(names))) == short  # independent of the order


def test_qml_uses_the_short_field_names(project, tmp_path):
    export_vector_files(tmp_path, project.stack, fmt="shp")
    qml = (tmp_path / "startups.qml").read_text()
    field = project.stack.get("startups").style.field
    fields = pd.read_csv(tmp_path / "fields.csv", encoding="utf-8-sig")
    row = fields[(fields["file"] == "startups.shp") & (fields["field"] == field)]
    assert f'attr="{row["short_name"].iloc[0]}"' in qml


def test_geojson_is_rfc7946_wgs84(project, indicators, tmp_path):
    export_vector_files(tmp_path, project.stack, fmt="geojson", indicators=indicators)
    document = json.loads((tmp_path / "sites_areas.geojson").read_text(encoding="utf-8"))
    assert "crs" not in document  # RFC 7946: WGS 84 only, no crs member
    (feature,) = document["features"]
    assert feature["properties"]["name"] == "양재 C"
    assert feature["geometry"]["type"] == "MultiPolygon"
    lon, lat = feature["geometry"]["coordinates"][0][0][0]
    assert 126 < lon < 128 and 37 < lat < 38
    assert isinstance(feature["properties"]["use_permitted"], bool | None)
    startups = gpd.read_file(tmp_path / "startups.geojson")
    assert startups.crs.to_epsg() == 4326 and startups["synthetic"].all()


def test_flatgeobuf_one_type_per_file(project, tmp_path):
    result = export_vector_files(tmp_path, project.stack, fmt="fgb")
    assert pyogrio.read_info(tmp_path / "sites_points.fgb")["geometry_type"] == "Point"
    assert pyogrio.read_info(tmp_path / "sites_areas.fgb")["geometry_type"] == "MultiPolygon"
    back = pyogrio.read_dataframe(tmp_path / "sites_points.fgb")
    assert back.crs.equals("EPSG:5186") and back["name"].tolist() == ["가산 A"]
    assert (tmp_path / "sites_points.qml").exists() and (tmp_path / "README.txt").exists()
    assert all(path.parent == tmp_path for path in result.paths)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".innoatlas-export")]


# --- one geometry type per GeoPackage table ------------------------------------------
def _geometry_types(path):
    with sqlite3.connect(path) as con:
        declared = dict(
            con.execute("SELECT table_name, geometry_type_name FROM gpkg_geometry_columns")
        )
    con.close()
    actual = {
        table: set(pyogrio.read_dataframe(path, layer=table).geom_type.dropna())
        for table in declared
    }
    return declared, actual


@pytest.mark.parametrize("how", ["save", "export"])
def test_every_gpkg_table_has_one_geometry_type(project, tmp_path, how):
    path = tmp_path / "out.gpkg"
    if how == "save":
        save_project(path, project.stack, project.settings)
    else:
        export_geopackage(path, project.stack)
    declared, actual = _geometry_types(path)
    assert "GEOMETRY" not in declared.values() and "sites" not in declared
    assert declared["sites_points"] == "POINT" and declared["sites_areas"] == "MULTIPOLYGON"
    for table, types in actual.items():
        assert len(types) <= 1 and all(t.upper() == declared[table] for t in types), table


def _legacy_project(project, path):
    """A project file as main wrote it before: one mixed ``sites`` table (GEOMETRY),
    created/modified as text."""
    save_project(path, project.stack, project.settings)
    sites = project.stack.get("sites").data.copy()
    sites.loc[1, "site_id"] = ""  # drawn in QGIS: no id, no kind
    sites.loc[1, "kind"] = ""
    with sqlite3.connect(path) as con:
        for table in ("sites_points", "sites_areas"):
            con.execute(f'DELETE FROM gpkg_geometry_columns WHERE table_name = "{table}"')
            con.execute(f'DELETE FROM gpkg_contents WHERE table_name = "{table}"')
            con.execute(f"DELETE FROM gpkg_extensions WHERE table_name = '{table}'")
            con.execute(f'DROP TABLE "{table}"')
            con.execute(f'DROP TABLE IF EXISTS "rtree_{table}_geom"')
    con.close()
    pyogrio.write_dataframe(sites, path, layer="sites", append=True, geometry_type="Unknown")
    return path


def test_a_legacy_mixed_sites_table_opens_and_is_migrated_on_save(project, tmp_path):
    legacy = _legacy_project(project, tmp_path / "legacy.gpkg")
    assert dict(pyogrio.list_layers(legacy))["sites"] == "Unknown"
    opened = open_project(legacy)
    sites = opened.stack.get("sites").data
    assert sites["name"].tolist() == ["가산 A", "양재 C"]
    assert sites["kind"].tolist() == ["point", "polygon"]  # from the geometry
    new_id = sites["site_id"][1]
    assert len(new_id) == 36 and new_id != project.stack.get("sites").data["site_id"][1]
    assert any("without a site_id" in note and "양재 C" in note for note in opened.notes)
    save_project(legacy, opened.stack, opened.settings)
    declared, _ = _geometry_types(legacy)
    assert "sites" not in declared and declared["sites_areas"] == "MULTIPOLYGON"
    again = open_project(legacy)
    assert again.notes == []
    assert again.stack.get("sites").data["site_id"].tolist() == sites["site_id"].tolist()
    assert again.stack.get("sites").data["created"].tolist() == sites["created"].tolist()


def test_site_ids_survive_a_save_open_round_trip_and_duplicates_are_repaired(project, tmp_path):
    path = tmp_path / "p.gpkg"
    save_project(path, project.stack, project.settings)
    ids = project.stack.get("sites").data["site_id"].tolist()
    assert open_project(path).stack.get("sites").data["site_id"].tolist() == ids
    with _write(sqlite3.connect(path)) as con:  # QGIS user copies a feature: same id twice
        con.execute("UPDATE sites_areas SET site_id = ?", (ids[0],))
    con.close()
    opened = open_project(path)
    repaired = opened.stack.get("sites").data["site_id"].tolist()
    assert repaired[0] == ids[0] and repaired[1] not in ids
    assert any("shared a site_id" in note for note in opened.notes)


def test_derived_ids_are_the_same_for_the_same_file():
    frame = gpd.GeoDataFrame(
        {"name": ["A", "B", "A"]},
        geometry=[shapely.Point(1, 2), shapely.box(0, 0, 5, 5), shapely.Point(1, 2)],
        crs="EPSG:5186",
    )
    first, _ = derive_ids(frame)
    second, _ = derive_ids(frame.copy())
    assert first["site_id"].tolist() == second["site_id"].tolist()
    assert first["site_id"].is_unique  # identical features are told apart
    moved = frame.copy()
    moved.loc[1, "geometry"] = shapely.box(0, 0, 6, 5)
    changed, _ = derive_ids(moved)
    assert changed["site_id"][0] == first["site_id"][0]
    assert changed["site_id"][1] != first["site_id"][1]
    assert first["kind"].tolist() == ["point", "polygon", "point"]
