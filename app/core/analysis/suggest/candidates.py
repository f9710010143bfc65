"""Where a centre may go and what it serves: the inputs of the site suggestion.

The district is resolved to one polygon (by id in the districts layer, or a polygon as
is), the candidate points are the grid points at multiples of the spacing strictly inside
it, kept where the zoning permits the centre and no blocking overlay (개발제한구역)
touches them; the demand weights are one per start-up or its employees. The contract
these functions keep is described in :mod:`app.core.analysis.suggest.engine`.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from app.core.analysis.suggest.model import InvalidParameterError, UnknownDistrictError
from app.core.indicators.engine import to_working_crs
from app.core.indicators.site_zoning import IndexedZoning, _overlay_effects
from app.core.zoning.rules import DEFAULT_USE_CLASSES, ZoningRules

#: A grid larger than this is refused (the spacing is too small for the district).
MAX_GRID_POINTS = 250_000


def usable_geometries(frame: gpd.GeoDataFrame | None) -> tuple[np.ndarray, np.ndarray]:
    """Usable geometries of a layer in EPSG:5186 and the mask of its usable rows.

    Parameters
    ----------
    frame : GeoDataFrame or None
        Any CRS (none: assumed EPSG:5186); None or empty gives no geometry.

    Returns
    -------
    geometries : ndarray of shapely geometries
        The rows' geometries that are neither missing nor empty.
    mask : ndarray of bool
        Per row of ``frame``, whether its geometry is in ``geometries``.
    """
    if frame is None or len(frame) == 0:
        return np.empty(0, dtype=object), np.zeros(0, bool)
    geoms = np.asarray(to_working_crs(frame).geometry.values, dtype=object)
    ok = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    return geoms[ok], ok


def default_districts() -> gpd.GeoDataFrame:
    """The embedded project's districts layer."""
    from app.core.formats.vector import read_vector
    from app.core.paths import DEFAULT_PROJECT

    return read_vector(DEFAULT_PROJECT, "districts", preferred_layer="districts").frame


def resolve_district(district, districts: gpd.GeoDataFrame | None = None):
    """``(label, polygon)`` of a district given by id (``districts`` layer) or geometry.

    A string is looked up in ``districts.district_id`` (default: the embedded project's
    districts layer); a shapely (Multi)Polygon in EPSG:5186 is used as is.
    """
    if isinstance(district, shapely.Geometry):
        if shapely.get_type_id(district) not in (3, 6) or shapely.is_empty(district):
            raise UnknownDistrictError("the district must be a polygon")
        return "custom", shapely.make_valid(district)
    if districts is None:
        districts = default_districts()
    if "district_id" not in districts.columns:
        raise UnknownDistrictError("the districts layer has no 'district_id' column")
    ids = districts["district_id"].astype(str).str.strip().str.lower()
    key = str(district).strip().lower()
    rows = to_working_crs(districts)[ids.to_numpy() == key]
    known = ", ".join(sorted(set(ids)))
    geoms = np.asarray(rows.geometry.values, dtype=object)
    geoms = geoms[~(shapely.is_missing(geoms) | shapely.is_empty(geoms))] if len(geoms) else geoms
    if len(geoms) == 0:
        raise UnknownDistrictError(f"unknown district {district!r} (one of {known})")
    return key, shapely.make_valid(shapely.union_all(geoms))


def district_name(key: str, districts: gpd.GeoDataFrame | None) -> str:
    """The district's display name for messages: ``name_en`` of its row (else the id;
    "the custom area" for a polygon), never only the internal id when a name exists."""
    if key == "custom":
        return "the custom area"
    if districts is None or "name_en" not in districts.columns:
        return key
    ids = districts["district_id"].astype(str).str.strip().str.lower().to_numpy()
    names = districts["name_en"].to_numpy()[ids == key]
    return str(names[0]) if len(names) and isinstance(names[0], str) and names[0] else key


def demand_weights(startups: gpd.GeoDataFrame, weight: str | None) -> np.ndarray:
    """Weight per row: 1, or ``employees`` with missing/negative/non-numeric values 0."""
    if weight is None:
        return np.ones(len(startups))
    if weight not in startups.columns:
        raise InvalidParameterError(f"the start-up layer has no {weight!r} column to weight by")
    values = pd.to_numeric(startups[weight], errors="coerce").to_numpy(dtype=float)
    return np.clip(np.nan_to_num(values, nan=0.0), 0.0, None)


def candidate_grid(polygon, spacing: float) -> tuple[np.ndarray, np.ndarray]:
    """Grid points at multiples of ``spacing`` strictly inside ``polygon`` (x, y arrays)."""
    xmin, ymin, xmax, ymax = polygon.bounds
    xs = np.arange(math.ceil(xmin / spacing), math.floor(xmax / spacing) + 1) * spacing
    ys = np.arange(math.ceil(ymin / spacing), math.floor(ymax / spacing) + 1) * spacing
    if len(xs) * len(ys) > MAX_GRID_POINTS:
        raise InvalidParameterError(
            f"a {spacing:g} m spacing gives {len(xs) * len(ys):,} grid points over the "
            f"district (at most {MAX_GRID_POINTS:,}): use a larger --spacing"
        )
    mesh_x, mesh_y = np.meshgrid(xs, ys)
    gx, gy = mesh_x.ravel(), mesh_y.ravel()
    shapely.prepare(polygon)
    inside = shapely.contains_xy(polygon, gx, gy)
    return gx[inside], gy[inside]


def permitted_candidates(
    x: np.ndarray,
    y: np.ndarray,
    zoning: IndexedZoning | None,
    rules: ZoningRules,
    use_classes=DEFAULT_USE_CLASSES,
) -> tuple[np.ndarray, np.ndarray]:
    """``(keep mask, zone type per point)`` for grid points (zone None where none)."""
    n = len(x)
    zone = np.full(n, None, dtype=object)
    if zoning is None or n == 0 or len(zoning.zones) == 0:
        return np.zeros(n, bool), zone
    points = shapely.points(x, y)
    pairs = zoning.zones.tree.query(points, predicate="intersects")
    order = np.lexsort((pairs[1], pairs[0]))  # on a zone border: the first zone row
    first = np.unique(pairs[0][order], return_index=True)[1]
    hit, zone_row = pairs[0][order][first], pairs[1][order][first]
    zone[hit] = zoning.zone_types[zone_row]
    types = sorted(set(zoning.zone_types))
    allowed = {t for t in types if rules.permits(t, tuple(use_classes))}
    keep = np.array([z in allowed for z in zone], dtype=bool)  # a handful of types
    blocking = _overlay_effects(zoning, rules).blocking
    if blocking.any() and keep.any():
        tree = zoning.overlays.tree
        pairs = tree.query(points[keep], predicate="intersects")
        blocked_local = np.unique(pairs[0][blocking[pairs[1]]])
        keep[np.flatnonzero(keep)[blocked_local]] = False
    return keep, zone


def drop_on_fixed(
    keep: np.ndarray, x: np.ndarray, y: np.ndarray, fixed_geoms: np.ndarray
) -> np.ndarray:
    """``keep`` without the grid points lying on a fixed site (they are no new site).

    Parameters
    ----------
    keep : ndarray of bool
        Per grid point, whether it is a permitted candidate; updated in place.
    x, y : ndarray
        The grid points (EPSG:5186).
    fixed_geoms : ndarray of shapely geometries
        The existing centres (EPSG:5186).

    Returns
    -------
    ndarray of bool
        ``keep`` itself.
    """
    if keep.any() and len(fixed_geoms):
        on_fixed = shapely.STRtree(fixed_geoms).query(
            shapely.points(x[keep], y[keep]), predicate="intersects"
        )[0]
        keep[np.flatnonzero(keep)[np.unique(on_fixed)]] = False
    return keep
