"""The measure tool: click points for a distance or an area, with snapping.

Left click adds a point (snapped like the sketch tools), Backspace removes the last
one, Esc clears the measurement, Enter or a double click finishes it (the next click
starts a new one). Segment lengths are drawn on the map; the totals, planar (EPSG:5186)
and ellipsoidal, go to the :class:`~app.ui.measure.panel.MeasurePanel` and the status bar.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter, QPen, QPolygonF

from app.core.map.measure import Measurement, format_area, format_length, measure
from app.core.map.snapping import SnapResult
from app.ui.canvas.map_canvas import MapCanvas, MapTool
from app.ui.i18n import tr
from app.ui.sites.editing import SiteEditing
from app.ui.sites.sketch_tools import paint_snap_marker

MEASURE_COLOUR = QColor("#0057b8")


class _Signals(QObject):
    measured = Signal(object)  # Measurement, or None when cleared


class MeasureTool(MapTool):
    """Measure a polyline (``mode == "distance"``) or a polygon (``"area"``).

    Attributes
    ----------
    points : list of (x, y)
        The clicked points (EPSG:5186).
    finished : bool
        The measurement is complete; the next click starts a new one.
    measured : Signal(object)
        The current :class:`Measurement` (with the hover point while drawing) or None.
    """

    name = "measure"
    cursor = Qt.CursorShape.CrossCursor

    def __init__(self, canvas: MapCanvas, editing: SiteEditing) -> None:
        super().__init__(canvas)
        self.editing = editing
        self.points: list[tuple[float, float]] = []
        self.hover: tuple[float, float] | None = None
        self.snap_result: SnapResult | None = None
        self.finished = False
        self.mode = "distance"
        self._signals = _Signals()
        self.measured = self._signals.measured
        self.last: Measurement | None = None
        #: The panel shown while the tool is active (set by whoever builds it).
        self.panel = None

    # -- state ---------------------------------------------------------------------------
    def set_mode(self, mode: str) -> None:
        """``"distance"`` or ``"area"``; the points stay, measured the other way."""
        self.mode = "area" if mode == "area" else "distance"
        self._changed()

    def clear(self) -> None:
        """Forget the points (Esc)."""
        self.points, self.finished = [], False
        self._changed()

    def remove_last(self) -> None:
        """Drop the last point (Backspace)."""
        if self.points:
            self.points.pop()
            self.finished = False
        self._changed()

    def finish(self) -> None:
        """The measurement is complete (Enter, double click)."""
        if self.points:
            self.finished = True
        self._changed()

    def current_points(self) -> list[tuple[float, float]]:
        """The points measured: the clicked ones, plus the cursor while drawing."""
        if self.hover is not None and self.points and not self.finished:
            return [*self.points, self.hover]
        return list(self.points)

    def _changed(self) -> None:
        points = self.current_points()
        self.last = measure(points, area=self.mode == "area") if points else None
        self.measured.emit(self.last)
        self.canvas.update()

    def summary(self) -> str:
        """One line for the status bar: the total, planar and ellipsoidal."""
        m = self.last
        if m is None:
            return ""
        if self.mode == "area" and m.area is not None and m.area_ellipsoidal is not None:
            return tr(
                "Area {planar} (ellipsoidal {ellipsoidal}), perimeter {perimeter}",
                planar=format_area(m.area),
                ellipsoidal=format_area(m.area_ellipsoidal),
                perimeter=format_length(m.length, digits=2),
            )
        return tr(
            "Distance {planar} (ellipsoidal {ellipsoidal})",
            planar=format_length(m.length, digits=2),
            ellipsoidal=format_length(m.length_ellipsoidal, digits=2),
        )

    # -- events --------------------------------------------------------------------------
    def activate(self) -> None:
        super().activate()
        if self.panel is not None:
            self.panel.show()
            self.panel.raise_()

    def deactivate(self) -> None:
        self.hover = None
        self.snap_result = None
        if self.panel is not None:
            self.panel.hide()

    def press(self, event: QMouseEvent) -> bool:
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        x, y, _ = self.editing.snapped(event.position())
        if self.finished:
            self.points, self.finished = [], False
        if not self.points or self.points[-1] != (x, y):
            self.points.append((x, y))
        self._changed()
        return True

    def move(self, event: QMouseEvent) -> bool:
        x, y, self.snap_result = self.editing.snapped(event.position())
        self.hover = (x, y)
        if self.points and not self.finished:
            self._changed()
        else:
            self.canvas.update()
        return False

    def double_click(self, event: QMouseEvent) -> bool:
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        self.finish()
        return True

    def key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key == Qt.Key.Key_Backspace and self.points:
            self.remove_last()
            return True
        if key == Qt.Key.Key_Escape and self.points:
            self.clear()
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.points:
            self.finish()
            return True
        return False

    def leave(self) -> None:
        if self.snap_result is not None or self.hover is not None:
            self.snap_result, self.hover = None, None
            self._changed()

    def paint(self, painter: QPainter) -> None:
        paint_snap_marker(painter, self.canvas, self.snap_result)
        points = self.current_points()
        if not points or self.last is None:
            return
        screen = [self.canvas.map_to_screen(x, y) for x, y in points]
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        pen = QPen(MEASURE_COLOUR, 2.5)
        pen.setCosmetic(True)
        painter.setPen(pen)
        if self.mode == "area" and len(screen) >= 3:
            fill = QColor(MEASURE_COLOUR)
            fill.setAlphaF(0.15)
            painter.setBrush(fill)
            painter.drawPolygon(QPolygonF(screen))
        else:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPolyline(QPolygonF(screen))
        painter.setBrush(QColor("white"))
        for point in screen[: len(self.points)]:
            painter.drawEllipse(point, 3.5, 3.5)
        ends = screen + screen[:1] if self.mode == "area" and len(screen) >= 3 else screen
        for (a, b), length in zip(
            zip(ends, ends[1:], strict=False), self.last.segments, strict=False
        ):
            self._label(painter, (a + b) / 2, format_length(length))

    @staticmethod
    def _label(painter: QPainter, at: QPointF, text: str) -> None:
        metrics = painter.fontMetrics()
        rect = metrics.boundingRect(text).adjusted(-4, -2, 4, 2)
        rect.moveCenter(at.toPoint())
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(255, 255, 255, 215))
        painter.drawRoundedRect(rect, 3, 3)
        painter.setPen(MEASURE_COLOUR.darker(130))
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), text)
