"""Snap a cursor position to vertices and edges of visible layers (QGIS-style snapping).

Each query asks every visible layer's spatial index for features within the
tolerance, then finds the nearest vertex (preferred) or the nearest point on an
edge among those few candidates with numpy. Nothing is precomputed per frame.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import shapely

from layers.model import LayerStack

MAX_CANDIDATES = 200  # per layer: enough around a cursor, bounded for dense point layers

#: What the cursor snapped to (a vertex is preferred to an edge).
SnapKind = Literal["vertex", "edge"]


@dataclass(frozen=True)
class SnapResult:
    """Where the cursor snapped: a map position, ``"vertex"`` or ``"edge"``, and the layer."""

    x: float
    y: float
    kind: SnapKind
    layer: str
    distance: float


def _segments(geometries: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end points of every boundary/line segment of ``geometries``."""
    lines = shapely.boundary(geometries[shapely.get_type_id(geometries) >= 3])
    lines = np.concatenate([lines, geometries[np.isin(shapely.get_type_id(geometries), (1, 2, 5))]])
    parts = shapely.get_parts(shapely.get_parts(lines))
    coords, index = shapely.get_coordinates(parts, return_index=True)
    same = index[1:] == index[:-1]
    return coords[:-1][same], coords[1:][same]


def snap(
    stack: LayerStack,
    x: float,
    y: float,
    tolerance: float,
    exclude: dict[str, object] | None = None,
) -> SnapResult | None:
    """The best snap target within ``tolerance`` metres of ``(x, y)``, or ``None``.

    Parameters
    ----------
    stack : LayerStack
        Visible layers are snap targets.
    x, y : float
        Cursor position (EPSG:5186).
    tolerance : float
        Search radius in metres (the canvas passes a few pixels' worth).
    exclude : dict, optional
        ``{layer_name: value}``: skip features of that layer whose ``site_id``
        equals value (the site being edited must not snap to itself).
    """
    point = shapely.Point(x, y)
    best_vertex: SnapResult | None = None
    best_edge: SnapResult | None = None
    for layer in stack:
        if not layer.visible or len(layer.data) == 0:
            continue
        rows = layer.data.sindex.query(point, predicate="dwithin", distance=tolerance)
        if exclude and layer.name in exclude and "site_id" in layer.data:
            keep = layer.data["site_id"].to_numpy()[rows] != exclude[layer.name]
            rows = rows[keep]
        if len(rows) == 0:
            continue
        geometries = layer.data.geometry.values[np.sort(rows)[:MAX_CANDIDATES]]
        coords = shapely.get_coordinates(np.asarray(geometries))
        d = np.hypot(coords[:, 0] - x, coords[:, 1] - y)
        i = int(np.argmin(d))
        if d[i] <= tolerance and (best_vertex is None or d[i] < best_vertex.distance):
            best_vertex = SnapResult(
                float(coords[i, 0]), float(coords[i, 1]), "vertex", layer.name, float(d[i])
            )
        a, b = _segments(np.asarray(geometries))
        if len(a):
            ab = b - a
            t = np.clip(
                ((x - a[:, 0]) * ab[:, 0] + (y - a[:, 1]) * ab[:, 1])
                / np.maximum((ab**2).sum(axis=1), 1e-12),
                0.0,
                1.0,
            )
            px, py = a[:, 0] + t * ab[:, 0], a[:, 1] + t * ab[:, 1]
            e = np.hypot(px - x, py - y)
            j = int(np.argmin(e))
            if e[j] <= tolerance and (best_edge is None or e[j] < best_edge.distance):
                best_edge = SnapResult(float(px[j]), float(py[j]), "edge", layer.name, float(e[j]))
    return best_vertex or best_edge
