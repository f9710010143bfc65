"""Drawn over the map every frame: catchment circles of point sites and the selection."""
from __future__ import annotations

import numpy as np
import shapely
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from app.core.viewport import Viewport
from app.ui.render.decorations import highlight_path
from app.ui.site_editing import SiteEditing

CATCHMENT = QColor("#c43e00")


class SitesOverlay:
    """Paints catchments (dashed circles of each point site's radius) and the selection."""

    def __init__(self, editing: SiteEditing) -> None:
        self.editing = editing

    def paint(self, painter: QPainter, viewport: Viewport) -> None:
        layer = self.editing.layer
        if layer is None or not layer.visible or len(layer.data) == 0:
            return
        data = layer.data
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        is_point = (shapely.get_type_id(data.geometry.values) == 0)
        if is_point.any():
            coords = shapely.get_coordinates(data.geometry.values[is_point])
            radii = data["radius_m"].to_numpy(dtype=float)[is_point]
            sx, sy = viewport.map_to_screen(coords[:, 0], coords[:, 1])
            fill = QColor(CATCHMENT)
            fill.setAlphaF(0.06 * layer.opacity)
            pen = QPen(CATCHMENT, 1.6, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.setBrush(fill)
            for x, y, r in zip(sx.tolist(), sy.tolist(),
                               np.nan_to_num(radii / viewport.resolution).tolist()):
                if r > 0:
                    painter.drawEllipse(QPointF(x, y), r, r)
        geometry = self.editing.selected_geometry()
        if geometry is not None:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            path = highlight_path([geometry], viewport)
            painter.setPen(QPen(QColor(255, 255, 255, 230), 6))
            painter.drawPath(path)
            painter.setPen(QPen(QColor("#d5007f"), 3))
            painter.drawPath(path)
