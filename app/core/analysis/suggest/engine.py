"""Site suggestion: the maximal covering location problem (docs/indicators.md, issue 7).

Choose ``k`` new support centres among grid points of a district so that the demand
(start-ups) within ``R`` of a centre is as large as possible.

Definitions (the contract of :func:`suggest_sites`; the CLI and the UI use them as is):

- **Candidates**: grid points ``(i·g, j·g)`` of EPSG:5186 (g = spacing; the grid is
  aligned to multiples of g, so it does not depend on the district's bounds) strictly
  inside the district polygon, kept only where the zone under the point permits the
  centre (:meth:`ZoningRules.permits`, default use classes 교육연구시설 / 업무시설) and
  no overlay whose effect is ``blocks_building`` (개발제한구역) touches it. The zone of a
  point is that of the first ``kind == "zone"`` feature it intersects (the rule of
  app.core.indicators.site_zoning for point sites); points under no zone are dropped. A suggested
  point therefore gets ``use_permitted == True`` and no greenbelt from the indicators.
- **Demand set D**: every start-up within ``R`` of the district polygon (those inside it
  included). Only these can be reached by a centre inside the district, and D does not
  depend on the zoning or on the spacing, so the share of two runs with the same
  district and R compare. Weight 1 each, or ``employees`` (missing or negative = 0).
- **Total demand** (denominator of ``share``) = the weight of D. Start-ups of D beyond R
  of every candidate (e.g. near forbidden land) stay in the denominator: they are
  demand the permitted land cannot serve.
- **Coverage**: a start-up is covered iff its distance to a chosen point is ≤ R (one
  STRtree ``dwithin`` query, boundary included, as the catchments of docs/indicators.md).
- **Fixed sites** (existing centres, points or polygons): start-ups of D within R of a
  fixed site are already covered; they count in ``covered_demand`` but add nothing to the
  objective, and the ``k`` new points are chosen on top (candidates lying on a fixed
  site are dropped).

The model (weights merged over start-ups with the same candidate set)::

    max Σ_i w_i y_i   s.t.  y_i ≤ Σ_{j ∈ N(i)} x_j,  Σ_j x_j = k,  x ∈ {0,1}, 0 ≤ y ≤ 1

is solved exactly by CBC through PuLP with a time limit, warm-started from the greedy
solution. CBC's answer is ``optimal`` only when it proves it; otherwise the best solution
found (never worse than greedy) is returned with an upper bound. Without a working CBC
the greedy solution is returned (``solver == "greedy"``).
"""

from __future__ import annotations

import math
import time

import geopandas as gpd
import numpy as np

from app.core.analysis.suggest.candidates import (
    candidate_grid,
    drop_on_fixed,
    permitted_candidates,
    resolve_district,
    usable_geometries,
)
from app.core.analysis.suggest.coverage import build_coverage
from app.core.analysis.suggest.explain import explain
from app.core.analysis.suggest.model import (
    DEFAULT_SPACING_M,
    DEFAULT_TIME_LIMIT_S,
    WEIGHTS,
    InvalidParameterError,
    NoCandidatesError,
    Suggestion,
    TooFewCandidatesError,
)
from app.core.analysis.suggest.solvers import greedy_cover, solve_cover
from app.core.indicators.engine import to_working_crs
from app.core.indicators.site_zoning import IndexedZoning
from app.core.progress import Progress
from app.core.zoning.rules import DEFAULT_USE_CLASSES, ZoningRules
from layers.themes.sites import DEFAULT_RADIUS_M


def _check(k, radius, spacing, weight, time_limit) -> None:
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)):
        raise InvalidParameterError(f"k must be a whole number >= 1, not {k!r}")
    if k <= 0:
        raise InvalidParameterError(f"k must be at least 1, not {k}")
    if not (isinstance(radius, (int, float)) and math.isfinite(radius) and radius >= 0):
        raise InvalidParameterError(f"the radius must be a number of metres >= 0, not {radius}")
    if not (isinstance(spacing, (int, float)) and math.isfinite(spacing) and spacing > 0):
        raise InvalidParameterError(f"the spacing must be a number of metres > 0, not {spacing}")
    if weight not in WEIGHTS:
        raise InvalidParameterError(f"weight must be none or 'employees', not {weight!r}")
    if not (isinstance(time_limit, (int, float)) and time_limit > 0):
        raise InvalidParameterError(f"the time limit must be > 0 seconds, not {time_limit}")


def suggest_sites(
    district,
    startups: gpd.GeoDataFrame,
    zoning: gpd.GeoDataFrame | None,
    *,
    k: int = 1,
    radius: float = DEFAULT_RADIUS_M,
    spacing: float = DEFAULT_SPACING_M,
    weight: str | None = None,
    fixed: gpd.GeoDataFrame | None = None,
    rules: ZoningRules | None = None,
    time_limit: float = DEFAULT_TIME_LIMIT_S,
    progress: Progress | None = None,
    districts: gpd.GeoDataFrame | None = None,
    use_classes: tuple[str, ...] = DEFAULT_USE_CLASSES,
    exact: bool = True,
) -> Suggestion:
    """Suggest ``k`` centre sites maximising covered start-up demand (module docstring).

    Parameters
    ----------
    district : str or shapely Polygon/MultiPolygon
        District id of the ``districts`` layer ("gvalley", "magok", "yangjae") or a
        polygon in EPSG:5186.
    startups, zoning : GeoDataFrame
        Demand points and the zoning layer (``zone_type``, ``kind``); any CRS.
    k : int
        Number of new centres (>= 1, at most the number of candidates).
    radius, spacing : float
        Coverage radius R (m, >= 0) and grid spacing g (m, > 0).
    weight : None or "employees"
        Demand weight per start-up.
    fixed : GeoDataFrame, optional
        Existing centres (points/polygons); what they cover is already covered.
    rules : ZoningRules, optional
        Zoning rules with the project's overrides (default: the shipped tables).
    time_limit : float
        CBC time limit in seconds.
    progress : callable(fraction, message), optional
        Called at each stage.
    districts : GeoDataFrame, optional
        Districts layer for a string ``district`` (default: the embedded project's).
    use_classes : tuple of str
        The centre's use classes for :meth:`ZoningRules.permits`.
    exact : bool
        False skips CBC and returns the greedy solution (for comparisons).

    Returns
    -------
    Suggestion

    Raises
    ------
    InvalidParameterError, UnknownDistrictError, NoCandidatesError, TooFewCandidatesError
    """
    _check(k, radius, spacing, weight, time_limit)
    k, radius, spacing = int(k), float(radius), float(spacing)
    rules = rules or ZoningRules.default()

    def report(fraction: float, message: str) -> None:
        if progress is not None:
            progress(fraction, message)

    t0 = time.perf_counter()
    report(0.0, "finding candidate points")
    label, polygon = resolve_district(district, districts)
    gx, gy = candidate_grid(polygon, spacing)
    indexed = (
        IndexedZoning.from_frame(to_working_crs(zoning), rules) if zoning is not None else None
    )
    keep, zone = permitted_candidates(gx, gy, indexed, rules, use_classes)
    fixed_geoms, _ = usable_geometries(fixed)
    keep = drop_on_fixed(keep, gx, gy, fixed_geoms)
    cx, cy, czone = gx[keep], gy[keep], zone[keep]
    n_cand = len(cx)
    if n_cand == 0:
        raise NoCandidatesError(
            f"no grid point of district {label!r} at {spacing:g} m spacing is on land that "
            f"permits the centre (outside greenbelt): try a smaller spacing"
        )
    if k > n_cand:
        raise TooFewCandidatesError(
            f"k = {k} is more than the {n_cand} permitted candidate points of district "
            f"{label!r} at {spacing:g} m spacing"
        )

    report(0.15, "building coverage sets")
    demand = build_coverage(polygon, startups, weight, fixed_geoms, cx, cy, radius)
    coverage, total, fixed_demand = demand.coverage, demand.total, demand.fixed_demand

    report(0.35, "greedy solution")
    greedy = greedy_cover(coverage, k)
    greedy_value = coverage.value(greedy)
    build_s = time.perf_counter() - t0
    solution = solve_cover(
        coverage, k, greedy, greedy_value, exact=exact, time_limit=time_limit, progress=progress
    )
    report(0.9, "explaining the chosen points")
    sites = explain(solution.chosen, coverage, demand.weights, demand.fixed_covered, cx, cy, czone)
    covered = fixed_demand + solution.value
    report(1.0, solution.message or "done")
    return Suggestion(
        district=label,
        k=k,
        radius_m=radius,
        spacing_m=spacing,
        weight=weight,
        sites=sites,
        n_candidates=n_cand,
        n_demand=len(demand.weights),
        total_demand=total,
        covered_demand=covered,
        fixed_covered_demand=fixed_demand,
        new_covered_demand=solution.value,
        share=covered / total if total > 0 else 0.0,
        optimal=solution.optimal,
        bound=fixed_demand + solution.bound,
        solver=solution.solver,
        greedy_covered_demand=fixed_demand + greedy_value,
        build_seconds=build_s + solution.build_seconds,
        solve_seconds=solution.solve_seconds,
        message=solution.message,
        extra={"n_pairs": int(coverage.pairs.shape[1])},
    )
