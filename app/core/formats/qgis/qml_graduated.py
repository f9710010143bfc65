"""QGIS ``graduatedSymbol`` renderers read back into the model's graduated styles.

Part of :mod:`app.core.formats.qgis.qml_read`: ranges with their symbols; a range without
one takes the source symbol in its gradient colour-ramp colour.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace

from app.core.formats.qgis.qml_symbols import (
    _INVISIBLE,
    StyleImportError,
    _colour,
    _float,
    _for_kind,
    _props,
    _symbol,
    _symbol_map,
)
from layers.style import LayerStyle, Range


def _ramp_colours(renderer: ET.Element, count: int) -> list[str | None]:
    """Colours of ``count`` classes spread over the renderer's gradient colour ramp."""
    ramp = renderer.find("colorramp")
    if ramp is None or count == 0:
        return [None] * count
    props = _props(ramp)
    start, end = _colour(props.get("color1")), _colour(props.get("color2"))
    if start is None or end is None:
        return [None] * count
    stops = [(0.0, start[0])]
    for stop in (props.get("stops") or "").split(":"):
        offset, _, colour = stop.partition(";")
        read = _colour(colour)
        if read is not None:
            stops.append((_float(offset, 0.0), read[0]))
    stops.append((1.0, end[0]))
    stops.sort(key=lambda item: item[0])

    def at(t: float) -> str:
        for (a, ca), (b, cb) in zip(stops, stops[1:], strict=False):
            if a <= t <= b:
                f = 0.0 if b == a else (t - a) / (b - a)
                rgb = [
                    round(int(ca[i : i + 2], 16) * (1 - f) + int(cb[i : i + 2], 16) * f)
                    for i in (1, 3, 5)
                ]
                return "#" + "".join(f"{v:02x}" for v in rgb)
        return stops[-1][1]

    return [at(0.0 if count == 1 else i / (count - 1)) for i in range(count)]


def _graduated(renderer: ET.Element, kind: str) -> LayerStyle:
    """QGIS's ``graduatedSymbol``: one :class:`Range` per ``<range>``; a range whose
    symbol is missing takes the source symbol in its colour-ramp colour."""
    field = renderer.get("attr", "")
    if len(field) > 1 and field[0] == field[-1] == '"':
        field = field[1:-1].replace('""', '"')
    if not field:
        raise StyleImportError("the graduated renderer names no field")
    if not re.fullmatch(r"[^\"()+\-*/]+", field):
        raise StyleImportError(f"the graduated renderer classifies an expression ({field})")
    symbols = _symbol_map(renderer)
    source = renderer.find("source-symbol/symbol")
    elements = renderer.findall("ranges/range")
    colours = _ramp_colours(renderer, len(elements))
    ranges = []
    for element, colour in zip(elements, colours, strict=True):
        symbol_element = symbols.get(element.get("symbol"))
        if symbol_element is not None:
            symbol = _for_kind(*_symbol(symbol_element), kind)
        elif source is not None:
            symbol = _for_kind(*_symbol(source), kind)
            if colour is not None:
                symbol = (
                    replace(symbol, fill=colour)
                    if kind != "line"
                    else replace(symbol, stroke=colour)
                )
        else:
            continue
        if element.get("render") == "false":
            symbol = _INVISIBLE
        lower = _float(element.get("lower"), float("nan"))
        upper = _float(element.get("upper"), float("nan"))
        if lower != lower or upper != upper:
            raise StyleImportError("a graduated range has no bounds")
        ranges.append(Range(lower, upper, element.get("label", ""), symbol))
    if not ranges:
        raise StyleImportError("the graduated renderer has no ranges")
    return LayerStyle(kind="graduated", symbol=_INVISIBLE, field=field, ranges=tuple(ranges))
