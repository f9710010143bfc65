"""Build and check the geometry of a sketched site; refuse or repair bad shapes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from app.core.errors import InnoAtlasError

#: Circle sites: segments per quarter circle (docs/indicators.md asks for at least 16).
QUARTER_SEGMENTS = 16
MIN_AREA_M2 = 1.0


class InvalidSiteError(InnoAtlasError):
    """The shape cannot be a site; the message says why."""


@dataclass(frozen=True)
class CheckedGeometry:
    """A geometry fit to store, and a message when it had to be repaired."""

    geometry: BaseGeometry
    message: str = ""


def distinct_vertices(coords) -> int:
    """How many distinct corners ``[(x, y), ...]`` has (to the micrometre): the count the
    sketch bar shows and the one that finishing a polygon checks.

    Parameters
    ----------
    coords : array-like of shape (n, 2)
        The corners, in metres.

    Returns
    -------
    int
        The number of distinct corners.
    """
    points = np.asarray(coords, dtype=float).reshape(-1, 2)
    return len(np.unique(np.round(points, 6), axis=0)) if len(points) else 0


_distinct_vertices = distinct_vertices


def check_polygon(geometry: BaseGeometry) -> CheckedGeometry:
    """Accept a valid polygon, repair an invalid one with ``make_valid``, or refuse.

    Raises
    ------
    InvalidSiteError
        Fewer than 3 distinct vertices, or no area left.
    """
    if geometry is None or geometry.is_empty:
        raise InvalidSiteError("the site has no shape")
    exterior = (
        shapely.get_coordinates(shapely.get_exterior_ring(shapely.get_parts(geometry)[0]))
        if geometry.geom_type in ("Polygon", "MultiPolygon")
        else shapely.get_coordinates(geometry)
    )
    if geometry.geom_type == "Polygon" and _distinct_vertices(exterior) < 3:
        raise InvalidSiteError("a polygon site needs at least 3 distinct corners")
    message = ""
    if not geometry.is_valid:
        reason = shapely.is_valid_reason(geometry)
        repaired = shapely.make_valid(geometry)
        polygons = [
            part
            for part in shapely.get_parts(repaired)
            if part.geom_type in ("Polygon", "MultiPolygon")
        ]
        # make_valid can return a collection with lines; keep the polygonal parts only.
        geometry = shapely.union_all(polygons) if polygons else shapely.Polygon()
        parts = len(shapely.get_parts(geometry))
        message = (
            f"The outline crossed itself ({reason.split('[')[0].strip()}); it was "
            f"repaired into {parts} part{'s' if parts != 1 else ''}."
        )
    if geometry.is_empty or geometry.area < MIN_AREA_M2:
        raise InvalidSiteError("the site has no area (all corners lie on one line)")
    return CheckedGeometry(geometry, message)


def polygon_from_vertices(vertices) -> CheckedGeometry:
    """A checked polygon site from clicked vertices ``[(x, y), ...]`` (not closed)."""
    coords = np.asarray(vertices, dtype=float).reshape(-1, 2)
    if _distinct_vertices(coords) < 3:
        raise InvalidSiteError("a polygon site needs at least 3 distinct corners")
    return check_polygon(shapely.Polygon(coords))


def rectangle(x0: float, y0: float, x1: float, y1: float) -> CheckedGeometry:
    """A checked rectangle site from two opposite corners."""
    if abs(x1 - x0) * abs(y1 - y0) < MIN_AREA_M2:
        raise InvalidSiteError("the rectangle has no area: drag to give it a size")
    return CheckedGeometry(shapely.box(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)))


def circle(cx: float, cy: float, radius: float) -> CheckedGeometry:
    """A checked circular polygon site (64 segments) from its centre and radius."""
    if radius <= 0 or np.pi * radius * radius < MIN_AREA_M2:
        raise InvalidSiteError("the circle has no area: drag to give it a radius")
    return CheckedGeometry(shapely.Point(cx, cy).buffer(radius, quad_segs=QUARTER_SEGMENTS))


def polygon_vertices(geometry: BaseGeometry) -> np.ndarray:
    """Exterior vertices of every part, without the closing repeat: shape (n, 2)."""
    parts = shapely.get_parts(geometry)
    rings = [shapely.get_coordinates(shapely.get_exterior_ring(p))[:-1] for p in parts]
    return np.vstack(rings) if rings else np.empty((0, 2))


def move_vertex(geometry: BaseGeometry, index: int, x: float, y: float) -> BaseGeometry:
    """The polygon with exterior vertex ``index`` (see :func:`polygon_vertices`) moved."""
    return _edit_exterior(geometry, index, lambda ring, i: _set(ring, i, (x, y)))


def insert_vertex(geometry: BaseGeometry, after: int, x: float, y: float) -> BaseGeometry:
    """The polygon with a new exterior vertex after vertex ``after``."""
    return _edit_exterior(geometry, after, lambda ring, i: np.insert(ring, i + 1, (x, y), axis=0))


def delete_vertex(geometry: BaseGeometry, index: int) -> BaseGeometry:
    """The polygon without exterior vertex ``index``.

    Raises
    ------
    InvalidSiteError
        When fewer than 3 corners would remain.
    """

    def drop(ring, i):
        if len(ring) <= 3:
            raise InvalidSiteError("a polygon site needs at least 3 corners")
        return np.delete(ring, i, axis=0)

    return _edit_exterior(geometry, index, drop)


def _set(ring: np.ndarray, i: int, point) -> np.ndarray:
    ring = ring.copy()
    ring[i] = point
    return ring


def _edit_exterior(geometry: BaseGeometry, index: int, edit) -> BaseGeometry:
    """Apply ``edit(ring_without_closing_vertex, local_index)`` to the right part."""
    parts = list(shapely.get_parts(geometry))
    offset = 0
    for number, part in enumerate(parts):
        ring = shapely.get_coordinates(shapely.get_exterior_ring(part))[:-1]
        if index < offset + len(ring):
            new_ring = edit(ring, index - offset)
            holes = (
                [
                    shapely.get_coordinates(h)
                    for h in shapely.get_interior_rings(
                        part, np.arange(shapely.get_num_interior_rings(part))
                    )
                ]
                if shapely.get_num_interior_rings(part)
                else []
            )
            parts[number] = shapely.Polygon(new_ring, holes)
            break
        offset += len(ring)
    else:
        raise IndexError(f"no vertex {index}")
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


def nearest_vertex(geometry: BaseGeometry, x: float, y: float) -> tuple[int, float]:
    """Index and distance of the exterior vertex nearest to ``(x, y)``."""
    vertices = polygon_vertices(geometry)
    distances = np.hypot(vertices[:, 0] - x, vertices[:, 1] - y)
    index = int(np.argmin(distances))
    return index, float(distances[index])


def nearest_edge(geometry: BaseGeometry, x: float, y: float) -> tuple[int, float, float, float]:
    """``(after_vertex, px, py, distance)``: the closest point on an exterior edge."""
    best = (-1, 0.0, 0.0, np.inf)
    offset = 0
    for part in shapely.get_parts(geometry):
        ring = shapely.get_coordinates(shapely.get_exterior_ring(part))
        a, b = ring[:-1], ring[1:]
        ab = b - a
        length2 = np.maximum((ab**2).sum(axis=1), 1e-12)
        t = np.clip(((x - a[:, 0]) * ab[:, 0] + (y - a[:, 1]) * ab[:, 1]) / length2, 0, 1)
        px, py = a[:, 0] + t * ab[:, 0], a[:, 1] + t * ab[:, 1]
        d = np.hypot(px - x, py - y)
        i = int(np.argmin(d))
        if d[i] < best[3]:
            best = (offset + i, float(px[i]), float(py[i]), float(d[i]))
        offset += len(ring) - 1
    return best
