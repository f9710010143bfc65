"""OGC SLD 1.1 documents generated from the app's one style model.

The SLD twin of :mod:`app.core.formats.qgis.qml_write` (written beside each layer as
``.sld`` and into ``layer_styles.styleSLD``): the same classes, symbols and labels, for
ArcGIS, GeoServer and other SLD readers; rule expressions become OGC filters.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from app.core.formats.qgis.qml_write import (
    _class_rules,
    _classified,
    _kind,
    _num,
    _value_text,
    style_name,
)
from layers.model import Layer
from layers.rule_expr import RuleSyntaxError, parse_rule
from layers.style import LabelStyle, LayerStyle, Symbol

# -----------------------------------------------------------------------------
SLD_NS = "http://www.opengis.net/sld"
OGC_NS = "http://www.opengis.net/ogc"
ET.register_namespace("sld", SLD_NS)
ET.register_namespace("ogc", OGC_NS)
_SLD_MARKERS = {
    "circle": "circle",
    "square": "square",
    "triangle": "triangle",
    "diamond": "square",
}  # diamond = square turned by 45°


def _s(tag: str) -> str:
    return f"{{{SLD_NS}}}{tag}"


def _css(parent: ET.Element, name: str, value: str) -> None:
    ET.SubElement(parent, _s("CssParameter"), {"name": name}).text = value


def _sld_stroke(parent: ET.Element, symbol: Symbol, opacity: float) -> None:
    if not symbol.stroke or symbol.stroke_width <= 0:
        return
    stroke = ET.SubElement(parent, _s("Stroke"))
    _css(stroke, "stroke", symbol.stroke)
    _css(stroke, "stroke-width", _num(symbol.stroke_width))
    _css(stroke, "stroke-opacity", _num(opacity))
    if symbol.stroke_style == "dash":
        _css(stroke, "stroke-dasharray", "6 3")
    elif symbol.stroke_style == "dot":
        _css(stroke, "stroke-dasharray", "1 2")


def _sld_symbolizers(rule: ET.Element, symbol: Symbol, kind: str, opacity: float) -> None:
    if kind == "line":
        _sld_stroke(ET.SubElement(rule, _s("LineSymbolizer")), symbol, opacity)
        return
    if kind in ("polygon", "mixed"):
        polygon = ET.SubElement(rule, _s("PolygonSymbolizer"))
        if symbol.fill:
            fill = ET.SubElement(polygon, _s("Fill"))
            _css(fill, "fill", symbol.fill)
            _css(fill, "fill-opacity", _num(symbol.fill_alpha * opacity))
        _sld_stroke(polygon, symbol, opacity)
    if kind in ("point", "mixed"):
        point = ET.SubElement(rule, _s("PointSymbolizer"))
        graphic = ET.SubElement(point, _s("Graphic"))
        mark = ET.SubElement(graphic, _s("Mark"))
        ET.SubElement(mark, _s("WellKnownName")).text = _SLD_MARKERS.get(symbol.marker, "circle")
        if symbol.fill:
            fill = ET.SubElement(mark, _s("Fill"))
            _css(fill, "fill", symbol.fill)
            _css(fill, "fill-opacity", _num(symbol.fill_alpha * opacity))
        _sld_stroke(mark, symbol, opacity)
        ET.SubElement(graphic, _s("Size")).text = _num(symbol.size)
        if symbol.marker == "diamond":
            ET.SubElement(graphic, _s("Rotation")).text = "45"


def _sld_label(rule: ET.Element, label: LabelStyle) -> None:
    text = ET.SubElement(rule, _s("TextSymbolizer"))
    ET.SubElement(ET.SubElement(text, _s("Label")), f"{{{OGC_NS}}}PropertyName").text = label.field
    font = ET.SubElement(text, _s("Font"))
    _css(font, "font-size", _num(label.size_pt * 96 / 72))
    _css(font, "font-weight", "bold" if label.bold else "normal")
    if label.halo:
        halo = ET.SubElement(text, _s("Halo"))
        ET.SubElement(halo, _s("Radius")).text = "1"
        _css(ET.SubElement(halo, _s("Fill")), "fill", label.halo)
    _css(ET.SubElement(text, _s("Fill")), "fill", label.color)


def style_sld(style: LayerStyle, layer: Layer) -> str:
    """An SLD 1.0 document: one rule (single), or one rule per class with an OGC filter
    (``PropertyIsEqualTo`` per category, ``>=``/``<=`` per range, the comparisons of a
    rule) plus an ``ElseFilter`` rule for the fallback; labels as a TextSymbolizer.

    Lossy where SLD 1.0 has no equivalent: hatching becomes a flat fill, the
    diamond marker a square turned by 45°, and a mixed layer gets both a polygon
    and a point symbolizer in every rule.
    """
    kind = _kind(layer)
    root = ET.Element(_s("StyledLayerDescriptor"), {"version": "1.0.0"})
    named = ET.SubElement(root, _s("NamedLayer"))
    ET.SubElement(named, _s("Name")).text = layer.name
    user = ET.SubElement(named, _s("UserStyle"))
    ET.SubElement(user, _s("Name")).text = style_name(layer)
    ET.SubElement(user, _s("Title")).text = layer.title("en")
    feature_style = ET.SubElement(user, _s("FeatureTypeStyle"))
    rows: list[tuple[str, Any, Symbol]] = []
    if _classified(style):
        rows = [(label, expression, symbol) for expression, label, symbol in _class_rules(style)]
    else:
        rows = [(layer.title("en"), None, style.symbol)]
    for title, expression, symbol in rows:
        rule = ET.SubElement(feature_style, _s("Rule"))
        ET.SubElement(rule, _s("Name")).text = title
        if expression is not None and expression.strip().upper() == "ELSE":
            ET.SubElement(rule, _s("ElseFilter"))
        elif expression is not None:
            _sld_filter(rule, expression)
        _sld_symbolizers(rule, symbol, kind, layer.opacity)
        if style.label is not None:
            _sld_label(rule, style.label)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


_OGC_OPS = {
    "=": "PropertyIsEqualTo",
    "<>": "PropertyIsNotEqualTo",
    "<": "PropertyIsLessThan",
    ">": "PropertyIsGreaterThan",
    "<=": "PropertyIsLessThanOrEqualTo",
    ">=": "PropertyIsGreaterThanOrEqualTo",
}


def _o(tag: str) -> str:
    return f"{{{OGC_NS}}}{tag}"


def _ogc_operand(parent: ET.Element, operand: tuple) -> None:
    if operand[0] == "field":
        ET.SubElement(parent, _o("PropertyName")).text = operand[1]
    else:
        ET.SubElement(parent, _o("Literal")).text = _value_text(operand[1])


def _ogc(parent: ET.Element, node: tuple) -> None:
    """A parsed rule (:func:`layers.rule_expr.parse_rule`) as OGC filter elements."""
    kind = node[0]
    if kind in ("and", "or"):
        group = ET.SubElement(parent, _o("And" if kind == "and" else "Or"))
        for part in node[1]:
            _ogc(group, part)
    elif kind == "not":
        _ogc(ET.SubElement(parent, _o("Not")), node[1])
    elif kind == "cmp":
        element = ET.SubElement(parent, _o(_OGC_OPS[node[1]]))
        _ogc_operand(element, node[2])
        _ogc_operand(element, node[3])
    elif kind == "isnull":
        target = ET.SubElement(parent, _o("Not")) if node[2] else parent
        _ogc_operand(ET.SubElement(target, _o("PropertyIsNull")), node[1])
    elif kind == "in":
        target = ET.SubElement(parent, _o("Not")) if node[3] else parent
        group = ET.SubElement(target, _o("Or"))
        for value in node[2]:
            equal = ET.SubElement(group, _o("PropertyIsEqualTo"))
            _ogc_operand(equal, node[1])
            _ogc_operand(equal, ("lit", value))
    else:
        raise RuleSyntaxError("a bare value has no OGC filter")


def _sld_filter(rule: ET.Element, expression: str) -> None:
    """The rule's filter; one SLD cannot express (a bare value) is left out."""
    try:
        node = parse_rule(expression)
        holder = ET.Element(_o("Filter"))
        _ogc(holder, node)
    except RuleSyntaxError:
        return
    rule.append(holder)


__all__ = ["style_sld"]
