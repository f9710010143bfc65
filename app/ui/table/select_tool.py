"""Select features on the map: a click or a dragged box selects into the attribute table.

Shift adds to the selection, Ctrl removes from it; the layer is the one selected in the
Layers panel. :class:`SelectionOverlay` draws the selected features on the map.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import shapely
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter, QPen

from app.core.map.viewport import Viewport
from app.ui.canvas.map_canvas import MapCanvas, MapTool
from app.ui.canvas.render.decorations import highlight_path
from app.ui.i18n import tr
from app.ui.table.selection import FeatureSelection
from layers.model import Layer

SELECT_COLOUR = QColor("#ffd400")
PICK_PX = 5
DRAG_PX = 4
#: At most this many selected features are outlined per frame (those in view first).
MAX_DRAWN = 4000


class SelectFeaturesTool(MapTool):
    """Click or drag a box to select features of the target layer."""

    name = "select"
    cursor = Qt.CursorShape.CrossCursor

    def __init__(
        self,
        canvas: MapCanvas,
        selection: FeatureSelection,
        target: Callable[[], Layer | None],
        notify: Callable[[str], None],
    ) -> None:
        super().__init__(canvas)
        self.selection = selection
        self.target = target
        self.notify = notify
        self.origin: QPointF | None = None
        self.current: QPointF | None = None

    def press(self, event: QMouseEvent) -> bool:
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        self.origin = self.current = event.position()
        return True

    def move(self, event: QMouseEvent) -> bool:
        if self.origin is not None:
            self.current = event.position()
            self.canvas.update()
        return False

    def release(self, event: QMouseEvent) -> bool:
        if event.button() != Qt.MouseButton.LeftButton or self.origin is None:
            return False
        origin, end = self.origin, event.position()
        self.origin = self.current = None
        self.canvas.update()
        modifiers = event.modifiers()
        mode = (
            "add"
            if modifiers & Qt.KeyboardModifier.ShiftModifier
            else "remove"
            if modifiers & Qt.KeyboardModifier.ControlModifier
            else "replace"
        )
        self.select_at(origin, end, mode)
        return True

    def select_at(self, a: QPointF, b: QPointF, mode: str = "replace") -> int:
        """Select the features in the screen box ``a``–``b`` (a click: near ``a``)."""
        layer = self.target()
        if layer is None or layer.name not in self.canvas.stack:
            self.notify(tr("Select a layer in the Layers panel first"))
            return 0
        x0, y0 = self.canvas.screen_to_map(a)
        x1, y1 = self.canvas.screen_to_map(b)
        if abs(a.x() - b.x()) + abs(a.y() - b.y()) < DRAG_PX:
            tolerance = PICK_PX * self.canvas.viewport.resolution
            rows = layer.data.sindex.query(
                shapely.Point(x0, y0), predicate="dwithin", distance=tolerance
            )
            rows = rows[-1:] if len(rows) else rows  # a click picks the top one
        else:
            box = shapely.box(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
            rows = layer.data.sindex.query(box, predicate="intersects")
        self.selection.select(layer, rows, mode)
        count = self.selection.count(layer)
        self.notify(
            tr("{n} features of {layer} selected", n=f"{count:,}", layer=layer.title(self._lang()))
        )
        return count

    def _lang(self) -> str:
        return getattr(self.canvas, "language", "en")

    def key(self, event: QKeyEvent) -> bool:
        if event.key() == Qt.Key.Key_Escape and self.origin is not None:
            self.origin = self.current = None
            self.canvas.update()
            return True
        return False

    def paint(self, painter: QPainter) -> None:
        if self.origin is None or self.current is None:
            return
        painter.setPen(QPen(QColor("#333333"), 1, Qt.PenStyle.DashLine))
        fill = QColor(SELECT_COLOUR)
        fill.setAlphaF(0.2)
        painter.setBrush(fill)
        painter.drawRect(QRectF(self.origin, self.current).normalized())


class SelectionOverlay:
    """Draws the selected features of visible layers over the map (yellow outlines)."""

    def __init__(self, selection: FeatureSelection) -> None:
        self.selection = selection

    def paint(self, painter: QPainter, viewport: Viewport) -> None:
        xmin, ymin, xmax, ymax = viewport.extent
        view = shapely.box(xmin, ymin, xmax, ymax)
        geometries: list = []
        for layer in self.selection.stack:
            rows = self.selection.rows(layer)
            if not layer.visible or len(rows) == 0:
                continue
            chosen = np.asarray(layer.data.geometry.values[rows])
            chosen = chosen[shapely.intersects(chosen, view)][: MAX_DRAWN - len(geometries)]
            geometries.extend(chosen)
            if len(geometries) >= MAX_DRAWN:
                break
        if not geometries:
            return
        path = highlight_path(geometries, viewport)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(QColor(0, 0, 0, 160), 5))
        painter.drawPath(path)
        painter.setPen(QPen(SELECT_COLOUR, 3))
        painter.drawPath(path)
