"""QGIS QML documents generated from the app's one style model.

Everything here is computed from a :class:`~layers.style.LayerStyle` and the
:class:`~layers.model.Layer` it belongs to (geometry kind, opacity); nothing is
hand-written per layer. Qt-free (the XML is built with ``xml.etree``).

Mapping (InnoAtlas → QGIS 3.22):

- ``Symbol`` of a polygon layer → ``SimpleFill``: fill colour with ``fill_alpha`` as
  the colour's alpha, outline colour/width (``outline_width_unit="Pixel"``, the model's
  widths are screen pixels), ``outline_style`` solid/dash/dot, ``hatch`` "diagonal" →
  ``b_diagonal`` (Qt BDiagPattern), "cross" → ``diagonal_x`` (Qt DiagCrossPattern).
- ``Symbol`` of a point layer → ``SimpleMarker`` circle/square/triangle/diamond, size
  in pixels (``size_unit="Pixel"``).
- ``Symbol`` of a line layer → ``SimpleLine``: stroke colour, width (pixels) and style.
- ``kind="single"`` → ``singleSymbol``; ``"categorized"`` → ``categorizedSymbol`` with
  one category per :class:`~layers.style.Category` plus the "all other values"
  category (empty value) drawn with the style's fallback symbol; each category's
  ``type`` (QGIS: ``long``/``double``/``string``; ``bool`` is ours) keeps its value's type.
- Numbers are written exactly (shortest ``repr``), so :mod:`app.core.formats.qgis.qml_read` reads
  back the same floats.
- ``Layer.opacity`` → ``<layerOpacity>``.
- ``LabelStyle`` → ``<labeling type="simple">``: font :data:`LABEL_FONTS` (first, then
  the others as ``<families>`` fallbacks), field, size (pt), colour, bold, halo
  as a 1 px text buffer, and ``max_resolution`` (m/px) as the label's minimum scale
  (the most zoomed-out scale at which labels show; ``scaleMax`` in the XML).

Mixed layers (``geometry_kind == "mixed"``, the sites: points and polygons in one
GEOMETRY table): a QGIS symbol draws one geometry type only, so a *rule-based*
renderer is written with two top rules, ``geometry_type($geometry) = 'Point'``
(marker symbol) and ``... = 'Polygon'`` (fill symbol); a categorized mixed style gets
one child rule per category plus an ``ELSE`` rule under each.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from layers.model import Layer
from layers.style import LabelStyle, LayerStyle, Symbol
from layers.style_io import MARKERS

QGIS_VERSION = "3.22.0"
#: Label fonts, first choice first: NanumGothic (the family InnoAtlas bundles and draws
#: with, common on Korean desktops), then Malgun Gothic (Windows), Apple SD Gothic Neo
#: (macOS), Noto Sans CJK KR / Noto Sans KR (Linux). QGIS uses ``fontFamily`` when the
#: system has it, else the first of ``<families>`` it has, else its default font with
#: a "font not available" message (docs/geopackage.md, "Label font").
LABEL_FONTS = (
    "NanumGothic",
    "Malgun Gothic",
    "Apple SD Gothic Neo",
    "Noto Sans CJK KR",
    "Noto Sans KR",
)
_HATCH = {"diagonal": "b_diagonal", "cross": "diagonal_x"}
_PEN = {"solid": "solid", "dash": "dash", "dot": "dot"}
_SYMBOL_TYPES = {"point": "marker", "line": "line", "polygon": "fill"}
#: ``<layerGeometryType>``: QgsWkbTypes::GeometryType.
_GEOMETRY_TYPES = {"point": "0", "line": "1", "polygon": "2"}
#: Metres per pixel → scale denominator at 96 dpi.
PIXELS_PER_METRE = 96 / 0.0254


def alpha_code(alpha: float) -> int:
    """The 0..255 alpha a QGIS colour stores for ``alpha`` 0..1 (clamped)."""
    return round(255 * min(1.0, max(0.0, float(alpha))))


def _rgba(colour: str | None, alpha: float = 1.0) -> str:
    """``#rrggbb`` + alpha 0..1 → QGIS ``"r,g,b,a"`` (a 0..255)."""
    if not colour:
        return "0,0,0,0"
    text = colour.lstrip("#")
    r, g, b = (int(text[i : i + 2], 16) for i in (0, 2, 4))
    return f"{r},{g},{b},{alpha_code(alpha)}"


def _num(value: float) -> str:
    """Shortest text that reads back as the same float (``2.5``, ``9``, ``0.07``)."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def _symbol_props(symbol: Symbol, kind: str) -> tuple[str, dict[str, str]]:
    """``(symbol layer class, properties)`` of ``symbol`` drawn as ``kind``."""
    pen = (
        "no"
        if not symbol.stroke or symbol.stroke_width <= 0
        else _PEN.get(symbol.stroke_style, "solid")
    )
    stroke = {
        "outline_color": _rgba(symbol.stroke),
        "outline_style": pen,
        "outline_width": _num(symbol.stroke_width),
        "outline_width_unit": "Pixel",
    }
    if kind == "line":
        props = {
            "line_color": _rgba(symbol.stroke),
            "line_width": _num(symbol.stroke_width),
            "line_width_unit": "Pixel",
            "line_style": pen,
            "capstyle": "round",
            "joinstyle": "round",
            "offset": "0",
            "offset_unit": "Pixel",
        }
        return "SimpleLine", props
    if kind == "point":
        props = {
            "name": symbol.marker if symbol.marker in MARKERS else "circle",
            "color": _rgba(symbol.fill, symbol.fill_alpha if symbol.fill else 0),
            "size": _num(symbol.size),
            "size_unit": "Pixel",
            "angle": "0",
            "joinstyle": "miter",
            "scale_method": "diameter",
            **stroke,
        }
        return "SimpleMarker", props
    style = "no" if not symbol.fill else _HATCH.get(symbol.hatch or "", "solid")
    props = {
        "color": _rgba(symbol.fill, symbol.fill_alpha if symbol.fill else 0),
        "style": style,
        "joinstyle": "bevel",
        "offset": "0,0",
        "offset_unit": "Pixel",
        **stroke,
    }
    return "SimpleFill", props


def _symbol_element(parent: ET.Element, name: str, symbol: Symbol, kind: str) -> ET.Element:
    element = ET.SubElement(
        parent,
        "symbol",
        {
            "type": _SYMBOL_TYPES[kind],
            "name": name,
            "alpha": "1",
            "clip_to_extent": "1",
            "force_rhr": "0",
        },
    )
    cls, props = _symbol_props(symbol, kind)
    layer = ET.SubElement(
        element, "layer", {"class": cls, "enabled": "1", "locked": "0", "pass": "0"}
    )
    option = ET.SubElement(layer, "Option", {"type": "Map"})
    for key, value in props.items():
        ET.SubElement(option, "Option", {"name": key, "type": "QString", "value": value})
    for key, value in props.items():  # the pre-3.16 form, read by older QGIS
        ET.SubElement(layer, "prop", {"k": key, "v": value})
    return element


def _value_text(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return _num(value)
    return str(value)


def _value_type(value: Any) -> str:
    """The ``type`` attribute of a ``<category>`` (QGIS reads long/double/string)."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "long"
    return "double" if isinstance(value, float) else "string"


def _quote_literal(value: Any) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return repr(value)
    return "'" + _value_text(value).replace("'", "''") + "'"


def _quote_field(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _class_rules(style: LayerStyle) -> list[tuple[str, str, Symbol]]:
    """``(filter, label, symbol)`` of each class of a classified style as QGIS rules,
    then an ``ELSE`` rule for the fallback symbol (categorized, or a drawn fallback)."""
    rows: list[tuple[str, str, Symbol]] = []
    field = _quote_field(style.field or "")
    if style.kind == "categorized" and style.field:
        rows = [
            (f"{field} = {_quote_literal(c.value)}", str(c.label), c.symbol)
            for c in style.categories
        ]
    elif style.kind == "graduated" and style.field:
        rows = [
            (f"{field} >= {_num(r.lower)} AND {field} <= {_num(r.upper)}", r.label, r.symbol)
            for r in style.ranges
        ]
    elif style.kind == "rules":
        rows = [(r.expression, r.label, r.symbol) for r in style.rules]
    has_else = any(expression.strip().upper() == "ELSE" for expression, _, _ in rows)
    drawn = bool(style.symbol.fill or style.symbol.stroke)
    if not has_else and (style.kind == "categorized" or drawn):
        rows.append(("ELSE", style.other_label, style.symbol))
    return rows


def _classified(style: LayerStyle) -> bool:
    return (style.kind in ("categorized", "graduated") and bool(style.field)) or (
        style.kind == "rules" and bool(style.rules)
    )


def _graduated_renderer(style: LayerStyle, kind: str, attrs: dict[str, str]) -> ET.Element:
    renderer = ET.Element(
        "renderer-v2",
        {
            "type": "graduatedSymbol",
            "attr": style.field or "",
            "graduatedMethod": "GraduatedColor",
            **attrs,
        },
    )
    ranges = ET.SubElement(renderer, "ranges")
    symbols = ET.SubElement(renderer, "symbols")
    for number, item in enumerate(style.ranges):
        ET.SubElement(
            ranges,
            "range",
            {
                "render": "true",
                "symbol": str(number),
                "lower": _num(item.lower),
                "upper": _num(item.upper),
                "label": str(item.label),
            },
        )
        _symbol_element(symbols, str(number), item.symbol, kind)
    source = ET.SubElement(renderer, "source-symbol")
    _symbol_element(source, "0", style.ranges[0].symbol if style.ranges else style.symbol, kind)
    ET.SubElement(renderer, "mode", {"name": "manual"})
    return renderer


def _plain_rule_renderer(style: LayerStyle, kind: str, attrs: dict[str, str]) -> ET.Element:
    renderer = ET.Element("renderer-v2", {"type": "RuleRenderer", **attrs})
    root = ET.SubElement(renderer, "rules", {"key": "{root}"})
    symbols = ET.SubElement(renderer, "symbols")
    for number, (expression, label, symbol) in enumerate(_class_rules(style)):
        ET.SubElement(
            root,
            "rule",
            {
                "key": f"{{rule-{number}}}",
                "filter": expression,
                "label": label,
                "symbol": str(number),
            },
        )
        _symbol_element(symbols, str(number), symbol, kind)
    return renderer


def _renderer(style: LayerStyle, kind: str) -> ET.Element:
    attrs = {"symbollevels": "0", "enableorderby": "0", "forceraster": "0"}
    if kind == "mixed":
        return _rule_renderer(style, attrs)
    if style.kind == "graduated" and style.field and style.ranges:
        return _graduated_renderer(style, kind, attrs)
    if style.kind == "rules" and style.rules:
        return _plain_rule_renderer(style, kind, attrs)
    if style.kind == "categorized" and style.field:
        renderer = ET.Element(
            "renderer-v2", {"type": "categorizedSymbol", "attr": style.field, **attrs}
        )
        categories = ET.SubElement(renderer, "categories")
        symbols = ET.SubElement(renderer, "symbols")
        rows = [(c.value, c.label, c.symbol) for c in style.categories]
        rows.append(("", style.other_label, style.symbol))  # "all other values"
        for number, (value, label, symbol) in enumerate(rows):
            ET.SubElement(
                categories,
                "category",
                {
                    "render": "true",
                    "symbol": str(number),
                    "value": _value_text(value),
                    "type": _value_type(value),
                    "label": str(label),
                },
            )
            _symbol_element(symbols, str(number), symbol, kind)
        source = ET.SubElement(renderer, "source-symbol")
        _symbol_element(source, "0", style.symbol, kind)
        return renderer
    renderer = ET.Element("renderer-v2", {"type": "singleSymbol", **attrs})
    _symbol_element(ET.SubElement(renderer, "symbols"), "0", style.symbol, kind)
    return renderer


def _rule_renderer(style: LayerStyle, attrs: dict[str, str]) -> ET.Element:
    """Points and polygons in one layer: one top rule per geometry type."""
    renderer = ET.Element("renderer-v2", {"type": "RuleRenderer", **attrs})
    root = ET.SubElement(renderer, "rules", {"key": "{root}"})
    symbols = ET.SubElement(renderer, "symbols")
    counter = 0

    def add_symbol(symbol: Symbol, kind: str) -> str:
        nonlocal counter
        _symbol_element(symbols, str(counter), symbol, kind)
        counter += 1
        return str(counter - 1)

    for geometry, kind in (("Point", "point"), ("Polygon", "polygon")):
        expression = f"geometry_type($geometry) = '{geometry}'"
        if _classified(style):
            top = ET.SubElement(
                root, "rule", {"key": f"{{{kind}}}", "filter": expression, "label": f"{geometry}s"}
            )
            for number, (rule, label, symbol) in enumerate(_class_rules(style)):
                ET.SubElement(
                    top,
                    "rule",
                    {
                        "key": f"{{{kind}-{number}}}",
                        "label": str(label),
                        "filter": rule,
                        "symbol": add_symbol(symbol, kind),
                    },
                )
        else:
            ET.SubElement(
                root,
                "rule",
                {
                    "key": f"{{{kind}}}",
                    "filter": expression,
                    "label": f"{geometry}s",
                    "symbol": add_symbol(style.symbol, kind),
                },
            )
    return renderer


def _labeling(label: LabelStyle, kind: str) -> ET.Element:
    labeling = ET.Element("labeling", {"type": "simple"})
    settings = ET.SubElement(labeling, "settings", {"calloutType": "simple"})
    text = ET.SubElement(
        settings,
        "text-style",
        {
            "fieldName": label.field,
            "isExpression": "0",
            "fontSize": _num(label.size_pt),
            "fontSizeUnit": "Point",
            "textColor": _rgba(label.color),
            "textOpacity": "1",
            "fontWeight": "75" if label.bold else "50",
            "fontItalic": "0",
            "fontFamily": LABEL_FONTS[0],
            "namedStyle": "Bold" if label.bold else "Regular",
            "multilineHeight": "1",
            "blendMode": "0",
            "allowHtml": "0",
        },
    )
    families = ET.SubElement(text, "families")  # QGIS ≥ 3.20 tries these in turn
    for family in LABEL_FONTS:
        ET.SubElement(families, "family", {"name": family})
    ET.SubElement(
        text,
        "text-buffer",
        {
            "bufferDraw": "1" if label.halo else "0",
            "bufferSize": "1",
            "bufferSizeUnits": "Pixel",
            "bufferColor": _rgba(label.halo or "#ffffff"),
            "bufferOpacity": "1",
            "bufferNoFill": "1",
            "bufferJoinStyle": "128",
            "bufferBlendMode": "0",
        },
    )
    ET.SubElement(
        settings,
        "text-format",
        {
            "wrapChar": "",
            "multilineAlign": "3",
            "plussign": "0",
            "reverseDirectionSymbol": "0",
            "formatNumbers": "0",
            "decimals": "3",
        },
    )
    # placement 0 = around point (points), 2 = along lines, 1 = over point (polygons and
    # mixed layers: horizontal inside)
    ET.SubElement(
        settings,
        "placement",
        {
            "placement": {"point": "0", "line": "2"}.get(kind, "1"),
            "dist": "1.5",
            "distUnits": "Pixel",
            "centroidInside": "1",
            "centroidWhole": "0",
            "priority": "5",
        },
    )
    # QGIS writes its minimumScale (the most zoomed-out scale, e.g. 1:37795) as "scaleMax"
    # and its maximumScale (most zoomed-in, 0 = none) as "scaleMin".
    scale = (
        {
            "scaleVisibility": "1",
            "scaleMin": _num(round((label.min_resolution or 0) * PIXELS_PER_METRE)),
            "scaleMax": _num(round((label.max_resolution or 0) * PIXELS_PER_METRE)),
        }
        if label.max_resolution or label.min_resolution
        else {"scaleVisibility": "0", "scaleMin": "0", "scaleMax": "0"}
    )
    ET.SubElement(
        settings,
        "rendering",
        {
            "obstacle": "1",
            "displayAll": "0",
            "upsidedownLabels": "0",
            "limitNumLabels": "0",
            "maxNumLabels": "2000",
            "labelPerPart": "0",
            "drawLabels": "1",
            **scale,
        },
    )
    return labeling


def _kind(layer: Layer) -> str:
    """The QML geometry kind: point, line, mixed, else polygon."""
    return layer.geometry_kind if layer.geometry_kind in ("point", "line", "mixed") else "polygon"


def style_qml(style: LayerStyle, layer: Layer) -> str:
    """A QGIS 3.22 QML document (symbology, opacity, labels) for ``layer`` in ``style``."""
    kind = _kind(layer)
    root = ET.Element(
        "qgis",
        {
            "version": QGIS_VERSION,
            "styleCategories": "Symbology|Labeling|Rendering",
            "labelsEnabled": "1" if style.label else "0",
        },
    )
    root.append(_renderer(style, kind))
    if style.label is not None:
        root.append(_labeling(style.label, kind))
    ET.SubElement(root, "blendMode").text = "0"
    ET.SubElement(root, "featureBlendMode").text = "0"
    ET.SubElement(root, "layerOpacity").text = _num(layer.opacity)
    if kind != "mixed":  # QGIS refuses a style whose geometry type differs from the layer's
        ET.SubElement(root, "layerGeometryType").text = _GEOMETRY_TYPES[kind]
    body = ET.tostring(root, encoding="unicode")
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + body + "\n"


def style_name(layer: Layer) -> str:
    """The ``styleName`` of the layer's default style (at most 30 characters)."""
    return f"{layer.name} (InnoAtlas)"[:30] if len(layer.name) <= 18 else layer.name[:30]


__all__ = [
    "style_qml",
    "style_name",
    "QGIS_VERSION",
    "LABEL_FONTS",
    "PIXELS_PER_METRE",
    "alpha_code",
]
