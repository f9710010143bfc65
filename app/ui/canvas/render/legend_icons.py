"""Small legend swatches drawn from the style model."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap, QPolygonF

from app.ui.canvas.render.qt_style import fill_brush, outline_pen, qcolor
from layers.style import Symbol

SWATCH = 18


def swatch_icon(symbol: Symbol, geometry_kind: str, size: int = SWATCH) -> QIcon:
    """An icon showing how ``symbol`` draws a point, line or polygon."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    _paint_swatch(painter, symbol, geometry_kind, size)
    painter.end()
    return QIcon(pixmap)


def paint_swatch(
    painter: QPainter, symbol: Symbol, geometry_kind: str, rect: QRectF, min_point: float = 0.0
) -> None:
    """Draw the swatch of :func:`swatch_icon` as vector shapes into ``rect``.

    Used by the map export (legend of PNG/PDF maps). ``min_point`` is the smallest
    point-marker diameter in swatch units (of :data:`SWATCH`), so that tiny markers
    stay legible in print. ``geometry_kind`` "catchment" draws the marker inside a
    dashed catchment circle (:func:`app.ui.canvas.render.legend.legend_swatch_kind`).
    """
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.translate(rect.topLeft())
    painter.scale(rect.width() / SWATCH, rect.height() / SWATCH)
    _paint_swatch(painter, symbol, geometry_kind, SWATCH, min_point)
    painter.restore()


def _paint_swatch(
    painter: QPainter, symbol: Symbol, geometry_kind: str, size: int, min_point: float = 0.0
) -> None:
    if geometry_kind == "catchment":
        _catchment_swatch(painter, symbol, size)
    elif geometry_kind == "point":
        _point_swatch(painter, symbol, size, min_point)
    elif geometry_kind == "line":
        painter.setPen(outline_pen(symbol))
        painter.drawLine(QPointF(2, size - 3), QPointF(size - 2, 3))
    else:
        painter.fillRect(QRectF(2, 2, size - 4, size - 4), QColor(255, 255, 255))
        painter.setBrush(fill_brush(symbol))
        pen = outline_pen(symbol)
        if pen.style() != Qt.PenStyle.NoPen:
            pen.setWidthF(min(pen.widthF(), 2.5))
        painter.setPen(pen)
        painter.drawRect(QRectF(2.5, 2.5, size - 5, size - 5))


def _catchment_swatch(painter: QPainter, symbol: Symbol, size: int) -> None:
    """A site's marker inside its dashed catchment circle (candidate sites)."""
    from app.ui.canvas.render.sites_painter import catchment_fill, catchment_pen

    painter.setPen(catchment_pen(0.75))
    painter.setBrush(catchment_fill())
    painter.drawEllipse(QPointF(size / 2, size / 2), size / 2 - 1, size / 2 - 1)
    marker = replace(
        symbol, size=min(symbol.size, size * 0.5), stroke_width=min(symbol.stroke_width, 1.5)
    )
    _point_swatch(painter, marker, size)


def _point_swatch(painter: QPainter, symbol: Symbol, size: int, min_point: float = 0.0) -> None:
    diameter = min(max(symbol.size, min_point), size - 4)
    centre = QPointF(size / 2, size / 2)
    painter.setBrush(qcolor(symbol.fill or "#000000", symbol.fill_alpha))
    painter.setPen(
        QPen(qcolor(symbol.stroke), symbol.stroke_width)
        if symbol.stroke
        else QPen(Qt.PenStyle.NoPen)
    )
    r = diameter / 2
    if symbol.marker == "square":
        painter.drawRect(QRectF(centre.x() - r, centre.y() - r, diameter, diameter))
    elif symbol.marker == "triangle":
        painter.drawPolygon(
            QPolygonF(
                [
                    QPointF(centre.x(), centre.y() - r * 1.15),
                    QPointF(centre.x() + r, centre.y() + r * 0.85),
                    QPointF(centre.x() - r, centre.y() + r * 0.85),
                ]
            )
        )
    elif symbol.marker == "diamond":
        painter.drawPolygon(
            QPolygonF(
                [
                    QPointF(centre.x(), centre.y() - r),
                    QPointF(centre.x() + r, centre.y()),
                    QPointF(centre.x(), centre.y() + r),
                    QPointF(centre.x() - r, centre.y()),
                ]
            )
        )
    else:
        painter.drawEllipse(centre, r, r)
