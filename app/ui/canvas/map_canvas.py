"""The map canvas: draws the layer stack, pans, zooms and hosts one active map tool.

Rendering goes to a cached image; a pan drag only shifts that image, a wheel
zoom or a layer change renders again. Decorations and tool overlays are drawn
on top every frame.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QWheelEvent,
)
from PySide6.QtWidgets import QWidget

from app.core.map.viewport import Viewport
from app.ui.canvas.basemap import BasemapLayer
from app.ui.canvas.render.decorations import highlight_path
from app.ui.canvas.render.labels import LabelPlan
from app.ui.canvas.render.map_renderer import BACKGROUND, MapRenderer
from app.ui.i18n import tr
from layers.model import LayerStack

log = logging.getLogger("innoatlas")

WHEEL_STEP = 1.25  # zoom factor per wheel notch (QGIS default is 2; finer feels smoother)
KEY_ZOOM = 1.5
KEY_PAN_SHARE = 0.25  # arrow keys pan a quarter of the view


class MapTool:
    """Base of canvas tools (QGIS ``QgsMapTool``): the canvas forwards events to one tool."""

    name = "tool"
    cursor = Qt.CursorShape.ArrowCursor

    def __init__(self, canvas: MapCanvas) -> None:
        self.canvas = canvas

    def press(self, event: QMouseEvent) -> bool:
        """Return True when the event was consumed."""
        return False

    def move(self, event: QMouseEvent) -> bool:
        return False

    def release(self, event: QMouseEvent) -> bool:
        return False

    def key(self, event: QKeyEvent) -> bool:
        return False

    def double_click(self, event: QMouseEvent) -> bool:
        return False

    def paint(self, painter: QPainter) -> None:
        """Draw the tool's rubber bands and markers over the map (screen coordinates)."""

    def activate(self) -> None:
        self.canvas.setCursor(self.cursor)

    def deactivate(self) -> None:
        pass

    def leave(self) -> None:
        """The cursor left the map (hover markers go)."""


class PanTool(MapTool):
    """Drag with the left button to pan."""

    name = "pan"
    cursor = Qt.CursorShape.OpenHandCursor

    def press(self, event: QMouseEvent) -> bool:
        if event.button() == Qt.MouseButton.LeftButton:
            self.canvas.begin_drag_pan(event.position())
            self.canvas.setCursor(Qt.CursorShape.ClosedHandCursor)
            return True
        return False

    def release(self, event: QMouseEvent) -> bool:
        if event.button() == Qt.MouseButton.LeftButton:
            self.canvas.setCursor(self.cursor)
        return False


class MapCanvas(QWidget):
    """Widget that draws a :class:`LayerStack` through a :class:`Viewport`.

    Signals
    -------
    coordinatesChanged(float, float)
        Map coordinates (EPSG:5186) under the cursor.
    extentChanged()
        The view moved or zoomed.
    rendered(float)
        A full render finished; the argument is its duration in milliseconds.
    filesDropped(list)
        Local files (``pathlib.Path``) were dropped on the map: add them as layers.
    """

    coordinatesChanged = Signal(float, float)
    extentChanged = Signal()
    rendered = Signal(float)
    filesDropped = Signal(list)

    def __init__(self, stack: LayerStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mapCanvas")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setMinimumSize(200, 150)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.setAcceptDrops(True)
        self.stack = stack
        self.renderer = MapRenderer(stack)
        #: The tile basemap under the layers (off until the project turns it on).
        self.basemap = BasemapLayer(parent=self)
        self.renderer.basemap = self.basemap
        self.basemap.changed.connect(self.refresh)
        self.viewport = Viewport(width=max(1, self.width()), height=max(1, self.height()))
        self.language = "en"
        self.last_render_ms = 0.0
        self.render_count = 0
        self._image: QImage | None = None
        self._dirty = True
        self._drag_origin: QPointF | None = None
        self._drag_offset = QPointF(0, 0)
        self._drag_button = Qt.MouseButton.NoButton
        self._highlight: list = []
        #: Whether tools draw their snap marker (not on a projector: presentation mode).
        self.show_snap_marker = True
        #: Objects with ``paint(painter, viewport)`` drawn over the cached map every frame;
        #: one with ``label_marks()`` hands its badges to the label pass.
        self.overlays: list = []
        #: The labels and badges last drawn (placed in one pass over the overlays).
        self.last_labels = LabelPlan()
        self._labels_image: QImage | None = None
        self._labels_key: tuple | None = None
        self._tool: MapTool | None = None
        self._extent_set = False
        #: What the map shows before the user moves it (the main window sets the districts).
        self.home_extent: tuple[float, float, float, float] | None = None
        #: Multiplies the label font sizes of every layer (presentation mode: larger).
        self.label_scale = 1.0
        #: Size of the scale bar, north arrow and attribution, and how far the north
        #: arrow sits below the top edge (presentation mode draws a title band there).
        self.decoration_scale = 1.0
        self.decoration_top = 0.0
        for signal in (stack.layer_changed, stack.inserted, stack.removed, stack.moved):
            signal.connect(lambda *_: self.refresh())
        self.set_tool(PanTool(self))

    # -- public API ---------------------------------------------------------------------
    def refresh(self) -> None:
        """Render again on the next paint (layers or style changed)."""
        self._dirty = True
        self.update()

    def set_tool(self, tool: MapTool) -> None:
        """Make ``tool`` the active map tool."""
        if self._tool is not None:
            self._tool.deactivate()
        self._tool = tool
        tool.activate()

    @property
    def tool(self) -> MapTool | None:
        return self._tool

    def zoom_to_extent(self, bounds, margin: float = 0.05) -> None:
        """Show ``(xmin, ymin, xmax, ymax)``."""
        self._sync_size()
        self.viewport.zoom_to_extent(bounds, margin)
        self._extent_set = True
        self._view_changed()

    def set_label_scale(self, factor: float) -> None:
        """Draw every label ``factor`` times its style's size (the styles stay as they are)."""
        if factor != self.label_scale:
            self.label_scale = float(factor)
            self.refresh()

    def set_view(self, center_x: float, center_y: float, resolution: float) -> None:
        """Show the map centred on ``(center_x, center_y)`` at ``resolution`` m/pixel.

        Later resizes keep this view (e.g. a project's saved view) instead of the home extent.
        """
        self._sync_size()
        self.viewport.center_x, self.viewport.center_y = float(center_x), float(center_y)
        self.viewport.resolution = float(resolution)
        self._extent_set = True
        self._view_changed()

    def zoom_full(self) -> None:
        """Show every layer."""
        extent = self.stack.extent(visible_only=True) or self.stack.extent()
        if extent is not None:
            self.zoom_to_extent(extent, 0.03)

    def zoom_by(self, factor: float, anchor: QPointF | None = None) -> None:
        """Zoom in (``factor`` > 1) or out around ``anchor`` (screen pixels) or the centre."""
        self.viewport.zoom_by(factor, None if anchor is None else (anchor.x(), anchor.y()))
        self._extent_set = True
        self._view_changed()

    def pan_by_pixels(self, dx: float, dy: float) -> None:
        """Shift the map content by ``(dx, dy)`` pixels."""
        self.viewport.pan_pixels(dx, dy)
        self._extent_set = True
        self._view_changed()

    def map_to_screen(self, x: float, y: float) -> QPointF:
        sx, sy = self.viewport.map_to_screen(x, y)
        return QPointF(float(sx), float(sy))

    def screen_to_map(self, point: QPointF | QPoint) -> tuple[float, float]:
        x, y = self.viewport.screen_to_map(point.x(), point.y())
        return float(x), float(y)

    def set_highlight(self, geometries: list) -> None:
        """Outline ``geometries`` (EPSG:5186) over the map, e.g. identify results."""
        self._highlight = [g for g in geometries if g is not None]
        self.update()

    def begin_drag_pan(self, position: QPointF) -> None:
        """Start a pan drag at ``position`` (tools call this)."""
        self._drag_origin = QPointF(position)
        self._drag_offset = QPointF(0, 0)

    # -- internals ---------------------------------------------------------------------
    def _sync_size(self) -> None:
        if (self.viewport.width, self.viewport.height) != (self.width(), self.height()):
            self.viewport.resize(self.width(), self.height())
            self._dirty = True

    def _view_changed(self) -> None:
        self._dirty = True
        self.update()
        self.extentChanged.emit()

    def render_now(self) -> QImage:
        """Render the layers into the cache image immediately and return it."""
        self._sync_size()
        ratio = self.devicePixelRatioF()
        image = QImage(
            int(self.viewport.width * ratio),
            int(self.viewport.height * ratio),
            QImage.Format.Format_ARGB32_Premultiplied,
        )
        image.setDevicePixelRatio(ratio)
        start = time.perf_counter()
        painter = QPainter(image)
        try:
            self.renderer.render_layers(painter, self.viewport, labels=False)
        except Exception as err:
            log.exception("rendering failed")
            painter.setPen(QColor("#b00020"))
            painter.drawText(20, 40, tr("The map could not be drawn: {error}", error=err))
        finally:
            painter.end()
        self.last_render_ms = (time.perf_counter() - start) * 1000.0
        self.render_count += 1
        self._image = image
        self._dirty = False
        self.rendered.emit(self.last_render_ms)
        return image

    def labels_image(self) -> QImage:
        """The layers' labels and the overlays' badges, placed in one pass
        (:meth:`MapRenderer.render_labels`), cached until the map or a badge changes."""
        badges = [
            badge
            for overlay in self.overlays
            if hasattr(overlay, "label_marks")
            for badge in overlay.label_marks()
        ]
        key = (
            self.render_count,
            self.label_scale,
            tuple((b.x, b.y, b.text, b.fill.rgba(), b.ring is not None) for b in badges),
        )
        if key != self._labels_key or self._labels_image is None:
            ratio = self.devicePixelRatioF()
            image = QImage(
                int(self.viewport.width * ratio),
                int(self.viewport.height * ratio),
                QImage.Format.Format_ARGB32_Premultiplied,
            )
            image.setDevicePixelRatio(ratio)
            image.fill(Qt.GlobalColor.transparent)
            painter = QPainter(image)
            try:
                self.last_labels = self.renderer.render_labels(
                    painter, self.viewport, label_scale=self.label_scale, badges=badges
                )
            finally:
                painter.end()
            self._labels_image, self._labels_key = image, key
        return self._labels_image

    def resizeEvent(self, event) -> None:
        self.viewport.resize(self.width(), self.height())
        if not self._extent_set:
            # Until the user moves the map, keep the home extent (or everything) in view.
            # (whole, clear of the attribution box and the scale bar drawn over the map)
            extent = self.home_extent or self.stack.extent(visible_only=True)
            if extent is not None:
                area = self.renderer.free_area(self.viewport, self.decoration_scale, self.language)
                self.viewport.zoom_to_extent_within(extent, area, 0.04)
        self._dirty = True
        super().resizeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        self._sync_size()
        if self._dirty or self._image is None:
            self.render_now()
        painter = QPainter(self)
        if self._drag_origin is not None and not self._drag_offset.isNull():
            painter.fillRect(self.rect(), BACKGROUND)
            painter.drawImage(self._drag_offset, self._image)
        else:
            painter.drawImage(QPoint(0, 0), self._image)
        if self._highlight and self._drag_origin is None:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            path = highlight_path(self._highlight, self.viewport)
            painter.setPen(QPen(QColor(255, 255, 255, 230), 6))
            painter.drawPath(path)
            painter.setPen(QPen(QColor("#ff2d95"), 3))
            painter.drawPath(path)
        if self._drag_origin is None:
            for overlay in self.overlays:
                painter.save()
                overlay.paint(painter, self.viewport)
                painter.restore()
        painter.drawImage(self._drag_offset, self.labels_image())
        if self._tool is not None:
            painter.save()
            painter.translate(self._drag_offset)
            self._tool.paint(painter)
            painter.restore()
        self.renderer.render_decorations(
            painter,
            self.viewport,
            self.decoration_scale,
            language=self.language,
            top=self.decoration_top,
        )
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        self._drag_button = event.button()
        if event.button() == Qt.MouseButton.MiddleButton:
            self.begin_drag_pan(event.position())
            return
        if self._tool is not None and self._tool.press(event):
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        x, y = self.screen_to_map(event.position())
        self.coordinatesChanged.emit(x, y)
        if self._drag_origin is not None:
            self._drag_offset = event.position() - self._drag_origin
            self.update()
            return
        if self._tool is not None:
            self._tool.move(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag_origin is not None and event.button() == self._drag_button:
            offset = event.position() - self._drag_origin
            self._drag_origin = None
            self._drag_offset = QPointF(0, 0)
            if self._tool is not None:
                self._tool.release(event)
            if abs(offset.x()) + abs(offset.y()) >= 1:
                self.pan_by_pixels(offset.x(), offset.y())
            else:
                self.update()
            return
        if self._tool is not None:
            self._tool.release(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if self._tool is not None and self._tool.double_click(event):
            return
        super().mouseDoubleClickEvent(event)

    def leaveEvent(self, event) -> None:
        if self._tool is not None:
            self._tool.leave()
        super().leaveEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        notches = event.angleDelta().y() / 120.0
        if notches:
            self.zoom_by(WHEEL_STEP**notches, event.position())
        event.accept()

    @staticmethod
    def _dropped_files(event) -> list[Path]:
        mime = event.mimeData()
        if mime is None or not mime.hasUrls():
            return []
        return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._dropped_files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._dropped_files(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = self._dropped_files(event)
        if not files:
            event.ignore()
            return
        event.acceptProposedAction()
        self.filesDropped.emit(files)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._tool is not None and self._tool.key(event):
            return
        key = event.key()
        step_x, step_y = self.width() * KEY_PAN_SHARE, self.height() * KEY_PAN_SHARE
        pans = {
            Qt.Key.Key_Left: (step_x, 0),
            Qt.Key.Key_Right: (-step_x, 0),
            Qt.Key.Key_Up: (0, step_y),
            Qt.Key.Key_Down: (0, -step_y),
        }
        if key in pans:
            self.pan_by_pixels(*pans[key])
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_by(KEY_ZOOM)
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.zoom_by(1 / KEY_ZOOM)
        else:
            super().keyPressEvent(event)
