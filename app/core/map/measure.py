"""Lengths and areas of a measured line or polygon: planar (EPSG:5186) and ellipsoidal.

The canvas works in EPSG:5186 (Korea 2000 / Central Belt 2010, a transverse Mercator):
its planar metres differ from distances on the GRS80 ellipsoid by the scale factor of
the projection (about 1 in 10 000 in Seoul). Both are shown, as QGIS does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from pyproj import Geod

from app.core.geodesy import to_lonlat


@lru_cache(maxsize=1)
def _geod() -> Geod:
    return Geod(ellps="GRS80")  # the ellipsoid of EPSG:5186


@dataclass(frozen=True)
class Measurement:
    """What a measured sketch amounts to.

    Attributes
    ----------
    segments : tuple of float
        Planar length of each segment in metres (a polygon includes the closing one).
    length, length_ellipsoidal : float
        Planar and ellipsoidal length (perimeter for an area), metres.
    area, area_ellipsoidal : float or None
        Planar and ellipsoidal area in square metres (``None`` for a distance).
    """

    segments: tuple[float, ...]
    length: float
    length_ellipsoidal: float
    area: float | None = None
    area_ellipsoidal: float | None = None


def _closed(points: np.ndarray) -> np.ndarray:
    return np.vstack([points, points[:1]]) if len(points) else points


def measure(points: Sequence[tuple[float, float]], area: bool = False) -> Measurement:
    """Measure the polyline (or, with ``area``, the polygon) through ``points``.

    Parameters
    ----------
    points : sequence of (x, y)
        EPSG:5186 metres, in drawing order.
    area : bool
        Close the ring and compute the area (fewer than 3 points: area 0).

    Returns
    -------
    Measurement
    """
    xy = np.asarray(points, dtype="float64").reshape(-1, 2)
    path = _closed(xy) if area and len(xy) >= 3 else xy
    if len(path) >= 2:
        d = np.diff(path, axis=0)
        segments = np.hypot(d[:, 0], d[:, 1])
        lon, lat = to_lonlat(path[:, 0], path[:, 1])
        ellipsoidal = float(_geod().line_length(np.asarray(lon), np.asarray(lat)))
    else:
        segments, ellipsoidal = np.zeros(0), 0.0
    if not area:
        return Measurement(tuple(map(float, segments)), float(segments.sum()), ellipsoidal)
    planar_area = geodesic_area = 0.0
    if len(xy) >= 3:
        x, y = xy[:, 0], xy[:, 1]
        planar_area = abs(float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))) / 2
        lon, lat = to_lonlat(x, y)
        geodesic_area = abs(float(_geod().polygon_area_perimeter(lon, lat)[0]))
    return Measurement(
        tuple(map(float, segments)),
        float(segments.sum()),
        ellipsoidal,
        planar_area,
        geodesic_area,
    )


def format_length(metres: float, digits: int = 1) -> str:
    """``"850.3 m"`` (``digits`` decimals) below 10 km, ``"12.345 km"`` from 10 km."""
    return f"{metres / 1000:,.3f} km" if metres >= 10_000 else f"{metres:,.{digits}f} m"


def format_area(square_metres: float) -> str:
    """``"1,234 m²"``, with hectares from 1 ha and km² from 1 km²."""
    if square_metres >= 1e6:
        return f"{square_metres / 1e6:,.3f} km²"
    if square_metres >= 1e4:
        return f"{square_metres:,.0f} m² ({square_metres / 1e4:,.2f} ha)"
    return f"{square_metres:,.1f} m²"


__all__ = ["Measurement", "measure", "format_length", "format_area"]
