"""Leaflet styles of the web map, from the one style model (:mod:`layers.style`).

A layer's symbols become Leaflet path options (:func:`leaflet_style`), point markers and
legend swatches become inline SVG (:func:`marker_svg`, :func:`swatch_svg`), hatched fills
become SVG ``<pattern>`` definitions the page holds once (:func:`hatch_defs`), and each
feature gets the index of its symbol in its layer's style table (:func:`style_indices`).
Colours reach the page's SVG and CSS only as ``#rrggbb`` (:func:`safe_colour`), whatever a
style file held. Qt-free.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

import numpy as np

from layers.model import Layer
from layers.style import Symbol
from layers.style_classes import class_codes

_HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def safe_colour(colour: str | None, default: str = "none") -> str:
    """``colour`` if it is a ``#rrggbb`` colour (as the style model holds), else
    ``default``: nothing else of a style reaches the page's SVG or CSS.

    Parameters
    ----------
    colour : str or None
        A colour of the style model.
    default : str
        What to write instead (``"none"``: no paint).

    Returns
    -------
    str
        ``colour`` or ``default``.
    """
    return colour if isinstance(colour, str) and _HEX_COLOUR.fullmatch(colour) else default


def _dash(symbol: Symbol) -> str | None:
    width = max(symbol.stroke_width, 1.0)
    if symbol.stroke_style == "dash":
        return f"{4 * width:g} {2 * width:g}"
    if symbol.stroke_style == "dot":
        return f"{width:g} {2 * width:g}"
    return None


def _hatch_id(symbol: Symbol) -> str:
    return f"inno-hatch-{symbol.hatch}-{safe_colour(symbol.fill, '#000000').lstrip('#')}"


def _fill_paint(symbol: Symbol) -> str:
    """SVG paint of the fill: the colour, or the hatch pattern (defined on the page)."""
    return f"url(#{_hatch_id(symbol)})" if symbol.hatch else safe_colour(symbol.fill)


def leaflet_style(
    symbol: Symbol, opacity: float = 1.0, label: str = "", line: bool = False
) -> dict[str, Any]:
    """Leaflet path options (plus ``marker``/``svg`` for points) of one symbol.

    Parameters
    ----------
    symbol : Symbol
        The symbol (fill, stroke, dash, hatch, marker) of one class of a layer.
    opacity : float
        The layer's opacity, multiplied into the stroke and fill opacities.
    label : str
        The class's label (the popup shows it for categorized layers).
    line : bool
        A line layer's style: never filled (Leaflet would fill the area a line
        encloses).

    Returns
    -------
    dict
        Leaflet path options plus ``radius``, ``marker`` and ``label``; ``dashArray``
        for dashed or dotted strokes; ``svg`` and ``box`` (:func:`marker_svg`) for
        markers other than circles.
    """
    style: dict[str, Any] = {
        "stroke": symbol.stroke is not None and symbol.stroke_width > 0,
        "color": safe_colour(symbol.stroke, safe_colour(symbol.fill, "#000000")),
        "weight": float(symbol.stroke_width),
        "opacity": round(opacity, 3),
        "fill": symbol.fill is not None and not line,
        "fillColor": _fill_paint(symbol),
        "fillOpacity": round(
            (max(symbol.fill_alpha, 0.6) if symbol.hatch else symbol.fill_alpha) * opacity, 3
        ),
        "radius": float(symbol.size) / 2,
        "marker": symbol.marker,
        "label": label,
    }
    dash = _dash(symbol)
    if dash:
        style["dashArray"] = dash
    if symbol.marker != "circle":
        style["svg"], style["box"] = marker_svg(symbol, opacity)
    return style


def marker_svg(symbol: Symbol, opacity: float = 1.0, box: float | None = None) -> tuple[str, float]:
    """An inline SVG of a point marker and the size of its square box in pixels.

    Parameters
    ----------
    symbol : Symbol
        Its ``marker`` (circle, square, triangle, diamond), size, fill and stroke.
    opacity : float
        Multiplied into the fill opacity; the stroke's opacity.
    box : float, optional
        Side of the square box in pixels (default: the marker's size with room for its
        stroke).

    Returns
    -------
    tuple of (str, float)
        The ``<svg>`` element and the side of its box.
    """
    stroke = symbol.stroke_width if symbol.stroke else 0.0
    size = float(symbol.size)
    box = box or math.ceil(size * 1.2 + 2 * stroke + 2)
    c, h = box / 2, size / 2
    paint = (
        f'fill="{safe_colour(symbol.fill)}" fill-opacity="{symbol.fill_alpha * opacity:.3g}" '
        f'stroke="{safe_colour(symbol.stroke)}" stroke-width="{stroke:g}" '
        f'stroke-opacity="{opacity:.3g}"'
    )
    if symbol.marker == "square":
        shape = (
            f'<rect x="{c - h:.2f}" y="{c - h:.2f}" width="{size:.2f}" '
            f'height="{size:.2f}" {paint}/>'
        )
    elif symbol.marker == "triangle":
        points = [(c, c - h * 1.15), (c + h, c + h * 0.85), (c - h, c + h * 0.85)]
        shape = f'<polygon points="{_points(points)}" {paint}/>'
    elif symbol.marker == "diamond":
        points = [(c, c - h), (c + h, c), (c, c + h), (c - h, c)]
        shape = f'<polygon points="{_points(points)}" {paint}/>'
    else:
        shape = f'<circle cx="{c:.2f}" cy="{c:.2f}" r="{h:.2f}" {paint}/>'
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{box:g}" height="{box:g}" '
        f'viewBox="0 0 {box:g} {box:g}">{shape}</svg>'
    ), box


def _points(points: Iterable[tuple[float, float]]) -> str:
    return " ".join(f"{x:.2f},{y:.2f}" for x, y in points)


def swatch_svg(symbol: Symbol, geometry_kind: str) -> str:
    """The legend swatch of one symbol (18×14 px), as inline SVG.

    Parameters
    ----------
    symbol : Symbol
        The symbol the swatch shows.
    geometry_kind : str
        ``"point"`` (the marker), ``"line"`` (a horizontal line) or anything else (a
        filled rectangle).

    Returns
    -------
    str
        The ``<svg>`` element.
    """
    if geometry_kind == "point":
        return marker_svg(symbol, box=18)[0]
    stroke = safe_colour(symbol.stroke)
    dash = _dash(symbol)
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    if geometry_kind == "line":
        shape = (
            f'<line x1="1" y1="7" x2="17" y2="7" stroke="{stroke}" '
            f'stroke-width="{max(symbol.stroke_width, 1):g}"{dash_attr}/>'
        )
    else:
        alpha = max(symbol.fill_alpha, 0.6) if symbol.hatch else symbol.fill_alpha
        shape = (
            f'<rect x="1.5" y="1.5" width="15" height="11" fill="{_fill_paint(symbol)}" '
            f'fill-opacity="{alpha:.3g}" stroke="{stroke}" '
            f'stroke-width="{min(max(symbol.stroke_width, 0.8), 2.5):g}"{dash_attr}/>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="18" height="14" '
        f'viewBox="0 0 18 14">{shape}</svg>'
    )


def hatch_defs(stack_layers: Iterable[Layer]) -> str:
    """SVG ``<pattern>`` definitions of every hatched symbol the map uses.

    Parameters
    ----------
    stack_layers : iterable of Layer
        The layers on the page.

    Returns
    -------
    str
        A hidden ``<svg>`` with one ``<pattern>`` per hatch and colour (the fills refer
        to them by id), or ``""`` when no symbol is hatched.
    """
    patterns: dict[str, str] = {}
    for layer in stack_layers:
        style = layer.style
        for symbol in [style.symbol] + [symbol for _label, symbol in style.classes()]:
            if not symbol.hatch:
                continue
            colour = safe_colour(symbol.fill, "#000000")
            lines = f'<path d="M0,8 L8,0" stroke="{colour}" stroke-width="1.2"/>'
            if symbol.hatch == "cross":
                lines += f'<path d="M0,0 L8,8" stroke="{colour}" stroke-width="1.2"/>'
            patterns[_hatch_id(symbol)] = (
                f'<pattern id="{_hatch_id(symbol)}" width="8" height="8" '
                f'patternUnits="userSpaceOnUse">{lines}</pattern>'
            )
    if not patterns:
        return ""
    return (
        '<svg width="0" height="0" style="position:absolute" aria-hidden="true"><defs>'
        + "".join(patterns.values())
        + "</defs></svg>"
    )


def style_indices(layer: Layer) -> tuple[np.ndarray, list[tuple[str, Symbol]]]:
    """Index of each feature's symbol in the layer's style table, and that table.

    Parameters
    ----------
    layer : Layer
        A layer with any style (:func:`layers.style_classes.class_codes`).

    Returns
    -------
    codes : ndarray of int64
        Per feature, the index of its row in ``table``.
    table : list of (str, Symbol)
        Label and symbol of each class (category, range or rule), then the style's own
        symbol (its "other" class); just the style's symbol for a single-symbol style.
    """
    return class_codes(layer.style, layer.data)


__all__ = [
    "hatch_defs",
    "safe_colour",
    "leaflet_style",
    "marker_svg",
    "style_indices",
    "swatch_svg",
]
