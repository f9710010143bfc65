"""Styles come back (issue 5, round trip): QML written by InnoAtlas or QGIS → LayerStyle,
a GeoPackage's layer_styles → every layer's style and opacity, LayerStyle ↔ JSON dict."""

import json
import sqlite3
import textwrap

import geopandas as gpd
import pytest

from app.core.analysis.map_layers import DENSITY_SPEC, HOTSPOT_SPEC
from app.core.export.geopackage import export_geopackage
from app.core.formats.qgis.layer_styles import read_layer_styles
from app.core.formats.qgis.qml_read import (
    qml_normalised,
    qml_opacity,
    style_from_qml,
)
from app.core.formats.qgis.qml_symbols import StyleImportError
from app.core.formats.qgis.qml_write import style_qml
from app.core.project.site_tables import table_layers
from app.core.project.store import open_project, save_project
from layers.model import Layer
from layers.style import Category, LabelStyle, LayerStyle, Symbol, categorized
from layers.style_io import style_from_dict, style_to_dict
from layers.themes import sites
from layers.themes.registry import DEFAULT_SPECS
from tests.pyqgis import has_pyqgis, run_pyqgis, set_two_sites

SPECS = [*DEFAULT_SPECS, sites.SPEC, DENSITY_SPEC, HOTSPOT_SPEC]
MM = 96 / 25.4  # pixels per mm at 96 dpi


def _layer(style: LayerStyle, kind: str, opacity: float = 1.0, name: str = "t") -> Layer:
    return Layer(
        name=name,
        data=gpd.GeoDataFrame(geometry=[]),
        style=style,
        provenance=None,
        geometry_kind=kind,
        opacity=opacity,
    )


def _back(style: LayerStyle, kind: str) -> LayerStyle:
    return style_from_qml(style_qml(style, _layer(style, kind)), kind)


# --- QML written by InnoAtlas --------------------------------------------------------
@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_every_default_style_comes_back_exactly_from_its_qml(spec):
    assert _back(spec.style, spec.geometry_kind) == spec.style
    assert qml_normalised(spec.style, spec.geometry_kind) == spec.style  # nothing to reset


def test_categories_keep_their_value_types_and_korean_text():
    symbol = Symbol(fill="#123456", fill_alpha=0.123, stroke="#abcdef", stroke_width=0.37)
    style = categorized(
        "구분",
        [
            ("준공업 '따옴표'", '준공업 · "인용"', symbol),
            (3, "셋", symbol),
            (2.5, "둘 반", symbol),
            (True, "예", symbol),
        ],
        other=Symbol(fill=None),
        other_label="기타",
        label=LabelStyle(field="이름", size_pt=9.5, halo=None, max_resolution=7.25),
    )
    for kind in ("polygon", "point", "mixed"):
        back = _back(style, kind)
        assert [c.value for c in back.categories] == ["준공업 '따옴표'", 3, 2.5, True]
        assert [type(c.value) for c in back.categories] == [str, int, float, bool]
        assert back == qml_normalised(style, kind)
    # 0.123 is not a multiple of 1/255: it comes back as the shortest decimal of its step
    assert _back(style, "polygon").categories[0].symbol.fill_alpha == 0.12


def test_normalisation_resets_only_what_qml_cannot_carry():
    style = LayerStyle(
        symbol=Symbol(
            fill=None,
            fill_alpha=0.3,
            stroke="#ABCDEF",
            stroke_width=0,
            stroke_style="dash",
            marker="square",
            size=3,
            hatch="cross",
        ),
        field="unused",
        other_label="unused",
    )
    back = _back(style, "polygon")
    assert (
        back
        == qml_normalised(style, "polygon")
        == LayerStyle(symbol=Symbol(fill=None, stroke=None, stroke_width=0))
    )
    point = LayerStyle(
        symbol=Symbol(fill="#ff0000", fill_alpha=0.0, marker="square", size=3, hatch="diagonal")
    )
    assert (
        _back(point, "point")
        == qml_normalised(point, "point")
        == LayerStyle(symbol=Symbol(fill=None, marker="square", size=3))
    )


def test_line_layers_are_written_and_read_as_simple_lines():
    style = LayerStyle(
        symbol=Symbol(stroke="#0044aa", stroke_width=2.25, stroke_style="dot"),
        label=LabelStyle(field="name"),
    )
    qml = style_qml(style, _layer(style, "line"))
    assert 'class="SimpleLine"' in qml and "<layerGeometryType>1<" in qml
    assert style_from_qml(qml, "line") == style


def test_mixed_sites_take_the_polygon_rule_and_the_point_marker():
    style = sites.SPEC.style
    qml = style_qml(style, _layer(style, "mixed"))
    assert 'type="RuleRenderer"' in qml
    assert style_from_qml(qml, "mixed") == style
    polygon_only = style_from_qml(qml, "polygon")
    assert polygon_only.symbol.fill == style.symbol.fill and polygon_only.symbol.size == 6
    assert style_from_qml(qml, "point").symbol.marker == "diamond"


def test_opacity_comes_from_layer_opacity():
    style = DEFAULT_SPECS[0].style
    assert qml_opacity(style_qml(style, _layer(style, "point", opacity=0.35))) == 0.35
    assert qml_opacity("<qgis><layerTransparency>40</layerTransparency></qgis>") == 0.6
    assert qml_opacity("not xml") == 1.0


# --- QML written by QGIS -------------------------------------------------------------
# Trimmed from a QGIS style (Option maps only, as QGIS ≥ 3.26 writes; colours in the
# newer "r,g,b,a,rgb:..." form; category types; Qt 6 font weight 700).
QGIS_POLYGONS = """<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.40.0-Bratislava" styleCategories="AllStyleCategories" labelsEnabled="1">
  <renderer-v2 type="categorizedSymbol" attr="zone_type" symbollevels="0" forceraster="0"
               enableorderby="0" referencescale="-1">
    <categories>
      <category value="준공업" type="string" label="준공업지역" symbol="0" render="true"/>
      <category value="자연녹지" type="string" label="자연녹지지역" symbol="1" render="true"/>
      <category value="" type="string" label="기타" symbol="2" render="true"/>
    </categories>
    <symbols>
      <symbol type="fill" name="0" alpha="1" clip_to_extent="1" force_rhr="0"
              frame_rate="10" is_animated="0">
        <data_defined_properties><Option type="Map"><Option name="name" type="QString"
          value=""/></Option></data_defined_properties>
        <layer class="SimpleFill" enabled="1" locked="0" pass="0" id="{7d5c}">
          <Option type="Map">
            <Option name="color" type="QString" value="168,169,232,140,rgb:0.6588235,0.6627451,0.9098039,0.5490196"/>
            <Option name="outline_color" type="QString" value="35,35,35,255,rgb:0.1372549,0.1372549,0.1372549,1"/>
            <Option name="outline_style" type="QString" value="solid"/>
            <Option name="outline_width" type="QString" value="0.26"/>
            <Option name="outline_width_unit" type="QString" value="MM"/>
            <Option name="style" type="QString" value="solid"/>
          </Option>
        </layer>
      </symbol>
      <symbol type="fill" name="1" alpha="0.5" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="149,213,178,255"/>
            <Option name="outline_style" type="QString" value="no"/>
            <Option name="style" type="QString" value="b_diagonal"/>
          </Option>
        </layer>
        <layer class="SimpleLine" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="line_color" type="QString" value="45,106,79,255"/>
            <Option name="line_style" type="QString" value="dash"/>
            <Option name="line_width" type="QString" value="1"/>
            <Option name="line_width_unit" type="QString" value="Point"/>
          </Option>
        </layer>
      </symbol>
      <symbol type="fill" name="2" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="0,0,0,255"/>
            <Option name="outline_color" type="QString" value="128,128,128,255"/>
            <Option name="outline_width" type="QString" value="2"/>
            <Option name="outline_width_unit" type="QString" value="Pixel"/>
            <Option name="style" type="QString" value="no"/>
          </Option>
        </layer>
      </symbol>
    </symbols>
  </renderer-v2>
  <labeling type="simple">
    <settings calloutType="simple">
      <text-style fieldName="name" isExpression="0" fontSize="3" fontSizeUnit="MM"
                  fontWeight="700" namedStyle="" textColor="50,50,50,255,rgb:0.19,0.19,0.19,1">
        <text-buffer bufferDraw="0" bufferColor="255,255,255,255"/>
      </text-style>
      <rendering scaleVisibility="1" scaleMin="0" scaleMax="25000" drawLabels="1"/>
    </settings>
  </labeling>
  <layerOpacity>0.8</layerOpacity>
  <layerGeometryType>2</layerGeometryType>
</qgis>
"""


def test_a_qgis_made_categorized_polygon_style():
    style = style_from_qml(QGIS_POLYGONS, "polygon")
    assert style.kind == "categorized" and style.field == "zone_type"
    industrial, green = style.categories
    assert (industrial.value, industrial.label) == ("준공업", "준공업지역")
    assert industrial.symbol.fill == "#a8a9e8" and industrial.symbol.fill_alpha == 0.55
    assert industrial.symbol.stroke == "#232323"
    assert industrial.symbol.stroke_width == pytest.approx(0.26 * MM)
    # symbol opacity 0.5 halves the fill; the outline comes from the SimpleLine layer
    assert green.symbol.fill == "#95d5b2" and green.symbol.fill_alpha == 0.5
    assert green.symbol.hatch == "diagonal"
    assert (green.symbol.stroke, green.symbol.stroke_style) == ("#2d6a4f", "dash")
    assert green.symbol.stroke_width == pytest.approx(96 / 72)
    assert style.other_label == "기타" and style.symbol.fill is None  # style "no"
    assert style.symbol.stroke == "#808080" and style.symbol.stroke_width == 2
    label = style.label
    assert label.field == "name" and label.bold and label.halo is None
    assert label.size_pt == pytest.approx(3 * 72 / 25.4) and label.color == "#323232"
    assert round(label.max_resolution * 96 / 0.0254) == 25000
    assert qml_opacity(QGIS_POLYGONS) == 0.8


def test_unsupported_or_mismatched_styles_raise_one_line_errors():
    cluster = QGIS_POLYGONS.replace('type="categorizedSymbol"', 'type="pointCluster"')
    svg = QGIS_POLYGONS.replace('class="SimpleFill"', 'class="SVGFill"').replace(
        'class="SimpleLine"', 'class="MarkerLine"'
    )
    cases = {
        cluster: "polygon",
        svg: "polygon",
        QGIS_POLYGONS: "point",
        "<qgis><renderer-v2 type='heatmapRenderer'/></qgis>": "point",
        "<qgis><renderer-v2 type='RuleRenderer'><rules><rule filter='\"a\" > 3'/>"
        "</rules></renderer-v2></qgis>": "polygon",
        "<qgis><renderer-v2": "point",
        "<sld/>": "point",
        "<qgis/>": "point",
        '<!DOCTYPE qgis [<!ENTITY a "aaaa">]><qgis>&a;</qgis>': "point",
    }
    for text, kind in cases.items():
        with pytest.raises(StyleImportError) as err:
            style_from_qml(text, kind)
        assert "\n" not in str(err.value) and str(err.value)
    assert "pointCluster" in _message(cluster, "polygon")
    assert "SVGFill" in _message(svg, "polygon")
    assert "polygon" in _message(QGIS_POLYGONS, "point")


def _message(text, kind):
    with pytest.raises(StyleImportError) as err:
        style_from_qml(text, kind)
    return str(err.value)


QGIS_SCRIPT = textwrap.dedent("""
    import sys
    from qgis.core import (QgsApplication, QgsVectorLayer, QgsFillSymbol, QgsMarkerSymbol,
                           QgsLineSymbol, QgsSingleSymbolRenderer, QgsRendererCategory,
                           QgsCategorizedSymbolRenderer, QgsPalLayerSettings, QgsTextFormat,
                           QgsTextBufferSettings, QgsVectorLayerSimpleLabeling)
    from qgis.PyQt.QtGui import QColor, QFont
    app = QgsApplication([], False)
    app.initQgis()
    folder = sys.argv[1]
    zones = QgsVectorLayer("Polygon?crs=EPSG:5186&field=zone:string", "zones", "memory")
    zones.setRenderer(QgsSingleSymbolRenderer(QgsFillSymbol.createSimple(
        {"color": "255,0,0,128", "outline_color": "0,0,255,255", "outline_width": "0.5",
         "outline_style": "dash"})))
    zones.setOpacity(0.7)
    settings = QgsPalLayerSettings()
    settings.fieldName = "zone"
    text = QgsTextFormat()
    text.setSize(11)
    text.setColor(QColor(20, 30, 40))
    font = QFont()
    font.setBold(True)
    text.setFont(font)
    buffer = QgsTextBufferSettings()
    buffer.setEnabled(True)
    buffer.setColor(QColor(250, 250, 240))
    text.setBuffer(buffer)
    settings.setFormat(text)
    settings.scaleVisibility = True
    settings.minimumScale = 25000
    zones.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    zones.setLabelsEnabled(True)
    points = QgsVectorLayer("Point?crs=EPSG:5186&field=kind:string", "points", "memory")
    categories = [QgsRendererCategory(value, QgsMarkerSymbol.createSimple(
        {"color": colour, "name": name, "size": "3", "outline_color": "255,255,255,255",
         "outline_width": "0.4"}), label)
        for value, colour, name, label in (("연구", "10,20,30,255", "square", "연구소"),
                                           ("b", "200,100,50,200", "triangle", "kind b"))]
    categories.append(QgsRendererCategory("", QgsMarkerSymbol.createSimple(
        {"color": "128,128,128,255"}), "rest"))
    points.setRenderer(QgsCategorizedSymbolRenderer("kind", categories))
    lines = QgsVectorLayer("LineString?crs=EPSG:5186", "lines", "memory")
    lines.setRenderer(QgsSingleSymbolRenderer(QgsLineSymbol.createSimple(
        {"line_color": "0,128,0,255", "line_width": "1.2", "line_style": "dot"})))
    for layer in (zones, points, lines):
        message, ok = layer.saveNamedStyle(f"{folder}/{layer.name()}.qml")
        print("SAVED", layer.name(), ok, message)
    del zones, points, lines, layer
    app.exitQgis()
""")


@pytest.mark.skipif(not has_pyqgis(), reason="PyQGIS is not installed")
def test_qml_made_by_qgis_itself(tmp_path):
    result = run_pyqgis(QGIS_SCRIPT, tmp_path, tmp_path)
    assert result.stdout.count("SAVED") == 3, result.stdout + result.stderr

    def read(name):
        return (tmp_path / f"{name}.qml").read_text(encoding="utf-8")

    zones = style_from_qml(read("zones"), "polygon")
    assert zones.kind == "single"
    assert zones.symbol == Symbol(
        fill="#ff0000",
        fill_alpha=0.5,
        stroke="#0000ff",
        stroke_width=pytest.approx(0.5 * MM),
        stroke_style="dash",
    )
    assert zones.label == LabelStyle(
        field="zone",
        size_pt=11,
        color="#141e28",
        halo="#fafaf0",
        bold=True,
        max_resolution=pytest.approx(25000 * 0.0254 / 96, abs=1e-3),
    )
    assert qml_opacity(read("zones")) == pytest.approx(0.7)
    points = style_from_qml(read("points"), "point")
    assert points.field == "kind" and points.other_label == "rest"
    first, second = points.categories
    assert (first.value, first.label, first.symbol.marker) == ("연구", "연구소", "square")
    assert first.symbol.fill == "#0a141e" and first.symbol.stroke == "#ffffff"
    assert first.symbol.size == pytest.approx(3 * MM)
    assert first.symbol.stroke_width == pytest.approx(0.4 * MM)
    assert second.symbol.marker == "triangle" and second.symbol.fill_alpha == 0.784
    assert points.symbol.fill == "#808080"
    lines = style_from_qml(read("lines"), "line")
    assert (lines.symbol.stroke, lines.symbol.stroke_style) == ("#008000", "dot")
    assert lines.symbol.stroke_width == pytest.approx(1.2 * MM)
    with pytest.raises(StyleImportError):
        style_from_qml(read("lines"), "polygon")


RESAVE_SCRIPT = textwrap.dedent("""
    import sys
    from qgis.core import QgsApplication, QgsVectorLayer
    app = QgsApplication([], False)
    app.initQgis()
    path, folder, names = sys.argv[1], sys.argv[2], sys.argv[3:]
    for name in names:
        layer = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
        message, loaded = layer.loadDefaultStyle()
        message, saved = layer.saveNamedStyle(f"{folder}/{name}.qml")
        print("SAVED", name, loaded, saved)
        del layer
    app.exitQgis()
""")


@pytest.mark.skipif(not has_pyqgis(), reason="PyQGIS is not installed")
def test_styles_resaved_by_qgis_read_back_equal(default_project_path, tmp_path):
    """Export → QGIS loads each default style and saves it as its own QML → InnoAtlas
    reads the same style and opacity (QGIS's units, defaults and layout, not ours)."""
    project = open_project(default_project_path)
    set_two_sites(project.stack)
    project.stack.get("gu").set_opacity(0.55)
    path = export_geopackage(tmp_path / "export.gpkg", project.stack)
    tables = {t: layer for item in project.stack for t, layer in table_layers(item)}
    result = run_pyqgis(RESAVE_SCRIPT, tmp_path, path, tmp_path, *tables)
    assert result.stdout.count("True True") == len(tables), result.stdout + result.stderr
    for name, layer in tables.items():
        text = (tmp_path / f"{name}.qml").read_text(encoding="utf-8")
        assert 'styleCategories="AllStyleCategories"' in text  # QGIS's file, not ours
        expected = qml_normalised(layer.style, layer.geometry_kind)  # sites: per table
        assert style_from_qml(text, layer.geometry_kind) == expected, name
        assert qml_opacity(text) == pytest.approx(layer.opacity)


# --- a GeoPackage's layer_styles -----------------------------------------------------
@pytest.fixture(scope="module")
def project(default_project_path):
    return open_project(default_project_path)


def test_an_export_gives_back_every_layer_style_and_opacity(project, tmp_path):
    project.stack.get("dong").set_opacity(0.45)
    try:
        path = export_geopackage(tmp_path / "스타일.gpkg", project.stack)
    finally:
        project.stack.get("dong").set_opacity(1.0)
    styles = read_layer_styles(path)
    tables = {t: layer for item in project.stack for t, layer in table_layers(item)}
    assert set(styles) == set(tables)  # the sites: sites_points and sites_areas
    for name, layer in tables.items():
        style, opacity = styles[name]
        assert style == qml_normalised(layer.style, layer.geometry_kind), name
        assert opacity == (0.45 if name == "dong" else 1.0)


def _styles_db(
    path,
    rows,
    columns="f_table_schema, f_table_name, f_geometry_column, styleQML, useAsDefault, update_time",
):
    with sqlite3.connect(path) as con:
        con.execute(
            "CREATE TABLE gpkg_geometry_columns (table_name TEXT, column_name TEXT, "
            "geometry_type_name TEXT)"
        )
        con.executemany(
            "INSERT INTO gpkg_geometry_columns VALUES (?, ?, ?)",
            [
                ("a", "geom", "MULTIPOLYGON"),
                ("b", "geom", "POINT"),
                ("c", "geom", "GEOMETRY"),
                ("d", "geom", "LINESTRING"),
            ],
        )
        if rows is not None:
            con.execute(f"CREATE TABLE layer_styles ({columns})")
            con.executemany(
                f"INSERT INTO layer_styles ({columns}) VALUES "
                f"({', '.join('?' * len(columns.split(',')))})",
                rows,
            )
    con.close()
    return path


def test_the_row_qgis_would_load_is_read(tmp_path):
    red = LayerStyle(symbol=Symbol(fill="#ff0000"))
    blue = LayerStyle(symbol=Symbol(fill="#0000ff"))
    qml = {
        name: style_qml(style, _layer(style, kind, opacity=op))
        for name, style, kind, op in (
            ("red", red, "polygon", 0.5),
            ("blue", blue, "polygon", 1.0),
            ("pt", red, "point", 0.25),
        )
    }
    rows = [
        ("", "a", "geom", qml["red"], 0, "2026-01-03T00:00:00Z"),  # newest, not default
        ("", "a", "geom", qml["blue"], 1, "2026-01-01T00:00:00Z"),  # old default: wins
        ("", "a", "geom", qml["red"], 1, "2025-01-01T00:00:00Z"),
        (None, "b", "geom", qml["pt"], 1, "2026-01-01T00:00:00Z"),  # NULL schema: never
        ("", "b", "geom", qml["pt"], 0, "2026-01-01T00:00:00Z"),
        ("", "c", "geom", qml["red"], 1, "2026-01-01T00:00:00Z"),  # GEOMETRY: mixed
        ("", "d", "geom", qml["red"], 1, "2026-01-01T00:00:00Z"),
    ]  # fill on lines
    styles = read_layer_styles(_styles_db(tmp_path / "s.gpkg", rows))
    assert styles["a"] == (blue, 1.0)
    assert styles["b"] == (LayerStyle(symbol=Symbol(fill="#ff0000")), 0.25)
    assert styles["c"] == (red, 0.5)
    assert styles["d"] == (None, 0.5)  # unreadable for a line layer, opacity still read


def test_damaged_or_missing_style_tables_never_raise(tmp_path):
    assert read_layer_styles(_styles_db(tmp_path / "none.gpkg", None)) == {}
    assert read_layer_styles(tmp_path / "missing.gpkg") == {}
    junk = tmp_path / "junk.gpkg"
    junk.write_bytes(b"not a database at all" * 10)
    assert read_layer_styles(junk) == {}
    broken = _styles_db(tmp_path / "cols.gpkg", [("a",)], columns="f_table_name")
    assert read_layer_styles(broken) == {}  # no styleQML column
    rows = [
        ("", "a", "geom", None, 1, "x"),
        ("", "b", "geom", b"\xff<qgis", 1, "x"),
        ("", "c", "geom", "<qgis><layerOpacity>0.3</layerOpacity></qgis>", 1, "x"),
    ]
    styles = read_layer_styles(_styles_db(tmp_path / "bad.gpkg", rows))
    assert styles == {"a": (None, 1.0), "b": (None, 1.0), "c": (None, 0.3)}


def test_text_category_values_take_the_column_type(tmp_path, project):
    # QGIS 3.22 writes categories without a type: "3" must classify an INTEGER column
    style = categorized("n", [(3, "three", Symbol(fill="#010203"))], other=Symbol())
    qml = style_qml(style, _layer(style, "point")).replace(' type="long"', "")
    assert style_from_qml(qml, "point").categories[0].value == "3"
    path = tmp_path / "typed.gpkg"
    save_project(path, project.stack, project.settings)
    with sqlite3.connect(path) as con:
        con.execute("DROP TABLE layer_styles")  # a save writes one; this test's own instead
        con.execute(
            "CREATE TABLE layer_styles (f_table_schema TEXT, f_table_name TEXT, "
            "f_geometry_column TEXT, styleQML TEXT, useAsDefault BOOLEAN, "
            "update_time DATETIME)"
        )
        con.execute(
            "INSERT INTO layer_styles VALUES ('', 'startups', 'geom', ?, 1, '')",
            (qml.replace('attr="n"', 'attr="employees"'),),
        )
    con.close()
    ((read, _),) = read_layer_styles(path).values()
    assert read.categories[0].value == 3


# --- LayerStyle ↔ dict ---------------------------------------------------------------
@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_style_dict_round_trip_through_json(spec):
    data = json.loads(json.dumps(style_to_dict(spec.style), ensure_ascii=False))
    assert style_from_dict(data) == spec.style


def test_style_dict_keeps_value_types_and_defaults_missing_keys():
    style = LayerStyle(
        kind="categorized",
        field="n",
        symbol=Symbol(fill=None),
        categories=(
            Category(1, "one", Symbol()),
            Category(1.5, "x", Symbol()),
            Category(False, "no", Symbol()),
            Category(None, "null", Symbol()),
        ),
    )
    back = style_from_dict(json.loads(json.dumps(style_to_dict(style))))
    assert back == style and [type(c.value) for c in back.categories] == [
        int,
        float,
        bool,
        type(None),
    ]
    assert style_from_dict({}) == LayerStyle()
    assert style_from_dict({"symbol": {"fill": "#ABCDEF"}, "future_key": 1}) == LayerStyle(
        symbol=Symbol(fill="#ABCDEF")
    )
    with pytest.raises(ValueError, match="category value"):
        style_to_dict(
            LayerStyle(kind="categorized", field="f", categories=(Category((1, 2), "t", Symbol()),))
        )


@pytest.mark.parametrize(
    "damage, where",
    [
        ([], "style: expected an object"),
        ({"kind": "heatmap"}, "style.kind"),
        ({"symbol": {"fill": "red"}}, "style.symbol.fill"),
        ({"symbol": {"fill_alpha": 1.5}}, "style.symbol.fill_alpha"),
        ({"symbol": {"stroke_width": "2"}}, "style.symbol.stroke_width"),
        ({"symbol": {"size": True}}, "style.symbol.size"),
        ({"symbol": {"marker": "star"}}, "style.symbol.marker"),
        ({"symbol": {"hatch": "dots"}}, "style.symbol.hatch"),
        ({"symbol": {"stroke_style": None}}, "style.symbol.stroke_style"),
        ({"symbol": []}, "style.symbol: expected an object"),
        ({"categories": {"a": 1}}, "style.categories"),
        ({"categories": [{"label": "x"}]}, "style.categories[0].value is missing"),
        (
            {"categories": [{"value": "a", "symbol": {"stroke": 3}}]},
            "style.categories[0].symbol.stroke",
        ),
        ({"categories": [{"value": {"a": 1}}]}, "style.categories[0].value"),
        ({"field": 3}, "style.field"),
        ({"other_label": None}, "style.other_label"),
        ({"label": {"size_pt": 9}}, "style.label.field is missing"),
        ({"label": {"field": "n", "color": None}}, "style.label.color"),
        ({"label": {"field": "n", "bold": "yes"}}, "style.label.bold"),
        ({"label": {"field": "n", "max_resolution": -1}}, "style.label.max_resolution"),
        ({"label": "name"}, "style.label: expected an object"),
        ({"version": 2}, "newer"),
    ],
)
def test_damaged_style_dicts_raise_clear_errors(damage, where):
    with pytest.raises(ValueError) as err:
        style_from_dict(damage)
    assert where in str(err.value) and "\n" not in str(err.value)
