"""GeoPackage export (issue 5): layers, layer_styles, metadata, validity and round trip."""

import json
import sqlite3
import xml.etree.ElementTree as ET

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely

from app.core.export.geopackage import (
    PROVENANCE_URI,
    ExportError,
    export_geopackage,
    export_indicators_csv,
    export_indicators_geojson,
)
from app.core.indicators.engine import COLUMNS, IndicatorEngine
from app.core.project.site_tables import table_layers
from app.core.project.store import open_project
from app.core.sites.edits import make_site, normalise_sites
from layers.provenance import PROVENANCE_COLUMNS, PROVENANCE_TABLE

SLD = "{http://www.opengis.net/sld}"
OGC = "{http://www.opengis.net/ogc}"


def _sites() -> gpd.GeoDataFrame:
    lonlat = gpd.GeoSeries(
        [shapely.Point(126.8826, 37.4776), shapely.box(127.0340, 37.4830, 127.0360, 37.4845)],
        crs="EPSG:4326",
    ).to_crs("EPSG:5186")
    records = [
        make_site(lonlat[0], "가산 A", notes="준공업 '따옴표' 메모", lot_area_m2=3000),
        make_site(lonlat[1], "양재 C", radius_m=500),
    ]
    return normalise_sites(gpd.GeoDataFrame(records, geometry="geometry", crs="EPSG:5186"))


@pytest.fixture(scope="module")
def exported(default_project_path, tmp_path_factory):
    project = open_project(default_project_path)
    stack = project.stack
    stack.get("sites").set_data(_sites())
    stack.get("dong").set_opacity(0.6)
    sites = stack.get("sites").data
    engine = IndicatorEngine(
        *(stack.get(n).data for n in ("startups", "education", "stations", "zoning"))
    )
    indicators = engine.compute(sites)
    indicators.index = sites["site_id"].to_numpy()
    path = tmp_path_factory.mktemp("export") / "내보내기 #1.gpkg"
    steps = []
    export_geopackage(
        path, stack, indicators=indicators, progress=lambda f, m: steps.append((f, m))
    )
    assert steps[-1][0] == 1.0
    return path, stack, indicators


def _query(path, sql, *params):
    with sqlite3.connect(path) as con:
        return con.execute(sql, params).fetchall()


def _tables(stack):
    """``{table: layer}``: the sites as sites_points and sites_areas, other layers as such."""
    return {table: layer for item in stack for table, layer in table_layers(item)}


def test_every_layer_with_its_features_and_crs(exported):
    path, stack, _ = exported
    listed = dict(pyogrio.list_layers(path))
    sites = stack.get("sites").data
    for table, layer in _tables(stack).items():
        assert table in listed
        info = pyogrio.read_info(path, layer=table)
        expected = {
            "sites_points": (sites.geom_type == "Point").sum(),
            "sites_areas": (sites.geom_type == "Polygon").sum(),
        }.get(table, len(layer.data))
        assert info["features"] == expected, table
        assert info["crs"] == "EPSG:5186"
        assert info["geometry_type"] == {
            "sites_points": "Point",
            "sites_areas": "MultiPolygon",
        }.get(table, layer.data.geom_type.iloc[0] if len(layer.data) else None)
    assert "sites" not in listed  # one geometry type per table: no mixed table
    assert dict(_query(path, "SELECT table_name, column_name FROM gpkg_geometry_columns")) == {
        table: "geom" for table in _tables(stack)
    }
    types = dict(_query(path, "SELECT table_name, geometry_type_name FROM gpkg_geometry_columns"))
    assert (types["sites_points"], types["sites_areas"]) == ("POINT", "MULTIPOLYGON")


def test_geopackage_1_2_and_integrity(exported):
    path = exported[0]
    assert _query(path, "PRAGMA integrity_check") == [("ok",)]
    assert _query(path, "PRAGMA user_version") == [(10200,)]
    assert _query(path, "PRAGMA application_id") == [(0x47504B47,)]  # 'GPKG'
    assert _query(path, "PRAGMA foreign_key_check") == []


def test_layer_styles_one_default_row_per_layer(exported):
    path, stack, _ = exported
    rows = _query(
        path,
        "SELECT f_table_catalog, f_table_schema, f_table_name, "
        "f_geometry_column, styleName, useAsDefault, update_time, styleQML, "
        "styleSLD FROM layer_styles",
    )
    assert sorted(r[2] for r in rows) == sorted(_tables(stack))
    for catalog, schema, table, column, name, default, stamp, qml, sld in rows:
        assert catalog == "" and schema == "" and column == "geom"
        assert default == 1 and 0 < len(name) <= 30 and table in name
        assert pd.Timestamp(stamp).tzinfo is not None
        assert qml and sld
    assert _query(
        path, "SELECT data_type FROM gpkg_contents WHERE table_name = 'layer_styles'"
    ) == [("attributes",)]
    # exactly QGIS's lookup finds each table's row
    for table in _tables(stack):
        found = _query(
            path,
            "SELECT styleName FROM layer_styles WHERE f_table_schema='' AND "
            "f_table_name=? AND f_geometry_column='geom' ORDER BY CASE WHEN "
            "useAsDefault THEN 1 ELSE 2 END, update_time DESC LIMIT 1",
            table,
        )
        assert found and table in found[0][0]


def _qml(path, name):
    text = _query(path, "SELECT styleQML FROM layer_styles WHERE f_table_name=?", name)[0][0]
    return ET.fromstring(text.split("\n", 1)[1])  # after the DOCTYPE line


def _rgba(colour, alpha):
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"{r},{g},{b},{round(255 * alpha)}"


def test_qml_renderers_and_category_colours(exported):
    path, stack, _ = exported
    expected = {
        "zoning": "categorizedSymbol",
        "startups": "categorizedSymbol",
        "districts": "categorizedSymbol",
        "gu": "singleSymbol",
        "dong": "singleSymbol",
        "education": "singleSymbol",
        "stations": "singleSymbol",
        "sites_points": "singleSymbol",
        "sites_areas": "singleSymbol",
    }
    for name, renderer_type in expected.items():
        root = _qml(path, name)
        assert root.tag == "qgis" and root.get("version") == "3.22.0"
        assert root.find("renderer-v2").get("type") == renderer_type
    for name in ("zoning", "startups", "districts"):
        style = stack.get(name).style
        renderer = _qml(path, name).find("renderer-v2")
        assert renderer.get("attr") == style.field
        categories = renderer.findall("categories/category")
        assert [c.get("value") for c in categories] == [str(c.value) for c in style.categories] + [
            ""
        ]
        symbols = {s.get("name"): s for s in renderer.findall("symbols/symbol")}
        for element, category in zip(categories, style.categories):
            props = {
                p.get("k"): p.get("v") for p in symbols[element.get("symbol")].findall("layer/prop")
            }
            assert props["color"] == _rgba(category.symbol.fill, category.symbol.fill_alpha)
            if category.symbol.stroke:
                assert props["outline_color"] == _rgba(category.symbol.stroke, 1)
                assert props["outline_width_unit"] == "Pixel"
    zoning = _qml(path, "zoning")
    greenbelt = next(
        c
        for c in zoning.findall("renderer-v2/categories/category")
        if c.get("value") == "개발제한구역"
    )
    symbol = zoning.find(f"renderer-v2/symbols/symbol[@name='{greenbelt.get('symbol')}']")
    props = {p.get("k"): p.get("v") for p in symbol.findall("layer/prop")}
    assert props["style"] == "b_diagonal" and props["outline_style"] == "dash"
    marker = _qml(path, "education").find("renderer-v2/symbols/symbol/layer")
    assert marker.get("class") == "SimpleMarker"
    assert _qml(path, "dong").findtext("layerOpacity") == "0.6"
    assert _qml(path, "sites_points").findtext("layerGeometryType") == "0"
    assert _qml(path, "sites_areas").findtext("layerGeometryType") == "2"
    labels = _qml(path, "sites_areas")
    assert labels.get("labelsEnabled") == "1"
    assert labels.find("labeling").get("type") == "simple"
    text = labels.find("labeling/settings/text-style")
    assert text.get("fieldName") == "name" and text.get("fontWeight") == "75"


def test_sld_parses_with_equal_to_filters(exported):
    path, stack, _ = exported
    for name, sld in _query(path, "SELECT f_table_name, styleSLD FROM layer_styles"):
        root = ET.fromstring(sld.encode("utf-8"))
        assert root.tag == f"{SLD}StyledLayerDescriptor"
        assert root.findtext(f"{SLD}NamedLayer/{SLD}Name") == name
        rules = root.findall(f".//{SLD}Rule")
        style = _tables(stack)[name].style
        if style.kind == "categorized":
            literals = [
                r.findtext(f"{OGC}Filter/{OGC}PropertyIsEqualTo/{OGC}Literal") for r in rules
            ]
            assert literals == [str(c.value) for c in style.categories] + [None]
            assert rules[-1].find(f"{SLD}ElseFilter") is not None
        else:
            assert len(rules) == 1


def test_provenance_table_and_gpkg_metadata(exported):
    path, stack, _ = exported
    columns = [r[1] for r in _query(path, f'PRAGMA table_info("{PROVENANCE_TABLE}")')]
    assert tuple(columns[1:]) == (*PROVENANCE_COLUMNS, "coverage")  # the export adds coverage
    rows = _query(path, f'SELECT layer, status FROM "{PROVENANCE_TABLE}"')
    assert dict(rows) == {t: str(layer.provenance.status) for t, layer in _tables(stack).items()}
    meta = _query(
        path,
        "SELECT r.reference_scope, r.table_name, r.column_name, m.md_scope, "
        "m.md_standard_uri, m.mime_type, m.metadata FROM "
        "gpkg_metadata_reference r JOIN gpkg_metadata m ON m.id = "
        "r.md_file_id WHERE m.md_standard_uri = ?",
        PROVENANCE_URI,
    )
    assert sorted(r[1] for r in meta) == sorted(_tables(stack))
    for scope, table, column, md_scope, uri, mime, text in meta:
        assert (scope, column, md_scope, uri, mime) == (
            "table",
            None,
            "dataset",
            PROVENANCE_URI,
            "text/plain",
        )
        provenance = _tables(stack)[table].provenance
        assert f"status: {provenance.status}" in text
        assert f"licence: {provenance.licence}" in text
    extensions = _query(
        path, "SELECT table_name FROM gpkg_extensions WHERE extension_name = 'gpkg_metadata'"
    )
    assert sorted(e[0] for e in extensions) == ["gpkg_metadata", "gpkg_metadata_reference"]


def test_caveat_columns_travel(exported):
    path = exported[0]
    assert pyogrio.read_dataframe(path, layer="startups")["synthetic"].all()
    assert pyogrio.read_dataframe(path, layer="zoning")["illustrative"].all()


def test_a_caveated_layer_without_the_column_gets_one(exported, tmp_path):
    from dataclasses import replace

    from layers.model import LayerStack
    from layers.provenance import DataStatus

    layer = exported[1].get("stations")
    copy = type(layer)(
        name="stations",
        data=layer.data,
        style=layer.style,
        provenance=replace(layer.provenance, status=DataStatus.ILLUSTRATIVE),
        geometry_kind="point",
    )
    out = export_geopackage(tmp_path / "one.gpkg", LayerStack([copy]))
    assert pyogrio.read_dataframe(out, layer="stations")["illustrative"].all()


def test_sites_carry_every_indicator_column(exported):
    path, stack, indicators = exported
    points = pyogrio.read_dataframe(path, layer="sites_points")
    areas = pyogrio.read_dataframe(path, layer="sites_areas")
    for column in COLUMNS:
        assert column in points.columns and column in areas.columns
    assert points["name"].tolist() == ["가산 A"] and areas["name"].tolist() == ["양재 C"]
    sites = pd.concat([points, areas], ignore_index=True)
    assert sites["startups_n"].tolist() == indicators["startups_n"].tolist()
    assert json.loads(sites["zone_shares"][0]) == {"준공업": 1.0}
    assert (set(points.geom_type), set(areas.geom_type)) == ({"Point"}, {"MultiPolygon"})
    with sqlite3.connect(path) as con:  # counts are INTEGER, times DATETIME
        declared = {row[1]: row[2] for row in con.execute('PRAGMA table_info("sites_areas")')}
    con.close()
    assert {declared[c] for c in ("startups_n", "employees_sum", "stations_n")} == {"INTEGER"}
    assert declared["created"] == declared["modified"] == "DATETIME"


def test_round_trip_exact(exported):
    path, stack, _ = exported
    back = open_project(path)
    assert back.stack.names() == stack.names()
    for layer in stack:
        other = back.stack.get(layer.name)
        assert other.data.crs.equals("EPSG:5186")
        assert (
            shapely.to_wkb(other.data.geometry.values).tolist()
            == shapely.to_wkb(layer.data.geometry.values).tolist()
        ), layer.name
        left = pd.DataFrame(layer.data.drop(columns=layer.data.geometry.name))
        right = pd.DataFrame(other.data.drop(columns=other.data.geometry.name))[left.columns]
        pd.testing.assert_frame_equal(left.reset_index(drop=True), right, check_dtype=False)
        assert other.provenance == layer.provenance
        assert other.opacity == layer.opacity and other.style == layer.style
    assert back.stack.get("sites").data["notes"][0] == "준공업 '따옴표' 메모"


def test_failed_export_leaves_the_previous_file(exported, tmp_path, monkeypatch):
    import app.core.export.geopackage as module

    target = tmp_path / "keep.gpkg"
    target.write_bytes(b"previous")
    monkeypatch.setattr(
        module,
        "_write_styles_and_metadata",
        lambda con, stack: (_ for _ in ()).throw(sqlite3.OperationalError("disk I/O error")),
    )
    with pytest.raises(ExportError, match="cannot export keep.gpkg: disk I/O error"):
        export_geopackage(target, exported[1])
    assert target.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.gpkg"]


def test_export_errors(exported, tmp_path):
    from layers.model import LayerStack

    with pytest.raises(ExportError, match="folder does not exist"):
        export_geopackage(tmp_path / "no" / "x.gpkg", exported[1])
    with pytest.raises(ExportError, match="no layers"):
        export_geopackage(tmp_path / "x.gpkg", LayerStack())


def test_indicators_csv_and_geojson(exported, tmp_path):
    _, stack, indicators = exported
    sites = stack.get("sites").data
    table = indicators.reset_index(drop=True)
    table.insert(0, "name", sites["name"])
    export_indicators_csv(tmp_path / "i.csv", table)
    raw = (tmp_path / "i.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(tmp_path / "i.csv", encoding="utf-8-sig")
    assert list(back.columns) == ["name", *COLUMNS] and back["name"][0] == "가산 A"
    export_indicators_geojson(tmp_path / "i.geojson", table, sites)
    geo = json.loads((tmp_path / "i.geojson").read_text(encoding="utf-8"))
    assert [f["geometry"]["type"] for f in geo["features"]] == ["Point", "Polygon"]
    assert geo["features"][0]["properties"]["zone_shares"] == {"준공업": 1.0}
    lon, lat = geo["features"][0]["geometry"]["coordinates"]
    assert lon == pytest.approx(126.8826, abs=1e-6) and lat == pytest.approx(37.4776, abs=1e-6)
    frame = gpd.read_file(tmp_path / "i.geojson")
    assert len(frame) == 2 and frame["name"].tolist() == ["가산 A", "양재 C"]
