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
from PySide6.QtGui import QColor, QPainter, QPen

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


def paint_sites(
    painter: QPainter,
    viewport: Viewport,
    layer: Layer | None,
    radius_m: float | None = None,
    scale: float = 1.0,
    mode: str = "auto",
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
    """
    if layer is None or not layer.visible or len(layer.data) == 0 or mode == "off":
        return
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    paint_catchments(
        painter, viewport, layer, DEFAULT_RADIUS_M if radius_m is None else radius_m, scale, mode
    )
    painter.restore()


def paint_catchments(
    painter: QPainter,
    viewport: Viewport,
    layer: Layer,
    radius_m: float,
    scale: float = 1.0,
    mode: str = "auto",
) -> None:
    """Dashed circles of each point site's radius (its own ``radius_m``, else R), filled
    faintly as ``mode`` says (:data:`CATCHMENT_MODES`)."""
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
    painter.setPen(catchment_pen(scale))
    if fill:
        painter.setBrush(catchment_fill(layer.opacity))
    else:
        painter.setBrush(Qt.BrushStyle.NoBrush)
    for x, y, r in zip(sx.tolist(), sy.tolist(), (radii / viewport.resolution).tolist()):
        if r > 0:
            painter.drawEllipse(QPointF(x, y), r, r)


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
    rows = badge_rows(layer, indicators)
    if rows is None:
        return []
    anchors = shapely.get_coordinates(shapely.point_on_surface(layer.data.geometry.values))
    scores = rows["score"] if "score" in rows else pd.Series(np.nan, index=rows.index)
    permissions = (
        rows["use_permitted"]
        if "use_permitted" in rows
        else pd.Series(None, index=rows.index, dtype=object)
    )
    partials = (
        rows["partial"].map(lambda v: not is_missing(v) and bool(v))
        if "partial" in rows
        else pd.Series(False, index=rows.index)
    )
    site_ids = layer.data["site_id"].astype(str).tolist() if "site_id" in layer.data else []
    votes = [dots.get(i, 0) if dots else 0 for i in site_ids] or [0] * len(rows)
    firsts = rows["p_first"] if "p_first" in rows else pd.Series(np.nan, index=rows.index)
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
            rows["rank"].tolist(),
            scores.tolist(),
            permissions.tolist(),
            partials.tolist(),
            votes,
            firsts.tolist(),
            strict=True,
        )
        if not is_missing(rank)
    ]
    ranks = [int(r) for r in rows["rank"].tolist() if not is_missing(r)]
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
