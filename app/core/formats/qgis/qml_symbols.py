"""QML symbols read back into :class:`~layers.style.Symbol`: units, colours and the
simple fill, line and marker symbol layers (the lower half of :mod:`.qml_read`).

Only what InnoAtlas and ordinary QGIS styles of simple layers use is read; anything
else raises :class:`StyleImportError` and the caller falls back to a default style.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from app.core.errors import InnoAtlasError
from app.core.formats.qgis.qml_write import PIXELS_PER_METRE, alpha_code
from layers.style import Hatch, Marker, StrokeStyle, Symbol

#: Pixels per unit at 96 dpi; map units have no fixed size on screen.
_PIXELS = {"Pixel": 1.0, "MM": 96 / 25.4, "Point": 96 / 72, "Inch": 96.0}
_POINTS = {"Point": 1.0, "MM": 72 / 25.4, "Pixel": 72 / 96, "Inch": 72.0}
_HATCHES: dict[str, Hatch] = {
    "b_diagonal": "diagonal",
    "f_diagonal": "diagonal",
    "horizontal": "diagonal",
    "vertical": "diagonal",
    "diagonal_x": "cross",
    "cross": "cross",
}
_PENS: dict[str, StrokeStyle] = {
    "solid": "solid",
    "dash": "dash",
    "dot": "dot",
    "dash dot": "dash",
    "dash dot dot": "dash",
}
_MARKERS: dict[str, Marker] = {
    "circle": "circle",
    "square": "square",
    "rounded_square": "square",
    "square_with_corners": "square",
    "triangle": "triangle",
    "equilateral_triangle": "triangle",
    "diamond": "diamond",
}
_GEOMETRY_TYPES = {"0": "point", "1": "line", "2": "polygon"}
_SYMBOL_KINDS = {"marker": "point", "line": "line", "fill": "polygon"}
_DEFAULT = Symbol()
_INVISIBLE = Symbol(fill=None, stroke=None)


class StyleImportError(InnoAtlasError):
    """A QML style InnoAtlas cannot map onto its style model (one-line message)."""


# --- small readers -------------------------------------------------------------------
def _shortest_decimal(approx: float, encode: Callable[[float], Any], target: Any) -> float:
    """The decimal with the fewest digits near ``approx`` that ``encode``s to ``target``."""
    for digits in range(0, 16):
        candidate = round(approx, digits)
        if encode(candidate) == target:
            return candidate
    return approx


def _colour(text: str | None) -> tuple[str, float] | None:
    """QGIS ``"r,g,b,a"`` (optionally ``,rgb:...``) or ``#rrggbb[aa]`` → (hex, alpha)."""
    if not text:
        return None
    text = text.strip()
    if text.startswith("#") and len(text) in (7, 9):
        try:
            alpha = int(text[7:9], 16) if len(text) == 9 else 255
            int(text[1:7], 16)
        except ValueError:
            return None
        return text[:7].lower(), _alpha_from_code(alpha)
    parts = text.split(",")
    try:
        r, g, b = (int(p) for p in parts[:3])
        a = int(parts[3]) if len(parts) > 3 and parts[3].strip().lstrip("-").isdigit() else 255
    except ValueError:
        return None
    r, g, b, a = (min(255, max(0, v)) for v in (r, g, b, a))
    return f"#{r:02x}{g:02x}{b:02x}", _alpha_from_code(a)


def _alpha_from_code(code: int) -> float:
    return _shortest_decimal(code / 255, alpha_code, code)


def _scale_resolution(scale: int) -> float:
    """The shortest metres-per-pixel whose scale at 96 dpi rounds to ``scale``."""
    return _shortest_decimal(scale / PIXELS_PER_METRE, lambda r: round(r * PIXELS_PER_METRE), scale)


def _float(text: str | None, default: float) -> float:
    try:
        value = float(text) if text is not None else default
    except ValueError:
        return default
    return value if math.isfinite(value) else default


def _length(props: dict[str, str], key: str, default_px: float) -> float:
    """A width or size in pixels; QGIS's default unit is mm."""
    factor = _PIXELS.get(props.get(f"{key}_unit", "MM"))
    if factor is None or key not in props:
        return default_px
    value = _float(props[key], default_px / factor)
    return value if factor == 1.0 else value * factor


def _props(layer: ET.Element) -> dict[str, str]:
    """A symbol layer's properties: the ``<Option type="Map">`` form, else ``<prop>``."""
    option = layer.find("Option")
    if option is not None and option.get("type") == "Map":
        props = {
            name: value
            for o in option.findall("Option")
            if (name := o.get("name")) is not None and (value := o.get("value")) is not None
        }
        if props:
            return props
    return {k: p.get("v") or "" for p in layer.findall("prop") if (k := p.get("k"))}


# --- symbols -------------------------------------------------------------------------
def _stroke(props: dict[str, str], prefix: str) -> dict[str, Any]:
    """``stroke``/``stroke_width``/``stroke_style`` from ``outline_*`` or ``line_*``."""
    style = props.get(f"{prefix}_style", "solid")
    colour = _colour(props.get(f"{prefix}_color"))
    width = _length(props, f"{prefix}_width", _DEFAULT.stroke_width)
    if style != "no" and width == 0:
        width = 1.0  # QGIS draws width 0 as a one-pixel hairline; ours never writes it
    if style == "no" or colour is None or colour[1] == 0:
        return {"stroke": None, "stroke_width": width, "stroke_style": "solid"}
    return {"stroke": colour[0], "stroke_width": width, "stroke_style": _PENS.get(style, "solid")}


def _fill(colour: tuple[str, float] | None, opacity: float) -> dict[str, Any]:
    if colour is None:
        return {"fill": None, "fill_alpha": 1.0}
    alpha = colour[1] if opacity >= 1 else _alpha_from_code(alpha_code(colour[1] * opacity))
    return {"fill": colour[0], "fill_alpha": alpha}


#: The symbol layers :func:`_symbol` reads; others are left out (and reported).
_READ_LAYERS = {"SimpleFill", "SimpleLine", "SimpleMarker"}
#: Classes of symbol layers left out while a style is read (see :func:`skipped_layers`).
_SKIPPED: ContextVar[set[str] | None] = ContextVar("skipped_symbol_layers", default=None)


@contextmanager
def skipped_layers() -> Iterator[set[str]]:
    """Collect the classes of the enabled symbol layers left out while reading."""
    found: set[str] = set()
    token = _SKIPPED.set(found)
    try:
        yield found
    finally:
        _SKIPPED.reset(token)


def _symbol_layers(element: ET.Element) -> dict[str, dict[str, str]]:
    """The first enabled symbol layer of each class, by class name."""
    found: dict[str, dict[str, str]] = {}
    skipped = _SKIPPED.get()
    for layer in element.findall("layer"):
        if layer.get("enabled", "1") == "0":
            continue
        name = layer.get("class", "")
        if skipped is not None and name not in _READ_LAYERS:
            skipped.add(name)
        found.setdefault(name, _props(layer))
    return found


def _symbol(element: ET.Element) -> tuple[str, Symbol]:
    """``(geometry kind the symbol draws, Symbol)`` of a ``<symbol>`` element."""
    kind = _SYMBOL_KINDS.get(element.get("type", ""))
    if kind is None:
        raise StyleImportError(f"QGIS symbol type {element.get('type')!r} is not supported")
    opacity = min(1.0, max(0.0, _float(element.get("alpha"), 1.0)))
    layers = _symbol_layers(element)
    if kind == "point":
        props = layers.get("SimpleMarker")
        if props is None:
            raise StyleImportError(_unsupported_layers(layers, "simple markers"))
        colour = _colour(props.get("color"))
        fill = _fill(None if colour is None or colour[1] == 0 else colour, opacity)
        return kind, Symbol(
            **fill,
            **_stroke(props, "outline"),
            marker=_MARKERS.get(props.get("name", ""), "circle"),
            size=_length(props, "size", _DEFAULT.size),
        )
    if kind == "line":
        props = layers.get("SimpleLine")
        if props is None:
            raise StyleImportError(_unsupported_layers(layers, "simple lines"))
        return kind, Symbol(**_stroke(props, "line"))
    props = layers.get("SimpleFill")
    outline = layers.get("SimpleLine")
    if props is None:
        if outline is None:
            raise StyleImportError(_unsupported_layers(layers, "simple fills"))
        return kind, Symbol(fill=None, **_stroke(outline, "line"))  # an outline-only symbol
    style = props.get("style", "solid")
    colour = None if style == "no" else _colour(props.get("color"))
    stroke = _stroke(props, "outline")
    if stroke["stroke"] is None and outline is not None:
        stroke = _stroke(outline, "line")
    return kind, Symbol(
        **_fill(colour, opacity),
        **stroke,
        hatch=_HATCHES.get(style) if colour is not None else None,
    )


def _unsupported_layers(layers: dict[str, dict[str, str]], wanted: str) -> str:
    names = ", ".join(sorted(name for name in layers if name)) or "none"
    return f"QGIS symbol layers {names} are not supported (only {wanted})"


def _for_kind(symbol_kind: str, symbol: Symbol, kind: str) -> Symbol:
    """Check that a symbol drawn as ``symbol_kind`` suits a layer of ``kind``."""
    if kind != "mixed" and symbol_kind != kind:
        raise StyleImportError(f"the style draws {symbol_kind}s but the layer has {kind}s")
    return symbol


def _symbol_map(renderer: ET.Element) -> dict[str | None, ET.Element]:
    """A renderer's ``<symbols>`` by their ``name`` (category index or rule key)."""
    return {s.get("name"): s for s in renderer.findall("symbols/symbol")}
