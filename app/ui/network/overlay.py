"""The isochrone of the selected site (or of every site) on the canvas, with its circle.

The isochrone is drawn in translucent green, and the site's R circle dotted beside it,
so a planner sees what the circle overstates. The reached streets are stroked as wide as
the isochrone's band (2 × 25 m, round ends), which draws the same area as the buffered
polygon of the exports but fast enough for every mouse move while a site is dragged: the
strokes go into an offscreen image drawn at one opacity, so crossings do not darken.
"""

from __future__ import annotations

import numpy as np
import shapely
from PySide6.QtCore import QLineF, QPointF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen, QPolygonF

from app.core.map.viewport import Viewport
from app.core.network.isochrone import ISOCHRONE_BUFFER_M
from app.core.network.layer import ISOCHRONE_COLOUR
from app.ui.canvas.render.decorations import highlight_path

FILL_ALPHA = 0.28
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
        drawn = []
        for site_id, geometry, radius in controller.shown():
            if live is not None and live[0] == site_id:
                continue  # drawn live below
            self._circle(painter, viewport, geometry, radius)
            drawn.append(controller.reached(geometry, radius))
        if live is not None:
            _, geometry, radius, pieces = live
            self._circle(painter, viewport, geometry, radius)
            drawn.append(pieces)
        if drawn:
            self._strokes(painter, viewport, np.concatenate(drawn), colour)
        painter.restore()

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
        painter.setOpacity(FILL_ALPHA + 0.1)
        painter.drawImage(0, 0, image)
        painter.restore()
