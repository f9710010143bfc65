"""Map tools that draw new sites: point, polygon, rectangle and circle.

Nothing a user sketches is lost by a stray key or click (qgis/QGIS#55412, #14388):
Esc pauses an unfinished polygon, a second Esc (or Discard) discards it, a paused
sketch resumes with a click or Resume; right-click never discards; switching
tools keeps the sketch for when the tool comes back.
"""

from __future__ import annotations

import math

import shapely
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import (
    QColor,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPen,
    QPolygonF,
    QUndoCommand,
)
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QWidget

from app.core.map.snapping import SnapResult
from app.core.sites.geometry import (
    CheckedGeometry,
    InvalidSiteError,
    circle,
    distinct_vertices,
    polygon_from_vertices,
    rectangle,
)
from app.ui.canvas.map_canvas import MapCanvas, MapTool
from app.ui.canvas.render.decorations import highlight_path, north_arrow_rect
from app.ui.i18n import tr
from app.ui.sites.commands import set_text
from app.ui.sites.editing import SiteEditing

SKETCH_COLOUR = QColor("#ff6d00")
#: A click this close (screen pixels) to the last corner adds none: it is the second
#: click of a double click, which finishes the polygon.
SAME_CORNER_PX = 4


def paint_snap_marker(painter: QPainter, canvas: MapCanvas, result: SnapResult | None) -> None:
    """A square on a snapped vertex, a cross on a snapped edge."""
    if result is None or not canvas.show_snap_marker:
        return
    point = canvas.map_to_screen(result.x, result.y)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(QPen(QColor("#d5007f"), 2.5))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    if result.kind == "vertex":
        painter.drawRect(QRectF(point.x() - 7, point.y() - 7, 14, 14))
    else:
        painter.drawLine(point + QPointF(-7, -7), point + QPointF(7, 7))
        painter.drawLine(point + QPointF(-7, 7), point + QPointF(7, -7))


class SiteTool(MapTool):
    """Base of the sketch tools: snapping preview on hover."""

    cursor = Qt.CursorShape.CrossCursor

    def __init__(self, canvas: MapCanvas, editing: SiteEditing) -> None:
        super().__init__(canvas)
        self.editing = editing
        self.snap_result: SnapResult | None = None
        self.hover: tuple[float, float] | None = None

    def move(self, event: QMouseEvent) -> bool:
        x, y, self.snap_result = self.editing.snapped(event.position())
        self.hover = (x, y)
        self.canvas.update()
        return False

    def paint(self, painter: QPainter) -> None:
        paint_snap_marker(painter, self.canvas, self.snap_result)

    def leave(self) -> None:
        """The cursor left the map: the snap marker goes."""
        if self.snap_result is not None:
            self.snap_result = None
            self.canvas.update()


class PointSiteTool(SiteTool):
    """Click to place a point site with the project's catchment radius."""

    name = "point_site"

    def press(self, event: QMouseEvent) -> bool:
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        x, y, _ = self.editing.snapped(event.position())
        self.editing.add_site(CheckedGeometry(shapely.Point(x, y)))
        return True


class SketchBar(QWidget):
    """Floating buttons over the map while a polygon is being sketched.

    The bar stays inside the free part of the top of the map: right of ``left`` pixels
    (presentation mode keeps its legend there), left of the north arrow. Short button
    texts (the shortcuts are in the tooltips); when the status text and the buttons do
    not fit on one line, the text goes on a row of its own (wrapped if need be) and the
    buttons below it, in two rows when even four in a row are too wide.
    """

    GAP = 8

    def __init__(self, tool: PolygonSiteTool) -> None:
        super().__init__(tool.canvas)
        self.setObjectName("sketchBar")
        self.setAutoFillBackground(True)
        self.label = QLabel(self)
        self.label.setObjectName("sketchLabel")
        self.finish = QPushButton(self)
        self.finish.setObjectName("sketchFinish")
        self.undo_vertex = QPushButton(self)
        self.undo_vertex.setObjectName("sketchUndoVertex")
        self.pause = QPushButton(self)
        self.pause.setObjectName("sketchPause")
        self.discard = QPushButton(self)
        self.discard.setObjectName("sketchDiscard")
        self.buttons = (self.finish, self.undo_vertex, self.pause, self.discard)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(8, 4, 8, 4)
        self.grid.setHorizontalSpacing(6)
        self.grid.setVerticalSpacing(4)
        self._arrangement: tuple | None = None
        for widget in (self.label, *self.buttons):
            widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys keep going to the map
        self.finish.clicked.connect(tool.finish)
        self.undo_vertex.clicked.connect(tool.remove_last_vertex)
        self.pause.clicked.connect(lambda: tool.resume() if tool.paused else tool.pause_sketch())
        self.discard.clicked.connect(tool.discard)
        #: Distance from the top of the map, the hint shown while paused (presentation
        #: mode puts the bar below its title band, where Esc leaves instead of discarding)
        #: and the pixels kept free at the left (presentation mode: its legend).
        self.top = 8
        self.paused_hint = "click the map or Resume to go on, Esc again discards"
        self.left = 0.0
        self.hide()
        tool.canvas.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        # A narrower or wider map: the bar fits itself again.
        if event.type() == QEvent.Type.Resize and self.isVisible():
            QTimer.singleShot(0, self.place)
        return False

    def refresh(self, tool: PolygonSiteTool) -> None:
        """Show the sketch's state and fit the bar into the free top of the map."""
        count = distinct_vertices(tool.vertices)  # as finishing counts them
        if count == 0 and not tool.paused:
            self.hide()
            return
        state = (
            tr("paused — {hint}", hint=tr(self.paused_hint))
            if tool.paused
            else tr("1 corner")
            if count == 1
            else tr("{n} corners", n=count)
        )
        self.label.setText(tr("Polygon site: {state}", state=state))
        self.finish.setText(tr("Finish"))
        self.finish.setToolTip(tr("Make the site from the corners (Enter or double-click)"))
        self.undo_vertex.setText(tr("Undo corner"))
        self.undo_vertex.setToolTip(tr("Remove the last corner (Backspace)"))
        self.discard.setText(tr("Discard"))
        self.discard.setToolTip(tr("Drop the sketch (Esc twice)"))
        self.finish.setEnabled(count >= 3)
        self.undo_vertex.setEnabled(count > 0)
        if tool.paused:
            self.pause.setText(tr("Resume"))
            self.pause.setToolTip(tr("Go on adding corners (Enter or a click on the map)"))
        else:
            self.pause.setText(tr("Pause"))
            self.pause.setToolTip(tr("Stop adding corners for a while, the sketch is kept (Esc)"))
        self.place()
        self.show()
        self.raise_()

    def free_span(self) -> tuple[float, float]:
        """``(left, right)`` pixels of the map the bar may use: clear of ``left`` and of
        the north arrow."""
        canvas = self.parentWidget()
        arrow = north_arrow_rect(canvas.width(), getattr(canvas, "decoration_scale", 1.0))
        return self.left + self.GAP, max(self.left + self.GAP + 50, arrow.left() - self.GAP)

    def place(self) -> None:
        """Arrange the text and buttons for the free width and centre the bar in it."""
        left, right = self.free_span()
        available = int(right - left)
        margins = self.grid.contentsMargins()
        frame = margins.left() + margins.right()
        spacing = self.grid.horizontalSpacing()
        widths = [button.sizeHint().width() for button in self.buttons]
        text_w = QFontMetrics(self.label.font()).horizontalAdvance(self.label.text()) + 4
        in_a_row = sum(widths) + spacing * (len(widths) - 1)
        if frame + text_w + spacing + in_a_row <= available:
            arrangement, width = ("row", 4), frame + text_w + spacing + in_a_row
        else:
            columns = 4 if frame + in_a_row <= available else 2
            pairs = max(widths[0] + widths[1], widths[2] + widths[3]) + spacing
            buttons_w = in_a_row if columns == 4 else pairs
            arrangement = ("rows", columns)
            width = min(available, max(frame + text_w, frame + buttons_w))
        if arrangement != self._arrangement:
            self._arrange(*arrangement)
        width = max(1, int(width))
        self.setFixedWidth(width)
        height = self.grid.heightForWidth(width) if self.grid.hasHeightForWidth() else -1
        self.setFixedHeight(height if height > 0 else self.grid.sizeHint().height())
        self.move(int(left + max(0, (available - width) / 2)), int(self.top))

    def _arrange(self, kind: str, columns: int) -> None:
        for widget in (self.label, *self.buttons):
            self.grid.removeWidget(widget)
        self._arrangement = (kind, columns)
        if kind == "row":
            self.label.setWordWrap(False)
            self.grid.addWidget(self.label, 0, 0)
            for i, button in enumerate(self.buttons):
                self.grid.addWidget(button, 0, i + 1)
            return
        self.label.setWordWrap(True)
        self.grid.addWidget(self.label, 0, 0, 1, columns)
        for i, button in enumerate(self.buttons):
            self.grid.addWidget(button, 1 + i // columns, i % columns)


class DiscardSketchCommand(QUndoCommand):
    """Dropping an unfinished polygon: undo puts its corners back, paused."""

    def __init__(self, tool: PolygonSiteTool, vertices: list) -> None:
        super().__init__()
        set_text(self, "Discard sketch with {n} corners", n=len(vertices))
        self.tool, self.vertices = tool, vertices

    def redo(self) -> None:
        self.tool.set_sketch([], False)

    def undo(self) -> None:
        self.tool.set_sketch(self.vertices, True)


class PolygonSiteTool(SiteTool):
    """Click corners; Backspace removes the last, Enter/double-click/Finish finishes."""

    name = "polygon_site"

    def __init__(self, canvas: MapCanvas, editing: SiteEditing) -> None:
        super().__init__(canvas, editing)
        self.vertices: list[tuple[float, float]] = []
        self.paused = False
        #: Whether the press just before added a corner: a double click right after it
        #: (no release between) is two quick clicks at two places, and does not finish.
        self._press_added = False
        self.bar = SketchBar(self)

    def retranslate(self) -> None:
        """The sketch bar's texts in the current UI language (when it is shown)."""
        if self.bar.isVisible():
            self.bar.refresh(self)

    # -- state changes --------------------------------------------------------------
    def _changed(self) -> None:
        self.bar.refresh(self)
        self._preview()
        self.canvas.update()
        self.editing.sketchChanged.emit()

    def _preview(self) -> None:
        corners = list(self.vertices)
        if self.hover is not None and not self.paused:
            corners.append(self.hover)
        if len(corners) < 3:
            self.editing.preview(None, None)
            return
        try:
            self.editing.preview(None, polygon_from_vertices(corners).geometry)
        except InvalidSiteError:
            self.editing.preview(None, None)

    def move(self, event: QMouseEvent) -> bool:
        super().move(event)
        if self.vertices and not self.paused:
            self._preview()
        return False

    def add_vertex(self, x: float, y: float) -> bool:
        """Append a corner (resumes a paused sketch); False when it is where the last one
        is (the second click of a double click)."""
        self.paused = False
        if self.vertices and math.dist(self.vertices[-1], (x, y)) < self.editing.pixels(
            SAME_CORNER_PX
        ):
            self._changed()
            return False
        self.vertices.append((x, y))
        self._changed()
        return True

    def remove_last_vertex(self) -> None:
        """Backspace: drop the last corner."""
        if self.vertices:
            self.vertices.pop()
        self._changed()

    def pause_sketch(self) -> None:
        """Esc: keep the corners, stop adding until resumed."""
        if self.vertices:
            self.paused = True
            self.editing.notify(
                tr("Sketch paused: click the map or Resume to go on; Esc again discards it")
            )
        self._changed()

    def resume(self) -> None:
        self.paused = False
        self._changed()

    def discard(self) -> None:
        """Drop the unfinished sketch, as an undo step: Ctrl+Z brings it back (paused)."""
        had = len(self.vertices)
        if not had:
            self.vertices, self.paused = [], False
            self._changed()
            return
        self.editing.undo_stack.push(DiscardSketchCommand(self, list(self.vertices)))
        self.editing.notify(tr("Sketch with {n} corners discarded (Ctrl+Z brings it back)", n=had))

    def set_sketch(self, vertices: list, paused: bool) -> None:
        """Replace the unfinished sketch (undo commands call this)."""
        self.vertices, self.paused = list(vertices), bool(paused and vertices)
        self.canvas.update()
        self._changed()

    def finish(self) -> bool:
        """Make the site; an invalid outline is refused (sketch kept) or repaired."""
        try:
            checked = polygon_from_vertices(self.vertices)
        except InvalidSiteError as err:
            self.editing.notify(
                tr("Cannot make a site: {error}. Keep drawing or discard.", error=err)
            )
            return False
        self.vertices, self.paused = [], False
        self.editing.add_site(checked)
        self._changed()
        return True

    # -- events ------------------------------------------------------------------------
    def activate(self) -> None:
        super().activate()
        self.bar.refresh(self)

    def deactivate(self) -> None:
        if self.vertices:
            self.paused = True  # kept for when the tool comes back
        self.bar.hide()

    def press(self, event: QMouseEvent) -> bool:
        if event.button() != Qt.MouseButton.LeftButton:
            return event.button() == Qt.MouseButton.RightButton  # never discards
        x, y, _ = self.editing.snapped(event.position())
        self._press_added = self.add_vertex(x, y)
        return True

    def release(self, event: QMouseEvent) -> bool:
        self._press_added = False  # a double click after this release finishes
        return False

    def double_click(self, event: QMouseEvent) -> bool:
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        if self._press_added:
            # Two quick clicks at different places (Qt calls them a double click): the
            # press made the second one a corner, as every click is.
            self._press_added = False
            return True
        if len(self.vertices) >= 3:
            self.finish()
            return True
        return False

    def key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.paused:
                self.resume()
            else:
                self.finish()
            return True
        if key == Qt.Key.Key_Backspace and self.vertices:
            self.remove_last_vertex()
            return True
        if key == Qt.Key.Key_Escape:
            if self.paused:
                self.discard()
            else:
                self.pause_sketch()
            return True
        return False

    def paint(self, painter: QPainter) -> None:
        if self.vertices:
            points = [self.canvas.map_to_screen(x, y) for x, y in self.vertices]
            if self.hover is not None and not self.paused:
                points.append(self.canvas.map_to_screen(*self.hover))
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            fill = QColor(SKETCH_COLOUR)
            fill.setAlphaF(0.15 if not self.paused else 0.08)
            pen = QPen(
                SKETCH_COLOUR, 2.5, Qt.PenStyle.DashLine if self.paused else Qt.PenStyle.SolidLine
            )
            painter.setPen(pen)
            painter.setBrush(fill)
            painter.drawPolygon(QPolygonF(points))
            painter.setBrush(QColor("white"))
            painter.setPen(QPen(SKETCH_COLOUR, 2))
            for point in points[: len(self.vertices)]:
                painter.drawRect(QRectF(point.x() - 4, point.y() - 4, 8, 8))
        super().paint(painter)


class DragShapeTool(SiteTool):
    """Press, drag and release to make a rectangle or circle site; Esc cancels a drag."""

    shape = "rectangle"

    def __init__(self, canvas: MapCanvas, editing: SiteEditing) -> None:
        super().__init__(canvas, editing)
        self.start: tuple[float, float] | None = None

    def press(self, event: QMouseEvent) -> bool:
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        x, y, _ = self.editing.snapped(event.position())
        self.start = (x, y)
        self.hover = (x, y)
        return True

    def move(self, event: QMouseEvent) -> bool:
        super().move(event)
        if self.start is not None and self.hover is not None:
            try:
                self.editing.preview(None, self.build(self.start, self.hover).geometry)
            except InvalidSiteError:
                pass
        return False

    def release(self, event: QMouseEvent) -> bool:
        if event.button() != Qt.MouseButton.LeftButton or self.start is None:
            return False
        x, y, _ = self.editing.snapped(event.position())
        start, self.start = self.start, None
        self.editing.preview(None, None)
        try:
            checked = self.build(start, (x, y))
        except InvalidSiteError as err:
            self.editing.notify(tr("Cannot make a site: {error}", error=err))
            self.canvas.update()
            return True
        self.editing.add_site(checked)
        return True

    def build(self, start, end):
        if self.shape == "circle":
            return circle(start[0], start[1], math.dist(start, end))
        return rectangle(start[0], start[1], end[0], end[1])

    def key(self, event: QKeyEvent) -> bool:
        if event.key() == Qt.Key.Key_Escape and self.start is not None:
            self.start = None
            self.canvas.update()
            return True
        return False

    def paint(self, painter: QPainter) -> None:
        if self.start is not None and self.hover is not None:
            try:
                preview = self.build(self.start, self.hover).geometry
            except InvalidSiteError:
                preview = None
            if preview is not None:
                painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
                fill = QColor(SKETCH_COLOUR)
                fill.setAlphaF(0.15)
                painter.setPen(QPen(SKETCH_COLOUR, 2.5))
                painter.setBrush(fill)
                painter.drawPath(highlight_path([preview], self.canvas.viewport))
        super().paint(painter)


class RectangleSiteTool(DragShapeTool):
    name = "rectangle_site"
    shape = "rectangle"


class CircleSiteTool(DragShapeTool):
    name = "circle_site"
    shape = "circle"
