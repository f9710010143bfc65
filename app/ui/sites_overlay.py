"""Drawn over the map every frame: catchment circles of point sites and the selection."""
from __future__ import annotations

import numpy as np
import shapely
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen

from app.core import sites as site_ops
from app.core.viewport import Viewport
from app.ui.fonts import map_font
from app.ui.indicators_panel import blocked, is_missing
from app.ui.render.decorations import highlight_path
from app.ui.site_editing import SiteEditing

CATCHMENT = QColor("#c43e00")


RANK_FILL = QColor("#1b1b1b")


class SitesOverlay:
    """Paints catchments (dashed circles of each point site's radius) and the selection."""

    def __init__(self, editing: SiteEditing, indicators=None) -> None:
        self.editing = editing
        self.indicators = indicators

    def paint(self, painter: QPainter, viewport: Viewport) -> None:
        layer = self.editing.layer
        if layer is None or not layer.visible or len(layer.data) == 0:
            return
        data = layer.data
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        is_point = (shapely.get_type_id(data.geometry.values) == 0)
        if is_point.any():
            coords = shapely.get_coordinates(data.geometry.values[is_point])
            radii = site_ops.effective_radii(layer, self.editing.radius_m)[is_point]
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
        self._paint_ranks(painter, viewport, data)
        geometry = self.editing.selected_geometry()
        if geometry is not None:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            path = highlight_path([geometry], viewport)
            painter.setPen(QPen(QColor(255, 255, 255, 230), 6))
            painter.drawPath(path)
            painter.setPen(QPen(QColor("#d5007f"), 3))
            painter.drawPath(path)

    def _paint_ranks(self, painter: QPainter, viewport: Viewport, data) -> None:
        """A "#rank score" badge at each site (red when zoning does not permit the use)."""
        results = getattr(self.indicators, "results", None)
        if results is None or len(results) == 0 or "rank" not in results:
            return
        anchors = shapely.get_coordinates(shapely.point_on_surface(data.geometry.values))
        sx, sy = viewport.map_to_screen(anchors[:, 0], anchors[:, 1])
        font = map_font(9, bold=True)
        painter.setFont(font)
        metrics = QFontMetricsF(font)
        for site_id, x, y in zip(data["site_id"].tolist(), sx.tolist(), sy.tolist()):
            if site_id not in results.index:
                continue
            row = results.loc[site_id]
            score = row["score"]
            text = f"#{int(row['rank'])}" + ("" if is_missing(score) else f" {score:.0f}")
            permission = row["use_permitted"]
            width = metrics.horizontalAdvance(text) + 10
            rect = QRectF(x - width / 2, y - 28, width, metrics.height() + 4)
            painter.setPen(Qt.PenStyle.NoPen)
            # red: zoning forbids the use; grey: no zoning data under the site (ranked
            # below the permitted ones too); dark: permitted
            painter.setBrush(QColor("#b00020") if blocked(permission)
                             else QColor("#808080") if is_missing(permission) else RANK_FILL)
            painter.drawRoundedRect(rect, 5, 5)
            painter.setPen(QColor("white"))
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), text)
