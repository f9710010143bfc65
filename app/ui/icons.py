"""Toolbar icons drawn with QPainter (no image files, crisp at any scale)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap, QPolygonF

from app.ui.fonts import map_font

SIZE = 64  # drawn large, Qt scales down
INK = QColor("#2f3b45")


def _canvas() -> tuple[QPixmap, QPainter]:
    pixmap = QPixmap(SIZE, SIZE)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    pen = QPen(INK, 5, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    return pixmap, painter


def _arrowheads(painter: QPainter, tips: list[tuple[QPointF, QPointF]]) -> None:
    painter.setBrush(INK)
    for tip, direction in tips:
        normal = QPointF(-direction.y(), direction.x())
        back = tip - direction * 12
        painter.drawPolygon(QPolygonF([tip, back + normal * 8, back - normal * 8]))


def _magnifier(painter: QPainter, sign: str) -> None:
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawEllipse(QPointF(26, 26), 17, 17)
    painter.setPen(QPen(INK, 8, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    painter.drawLine(QPointF(39, 39), QPointF(56, 56))
    painter.setPen(QPen(INK, 5, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    painter.drawLine(QPointF(18, 26), QPointF(34, 26))
    if sign == "+":
        painter.drawLine(QPointF(26, 18), QPointF(26, 34))


SITE = QColor("#ff6d00")


def _site_icon(painter: QPainter, kind: str) -> None:
    fill = QColor(SITE)
    fill.setAlphaF(0.3)
    painter.setPen(
        QPen(
            SITE.darker(120),
            5,
            Qt.PenStyle.SolidLine,
            Qt.PenCapStyle.RoundCap,
            Qt.PenJoinStyle.RoundJoin,
        )
    )
    painter.setBrush(fill)
    if kind == "point_site":
        painter.setPen(QPen(SITE.darker(120), 3, Qt.PenStyle.DashLine))
        painter.drawEllipse(QPointF(32, 32), 26, 26)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(SITE)
        painter.drawPolygon(
            QPolygonF([QPointF(32, 20), QPointF(44, 32), QPointF(32, 44), QPointF(20, 32)])
        )
    elif kind == "polygon_site":
        painter.drawPolygon(
            QPolygonF(
                [QPointF(8, 50), QPointF(14, 12), QPointF(40, 20), QPointF(56, 8), QPointF(52, 56)]
            )
        )
    elif kind == "rectangle_site":
        painter.drawRect(QRectF(8, 14, 48, 36))
    elif kind == "circle_site":
        painter.drawEllipse(QPointF(32, 32), 25, 25)
    else:  # edit: polygon with handles
        painter.drawPolygon(
            QPolygonF([QPointF(10, 50), QPointF(16, 12), QPointF(54, 22), QPointF(48, 54)])
        )
        painter.setPen(QPen(QColor("#d5007f"), 3))
        painter.setBrush(QColor("white"))
        for x, y in ((10, 50), (16, 12), (54, 22), (48, 54)):
            painter.drawRect(QRectF(x - 6, y - 6, 12, 12))


def make_icon(kind: str, colour: str | None = None, letter: str = "") -> QIcon:
    """An icon for ``kind``: pan, identify, zoom_in, zoom_out, zoom_full, measure, select
    or district."""
    pixmap, painter = _canvas()
    c = QPointF(32, 32)
    if kind == "pan":
        painter.drawLine(QPointF(32, 8), QPointF(32, 56))
        painter.drawLine(QPointF(8, 32), QPointF(56, 32))
        _arrowheads(
            painter,
            [
                (QPointF(32, 4), QPointF(0, -1)),
                (QPointF(32, 60), QPointF(0, 1)),
                (QPointF(4, 32), QPointF(-1, 0)),
                (QPointF(60, 32), QPointF(1, 0)),
            ],
        )
    elif kind == "identify":
        painter.setBrush(QColor("#1f6fb2"))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawEllipse(c, 27, 27)
        painter.setPen(QColor("white"))
        painter.setFont(map_font(30, bold=True))
        painter.drawText(QRectF(0, 0, SIZE, SIZE), int(Qt.AlignmentFlag.AlignCenter), "i")
    elif kind in ("zoom_in", "zoom_out"):
        _magnifier(painter, "+" if kind == "zoom_in" else "-")
    elif kind == "zoom_full":
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(QRectF(16, 16, 32, 32))
        for sx, sy in ((-1, -1), (1, -1), (1, 1), (-1, 1)):
            start = c + QPointF(sx * 18, sy * 18)
            painter.drawLine(start, c + QPointF(sx * 28, sy * 28))
        _arrowheads(
            painter,
            [
                (c + QPointF(sx * 30, sy * 30), QPointF(sx, sy) / 1.4142)
                for sx, sy in ((-1, -1), (1, -1), (1, 1), (-1, 1))
            ],
        )
    elif kind in ("point_site", "polygon_site", "rectangle_site", "circle_site", "edit_sites"):
        _site_icon(painter, kind)
    elif kind == "snap":
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(QColor("#d5007f"), 5))
        painter.drawRect(QRectF(20, 20, 24, 24))
        painter.setPen(QPen(INK, 4))
        painter.drawLine(QPointF(4, 32), QPointF(20, 32))
        painter.drawLine(QPointF(32, 4), QPointF(32, 20))
        painter.drawLine(QPointF(44, 32), QPointF(60, 32))
        painter.drawLine(QPointF(32, 44), QPointF(32, 60))
    elif kind == "measure":  # a ruler
        painter.setBrush(QColor("#fff3c4"))
        painter.save()
        painter.translate(c)
        painter.rotate(-35)
        painter.drawRect(QRectF(-28, -9, 56, 18))
        painter.setPen(QPen(INK, 3))
        for tick in range(-20, 24, 8):
            painter.drawLine(QPointF(tick, -9), QPointF(tick, -1 if tick % 16 else 3))
        painter.restore()
    elif kind == "select":  # a dashed selection box with an arrow
        painter.setBrush(QColor(255, 235, 59, 120))
        painter.setPen(QPen(INK, 4, Qt.PenStyle.DashLine))
        painter.drawRect(QRectF(6, 6, 40, 36))
        painter.setPen(QPen(INK, 3))
        painter.setBrush(QColor("white"))
        painter.drawPolygon(
            QPolygonF([QPointF(34, 30), QPointF(58, 44), QPointF(46, 47), QPointF(52, 59),
                       QPointF(46, 61), QPointF(40, 50), QPointF(34, 58)])
        )  # fmt: skip
    elif kind == "district":
        path = QPainterPath()
        path.addRoundedRect(QRectF(6, 6, 52, 52), 10, 10)
        painter.setPen(QPen(QColor(colour or "#666666"), 5))
        fill = QColor(colour or "#666666")
        fill.setAlphaF(0.25)
        painter.setBrush(fill)
        painter.drawPath(path)
        painter.setPen(QColor(colour or "#666666").darker(130))
        painter.setFont(map_font(26, bold=True))
        painter.drawText(QRectF(0, 0, SIZE, SIZE), int(Qt.AlignmentFlag.AlignCenter), letter)
    painter.end()
    return QIcon(pixmap)
