"""Catchment membership, nearest distances and catchment areas (docs/indicators.md).

A feature f is in the catchment of site s iff ``distance(f, s) <= R`` (the boundary
counts), for point and polygon sites alike. Membership is one index query with a
distance predicate per layer, giving index pairs: an STRtree ``dwithin`` query, or for
large point layers the exact grid index of app.core.indicators.point_grid (same pairs, several
times faster). Every per-site figure is then a numpy reduction (``bincount``) over
those pairs. No buffer polygon decides membership.

:func:`catchment_pairs` is the one membership test; the per-site figures are summed
from its pairs in chunks of sites by app.core.indicators.within.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import shapely

if TYPE_CHECKING:  # scipy is imported on first use: not at the app's start
    from scipy.spatial import cKDTree

_POLYGON_TYPES = (3, 6)  # shapely type ids of Polygon and MultiPolygon
#: A catchment counts as wholly covered from this share on (float noise of the overlay).
FULL_SHARE = 1.0 - 1e-6
#: From this many point sites on, nearest distances use a k-d tree (scipy) rather than
#: the STRtree: faster for many sites, and a few sites need not import scipy.
KD_TREE_SITES = 2_000


@dataclass(frozen=True)
class IndexedLayer:
    """Geometries of one layer (EPSG:5186, none missing or empty) and their STRtree.

    Build it once per version of a layer and reuse it for every site query: the tree
    is the costly part for large layers.
    """

    geoms: np.ndarray
    tree: shapely.STRtree

    @cached_property
    def point_tree(self) -> tuple[np.ndarray, cKDTree] | None:
        """``(xy, k-d tree)`` when every feature is a point (built on first use)."""
        if len(self.geoms) == 0 or not bool(np.all(shapely.get_type_id(self.geoms) == 0)):
            return None
        xy = shapely.get_coordinates(self.geoms)
        if len(xy) != len(self.geoms) or not np.isfinite(xy).all():
            return None
        from scipy.spatial import cKDTree

        return xy, cKDTree(xy)

    @classmethod
    def build(cls, geoms: np.ndarray) -> IndexedLayer:
        """Index ``geoms`` (an object array of valid, non-empty shapely geometries)."""
        geoms = np.asarray(geoms, dtype=object)
        return cls(geoms, shapely.STRtree(geoms))

    def __len__(self) -> int:
        return len(self.geoms)

    def pairs_within(self, sites: np.ndarray, radii: np.ndarray | float) -> np.ndarray:
        """``(site, feature)`` pairs with ``distance <= radius`` (STRtree ``dwithin``)."""
        return self.tree.query(sites, predicate="dwithin", distance=radii)


def is_polygonal(geoms: np.ndarray) -> np.ndarray:
    """True where a geometry is a Polygon or MultiPolygon."""
    return np.isin(shapely.get_type_id(geoms), _POLYGON_TYPES)


def catchment_pairs(sites: np.ndarray, radii: np.ndarray | float, layer) -> np.ndarray:
    """Index pairs ``(site, feature)`` with ``distance(feature, site) <= radius``.

    Parameters
    ----------
    sites : ndarray of shapely geometries
        Site geometries (EPSG:5186).
    radii : float or ndarray
        Catchment radius per site (m, >= 0).
    layer : IndexedLayer or PointGrid
        The indexed features: an STRtree (any geometry) or, for many points, the
        exact grid index of app.core.indicators.point_grid.

    Returns
    -------
    ndarray of shape (2, k)
        Row 0 indexes ``sites``, row 1 the layer's features (for a PointGrid, in
        its sorted order).
    """
    if len(layer) == 0 or len(sites) == 0:
        return np.empty((2, 0), dtype=np.intp)
    return layer.pairs_within(sites, radii)


def catchment_counts(pairs: np.ndarray, n_sites: int) -> np.ndarray:
    """Number of features per site (int64)."""
    return np.bincount(pairs[0], minlength=n_sites).astype(np.int64)


def catchment_sums(pairs: np.ndarray, n_sites: int, values: np.ndarray) -> np.ndarray:
    """Sum of a per-feature value over each site's catchment (NaN values count 0)."""
    weights = np.nan_to_num(np.asarray(values, dtype=float)[pairs[1]], nan=0.0)
    return np.bincount(pairs[0], weights=weights, minlength=n_sites)


def catchment_category_counts(
    pairs: np.ndarray, n_sites: int, codes: np.ndarray, n_categories: int
) -> np.ndarray:
    """``(n_sites, n_categories)`` counts of a categorical code (-1 = missing, skipped)."""
    code = np.asarray(codes)[pairs[1]]
    keep = code >= 0
    flat = pairs[0][keep] * n_categories + code[keep]
    counts = np.bincount(flat, minlength=n_sites * n_categories)
    return counts.reshape(n_sites, n_categories)


def nearest_distances(sites: np.ndarray, layer: IndexedLayer) -> np.ndarray:
    """Distance (m) from each site to its nearest feature; 0 if touching, NaN if none."""
    if hasattr(layer, "nearest_distances"):  # a distance provider's layer (walking)
        return layer.nearest_distances(sites)
    result = np.full(len(sites), np.nan)
    if len(layer) == 0 or len(sites) == 0:
        return result
    sites = np.asarray(sites, dtype=object)
    rest = np.arange(len(sites))
    points = layer.point_tree if len(sites) >= KD_TREE_SITES else None
    if points is not None:  # many point sites over a point layer: a k-d tree
        xy, tree = points
        at = np.flatnonzero(shapely.get_type_id(sites) == 0)
        site_xy = shapely.get_coordinates(sites[at])
        if len(at) and len(site_xy) == len(at):
            # The k-d tree ranks by dx² + dy², as GEOS, whose distance is its square
            # root: the same nearest distance (ties: one of equal distances).
            _, nearest = tree.query(site_xy, k=1)
            dx = site_xy[:, 0] - xy[nearest, 0]
            dy = site_xy[:, 1] - xy[nearest, 1]
            result[at] = np.sqrt(dx * dx + dy * dy)
            rest = np.flatnonzero(shapely.get_type_id(sites) != 0)
    if len(rest):
        (site_idx, _), distance = layer.tree.query_nearest(
            sites[rest], return_distance=True, all_matches=False
        )
        result[rest[site_idx]] = distance
    return result


def catchment_area_km2(sites: np.ndarray, radii: np.ndarray | float) -> np.ndarray:
    """Area of ``buffer(site, R)`` in km² (docs/indicators.md).

    Point sites get the exact ``π R²``; other sites the area of a buffer with 16
    segments per quarter circle (slightly below the true area, by under 0.3 % of the
    rounded part).
    """
    sites = np.asarray(sites, dtype=object)
    radii = np.broadcast_to(np.asarray(radii, dtype=float), sites.shape)
    area = np.empty(len(sites))
    points = shapely.get_type_id(sites) == 0
    area[points] = np.pi * radii[points] ** 2
    other = ~points
    if other.any():
        area[other] = shapely.area(shapely.buffer(sites[other], radii[other], quad_segs=16))
    return area / 1e6


def coverage_share(catchments: np.ndarray, area: shapely.Geometry | None) -> np.ndarray:
    """The share (0–1) of each catchment inside ``area`` (vectorised).

    Parameters
    ----------
    catchments : array of shapely geometries
        Site catchments (discs or buffered polygons); missing ones give NaN.
    area : shapely geometry or None
        The covered area; ``None`` (whole map) gives 1 everywhere.

    Returns
    -------
    ndarray of float
        ``area(catchment ∩ area) / area(catchment)``; for a catchment without area
        (a point, R = 0) 1 when it lies in the area, else 0. Shares within 1e-6 of 1
        are 1 exactly.
    """
    catchments = np.asarray(catchments, dtype=object)
    share = np.full(len(catchments), np.nan)
    present = ~shapely.is_missing(catchments)
    if area is None:
        share[present] = 1.0
        return share
    if area.is_empty:
        share[present] = 0.0
        return share
    geoms = catchments[present]
    whole = shapely.area(geoms)
    values = np.zeros(len(geoms))
    flat = whole <= 0.0
    values[flat] = shapely.intersects(area, geoms[flat]).astype(float)
    sized = ~flat
    if sized.any():
        inside = shapely.contains(area, geoms[sized])
        part = np.ones(int(sized.sum()))
        cut = ~inside
        if cut.any():
            sub = geoms[sized][cut]
            part[cut] = shapely.area(shapely.intersection(sub, area)) / whole[sized][cut]
        values[sized] = part
    values = np.clip(values, 0.0, 1.0)
    values[values >= FULL_SHARE] = 1.0
    share[present] = values
    return share


def catchment_discs(sites: np.ndarray, radii: np.ndarray) -> np.ndarray:
    """The sites buffered by their R (the catchment areas); a site itself at R = 0.

    Parameters
    ----------
    sites : ndarray of shapely geometries
        Site geometries (EPSG:5186).
    radii : ndarray of float
        Catchment radius per site (m, >= 0).

    Returns
    -------
    ndarray of shapely geometries
        ``buffer(site, R)`` with 16 segments per quarter circle.
    """
    out = np.asarray(sites, dtype=object).copy()
    wide = radii > 0
    if wide.any():
        out[wide] = shapely.buffer(sites[wide], radii[wide], quad_segs=16)
        vanished = shapely.is_empty(out) | (shapely.area(out) <= 0)  # an R too small for GEOS
        out[vanished] = sites[vanished]
    return out
