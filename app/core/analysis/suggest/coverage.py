"""Who each candidate point covers: the sparse coverage sets of the site suggestion.

:func:`build_coverage` finds the demand set D (every start-up within R of the district),
what the fixed sites already cover and, with one STRtree ``dwithin`` query, the pairs
(candidate, start-up) within R of each other; :class:`Coverage` holds those pairs with the
residual weights and answers the greedy's questions; :func:`merge_demand` merges the
start-ups with the same candidate set into one row of the exact model.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely

from app.core.analysis.suggest.candidates import demand_weights, usable_geometries


@dataclass(frozen=True)
class Coverage:
    """Sparse coverage: ``pairs[0]`` candidate index, ``pairs[1]`` demand index (sorted)."""

    n_candidates: int
    weights: np.ndarray  # per demand point (residual: 0 where a fixed site covers it)
    pairs: np.ndarray

    def gains(self, uncovered: np.ndarray) -> np.ndarray:
        """Demand each candidate would add given the uncovered mask."""
        w = self.weights[self.pairs[1]] * uncovered[self.pairs[1]]
        return np.bincount(self.pairs[0], weights=w, minlength=self.n_candidates)

    def covered_by(self, chosen: Iterable[int]) -> np.ndarray:
        """Mask of demand points within R of any chosen candidate."""
        mask = np.zeros(len(self.weights), bool)
        sel = np.isin(self.pairs[0], np.asarray(list(chosen), dtype=np.intp))
        mask[self.pairs[1][sel]] = True
        return mask

    def value(self, chosen: Iterable[int]) -> float:
        """Residual demand covered by ``chosen``."""
        return float(self.weights[self.covered_by(chosen)].sum())


@dataclass(frozen=True)
class DemandCoverage:
    """The demand set D and its coverage by the candidates (result of :func:`build_coverage`)."""

    weights: np.ndarray  # weight of each start-up of D
    fixed_covered: np.ndarray  # True where a fixed site already covers the start-up
    coverage: Coverage  # candidates x D, with the residual weights
    points: np.ndarray  # the start-ups of D as points (EPSG:5186)

    @property
    def total(self) -> float:
        """The weight of D: the denominator of the share."""
        return float(self.weights.sum())

    @property
    def fixed_demand(self) -> float:
        """The weight of D the fixed sites cover."""
        return float(self.weights[self.fixed_covered].sum())

    @property
    def coverable(self) -> float:
        """The weight of D the fixed sites and all the candidates together can cover."""
        reach = self.fixed_covered.copy()
        reach[self.coverage.pairs[1]] = True
        return float(self.weights[reach].sum())


def build_coverage(
    polygon,
    startups: gpd.GeoDataFrame,
    weight: str | None,
    fixed_geoms: np.ndarray,
    cx: np.ndarray,
    cy: np.ndarray,
    radius: float,
) -> DemandCoverage:
    """The demand set D of a district and the start-ups of D within R of each candidate.

    Parameters
    ----------
    polygon : shapely Polygon or MultiPolygon
        The district (EPSG:5186); D is every start-up within ``radius`` of it.
    startups : GeoDataFrame
        The demand points, any CRS; non-point geometries count at a point on their surface.
    weight : None or "employees"
        The demand weight (:func:`demand_weights`).
    fixed_geoms : ndarray of shapely geometries
        The existing centres (EPSG:5186); what they cover gets residual weight 0.
    cx, cy : ndarray
        The candidate points (EPSG:5186).
    radius : float
        The coverage radius R in metres (boundary included).

    Returns
    -------
    DemandCoverage
    """
    demand_geoms, ok = usable_geometries(startups)
    w_all = demand_weights(startups, weight)[ok] if len(ok) else np.empty(0)
    non_point = shapely.get_type_id(demand_geoms) != 0
    if non_point.any():
        demand_geoms = demand_geoms.copy()
        demand_geoms[non_point] = shapely.point_on_surface(demand_geoms[non_point])
    tree = shapely.STRtree(demand_geoms)
    in_d = (
        np.unique(tree.query(polygon, predicate="dwithin", distance=radius))
        if len(demand_geoms)
        else np.empty(0, dtype=np.intp)
    )
    d_geoms, d_w = demand_geoms[in_d], w_all[in_d]
    fixed_cov = np.zeros(len(d_geoms), bool)
    d_tree = shapely.STRtree(d_geoms)
    if len(fixed_geoms) and len(d_geoms):
        fixed_cov[d_tree.query(fixed_geoms, predicate="dwithin", distance=radius)[1]] = True
    cand_points = shapely.points(cx, cy)
    pairs = (
        d_tree.query(cand_points, predicate="dwithin", distance=radius)
        if len(d_geoms)
        else np.empty((2, 0), dtype=np.intp)
    )
    order = np.lexsort((pairs[1], pairs[0]))
    pairs = pairs[:, order]
    residual = np.where(fixed_cov, 0.0, d_w)
    return DemandCoverage(d_w, fixed_cov, Coverage(len(cx), residual, pairs), d_geoms)


def merge_demand(coverage: Coverage) -> tuple[np.ndarray, list[np.ndarray]]:
    """Demand points with the same candidate set merged: (weights, candidate lists).

    Parameters
    ----------
    coverage : Coverage
        The coverage pairs; demand points of residual weight 0 are left out.

    Returns
    -------
    weights : ndarray
        The summed weight of each distinct candidate set.
    sets : list of ndarray
        The candidate indices of each set (sorted).
    """
    order = np.lexsort((coverage.pairs[0], coverage.pairs[1]))
    dem, cand = coverage.pairs[1][order], coverage.pairs[0][order]
    keep = coverage.weights[dem] > 0
    dem, cand = dem[keep], cand[keep]
    if len(dem) == 0:
        return np.empty(0), []
    cuts = np.flatnonzero(np.diff(dem)) + 1
    groups = np.split(cand, cuts)
    heads = dem[np.r_[0, cuts]]
    merged: dict[bytes, int] = {}
    weights: list[float] = []
    sets: list[np.ndarray] = []
    for head, group in zip(heads, groups):  # one dict look-up per demand point
        key = group.tobytes()
        slot = merged.get(key)
        if slot is None:
            merged[key] = len(weights)
            weights.append(float(coverage.weights[head]))
            sets.append(group)
        else:
            weights[slot] += float(coverage.weights[head])
    return np.asarray(weights), sets
