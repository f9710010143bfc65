"""Drawn over the map every frame: catchment circles and badges of the sites, the selection."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter, QPen

from app.core.map.viewport import Viewport
from app.ui.canvas.render.decorations import highlight_path
from app.ui.canvas.render.labels import Badge
from app.ui.canvas.render.sites_painter import paint_sites, site_badges
from app.ui.sites.editing import SiteEditing


class SitesOverlay:
    """Paints catchments (dashed circles of each point site's radius) and the selection;
    hands the rank/score badges of the indicator results to the canvas's label pass
    (:meth:`label_marks`).

    Catchments and badges come from :func:`~app.ui.canvas.render.sites_painter.paint_sites`,
    which the PNG/PDF export calls too.
    """

    def __init__(self, editing: SiteEditing, indicators=None) -> None:
        self.editing = editing
        self.indicators = indicators
        #: How catchments are drawn (:data:`~app.ui.canvas.render.sites_painter.CATCHMENT_MODES`).
        self.catchments = "auto"
        #: Returns the workshop participants' dots per site id (app/ui/participation).
        self.dots = None
        self._results_version = 0  # counts the results' changes (some are in place)
        self._badges: tuple = ((), [])  # (what they were made from, the badges)
        if indicators is not None and hasattr(indicators, "resultsChanged"):
            indicators.resultsChanged.connect(self._results_changed)

    def _results_changed(self) -> None:
        self._results_version += 1

    def label_marks(self) -> list[Badge]:
        """The sites' badges, which the canvas places together with the layers' labels."""
        dots = self.dots() if self.dots is not None else None
        layer = self.editing.layer
        results = getattr(self.indicators, "results", None)
        made_from = (
            None if layer is None else layer.data,
            None if layer is None else layer.visible,
            results,
            self._results_version,
            None if dots is None else tuple(dots.items()),
        )
        before, badges = self._badges
        if len(before) == len(made_from) and all(
            a is b or (type(a) in (bool, int, tuple) and a == b) for a, b in zip(before, made_from)
        ):  # the same data: the same badges (a drag paints dozens of frames a second)
            return list(badges)
        badges = site_badges(layer, results, dots)
        self._badges = (made_from, badges)
        return list(badges)

    def paint(self, painter: QPainter, viewport: Viewport) -> None:
        layer = self.editing.layer
        if layer is None or not layer.visible or len(layer.data) == 0:
            return
        paint_sites(
            painter, viewport, layer, self.editing.radius_m, mode=self.catchments, cached=True
        )
        geometry = self.editing.selected_geometry()
        if geometry is not None:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            path = highlight_path([geometry], viewport)
            painter.setPen(QPen(QColor(255, 255, 255, 230), 6))
            painter.drawPath(path)
            painter.setPen(QPen(QColor("#d5007f"), 3))
            painter.drawPath(path)
