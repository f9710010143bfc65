"""Catchment circles and rank/score badges of the candidate sites.

One painter for the canvas (:class:`~app.ui.sites.overlay.SitesOverlay`, every frame)
and the PNG/PDF export (:mod:`app.ui.export.map_export`), so a printed map shows what the
screen shows. A site compared on partial data (a layer its score uses covers only part
of its catchment: ``partial``) has a dashed amber ring around its badge; where the
ranking's robustness is known, a small ring at the badge's left fills with P(1st).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen, QPixmap

from app.core.indicators.format import blocked, is_missing
from app.core.map.catchments import CATCHMENT_MODES, filled  # noqa: F401 (CATCHMENT_MODES: docs)
from app.core.map.viewport import Viewport
from app.core.sites import edits as site_ops
from app.ui.canvas.render.labels import Badge, place_and_paint
from layers.model import Layer
from layers.themes.sites import DEFAULT_RADIUS_M

CATCHMENT = QColor("#c43e00")
RANK_FILL = QColor("#1b1b1b")
BLOCKED_FILL = QColor("#b00020")
UNKNOWN_FILL = QColor("#808080")
#: The dashed ring around the badge of a partial site.
PARTIAL_RING = QColor("#f0a202")
#: Fill opacity of a catchment disc (times the sites layer's opacity).
CATCHMENT_ALPHA = 0.06
CATCHMENT_WIDTH = 1.6


def catchment_pen(scale: float = 1.0) -> QPen:
    """The dashed outline of a catchment circle (also the legend's swatch)."""
    return QPen(CATCHMENT, CATCHMENT_WIDTH * scale, Qt.PenStyle.DashLine)


def catchment_fill(opacity: float = 1.0) -> QColor:
    """The faint fill of a catchment disc."""
    fill = QColor(CATCHMENT)
    fill.setAlphaF(CATCHMENT_ALPHA * opacity)
    return fill


#: Circles wider than this (pixels) are stroked directly, not through the cache.
_CACHE_MAX_RADIUS = 600.0  # a pixmap of at most ~6 MB; 8 of them
_CACHE_SIZE = 8
_circles: dict[tuple, QPixmap] = {}


def draw_catchment(
    painter: QPainter, x: float, y: float, radius: float, pen: QPen, brush, cached: bool
) -> None:
    """One catchment circle of ``radius`` pixels centred on (``x``, ``y``).

    With ``cached`` (the screen) the antialiased dashed circle is drawn once per radius,
    pen and fill into a pixmap and then only copied (stroking a dashed antialiased circle
    costs milliseconds; a live drag draws it every frame). Without (print, PDF) it is
    stroked as a vector ellipse.
    """
    if not cached or radius > _CACHE_MAX_RADIUS:
        painter.setPen(pen)
        painter.setBrush(brush)
        painter.drawEllipse(QPointF(x, y), radius, radius)
        return
    brush = QBrush(brush)
    ratio = painter.device().devicePixelRatioF() if painter.device() is not None else 1.0
    key = (
        round(radius, 1),
        pen.widthF(),
        pen.color().rgba(),
        brush.color().rgba(),
        int(brush.style().value),
        ratio,
    )
    pixmap = _circles.get(key)
    if pixmap is None:
        side = int(2 * radius + 2 * pen.widthF() + 4)
        pixmap = QPixmap(int(side * ratio), int(side * ratio))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        inner = QPainter(pixmap)
        inner.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        inner.setPen(pen)
        inner.setBrush(brush)
        inner.drawEllipse(QPointF(side / 2, side / 2), radius, radius)
        inner.end()
        if len(_circles) >= _CACHE_SIZE:
            _circles.pop(next(iter(_circles)))
        _circles[key] = pixmap
    half = pixmap.width() / pixmap.devicePixelRatio() / 2
    painter.drawPixmap(QPointF(x - half, y - half), pixmap)


def paint_sites(
    painter: QPainter,
    viewport: Viewport,
    layer: Layer | None,
    radius_m: float | None = None,
    scale: float = 1.0,
    mode: str = "auto",
    cached: bool = False,
) -> None:
    """Draw each point site's catchment circle (the badges go through the label pass).

    Parameters
    ----------
    painter : QPainter
        Painter in screen (viewport) coordinates; its state is restored afterwards.
    viewport : Viewport
        The view the sites are drawn for.
    layer : Layer or None
        The sites layer; nothing is drawn when it is missing, hidden or empty.
    radius_m : float, optional
        The project's catchment radius R in metres, used where a site has no
        ``radius_m`` of its own (default 800 m).
    scale : float
        Multiplies line widths (print DPI).
    mode : str
        One of :data:`CATCHMENT_MODES`.
    cached : bool
        Copy the circles from pixmaps drawn once (the screen; see :func:`draw_catchment`).
    """
    if layer is None or not layer.visible or len(layer.data) == 0 or mode == "off":
        return
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    paint_catchments(
        painter,
        viewport,
        layer,
        DEFAULT_RADIUS_M if radius_m is None else radius_m,
        scale,
        mode,
        cached,
    )
    painter.restore()


def paint_catchments(
    painter: QPainter,
    viewport: Viewport,
    layer: Layer,
    radius_m: float,
    scale: float = 1.0,
    mode: str = "auto",
    cached: bool = False,
) -> None:
    """Dashed circles of each point site's radius (its own ``radius_m``, else R), filled
    faintly as ``mode`` says (:data:`CATCHMENT_MODES`); ``cached``: see
    :func:`draw_catchment`."""
    if mode == "off":
        return
    data = layer.data
    is_point = shapely.get_type_id(data.geometry.values) == 0
    if not is_point.any():
        return
    coords = shapely.get_coordinates(data.geometry.values[is_point])
    radii = np.nan_to_num(site_ops.effective_radii(layer, radius_m)[is_point])
    fill = filled(mode, coords[:, 0], coords[:, 1], radii)
    sx, sy = viewport.map_to_screen(coords[:, 0], coords[:, 1])
    pen = catchment_pen(scale)
    brush = QBrush(catchment_fill(layer.opacity)) if fill else QBrush(Qt.BrushStyle.NoBrush)
    for x, y, r in zip(sx.tolist(), sy.tolist(), (radii / viewport.resolution).tolist()):
        if r > 0:
            draw_catchment(painter, x, y, r, pen, brush, cached)


def badge_rows(layer: Layer, indicators: pd.DataFrame | None) -> pd.DataFrame | None:
    """``rank``, ``score``, ``use_permitted`` and ``partial`` (where the results have it)
    in the order of the layer's rows.

    Rows of sites without results are NaN; None when there is nothing to show.
    """
    if indicators is None or len(indicators) == 0 or "rank" not in indicators:
        return None
    columns = [
        c for c in ("rank", "score", "use_permitted", "partial", "p_first") if c in indicators
    ]
    table = indicators[columns].copy()
    table.index = table.index.astype(str)
    table = table[~table.index.duplicated()]
    ids = layer.data["site_id"].astype(str) if "site_id" in layer.data else None
    if ids is None:
        return None
    return table.reindex(ids.to_numpy()).reset_index(drop=True)


def badge_text(rank, score) -> str:
    """``"#2 71"`` (rank and rounded score; the rank alone without a score)."""
    return f"#{int(rank)}" + ("" if is_missing(score) else f" {score:.0f}")


def badge_colour(permission) -> QColor:
    """Red: zoning forbids the centre; grey: unknown (zoning data cover less than
    :data:`~app.core.indicators.site_zoning.COVERAGE_THRESHOLD` of the site, none of it
    forbidding); else dark.

    Both red and grey sites rank below every permitted one.
    """
    if blocked(permission):
        return BLOCKED_FILL
    return UNKNOWN_FILL if is_missing(permission) else RANK_FILL


def site_badges(
    layer: Layer | None, indicators: pd.DataFrame | None, dots: dict[str, int] | None = None
) -> list[Badge]:
    """The "#rank score" badge of each ranked site, anchored at a point on its surface,
    best rank first (the label pass places them in this order). ``dots``: the workshop
    participants' dots per site id, added as "● n" (app/ui/participation).

    Empty when the layer is missing, hidden or empty, or without results.
    """
    if layer is None or not layer.visible or len(layer.data) == 0:
        return []
    if indicators is None or len(indicators) == 0 or "rank" not in indicators:
        return []
    if "site_id" not in layer.data:
        return []
    # each site's row of the results, looked up in numpy (this runs every frame of a drag)
    site_ids = layer.data["site_id"].astype(str).to_numpy()
    keys = indicators.index.astype(str)
    keep = ~keys.duplicated()
    position = pd.Index(keys[keep]).get_indexer(site_ids)
    found = position >= 0

    def column(name: str) -> list:
        if name not in indicators:
            return [None] * len(site_ids)
        values = indicators[name].to_numpy(dtype=object)[keep][np.maximum(position, 0)]
        values[~found] = None
        return values.tolist()

    ranks_by_site = column("rank")
    anchors = shapely.get_coordinates(shapely.point_on_surface(layer.data.geometry.values))
    partials = [not is_missing(v) and bool(v) for v in column("partial")]
    votes = [dots.get(i, 0) if dots else 0 for i in site_ids.tolist()]
    badges = [
        Badge(
            x,
            y,
            badge_text(rank, score) + (f" ●{n}" if n else ""),
            badge_colour(permission),
            PARTIAL_RING if partial else None,
            None if is_missing(first) else float(first),
        )
        for x, y, rank, score, permission, partial, n, first in zip(
            anchors[:, 0].tolist(),
            anchors[:, 1].tolist(),
            ranks_by_site,
            column("score"),
            column("use_permitted"),
            partials,
            votes,
            column("p_first"),
            strict=True,
        )
        if not is_missing(rank)
    ]
    ranks = [int(r) for r in ranks_by_site if not is_missing(r)]
    return [badge for _, badge in sorted(zip(ranks, badges), key=lambda pair: pair[0])]


def paint_badges(
    painter: QPainter,
    viewport: Viewport,
    layer: Layer,
    indicators: pd.DataFrame | None,
    scale: float = 1.0,
) -> None:
    """Only the sites' badges, placed by the label pass (without any layer's labels).

    The canvas and the export place them together with the labels instead
    (:func:`app.ui.canvas.render.labels.place_and_paint`).
    """
    place_and_paint(painter, [], viewport, scale, badges=site_badges(layer, indicators))
