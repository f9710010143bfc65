"""The site edit tool: select, move, drag vertices, add and delete vertices, delete sites.

- click a site: select it; drag it: move it (consecutive moves merge into one undo step)
- drag a corner of the selected polygon: move that corner (snaps to other layers)
- double-click an edge of the selected polygon: add a corner there
- Delete/Backspace: delete the corner under the cursor, else the selected site
- Esc: cancel a drag, else clear the selection; drag on empty map: pan
"""

from __future__ import annotations

import math

import numpy as np
import shapely
import shapely.affinity
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QMouseEvent, QPainter, QPen

from app.core.sites import geometry as sg
from app.core.sites.geometry import InvalidSiteError
from app.ui.canvas.map_canvas import MapCanvas, MapTool
from app.ui.canvas.render.decorations import highlight_path
from app.ui.canvas.render.sites_painter import catchment_fill, catchment_pen, draw_catchment
from app.ui.i18n import tr
from app.ui.sites.commands import ChangeGeometryCommand
from app.ui.sites.editing import SiteEditing
from app.ui.sites.sketch_tools import SKETCH_COLOUR, paint_snap_marker

VERTEX_TOLERANCE_PX = 9
DRAG_THRESHOLD_PX = 3


class EditSitesTool(MapTool):
    """Select and reshape sites."""

    name = "edit_sites"
    cursor = Qt.CursorShape.PointingHandCursor

    def __init__(self, canvas: MapCanvas, editing: SiteEditing) -> None:
        super().__init__(canvas)
        self.editing = editing
        self.mode: str | None = None  # "move" | "vertex" while dragging
        self.vertex: int | None = None
        self.press_pos: QPointF | None = None
        self.press_map: tuple[float, float] | None = None
        self.preview = None
        self.hover_vertex: int | None = None
        self.snap_result = None

    def _vertex_under(self, position: QPointF) -> int | None:
        geometry = self.editing.selected_geometry()
        if geometry is None or geometry.geom_type == "Point":
            return None
        x, y = self.canvas.screen_to_map(position)
        index, distance = sg.nearest_vertex(geometry, x, y)
        return index if distance <= self.editing.pixels(VERTEX_TOLERANCE_PX) else None

    def press(self, event: QMouseEvent) -> bool:
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        position = event.position()
        self.press_pos = position
        self.press_map = self.canvas.screen_to_map(position)
        vertex = self._vertex_under(position)
        if vertex is not None:
            self.mode, self.vertex = "vertex", vertex
            return True
        site = self.editing.site_at(position)
        self.editing.select(site)
        if site is None:
            self.mode = None
            self.canvas.begin_drag_pan(position)
            return True
        self.mode = "move"
        return True

    def move(self, event: QMouseEvent) -> bool:
        position = event.position()
        if self.mode is None or self.press_pos is None:
            self.hover_vertex = self._vertex_under(position)
            self.canvas.update()
            return False
        moved = position - self.press_pos
        if abs(moved.x()) + abs(moved.y()) < DRAG_THRESHOLD_PX:
            return True
        self.preview = self._dragged_geometry(position)
        self.editing.preview(self.editing.selected, self.preview)
        self.canvas.update()
        return True

    def _dragged_geometry(self, position: QPointF):
        geometry = self.editing.selected_geometry()
        if geometry is None:
            return None
        x, y, self.snap_result = self.editing.snapped(position, exclude_site=self.editing.selected)
        if self.mode == "vertex":
            return sg.move_vertex(geometry, self.vertex, x, y)
        dx, dy = x - self.press_map[0], y - self.press_map[1]
        return shapely.affinity.translate(geometry, dx, dy)

    def release(self, event: QMouseEvent) -> bool:
        if event.button() != Qt.MouseButton.LeftButton or self.mode is None:
            self._reset()
            return False
        moved = event.position() - self.press_pos
        mode, site = self.mode, self.editing.selected
        if abs(moved.x()) + abs(moved.y()) >= DRAG_THRESHOLD_PX and site is not None:
            after = self._dragged_geometry(event.position())
            self._commit(site, after, "Move" if mode == "move" else "Move vertex of")
        self._reset()
        return True

    def _commit(self, site: str, geometry, action: str) -> None:
        if geometry is None:
            return
        if geometry.geom_type != "Point":
            try:
                checked = sg.check_polygon(geometry)
            except InvalidSiteError as err:
                self.editing.notify(tr("Edit refused: {error}", error=err))
                return
            if checked.message:
                self.editing.notify(checked.message)
            geometry = checked.geometry
        self.editing.undo_stack.push(
            ChangeGeometryCommand(self.editing.layer, site, geometry, action)
        )

    def _reset(self) -> None:
        if self.preview is not None:
            self.editing.preview(None, None)
        self.mode, self.vertex, self.press_pos, self.preview = None, None, None, None
        self.snap_result = None
        self.canvas.update()

    def double_click(self, event: QMouseEvent) -> bool:
        geometry = self.editing.selected_geometry()
        if geometry is None or geometry.geom_type == "Point":
            return False
        x, y = self.canvas.screen_to_map(event.position())
        after, px, py, distance = sg.nearest_edge(geometry, x, y)
        if distance > self.editing.pixels(VERTEX_TOLERANCE_PX):
            return False
        self._commit(
            self.editing.selected, sg.insert_vertex(geometry, after, px, py), "Add vertex to"
        )
        # The new corner is the current one: Delete without moving the mouse removes it.
        added = self.editing.selected_geometry()
        if added is not None and added.geom_type != "Point":
            index, distance = sg.nearest_vertex(added, px, py)
            if distance <= self.editing.pixels(VERTEX_TOLERANCE_PX):
                self.hover_vertex = index
        self.canvas.update()
        return True

    def key(self, event: QKeyEvent) -> bool:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            geometry = self.editing.selected_geometry()
            if self.hover_vertex is not None and geometry is not None:
                try:
                    after = sg.delete_vertex(geometry, self.hover_vertex)
                except InvalidSiteError as err:
                    self.editing.notify(tr("Cannot delete the corner: {error}", error=err))
                    return True
                self._commit(self.editing.selected, after, "Delete vertex of")
                self.hover_vertex = None
                return True
            return self.editing.delete_selected()
        if event.key() == Qt.Key.Key_Escape:
            if self.mode is not None:
                self._reset()
            else:
                self.editing.select(None)
            return True
        return False

    def deactivate(self) -> None:
        self._reset()
        self.hover_vertex = None

    def leave(self) -> None:
        """The cursor left the map: no corner is under it, no snap marker shows."""
        self.hover_vertex = None
        self.snap_result = None
        self.canvas.update()

    def _paint_catchment(self, painter: QPainter, point) -> None:
        """The catchment circle of the point site being dragged, where it is dragged to."""
        site = self.editing.selected
        layer = self.editing.layer
        if site is None or layer is None:
            return
        data = layer.data  # numpy, not a filtered frame: this runs every frame of a drag
        match = np.flatnonzero(data["site_id"].to_numpy() == site)
        own = (
            float(data["radius_m"].to_numpy(dtype=float, na_value=np.nan)[match[0]])
            if len(match) and "radius_m" in data
            else float("nan")
        )
        radius = own if math.isfinite(own) else float(self.editing.radius_m)
        if radius <= 0:
            return
        pixels = radius / self.canvas.viewport.resolution
        centre = self.canvas.map_to_screen(point.x, point.y)
        draw_catchment(
            painter,
            centre.x(),
            centre.y(),
            pixels,
            catchment_pen(),
            QBrush(catchment_fill(layer.opacity)),
            cached=True,
        )

    def paint(self, painter: QPainter) -> None:
        geometry = self.preview or self.editing.selected_geometry()
        if geometry is None:
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if self.preview is not None:
            fill = QColor(SKETCH_COLOUR)
            fill.setAlphaF(0.2)
            painter.setBrush(fill)
            painter.setPen(QPen(SKETCH_COLOUR, 2.5, Qt.PenStyle.DashLine))
            painter.drawPath(highlight_path([geometry], self.canvas.viewport))
            if geometry.geom_type == "Point":
                self._paint_catchment(painter, geometry)
        if geometry.geom_type == "Point":
            return
        painter.setPen(QPen(QColor("#d5007f"), 1.5))
        for number, (x, y) in enumerate(sg.polygon_vertices(geometry).tolist()):
            point = self.canvas.map_to_screen(x, y)
            hot = number == (self.vertex if self.mode == "vertex" else self.hover_vertex)
            size = 12 if hot else 8
            painter.setBrush(QColor("#d5007f") if hot else QColor("white"))
            painter.drawRect(QRectF(point.x() - size / 2, point.y() - size / 2, size, size))
        paint_snap_marker(painter, self.canvas, self.snap_result)
