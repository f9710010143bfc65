"""The isochrone of the selected site (or of every site) on the canvas, with its circle.

The isochrone is drawn as the exports draw it (the same polygon, styled by
:data:`~app.core.network.layer.ISOCHRONE_SPEC`), and the site's R circle dotted beside it,
so a planner sees what the circle overstates. While a site is dragged and moving, its
reached streets are stroked as wide as the isochrone's band (2 × 25 m, round ends) in
the same colour and opacity: nearly the same area, fast enough for every mouse move (the
strokes go into an offscreen image drawn at one opacity, so crossings do not darken);
when the drag rests (:data:`~app.ui.network.controller.PAUSE_MS`) the polygon replaces them.
"""

from __future__ import annotations

import numpy as np
import shapely
from PySide6.QtCore import QLineF, QPointF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen, QPolygonF

from app.core.map.viewport import Viewport
from app.core.network.isochrone import ISOCHRONE_BUFFER_M
from app.core.network.layer import ISOCHRONE_COLOUR, ISOCHRONE_SPEC
from app.ui.canvas.render.decorations import highlight_path
from app.ui.canvas.render.qt_style import fill_brush, outline_pen

SYMBOL = ISOCHRONE_SPEC.style.symbol
FILL_ALPHA = SYMBOL.fill_alpha
CIRCLE = QColor(90, 90, 90, 110)


def screen_segments(lines: np.ndarray, viewport: Viewport) -> list[QLineF]:
    """The straight segments of LineStrings on screen (``drawLines`` strokes a list of
    segments about five times faster than one path of many subpaths with a wide pen)."""
    if len(lines) == 0:
        return []
    coords, index = shapely.get_coordinates(lines, return_index=True)
    sx, sy = viewport.map_to_screen(coords[:, 0], coords[:, 1])
    same = index[1:] == index[:-1]
    x0, y0 = sx[:-1][same].tolist(), sy[:-1][same].tolist()
    x1, y1 = sx[1:][same].tolist(), sy[1:][same].tolist()
    return [QLineF(a, b, c, d) for a, b, c, d in zip(x0, y0, x1, y1)]


def lines_path(lines: np.ndarray, viewport: Viewport) -> QPainterPath:
    """A screen path of LineStrings (one subpath each)."""
    path = QPainterPath()
    if len(lines) == 0:
        return path
    coords, index = shapely.get_coordinates(lines, return_index=True)
    sx, sy = viewport.map_to_screen(coords[:, 0], coords[:, 1])
    starts = np.flatnonzero(np.r_[True, index[1:] != index[:-1]])
    ends = np.r_[starts[1:], len(index)]
    for a, b in zip(starts.tolist(), ends.tolist()):
        path.addPolygon(QPolygonF([QPointF(x, y) for x, y in zip(sx[a:b], sy[a:b])]))
    return path


class IsochroneOverlay:
    """Paints the walking isochrones of :class:`WalkingNetworkController`."""

    def __init__(self, controller) -> None:
        self.controller = controller

    def paint(self, painter: QPainter, viewport: Viewport) -> None:
        controller = self.controller
        if controller.network is None:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        colour = QColor(ISOCHRONE_COLOUR)
        live = controller.live
        shown = [
            row for row in controller.shown() if live is None or live[0] != row[0]
        ]  # the dragged site is drawn live below
        polygons = controller.polygons(shown)
        waiting = []  # polygons still to be made: their streets stroked meanwhile
        for (_, geometry, radius), polygon in zip(shown, polygons):
            self._circle(painter, viewport, geometry, radius)
            if polygon is None and geometry is not None and not geometry.is_empty:
                waiting.append(controller.reached(geometry, radius))
        if waiting:
            self._strokes(painter, viewport, np.concatenate(waiting), colour)
        if live is not None:
            _, geometry, radius, pieces, polygon = live
            self._circle(painter, viewport, geometry, radius)
            if polygon is None:  # moving: the strokes
                self._strokes(painter, viewport, pieces, colour)
            else:
                polygons.append(polygon)
        self._polygons(painter, viewport, polygons)
        painter.restore()

    @staticmethod
    def _polygons(painter: QPainter, viewport: Viewport, polygons: list) -> None:
        """The isochrone polygons as the exports draw them (one style model)."""
        shown = [p for p in polygons if p is not None and not p.is_empty]
        if not shown:
            return
        painter.setBrush(fill_brush(SYMBOL))
        painter.setPen(outline_pen(SYMBOL))
        for polygon in shown:  # one path each: overlapping isochrones blend as layers do
            painter.drawPath(highlight_path([polygon], viewport))

    @staticmethod
    def _circle(painter: QPainter, viewport: Viewport, geometry, radius: float) -> None:
        """The straight-line catchment, faint (what the circle would claim)."""
        if geometry is None or radius <= 0:
            return
        disc = shapely.buffer(geometry, radius, quad_segs=16)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        pen = QPen(CIRCLE, 1.2, Qt.PenStyle.DotLine)
        painter.setPen(pen)
        painter.drawPath(highlight_path([disc], viewport))

    @staticmethod
    def _strokes(painter: QPainter, viewport: Viewport, pieces, colour: QColor) -> None:
        device = painter.device()
        width, height = device.width(), device.height()
        if width <= 0 or height <= 0 or len(pieces) == 0:
            return
        image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        inner = QPainter(image)
        inner.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        pen = QPen(colour, max(1.0, 2 * ISOCHRONE_BUFFER_M / viewport.resolution))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        inner.setPen(pen)
        inner.drawLines(screen_segments(pieces, viewport))
        inner.end()
        painter.save()
        painter.resetTransform()
        painter.setOpacity(FILL_ALPHA)
        painter.drawImage(0, 0, image)
        painter.restore()
