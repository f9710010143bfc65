"""Site suggestion: the maximal covering location problem (INDICATORS.md, issue 7).

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
  STRtree ``dwithin`` query, boundary included, as the catchments of INDICATORS.md).
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
import os
import re
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from app.core.errors import InnoAtlasError
from app.core.indicators.site_zoning import IndexedZoning, _overlay_effects
from app.core.progress import Progress
from app.core.zoning.rules import DEFAULT_USE_CLASSES, ZoningRules
from layers.model import WORKING_CRS
from layers.themes.sites import DEFAULT_RADIUS_M

DEFAULT_SPACING_M = 100.0
DEFAULT_TIME_LIMIT_S = 10.0
#: A grid larger than this is refused (the spacing is too small for the district).
MAX_GRID_POINTS = 250_000
WEIGHTS = (None, "employees")


class SuggestError(InnoAtlasError):
    """A site suggestion cannot be computed; the message says why in one line."""


class InvalidParameterError(SuggestError):
    """k, radius, spacing, weight or time limit out of range."""


class UnknownDistrictError(SuggestError):
    """The district id is not in the districts layer."""


class NoCandidatesError(SuggestError):
    """No grid point of the district is on land that permits the centre."""


class TooFewCandidatesError(SuggestError):
    """k is larger than the number of permitted candidate points."""


@dataclass(frozen=True)
class SuggestedSite:
    """One chosen point and why it was chosen (weights in demand units)."""

    rank: int  # 1 = largest marginal contribution
    x: float  # EPSG:5186
    y: float
    lon: float
    lat: float
    zone_type: str
    demand_within_r: float  # demand of D within R of this point alone
    marginal_demand: float  # added on top of the fixed sites and the better-ranked points
    unique_demand: float  # covered by this point and by no other chosen or fixed site
    startups_within_r: int


@dataclass(frozen=True)
class Suggestion:
    """Result of :func:`suggest_sites`."""

    district: str
    k: int
    radius_m: float
    spacing_m: float
    weight: str | None
    sites: tuple[SuggestedSite, ...]
    n_candidates: int
    n_demand: int  # start-ups in D
    total_demand: float  # weight of D: the denominator of share
    covered_demand: float  # by the fixed and the new sites
    fixed_covered_demand: float
    new_covered_demand: float  # covered by the new sites and not by a fixed one
    share: float  # covered_demand / total_demand (0 when total is 0)
    optimal: bool  # True only when CBC proved optimality
    bound: float  # upper bound on covered_demand (== covered_demand when optimal)
    solver: str  # "cbc" or "greedy"
    greedy_covered_demand: float
    build_seconds: float
    solve_seconds: float
    message: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def gap(self) -> float:
        """Relative gap ``(bound - covered) / bound`` (0 when optimal)."""
        return 0.0 if self.bound <= 0 else max(0.0, (self.bound - self.covered_demand) / self.bound)

    def to_frame(self) -> gpd.GeoDataFrame:
        """The chosen points as a GeoDataFrame (EPSG:5186), ready to become candidate sites.

        Columns: ``name`` ("suggested N"), ``radius_m``, ``x``, ``y``, ``lon``, ``lat``,
        ``zone_type``, ``demand_within_r``, ``marginal_demand``, ``unique_demand``,
        ``startups_within_r``.
        """
        rows = [
            {
                "name": f"suggested {s.rank}",
                "radius_m": self.radius_m,
                "x": s.x,
                "y": s.y,
                "lon": s.lon,
                "lat": s.lat,
                "zone_type": s.zone_type,
                "demand_within_r": s.demand_within_r,
                "marginal_demand": s.marginal_demand,
                "unique_demand": s.unique_demand,
                "startups_within_r": s.startups_within_r,
            }
            for s in self.sites
        ]
        frame = pd.DataFrame(
            rows,
            columns=[
                "name",
                "radius_m",
                "x",
                "y",
                "lon",
                "lat",
                "zone_type",
                "demand_within_r",
                "marginal_demand",
                "unique_demand",
                "startups_within_r",
            ],
        )
        return gpd.GeoDataFrame(
            frame, geometry=shapely.points(frame["x"], frame["y"]), crs=WORKING_CRS
        )


# --- inputs ---------------------------------------------------------------------------
def _working(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if frame.crs is None or frame.crs.equals(WORKING_CRS):
        return frame
    return frame.to_crs(WORKING_CRS)


def _geoms(frame: gpd.GeoDataFrame | None) -> tuple[np.ndarray, np.ndarray]:
    """Usable geometries (EPSG:5186) and the boolean mask of usable rows."""
    if frame is None or len(frame) == 0:
        return np.empty(0, dtype=object), np.zeros(0, bool)
    geoms = np.asarray(_working(frame).geometry.values, dtype=object)
    ok = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    return geoms[ok], ok


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
        from app.core.formats.vector_input import read_vector
        from app.core.paths import DEFAULT_PROJECT

        districts = read_vector(DEFAULT_PROJECT, "districts", preferred_layer="districts").frame
    if "district_id" not in districts.columns:
        raise UnknownDistrictError("the districts layer has no 'district_id' column")
    ids = districts["district_id"].astype(str).str.strip().str.lower()
    key = str(district).strip().lower()
    rows = _working(districts)[ids.to_numpy() == key]
    known = ", ".join(sorted(set(ids)))
    geoms = np.asarray(rows.geometry.values, dtype=object)
    geoms = geoms[~(shapely.is_missing(geoms) | shapely.is_empty(geoms))] if len(geoms) else geoms
    if len(geoms) == 0:
        raise UnknownDistrictError(f"unknown district {district!r} (one of {known})")
    return key, shapely.make_valid(shapely.union_all(geoms))


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
    gx, gy = np.meshgrid(xs, ys)
    gx, gy = gx.ravel(), gy.ravel()
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


# --- coverage -------------------------------------------------------------------------
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


def greedy_cover(coverage: Coverage, k: int) -> list[int]:
    """Greedy maximal cover: k times the candidate with the largest gain (lowest index on
    ties), vectorised as one ``bincount`` over the coverage pairs per step."""
    uncovered = np.ones(len(coverage.weights), dtype=float)
    chosen: list[int] = []
    taken = np.zeros(coverage.n_candidates, bool)
    for _ in range(k):
        gains = coverage.gains(uncovered)
        gains[taken] = -1.0
        best = int(np.argmax(gains))
        chosen.append(best)
        taken[best] = True
        start, stop = np.searchsorted(coverage.pairs[0], [best, best + 1])
        uncovered[coverage.pairs[1][start:stop]] = 0.0
    return chosen


def _greedy_bound(coverage: Coverage, k: int, greedy_value: float) -> float:
    """Upper bound on the optimal residual coverage without an exact solver.

    min of: all coverable demand, the k largest single-candidate covers (submodularity)
    and greedy / (1 − (1 − 1/k)^k) (Nemhauser–Wolsey–Fisher).
    """
    coverable = float(coverage.weights[np.unique(coverage.pairs[1])].sum())
    singles = np.sort(coverage.gains(np.ones(len(coverage.weights))))[::-1]
    top_k = float(singles[:k].sum())
    ratio = 1.0 - (1.0 - 1.0 / k) ** k
    return min(coverable, top_k, greedy_value / ratio if ratio > 0 else math.inf)


# --- exact solver ----------------------------------------------------------------------
@dataclass
class _Exact:
    chosen: list[int]
    optimal: bool
    bound: float | None
    build_seconds: float
    solve_seconds: float


_BOUND_RE = re.compile(r"^(?:Upper|Lower) bound:\s*(-?[0-9.eE+-]+)", re.MULTILINE)
_BEST_POSSIBLE_RE = re.compile(r"best possible\s*(-?[0-9.eE+-]+)")


def _merge_demand(coverage: Coverage) -> tuple[np.ndarray, list[np.ndarray]]:
    """Demand points with the same candidate set merged: (weights, candidate lists)."""
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


def solve_exact(
    coverage: Coverage, k: int, warm: list[int], time_limit: float, progress: Progress | None = None
) -> _Exact:
    """Solve the MCLP with PuLP + CBC, warm-started from ``warm``."""
    import warnings

    with warnings.catch_warnings():  # PuLP 3.3 deprecates its 4.0 API changes loudly
        warnings.simplefilter("ignore", DeprecationWarning)
        return _solve_exact(coverage, k, warm, time_limit, progress)


def _solve_exact(
    coverage: Coverage, k: int, warm: list[int], time_limit: float, progress: Progress | None
) -> _Exact:
    import pulp

    t0 = time.perf_counter()
    weights, sets = _merge_demand(coverage)
    prob = pulp.LpProblem("mclp", pulp.LpMaximize)
    x = [pulp.LpVariable(f"x{j}", cat=pulp.LpBinary) for j in range(coverage.n_candidates)]
    y = [pulp.LpVariable(f"y{i}", lowBound=0, upBound=1) for i in range(len(weights))]
    prob += pulp.LpAffineExpression(list(zip(y, weights.tolist()))), "covered"
    for i, group in enumerate(sets):
        expr = pulp.LpAffineExpression([(y[i], 1.0)] + [(x[j], -1.0) for j in group.tolist()])
        prob += pulp.LpConstraint(expr, pulp.LpConstraintLE, f"c{i}", 0.0)
    prob += pulp.LpConstraint(
        pulp.LpAffineExpression([(v, 1.0) for v in x]), pulp.LpConstraintEQ, "k", float(k)
    )
    warm_set = set(warm)
    for j, var in enumerate(x):
        var.setInitialValue(1 if j in warm_set else 0)
    covered = np.zeros(len(weights), bool)
    for i, group in enumerate(sets):
        covered[i] = bool(warm_set.intersection(group.tolist()))
    for i, var in enumerate(y):
        var.setInitialValue(1 if covered[i] else 0)
    build = time.perf_counter() - t0
    if progress:
        progress(0.6, "solving the covering model (CBC)")

    t1 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="innoatlas_mclp_") as folder:
        log = os.path.join(folder, "cbc.log")
        solver = pulp.PULP_CBC_CMD(
            msg=False,
            timeLimit=max(float(time_limit), 0.01),
            warmStart=True,
            logPath=log,
            gapRel=0.0,
            keepFiles=False,
        )
        prob.solve(solver)
        try:
            with open(log, encoding="utf-8", errors="replace") as handle:
                text = handle.read()
        except OSError:
            text = ""
    solve = time.perf_counter() - t1
    optimal = prob.status == pulp.LpStatusOptimal and prob.sol_status == pulp.LpSolutionOptimal
    chosen = [j for j, var in enumerate(x) if (var.value() or 0) > 0.5]
    if (
        prob.sol_status not in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible)
        or len(chosen) != k
    ):
        chosen, optimal = list(warm), False
    bound = None
    if not optimal:
        found = _BOUND_RE.findall(text) or _BEST_POSSIBLE_RE.findall(text)
        if found:
            try:
                bound = float(found[-1])
            except ValueError:
                bound = None
    return _Exact(chosen, optimal, bound, build, solve)


def _cbc_available() -> bool:
    try:
        import warnings

        import pulp

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            return bool(pulp.PULP_CBC_CMD(msg=False).available())
    except Exception:  # missing package or binary: greedy fallback
        return False


# --- the engine ------------------------------------------------------------------------
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
    indexed = IndexedZoning.from_frame(_working(zoning), rules) if zoning is not None else None
    keep, zone = permitted_candidates(gx, gy, indexed, rules, use_classes)
    fixed_geoms, _ = _geoms(fixed)
    if keep.any() and len(fixed_geoms):  # a point on an existing centre is not a new site
        on_fixed = shapely.STRtree(fixed_geoms).query(
            shapely.points(gx[keep], gy[keep]), predicate="intersects"
        )[0]
        keep[np.flatnonzero(keep)[np.unique(on_fixed)]] = False
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
    demand_geoms, ok = _geoms(startups)
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
    total = float(d_w.sum())
    fixed_cov = np.zeros(len(d_geoms), bool)
    d_tree = shapely.STRtree(d_geoms)
    if len(fixed_geoms) and len(d_geoms):
        fixed_cov[d_tree.query(fixed_geoms, predicate="dwithin", distance=radius)[1]] = True
    fixed_demand = float(d_w[fixed_cov].sum())
    cand_points = shapely.points(cx, cy)
    pairs = (
        d_tree.query(cand_points, predicate="dwithin", distance=radius)
        if len(d_geoms)
        else np.empty((2, 0), dtype=np.intp)
    )
    order = np.lexsort((pairs[1], pairs[0]))
    pairs = pairs[:, order]
    residual = np.where(fixed_cov, 0.0, d_w)
    coverage = Coverage(n_cand, residual, pairs)

    report(0.35, "greedy solution")
    greedy = greedy_cover(coverage, k)
    greedy_value = coverage.value(greedy)
    build_s = time.perf_counter() - t0
    solve_s = 0.0
    chosen, optimal, bound_new, solver, message = greedy, False, None, "greedy", ""
    if exact and _cbc_available():
        report(0.45, "building the covering model")
        try:
            result = solve_exact(coverage, k, greedy, time_limit, progress)
        except Exception as err:  # a solver failure must not lose the greedy answer
            message = f"CBC failed ({type(err).__name__}); greedy solution"
        else:
            build_s += result.build_seconds
            solve_s = result.solve_seconds
            solver = "cbc"
            if coverage.value(result.chosen) >= greedy_value:
                chosen = result.chosen
            optimal, bound_new = result.optimal, result.bound
            message = (
                "proven optimal"
                if optimal
                else f"time limit of {time_limit:g} s reached: "
                "best solution found, not proven optimal"
            )
    elif exact:
        message = "CBC is not available: greedy solution, not proven optimal"
    else:
        message = "greedy solution (exact solver not requested)"

    value = coverage.value(chosen)
    if optimal:
        bound_new = value
    else:
        heuristic = _greedy_bound(coverage, k, greedy_value)
        bound_new = heuristic if bound_new is None else min(bound_new, heuristic)
        bound_new = max(bound_new, value)
    report(0.9, "explaining the chosen points")
    sites = _explain(chosen, coverage, d_w, fixed_cov, cx, cy, czone)
    covered = fixed_demand + value
    report(1.0, message or "done")
    return Suggestion(
        district=label,
        k=k,
        radius_m=radius,
        spacing_m=spacing,
        weight=weight,
        sites=sites,
        n_candidates=n_cand,
        n_demand=len(d_geoms),
        total_demand=total,
        covered_demand=covered,
        fixed_covered_demand=fixed_demand,
        new_covered_demand=value,
        share=covered / total if total > 0 else 0.0,
        optimal=bool(optimal),
        bound=fixed_demand + bound_new,
        solver=solver,
        greedy_covered_demand=fixed_demand + greedy_value,
        build_seconds=build_s,
        solve_seconds=solve_s,
        message=message,
        extra={"n_pairs": int(pairs.shape[1])},
    )


def _explain(
    chosen: list[int],
    coverage: Coverage,
    weights: np.ndarray,
    fixed_cov: np.ndarray,
    cx: np.ndarray,
    cy: np.ndarray,
    czone: np.ndarray,
) -> tuple[SuggestedSite, ...]:
    """Rank the chosen points by marginal contribution and say what each covers."""
    from app.core.geodesy import to_lonlat

    masks = {}
    for j in chosen:
        start, stop = np.searchsorted(coverage.pairs[0], [j, j + 1])
        mask = np.zeros(len(weights), bool)
        mask[coverage.pairs[1][start:stop]] = True
        masks[j] = mask
    counts = {j: int(m.sum()) for j, m in masks.items()}
    covered = fixed_cov.copy()
    ranked: list[tuple[int, float]] = []
    left = list(chosen)
    while left:  # greedy order over the chosen set: largest marginal first
        gains = [float(weights[masks[j] & ~covered].sum()) for j in left]
        best = int(np.argmax(gains))
        j = left.pop(best)
        ranked.append((j, gains[best]))
        covered |= masks[j]
    hits = np.zeros(len(weights), int) + fixed_cov
    for m in masks.values():
        hits = hits + m
    xs, ys = cx[[j for j, _ in ranked]], cy[[j for j, _ in ranked]]
    lon, lat = to_lonlat(xs, ys)
    lon, lat = np.atleast_1d(lon), np.atleast_1d(lat)
    return tuple(
        SuggestedSite(
            rank=r + 1,
            x=float(cx[j]),
            y=float(cy[j]),
            lon=float(lon[r]),
            lat=float(lat[r]),
            zone_type=str(czone[j]),
            demand_within_r=float(weights[masks[j]].sum()),
            marginal_demand=marginal,
            unique_demand=float(weights[masks[j] & (hits == 1)].sum()),
            startups_within_r=counts[j],
        )
        for r, (j, marginal) in enumerate(ranked)
    )
