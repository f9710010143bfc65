"""Map tools beyond pan: identify."""

from __future__ import annotations

from PySide6.QtCore import QObject, QPointF, Qt, Signal
from PySide6.QtGui import QMouseEvent

from app.core.map.identify import identify
from app.ui.canvas.map_canvas import MapCanvas, MapTool

IDENTIFY_TOLERANCE_PX = 6


class _IdentifySignals(QObject):
    identified = Signal(list)


class IdentifyTool(MapTool):
    """Click a feature to see its attributes; a drag still pans (no mode switch needed)."""

    name = "identify"
    cursor = Qt.CursorShape.WhatsThisCursor

    def __init__(self, canvas: MapCanvas) -> None:
        super().__init__(canvas)
        self.signals = _IdentifySignals()
        self.identified = self.signals.identified
        self._pressed_at: QPointF | None = None

    def press(self, event: QMouseEvent) -> bool:
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        self._pressed_at = event.position()
        self.canvas.begin_drag_pan(event.position())
        return True

    def release(self, event: QMouseEvent) -> bool:
        if event.button() != Qt.MouseButton.LeftButton or self._pressed_at is None:
            return False
        moved = event.position() - self._pressed_at
        self._pressed_at = None
        if abs(moved.x()) + abs(moved.y()) > 3:
            return False  # it was a pan
        self.identify_at(event.position())
        return True

    def identify_at(self, position: QPointF) -> list:
        """Identify at a screen position; highlights and emits ``identified(hits)``."""
        x, y = self.canvas.screen_to_map(position)
        tolerance = IDENTIFY_TOLERANCE_PX * self.canvas.viewport.resolution
        hits = identify(self.canvas.stack, x, y, tolerance)
        self.canvas.set_highlight([hit.geometry for hit in hits[:1]])
        self.identified.emit(hits)
        return hits
