"""Which features lie under a clicked map point (the identify tool's engine)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely

from layers.model import Layer, LayerStack


@dataclass(frozen=True)
class IdentifyHit:
    """One identified feature: its layer, row position and attributes."""

    layer: Layer
    row: int
    attributes: dict[str, Any]
    distance: float

    @property
    def geometry(self):
        """The feature's geometry (EPSG:5186)."""
        return self.layer.data.geometry.iloc[self.row]


def identify_layer(layer: Layer, x: float, y: float, tolerance: float) -> list[IdentifyHit]:
    """Features of ``layer`` within ``tolerance`` metres of ``(x, y)``, nearest first.

    Polygons are hit when the point is inside them or within the tolerance of
    their edge; points and lines when within the tolerance.
    """
    if len(layer.data) == 0:
        return []
    point = shapely.Point(x, y)
    rows = layer.data.sindex.query(point, predicate="dwithin", distance=tolerance)
    if len(rows) == 0:
        return []
    distances = shapely.distance(layer.data.geometry.values[rows], point)
    order = np.lexsort((rows, distances))
    attributes = layer.data.drop(columns=layer.data.geometry.name)
    hits = []
    for position in order:
        row = int(rows[position])
        record = {key: _plain(value) for key, value in attributes.iloc[row].items()}
        hits.append(IdentifyHit(layer, row, record, float(distances[position])))
    return hits


def identify(
    stack: LayerStack,
    x: float,
    y: float,
    tolerance: float,
    top_only: bool = False,
    limit_per_layer: int = 20,
) -> list[IdentifyHit]:
    """Identify visible features of every layer at ``(x, y)``, top layer first.

    Parameters
    ----------
    stack : LayerStack
        The project's layers.
    x, y : float
        The clicked map point (EPSG:5186).
    tolerance : float
        Search radius in metres (the canvas passes a few pixels' worth).
    top_only : bool
        Stop at the first layer with a hit (QGIS "top down, stop at first").
    limit_per_layer : int
        At most this many hits per layer (the nearest).
    """
    found: list[IdentifyHit] = []
    for layer in stack:
        if not layer.visible or layer.opacity <= 0:
            continue
        hits = identify_layer(layer, x, y, tolerance)[:limit_per_layer]
        found.extend(hits)
        if hits and top_only:
            break
    return found


def _plain(value: Any) -> Any:
    """numpy/pandas scalars → Python values for display."""
    if value is None:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    if hasattr(value, "item"):
        try:
            return value.item()
        except (ValueError, AttributeError):
            return value
    return value
