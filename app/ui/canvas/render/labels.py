"""The one label pass of the canvas and the PNG/PDF export: layer labels and the sites'
"#rank score" badges measured with Qt, placed together by
:func:`app.core.map.label_placement.place_labels`, then painted.

Priorities: the innovation districts' names (three, what a reader finds the map by: a
badge never covers "마곡"; they shift off the sites' markers), then the sites' badges (by
rank), the sites' names, the stations, and the other layers' labels (top layer first).
A badge or site name with no free position next to its site moves to an outer ring with
a leader line; other labels are hidden. The sites' names sit on a light plate, readable
on red hot-spot cells and aerial photos alike. Labels of a
layer are drawn only between its style's ``min_resolution`` and ``max_resolution`` (QGIS's
scale-dependent visibility: hiding by scale), and at
most :data:`MAX_PER_LAYER` per layer are considered (labels of thousands of start-ups are
never drawn).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen

from app.core.map import label_placement as lp
from app.core.map.viewport import Viewport
from app.ui.canvas.render.layer_painter import LayerCache, halo_text
from app.ui.fonts import map_font
from layers.model import Layer

#: Layers whose labels win, by name (lower first); other layers come after, top first.
LAYER_PRIORITY = {"districts": 0, "sites": 2, "stations": 3}
BADGE_PRIORITY = 1
OTHER_PRIORITY = 4
MAX_PER_LAYER = 400
LEADER = QColor("#404040")
#: Layers whose labels sit on a plate of their halo colour (the sites' names).
PLATED_LAYERS = frozenset({"sites"})
#: Opacity of that plate.
PLATE_ALPHA = 0.85


@dataclass(frozen=True)
class Badge:
    """A site's badge: its anchor (map coordinates), text, fill, and the colour of the
    dashed ring drawn around it (a site compared on partial data), if any."""

    x: float
    y: float
    text: str
    fill: QColor
    ring: QColor | None = None
    #: share of weightings that rank the site first (a small pie ring at the left), if known
    p_first: float | None = None


@dataclass
class LabelPlan:
    """What the pass drew: one entry per placed text, in screen units of the map.

    ``kinds`` is ``"badge"`` or the layer name; ``boxes`` the drawn boxes (``QRectF``);
    ``hidden`` counts the labels that found no free position.
    """

    texts: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    boxes: list[QRectF] = field(default_factory=list)
    leaders: int = 0
    hidden: int = 0

    def box_of(self, text: str, kind: str | None = None) -> QRectF | None:
        """The box of the first drawn text ``text`` (of ``kind``), None when not drawn."""
        for t, k, b in zip(self.texts, self.kinds, self.boxes):
            if t == text and (kind is None or k == kind):
                return b
        return None


@dataclass
class _Requests:
    x: list = field(default_factory=list)
    y: list = field(default_factory=list)
    w: list = field(default_factory=list)
    h: list = field(default_factory=list)
    priority: list = field(default_factory=list)
    gap: list = field(default_factory=list)
    mode: list = field(default_factory=list)
    leader: list = field(default_factory=list)
    key: list = field(default_factory=list)
    draw: list = field(default_factory=list)  # (kind, text, payload) per request


def _layer_requests(
    out: _Requests,
    layer: Layer,
    cache: LayerCache,
    viewport: Viewport,
    scale: float,
    label_scale: float,
    rank: int,
    keys: dict[str, int],
) -> None:
    label = layer.style.label
    if label is None or not cache.label_text or layer.opacity <= 0:
        return
    if label.max_resolution is not None and viewport.resolution > label.max_resolution:
        return  # hidden at this scale (zoomed out too far)
    if label.min_resolution is not None and viewport.resolution < label.min_resolution:
        return  # hidden at this scale (zoomed in too far)
    m11, _, _, m22, dx, dy = viewport.affine()
    sx = cache.label_x * m11 + dx
    sy = cache.label_y * m22 + dy
    visible = np.flatnonzero((sx > 0) & (sx < viewport.width) & (sy > 0) & (sy < viewport.height))
    font = map_font(label.size_pt * scale * label_scale, label.bold)
    metrics = QFontMetricsF(font)
    priority = LAYER_PRIORITY.get(layer.name, OTHER_PRIORITY + rank)
    kind = layer.geometry_kind
    gap = 0.0 if kind == "polygon" else (10.0 if kind == "mixed" else 8.0) * scale
    mode = lp.CENTRE if kind == "polygon" else lp.AROUND
    for i in visible[:MAX_PER_LAYER].tolist():
        text = cache.label_text[i]
        if not text:
            continue
        out.x.append(sx[i])
        out.y.append(sy[i])
        out.w.append(metrics.horizontalAdvance(text))
        out.h.append(metrics.height())
        out.priority.append(priority)
        out.gap.append(gap)
        out.mode.append(mode)
        out.leader.append(layer.name == "sites")
        out.key.append(keys.setdefault(f"{layer.name}\0{text}", len(keys)))
        out.draw.append((layer.name, text, (font, label, layer.opacity)))


def _badge_requests(out: _Requests, badges, viewport: Viewport, scale: float) -> None:
    font = map_font(9 * scale, bold=True)
    metrics = QFontMetricsF(font)
    ring = 2.5 * scale
    for badge in badges:
        sx, sy = viewport.map_to_screen(badge.x, badge.y)
        out.x.append(float(sx))
        out.y.append(float(sy))
        pie = metrics.height() if badge.p_first is not None else 0.0  # the P(1st) ring
        out.w.append(metrics.horizontalAdvance(badge.text) + 10 * scale + 2 * ring + pie)
        out.h.append(metrics.height() + 4 * scale + 2 * ring)
        out.priority.append(BADGE_PRIORITY)
        out.gap.append(9.0 * scale)  # clear of the site marker (obstacle of 6 + pad 2)
        out.mode.append(lp.ABOVE)
        out.leader.append(True)
        out.key.append(-1)
        out.draw.append(("badge", badge.text, (font, badge, ring)))


def site_obstacles(layer: Layer | None, viewport: Viewport, scale: float) -> np.ndarray:
    """Boxes around the sites' anchors: no label covers a site's marker."""
    if layer is None or not layer.visible or len(layer.data) == 0:
        return np.empty((0, 4))
    import shapely

    anchors = shapely.get_coordinates(shapely.point_on_surface(layer.data.geometry.values))
    sx, sy = viewport.map_to_screen(anchors[:, 0], anchors[:, 1])
    r = 6.0 * scale
    return np.column_stack([sx - r, sy - r, sx + r, sy + r])


def place_and_paint(
    painter: QPainter,
    layers: list[tuple[Layer, LayerCache]],
    viewport: Viewport,
    scale: float = 1.0,
    label_scale: float = 1.0,
    badges=(),
) -> LabelPlan:
    """Place every label of ``layers`` (top layer first) and ``badges`` in one pass and draw
    them.

    Parameters
    ----------
    painter : QPainter
        Painter in screen coordinates of ``viewport``; its state is restored.
    layers : list of (Layer, LayerCache)
        The visible layers, top first, with their caches (label anchors and texts).
    viewport : Viewport
        The view.
    scale : float
        Multiplies type, gaps and line widths (print DPI).
    label_scale : float
        Multiplies only the label type (presentation mode).
    badges : iterable of Badge
        The sites' badges, placed first.

    Returns
    -------
    LabelPlan
        The drawn texts and their boxes.
    """
    requests = _Requests()
    _badge_requests(requests, badges, viewport, scale)
    keys: dict[str, int] = {}
    for rank, (layer, cache) in enumerate(layers):
        _layer_requests(requests, layer, cache, viewport, scale, label_scale, rank, keys)
    plan = LabelPlan()
    if not requests.draw:
        return plan
    sites = next((layer for layer, _ in layers if layer.name == "sites"), None)
    result = lp.place_labels(
        requests.x,
        requests.y,
        requests.w,
        requests.h,
        priority=requests.priority,
        gap=requests.gap,
        mode=requests.mode,
        leader=requests.leader,
        key=requests.key,
        obstacles=site_obstacles(sites, viewport, scale),
        bounds=(0.0, 0.0, float(viewport.width), float(viewport.height)),
        pad=2.0 * scale,
    )
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    order = np.flatnonzero(result.placed)
    # leaders first, under every text
    for i in order[result.leader[order]].tolist():
        _leader(painter, requests.x[i], requests.y[i], result.boxes[i], scale)
    for i in order.tolist():
        kind, text, payload = requests.draw[i]
        x0, y0, x1, y1 = result.boxes[i].tolist()
        rect = QRectF(x0, y0, x1 - x0, y1 - y0)
        if kind == "badge":
            _paint_badge(painter, rect, *payload, text=text, scale=scale)
        else:
            font, label, opacity = payload
            painter.setOpacity(max(0.35, opacity))
            painter.setFont(font)
            if kind in PLATED_LAYERS and label.halo:
                _paint_plate(painter, rect, label.halo, scale)
            halo_text(painter, rect, text, label.color, label.halo, scale)
            painter.setOpacity(1.0)
        plan.texts.append(text)
        plan.kinds.append(kind)
        plan.boxes.append(rect)
    painter.restore()
    plan.leaders = int(result.leader.sum())
    plan.hidden = int(len(requests.draw) - len(order))
    return plan


def _paint_plate(painter: QPainter, rect: QRectF, colour: str, scale: float) -> None:
    """A light rounded plate under a site's name: it stays readable on any fill (a red
    hot-spot cell, an aerial photo), not only where the halo is."""
    plate = QColor(colour)
    plate.setAlphaF(PLATE_ALPHA)
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(plate)
    pad = 1.5 * scale
    painter.drawRoundedRect(rect.adjusted(-pad, 0, pad, 0), 3 * scale, 3 * scale)
    painter.restore()


def _leader(painter: QPainter, x: float, y: float, box: np.ndarray, scale: float) -> None:
    """A thin line from the anchor to the nearest point of ``box``, on a white halo."""
    nx = min(max(x, box[0]), box[2])
    ny = min(max(y, box[1]), box[3])
    line = QLineF(QPointF(x, y), QPointF(nx, ny))
    painter.setPen(QPen(QColor(255, 255, 255, 220), 3.0 * scale))
    painter.drawLine(line)
    painter.setPen(QPen(LEADER, 1.1 * scale))
    painter.drawLine(line)


#: The arc of the P(1st) ring on a badge.
P_FIRST_ARC = QColor("#7fd6ff")


def _paint_badge(
    painter: QPainter, rect: QRectF, font, badge: Badge, ring: float, *, text: str, scale: float
) -> None:
    """The badge in ``rect`` (its partial-data ring included)."""
    body = rect.adjusted(ring, ring, -ring, -ring)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(badge.fill)
    painter.drawRoundedRect(body, 5 * scale, 5 * scale)
    if badge.ring is not None:  # compared on partial data: a dashed ring around the badge
        painter.setPen(QPen(badge.ring, 2.2 * scale, Qt.PenStyle.DashLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(rect, 7 * scale, 7 * scale)
    if badge.p_first is not None:  # P(1st): an arc on a faint track, at the left
        side = body.height() - 6 * scale
        pie = QRectF(body.left() + 4 * scale, body.top() + 3 * scale, side, side)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(QColor(255, 255, 255, 90), 2.2 * scale))
        painter.drawEllipse(pie)
        arc = QPen(P_FIRST_ARC, 2.2 * scale)
        arc.setCapStyle(Qt.PenCapStyle.FlatCap)
        painter.setPen(arc)
        painter.drawArc(pie, 90 * 16, -round(360 * 16 * min(1.0, max(0.0, badge.p_first))))
        body = body.adjusted(side + 2 * scale, 0, 0, 0)
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(body, int(Qt.AlignmentFlag.AlignCenter), text)


__all__ = ["Badge", "LabelPlan", "place_and_paint", "site_obstacles"]
