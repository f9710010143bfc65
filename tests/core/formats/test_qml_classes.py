"""Graduated and rule-based QGIS styles (issue 14, item 2): QML made by QGIS 3.22
(tests/data/qgis/*.qml, written by PyQGIS ``saveNamedStyle``) read into the one style
model, drawn by the canvas renderer, written back to QML/SLD, kept in project settings;
a rule the parser does not understand becomes a one-line note."""

import xml.etree.ElementTree as ET
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from app.core.formats.qgis.qml_read import style_from_qml
from app.core.formats.qgis.qml_write import LABEL_FONTS, style_qml
from app.core.formats.qgis.sld_write import style_sld
from layers.model import Layer, LayerStack
from layers.provenance import DataStatus, Provenance
from layers.style import LabelStyle, LayerStyle, Range, Rule, Symbol
from layers.style_classes import class_codes, legend_rows
from layers.style_io import style_from_dict, style_to_dict

DATA = Path(__file__).parents[2] / "data" / "qgis"
# four squares side by side, 1 km apart
NAMES = ["강남구", "중구", "마포구", None]
RANKS = [3, 15, 15, 24]


def _layer(style, kind="polygon"):
    squares = [shapely.box(x * 1000, 0, x * 1000 + 800, 800) for x in range(4)]
    data = gpd.GeoDataFrame({"name": NAMES, "rank_no": RANKS}, geometry=squares, crs=5186)
    if kind == "point":
        data = data.set_geometry(data.geometry.centroid)
    return Layer(
        name="gu",
        data=data,
        style=style,
        provenance=Provenance(DataStatus.ILLUSTRATIVE, "test", "CC0", "2026"),
        geometry_kind=kind,
    )


def _read(name, kind="polygon", notes=None):
    return style_from_qml((DATA / f"{name}.qml").read_text(encoding="utf-8"), kind, notes)


def test_qgis_graduated_style_reads_ranges_ramp_colours_and_labels():
    style = _read("graduated_polygons")
    assert style.kind == "graduated" and style.field == "rank_no"
    assert [(r.lower, r.upper, r.label) for r in style.ranges] == [
        (1, 9, "1 - 9"),
        (9, 17, "9 - 17"),
        (17, 25, "17 - 25"),
    ]
    # QGIS's gradient ramp from #ffffcc to #bd0026, one colour per class
    assert [r.symbol.fill for r in style.ranges] == ["#ffffcc", "#de8079", "#bd0026"]
    assert style.label is not None and style.label.field == "name"
    codes, table = class_codes(style, _layer(style).data)
    assert codes.tolist() == [0, 1, 1, 2]
    assert [label for label, _ in legend_rows(style, _layer(style).data)] == [
        "1 - 9",
        "9 - 17",
        "17 - 25",
    ]


def test_a_range_without_its_symbol_takes_the_colour_ramp():
    text = (DATA / "graduated_polygons.qml").read_text(encoding="utf-8")
    root = ET.fromstring(text.split("\n", 1)[1])
    symbols = root.find("renderer-v2/symbols")
    for symbol in list(symbols):
        symbols.remove(symbol)  # ranges refer to symbols that are gone
    style = style_from_qml(ET.tostring(root, encoding="unicode"), "polygon")
    assert [r.symbol.fill for r in style.ranges] == ["#ffffcc", "#de8079", "#bd0026"]


def test_qgis_rule_based_style_reads_nested_rules_else_in_and_is_null():
    style = _read("rules_polygons")
    assert style.kind == "rules"
    assert [r.label for r in style.rules] == ["강남·서초", "10-20, not 중구", "middle", "나머지"]
    assert style.rules[2].symbol.fill is None and style.rules[2].symbol.stroke is None
    codes, _table = class_codes(style, _layer(style).data)
    # 강남구 → rule 0; 중구 (15) fails the child rule, but its parent "middle" matched, so
    # QGIS's ELSE does not take it (not drawn); 마포구 (15) → rule 1; the nameless 24 → ELSE
    assert codes.tolist() == [0, 2, 1, 3]
    assert [row[0] for row in legend_rows(style, _layer(style).data)] == [
        "강남·서초",
        "10-20, not 중구",
        "나머지",
    ]


def _pixels(layer):
    """The canvas renderer's colour at the centre of each square."""
    from PySide6.QtGui import QImage, QPainter

    from app.core.map.viewport import Viewport
    from app.ui.canvas.render.map_renderer import MapRenderer

    viewport = Viewport(center_x=1900, center_y=400, resolution=10, width=420, height=120)
    image = QImage(viewport.width, viewport.height, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    layer.style = LayerStyle(**{**layer.style.__dict__, "label": None})
    MapRenderer(LayerStack([layer])).render_layers(painter, viewport)
    painter.end()
    centres = [viewport.map_to_screen(x * 1000 + 400, 400) for x in range(4)]
    return [image.pixelColor(int(sx), int(sy)).name() for sx, sy in centres]


def test_graduated_and_rule_styles_are_drawn_on_the_canvas(qapp):
    graduated = _pixels(_layer(_read("graduated_polygons")))
    assert graduated == ["#ffffcc", "#de8079", "#de8079", "#bd0026"]
    rules = _pixels(_layer(_read("rules_polygons")))
    assert rules[0] == "#e41a1c" and rules[2] == "#377eb8" and rules[3] == "#4daf4a"
    assert rules[1] == "#fbfaf7"  # not drawn: the canvas background


def test_an_unreadable_rule_gives_one_note_and_a_single_colour():
    notes = []
    style = _read("rules_unreadable", notes=notes)
    assert notes == [
        "rule 'regexp_match(\"name\", '구$')' not understood; drawn with a single colour"
    ]
    assert style.kind == "single" and style.symbol.fill == "#e41a1c"
    assert style.label is not None  # the labels are still read


@pytest.mark.parametrize("kind", ["polygon", "point", "mixed"])
@pytest.mark.parametrize("name", ["graduated_polygons", "rules_polygons"])
def test_qml_written_by_innoatlas_reads_back_the_same_classes(name, kind):
    read = _read(name)
    marker = Symbol(fill="#123456", stroke=None, size=8.0)
    if kind == "point":  # the same classes with marker symbols
        read = LayerStyle(
            kind=read.kind,
            field=read.field,
            symbol=Symbol(fill=None, stroke=None),
            ranges=tuple(Range(r.lower, r.upper, r.label, marker) for r in read.ranges),
            rules=tuple(Rule(r.expression, r.label, marker) for r in read.rules),
        )
    layer = _layer(read, kind if kind != "mixed" else "polygon")
    layer.geometry_kind = kind
    back = style_from_qml(style_qml(read, layer), kind)
    frame = _layer(read).data
    assert class_codes(back, frame)[0].tolist() == class_codes(read, frame)[0].tolist()
    assert [row[0] for row in back.classes()] == [row[0] for row in read.classes()]


def test_sld_carries_range_and_rule_filters():
    graduated = style_sld(_read("graduated_polygons"), _layer(None))
    assert graduated.count("<ogc:PropertyIsGreaterThanOrEqualTo>") == 3
    rules = style_sld(_read("rules_polygons"), _layer(None))
    assert "PropertyIsNull" in rules and "ElseFilter" in rules and "강남구" in rules


def test_styles_with_ranges_and_rules_are_kept_in_project_settings():
    for name in ("graduated_polygons", "rules_polygons"):
        style = _read(name)
        assert style_from_dict(style_to_dict(style)) == style


def test_labels_name_a_korean_font_with_fallbacks():
    style = LayerStyle(label=LabelStyle(field="name"))
    text = ET.fromstring(style_qml(style, _layer(style)).split("\n", 1)[1]).find(
        "labeling/settings/text-style"
    )
    assert text.get("fontFamily") == "NanumGothic"
    assert [f.get("name") for f in text.findall("families/family")] == list(LABEL_FONTS)
    assert {"Malgun Gothic", "Noto Sans CJK KR"} <= set(LABEL_FONTS)


def test_a_symbol_layer_left_out_is_named():
    text = (DATA / "graduated_polygons.qml").read_text(encoding="utf-8")
    first = text.index("<layer ")
    svg = '<layer class="SVGFill" enabled="1" pass="0" locked="0"><Option type="Map"/></layer>'
    notes = []
    style = style_from_qml(text[:first] + svg + text[first:], "polygon", notes)
    assert style.kind == "graduated"
    assert notes == [
        "QGIS symbol layers SVGFill are not supported; drawn with the simple fill, line or "
        "marker layers only"
    ]
