"""Who each candidate point covers: the sparse coverage sets of the site suggestion.

:func:`build_coverage` finds the demand set D (every start-up within R of the district),
what the fixed sites already cover and, with one STRtree ``dwithin`` query, the pairs
(candidate, start-up) within R of each other; :class:`Coverage` holds those pairs with the
residual weights and answers the greedy's questions (:mod:`.reduction` turns it into the
reduced model the exact solvers solve).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely

from app.core.analysis.suggest.candidates import demand_weights, usable_geometries

#: ``(sources, demand, radius) -> (2, k)`` pairs within R (a non-straight distance).
PairsWithin = Callable[[np.ndarray, np.ndarray, float], np.ndarray]


@dataclass(frozen=True)
class Coverage:
    """Sparse coverage: ``pairs[0]`` candidate index, ``pairs[1]`` demand index (sorted)."""

    n_candidates: int
    weights: np.ndarray  # per demand point (residual: 0 where a fixed site covers it)
    pairs: np.ndarray
    #: The candidates' coordinates (n x 2, EPSG:5186) when known: the model reduction
    #: looks for dominating candidates among the neighbours first.
    xy: np.ndarray | None = None

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
    pairs_within: PairsWithin | None = None,
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
    pairs_within : callable, optional
        ``pairs_within(sources, demand, radius)`` -> ``(2, k)`` index pairs (source,
        demand) within R by another distance than the straight line (walking:
        :func:`app.core.network.coverage.walking_pairs`); D stays the straight-line set
        (a walk is never shorter than the straight line).

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
    within = pairs_within or (
        lambda sources, _, r: d_tree.query(sources, predicate="dwithin", distance=r)
    )
    if len(fixed_geoms) and len(d_geoms):
        fixed_cov[within(fixed_geoms, d_geoms, radius)[1]] = True
    cand_points = shapely.points(cx, cy)
    pairs = (
        within(cand_points, d_geoms, radius) if len(d_geoms) else np.empty((2, 0), dtype=np.intp)
    )
    order = np.lexsort((pairs[1], pairs[0]))
    pairs = pairs[:, order]
    residual = np.where(fixed_cov, 0.0, d_w)
    return DemandCoverage(
        d_w, fixed_cov, Coverage(len(cx), residual, pairs, np.column_stack([cx, cy])), d_geoms
    )
