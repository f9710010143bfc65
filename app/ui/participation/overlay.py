"""Participants' pins and proposals on the map, and the join QR code while presenting.

:class:`ParticipationOverlay` is a canvas overlay: visible pins are drawn as coloured
drops (good spot green, problem orange, idea purple), proposed sites as blue squares;
while presentation mode is on and the server runs, the QR code and the short URL sit
large in the lower left corner for the room to scan. Participant text is never drawn on
the map (it is in the moderation list, as plain text).
"""

from __future__ import annotations

import io

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPainterPath, QPen

from app.core.map.viewport import Viewport
from app.ui.i18n import tr

PIN_COLOURS = {"good": QColor("#2e8b57"), "problem": QColor("#d35400"), "idea": QColor("#8e44ad")}
PROPOSAL_COLOUR = QColor("#1f4e79")


def qr_image(text: str, scale: int = 8) -> QImage:
    """``text`` as a QR code image (segno, error correction M, a quiet zone of 2)."""
    import segno

    buffer = io.BytesIO()
    segno.make(text, error="m", micro=False).save(buffer, kind="png", scale=scale, border=2)
    image = QImage()
    image.loadFromData(buffer.getvalue(), "PNG")
    return image


class ParticipationOverlay:
    """Canvas overlay of a :class:`~app.ui.participation.controller.ParticipationController`."""

    def __init__(self, controller, presentation=None) -> None:
        self.controller = controller
        self.presentation = presentation
        self._qr: tuple[str, QImage] | None = None
        #: Where the QR code went in the last frame (tests look at it).
        self.qr_rect = QRectF()

    def qr(self, url: str) -> QImage:
        if self._qr is None or self._qr[0] != url:
            self._qr = (url, qr_image(url))
        return self._qr[1]

    def paint(self, painter: QPainter, viewport: Viewport) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        results = self.controller.results
        size = 11.0
        for action in results.of_kind("pin"):
            sx, sy = viewport.map_to_screen(action.x, action.y)
            x, y = float(sx), float(sy)
            path = QPainterPath(QPointF(x, y))
            path.lineTo(x - size * 0.55, y - size * 1.2)
            path.arcTo(QRectF(x - size * 0.6, y - size * 2.1, size * 1.2, size * 1.2), 200, -220)
            path.closeSubpath()
            painter.setPen(QPen(QColor("white"), 1.5))
            painter.setBrush(PIN_COLOURS.get(action.category, QColor("#555")))
            painter.drawPath(path)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(PROPOSAL_COLOUR, 3))
        for action in results.of_kind("propose"):
            sx, sy = viewport.map_to_screen(action.x, action.y)
            painter.drawRect(QRectF(float(sx) - size / 2, float(sy) - size / 2, size, size))
        self.qr_rect = QRectF()
        presenting = self.presentation is not None and self.presentation.active
        server = self.controller.server
        if presenting and server is not None:
            self._paint_qr(painter, viewport, server.url())

    def _paint_qr(self, painter: QPainter, viewport: Viewport, url: str) -> None:
        height = float(viewport.height)
        side = max(160.0, min(height * 0.34, 420.0))
        margin = side * 0.08
        font = QFont(painter.font())
        font.setPixelSize(max(12, int(side * 0.065)))
        font.setBold(True)
        painter.setFont(font)
        line = painter.fontMetrics().height()
        box = QRectF(margin, height - side - 3 * line - margin * 3, side + margin, side + 3 * line)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(255, 255, 255, 240))
        painter.drawRoundedRect(box, 10, 10)
        target = QRectF(box.left() + margin / 2, box.top() + margin / 2, side, side)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        painter.drawImage(target, self.qr(url))
        painter.setPen(QColor("#1d232b"))
        text = QRectF(box.left() + 4, target.bottom() + 2, box.width() - 8, 3 * line)
        count = self.controller.participant_count()
        caption = tr("Scan to take part · {count} joined", count=count)
        painter.drawText(text, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, caption)
        small = QFont(font)
        small.setBold(False)
        small.setPixelSize(max(10, int(side * 0.045)))
        painter.setFont(small)
        painter.drawText(
            text.adjusted(0, line * 1.2, 0, 0),
            Qt.AlignmentFlag.AlignHCenter
            | Qt.AlignmentFlag.AlignTop
            | Qt.TextFlag.TextWrapAnywhere,
            url,
        )
        self.qr_rect = target


__all__ = ["PIN_COLOURS", "ParticipationOverlay", "qr_image"]
