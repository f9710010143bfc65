"""Map furniture drawn over the layers: scale bar, north arrow, attribution."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF

from app.core.map.viewport import Viewport, format_distance, nice_scale_length
from app.core.project.attribution import attribution_text  # noqa: F401  (re-exported)
from app.ui.fonts import map_font


def paint_scale_bar(painter: QPainter, viewport: Viewport, scale: float = 1.0) -> QRectF:
    """Draw a two-segment scale bar in the bottom-left corner; returns its rectangle."""
    length_m = nice_scale_length(viewport.resolution, 120 * scale)
    length_px = length_m / viewport.resolution
    margin, bar_h = 14 * scale, 6 * scale
    font = map_font(9 * scale, bold=True)
    metrics = QFontMetricsF(font)
    left = margin
    bottom = viewport.height - margin
    top = bottom - bar_h
    box = QRectF(
        left - 6 * scale,
        top - metrics.height() - 8 * scale,
        length_px + metrics.horizontalAdvance(format_distance(length_m)) + 20 * scale,
        bar_h + metrics.height() + 14 * scale,
    )
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(255, 255, 255, 200))
    painter.drawRoundedRect(box, 4 * scale, 4 * scale)
    half = length_px / 2
    painter.setPen(QPen(QColor("#202020"), 1.0 * scale))
    painter.setBrush(QColor("#202020"))
    painter.drawRect(QRectF(left, top, half, bar_h))
    painter.setBrush(QColor("#ffffff"))
    painter.drawRect(QRectF(left + half, top, half, bar_h))
    painter.setFont(font)
    painter.setPen(QColor("#202020"))
    baseline = top - 4 * scale
    painter.drawText(QPointF(left - 2 * scale, baseline), "0")
    label = format_distance(length_m)
    painter.drawText(
        QPointF(left + length_px - metrics.horizontalAdvance(label) / 2, baseline), label
    )
    painter.restore()
    return box


def north_arrow_rect(width: float, scale: float = 1.0, top: float = 0.0) -> QRectF:
    """Where :func:`paint_north_arrow` draws its box on a map ``width`` pixels wide,
    moved down by ``top`` (widgets and overlays keep clear of it)."""
    size, margin = 34 * scale, 14 * scale
    return QRectF(
        width - margin - size - 4 * scale,
        top + margin - 4 * scale,
        size + 8 * scale,
        size * 1.55 + 8 * scale,
    )


def paint_north_arrow(painter: QPainter, viewport: Viewport, scale: float = 1.0) -> QRectF:
    """Draw a north arrow in the top-right corner (grid north of EPSG:5186)."""
    size = 34 * scale
    margin = 14 * scale
    cx = viewport.width - margin - size / 2
    top = margin
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    box = north_arrow_rect(viewport.width, scale)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(255, 255, 255, 200))
    painter.drawRoundedRect(box, 4 * scale, 4 * scale)
    font = map_font(11 * scale, bold=True)
    painter.setFont(font)
    painter.setPen(QColor("#202020"))
    painter.drawText(
        QRectF(cx - size / 2, top, size, size * 0.5), int(Qt.AlignmentFlag.AlignCenter), "N"
    )
    tip = QPointF(cx, top + size * 0.5)
    base_y = top + size * 1.5
    left = QPolygonF([tip, QPointF(cx - size * 0.32, base_y), QPointF(cx, base_y - size * 0.25)])
    right = QPolygonF([tip, QPointF(cx + size * 0.32, base_y), QPointF(cx, base_y - size * 0.25)])
    painter.setPen(QPen(QColor("#202020"), 1.0 * scale))
    painter.setBrush(QColor("#202020"))
    painter.drawPolygon(left)
    painter.setBrush(QColor("#ffffff"))
    painter.drawPolygon(right)
    painter.restore()
    return box


def attribution_rect(width: float, height: float, text: str, scale: float = 1.0) -> QRectF:
    """Where :func:`paint_attribution` draws ``text`` on a ``width`` × ``height`` map
    (empty without text): other things drawn over the map keep clear of it."""
    if not text:
        return QRectF()
    metrics = QFontMetricsF(map_font(7.5 * scale))
    max_width = min(width * 0.62, 760 * scale)
    bound = metrics.boundingRect(QRectF(0, 0, max_width, 1000), int(Qt.TextFlag.TextWordWrap), text)
    margin = 6 * scale
    return QRectF(
        width - bound.width() - 2 * margin - 4 * scale,
        height - bound.height() - 2 * margin - 4 * scale,
        bound.width() + 2 * margin,
        bound.height() + 2 * margin,
    )


def paint_attribution(
    painter: QPainter, viewport: Viewport, text: str, scale: float = 1.0
) -> QRectF:
    """Draw ``text`` in a translucent box at the bottom-right corner, wrapped if long."""
    if not text:
        return QRectF()
    font = map_font(7.5 * scale)
    margin = 6 * scale
    rect = attribution_rect(viewport.width, viewport.height, text, scale)
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(255, 255, 255, 210))
    painter.drawRect(rect)
    painter.setFont(font)
    painter.setPen(QColor("#333333"))
    painter.drawText(
        rect.adjusted(margin, margin, -margin, -margin), int(Qt.TextFlag.TextWordWrap), text
    )
    painter.restore()
    return rect


def highlight_path(geometries, viewport: Viewport) -> QPainterPath:
    """A screen-space path outlining ``geometries`` (identify highlight)."""
    import shapely

    path = QPainterPath()
    for geometry in geometries:
        if geometry is None or geometry.is_empty:
            continue
        if geometry.geom_type in ("Point", "MultiPoint"):
            for x, y in shapely.get_coordinates(geometry).tolist():
                sx, sy = viewport.map_to_screen(x, y)
                path.addEllipse(QPointF(float(sx), float(sy)), 9, 9)
            continue
        for ring in (
            shapely.get_rings(shapely.get_parts(geometry))
            if geometry.geom_type in ("Polygon", "MultiPolygon")
            else [geometry]
        ):
            coords = shapely.get_coordinates(ring)
            sx, sy = viewport.map_to_screen(coords[:, 0], coords[:, 1])
            path.addPolygon(QPolygonF([QPointF(a, b) for a, b in zip(sx.tolist(), sy.tolist())]))
    return path
