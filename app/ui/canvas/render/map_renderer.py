"""Draw a :class:`~layers.model.LayerStack` for a :class:`~app.core.map.viewport.Viewport`.

Used by the canvas and (later) by the PNG/PDF export, so both look the same.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QPainter

from app.core.map.viewport import Viewport
from app.ui.canvas.render.decorations import (
    attribution_rect,
    attribution_text,
    paint_attribution,
    paint_north_arrow,
    paint_scale_bar,
)
from app.ui.canvas.render.labels import LabelPlan, place_and_paint
from app.ui.canvas.render.layer_painter import LayerCache, build_cache, paint_layer
from layers.model import Layer, LayerStack

BACKGROUND = QColor("#fbfaf7")
#: Height of the band at the bottom the scale bar takes (canvas pixels).
SCALE_BAR_BAND = 40.0


class MapRenderer:
    """Paints layers with per-layer caches that survive pans and zooms.

    Parameters
    ----------
    stack : LayerStack
        The layers; the renderer drops a layer's cache when its data or style changes.
    """

    def __init__(self, stack: LayerStack) -> None:
        self.stack = stack
        self._caches: dict[int, LayerCache] = {}
        #: Drawn under the layers: an object with ``paint(painter, viewport)`` and
        #: ``attribution()`` (app/ui/canvas/basemap.py), or None.
        self.basemap = None
        stack.layer_changed.connect(self._on_layer_changed)
        stack.removed.connect(lambda _index, layer: self._caches.pop(id(layer), None))

    def _on_layer_changed(self, layer: Layer, what: str) -> None:
        if what in ("data", "style"):
            self._caches.pop(id(layer), None)

    def cache_for(self, layer: Layer) -> LayerCache:
        """The layer's frame-independent drawing data (built on first use)."""
        cache = self._caches.get(id(layer))
        if cache is None:
            cache = self._caches[id(layer)] = build_cache(layer)
        return cache

    def adopt_cache(self, layer: Layer, cache: LayerCache) -> None:
        """Use ``cache`` (built elsewhere, e.g. on a worker thread with the layer's data
        and style) as the layer's drawing data."""
        self._caches[id(layer)] = cache

    def render_layers(
        self,
        painter: QPainter,
        viewport: Viewport,
        scale: float = 1.0,
        background: QColor | None = BACKGROUND,
        label_scale: float = 1.0,
        labels: bool = True,
    ) -> None:
        """Background, every visible layer bottom-up, then (``labels``) their labels.

        ``label_scale`` enlarges the labels only (presentation mode). Callers that draw
        something between the layers and the labels (the sites' catchments) pass
        ``labels=False`` and call :meth:`render_labels` afterwards.
        """
        if background is not None:
            painter.fillRect(QRectF(0, 0, viewport.width, viewport.height), background)
        if self.basemap is not None:
            self.basemap.paint(painter, viewport)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        visible = [layer for layer in self.stack.draw_order() if layer.visible]
        for layer in visible:
            paint_layer(painter, layer, self.cache_for(layer), viewport, scale)
        if labels:
            self.render_labels(painter, viewport, scale, label_scale)

    def render_labels(
        self,
        painter: QPainter,
        viewport: Viewport,
        scale: float = 1.0,
        label_scale: float = 1.0,
        badges=(),
    ) -> LabelPlan:
        """The labels of the visible layers and the sites' ``badges``, placed in one pass
        (:func:`~app.ui.canvas.render.labels.place_and_paint`); returns what was drawn."""
        visible = [layer for layer in reversed(self.stack.draw_order()) if layer.visible]
        return place_and_paint(
            painter,
            [(layer, self.cache_for(layer)) for layer in visible],
            viewport,
            scale,
            label_scale,
            badges,
        )

    def attribution(self, language: str = "en") -> str:
        """The attribution line drawn over the map (data notes and the basemap's credit)."""
        text = attribution_text(self.stack, language)
        credit = self.basemap.attribution() if self.basemap is not None else ""
        if credit and credit not in text:
            text = f"{text}  ·  {credit}" if text else credit
        return text

    def free_area(
        self, viewport: Viewport, scale: float = 1.0, language: str = "en"
    ) -> tuple[float, float, float, float]:
        """``(left, top, right, bottom)`` of the map not under the furniture: above the
        attribution box and the scale bar (a view fitted there shows its extent whole)."""
        box = attribution_rect(viewport.width, viewport.height, self.attribution(language), scale)
        bottom = viewport.height - max(box.height() + 4 * scale, SCALE_BAR_BAND * scale)
        return (0.0, 0.0, float(viewport.width), float(max(bottom, viewport.height * 0.5)))

    def render_decorations(
        self,
        painter: QPainter,
        viewport: Viewport,
        scale: float = 1.0,
        language: str = "en",
        top: float = 0.0,
    ) -> None:
        """Scale bar, north arrow and attribution over the map.

        ``top`` moves the north arrow down (below a title band drawn over the map).
        """
        paint_scale_bar(painter, viewport, scale)
        painter.save()
        painter.translate(0, top)
        paint_north_arrow(painter, viewport, scale)
        painter.restore()
        paint_attribution(painter, viewport, self.attribution(language), scale)
