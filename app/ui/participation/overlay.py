"""Participants' pins and proposals on the map, and the join QR code while presenting.

:class:`ParticipationOverlay` is a canvas overlay: visible pins are drawn as coloured
drops (good spot green, problem orange, idea purple), proposed sites as blue squares;
while presentation mode is on and the server runs, the QR code and the short URL sit
large on the right for the room to scan; each site with comments gets a small bubble with
their number. Participant text is not drawn by this overlay (it is in the moderation
list, as plain text, and in the exports' pin layers).
"""

from __future__ import annotations

import io

import shapely
from PySide6.QtCore import QPointF, QRect, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QWidget

from app.core.map.viewport import Viewport
from app.ui.i18n import tr

PIN_COLOURS = {"good": QColor("#2e8b57"), "problem": QColor("#d35400"), "idea": QColor("#8e44ad")}
PROPOSAL_COLOUR = QColor("#1f4e79")
COMMENT_COLOUR = QColor("#2c6e9b")


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
        self.panel: QrPanel | None = None
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
        self._paint_comment_counts(painter, viewport)
        presenting = self.presentation is not None and self.presentation.active
        server = self.controller.server
        self._place_qr(viewport, presenting and server is not None)

    def _paint_comment_counts(self, painter: QPainter, viewport: Viewport) -> None:
        """A small speech bubble with the number of visible comments below each site."""
        counts: dict[str, int] = {}
        for action in self.controller.results.of_kind("comment"):
            counts[action.site_id] = counts.get(action.site_id, 0) + 1
        layer = self.controller.window.editing.layer
        if not counts or layer is None or not layer.visible or "site_id" not in layer.data:
            return
        ids = layer.data["site_id"].astype(str).tolist()
        anchors = shapely.get_coordinates(shapely.point_on_surface(layer.data.geometry.values))
        font = QFont(painter.font())
        font.setPixelSize(11)
        font.setBold(True)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        for site_id, (x, y) in zip(ids, anchors.tolist()):
            count = counts.get(site_id)
            if not count:
                continue
            sx, sy = viewport.map_to_screen(x, y)
            text = str(count)
            width = metrics.horizontalAdvance(text) + 10
            box = QRectF(float(sx) - width / 2, float(sy) + 10, width, 16)
            bubble = QPainterPath()
            bubble.addRoundedRect(box, 6, 6)
            tail = QPainterPath(QPointF(box.center().x() - 4, box.top()))
            tail.lineTo(box.center().x(), box.top() - 5)
            tail.lineTo(box.center().x() + 4, box.top())
            bubble = bubble.united(tail)
            painter.setPen(QPen(QColor("white"), 1.2))
            painter.setBrush(COMMENT_COLOUR)
            painter.drawPath(bubble)
            painter.setPen(QColor("white"))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    def _place_qr(self, viewport: Viewport, shown: bool) -> None:
        """The QR panel is a child widget of the canvas, so that nothing the canvas paints
        (labels come after the overlays) can cover the code."""
        canvas = getattr(self.presentation, "canvas", None)
        if canvas is None:
            return
        if self.panel is None:
            self.panel = QrPanel(self, canvas)
        if not shown:
            if self.panel.isVisible():
                QTimer.singleShot(0, self.panel.hide)
            self.qr_rect = QRectF()
            return
        height = float(viewport.height)
        side = max(160.0, min(height * 0.34, 420.0))
        margin = side * 0.08
        line = max(12, int(side * 0.065)) * 1.5
        box_h = side + 4 * line + margin
        # on the right, centred in height: clear of the legend (left), the title band,
        # the north arrow (top right) and the attribution (bottom right)
        rect = QRect(
            int(viewport.width - side - 2 * margin),
            int(max(height * 0.2, (height - box_h) / 2)),
            int(side + margin),
            int(box_h),
        )
        self.qr_rect = QRectF(rect)
        if self.panel.geometry() != rect or not self.panel.isVisible():
            QTimer.singleShot(0, lambda: (self.panel.setGeometry(rect), self.panel.show()))
        else:
            self.panel.update()


class QrPanel(QWidget):
    """The join QR code, the participant count and the URL, on a white card."""

    def __init__(self, overlay: ParticipationOverlay, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("participationQrPanel")
        self.overlay = overlay
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.hide()

    def paintEvent(self, _event) -> None:
        server = self.overlay.controller.server
        if server is None:
            return
        url = server.url()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        box = QRectF(self.rect())
        margin = box.width() * 0.08 / 1.08
        side = box.width() - margin
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(255, 255, 255, 245))
        painter.drawRoundedRect(box, 10, 10)
        target = QRectF(box.left() + margin / 2, box.top() + margin / 2, side, side)
        painter.drawImage(target, self.overlay.qr(url))
        font = QFont(painter.font())
        font.setPixelSize(max(12, int(side * 0.065)))
        font.setBold(True)
        painter.setFont(font)
        line = painter.fontMetrics().height()
        painter.setPen(QColor("#1d232b"))
        text = QRectF(
            box.left() + 4, target.bottom() + 2, box.width() - 8, box.bottom() - target.bottom()
        )
        count = self.overlay.controller.participant_count()
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
        painter.end()


__all__ = ["PIN_COLOURS", "ParticipationOverlay", "QrPanel", "qr_image"]
