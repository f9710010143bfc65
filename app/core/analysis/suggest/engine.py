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

Coverage areas (docs/indicators.md): with ``coverage`` the start-ups and the zoning speak
only for their layers' coverage areas. A district the demand layer or the zoning layer
does not cover at all is refused (:class:`NotCoveredError`, naming the layer and the
district); in a district partly covered, start-ups outside the demand layer's area and
zones outside the zoning layer's area are unknown (ignored), and ``note`` says that the
answer covers only the covered part.

When the answer covers at least :data:`~.model.SATURATION_SHARE` of the demand it is
**saturated** (nearly any k points would do): the result says so in ``note``. Two other
models, on the same candidates, demand set, weights and fixed sites, still tell places
apart (``model=``):

- ``"lscp"`` (:mod:`.lscp`): the fewest new sites covering a ``share`` of the demand
  (default all of it; demand beyond R of every permitted point and fixed site cannot be
  covered, so the target is capped at what can, and ``note`` says so). No k.
- ``"pmedian"`` (:mod:`.pmedian`): the k new sites minimising the demand-weighted mean
  distance from each start-up of D to its nearest chosen or fixed site (exact with a
  sparse, verified cut-off matrix).

Both are solved by the same CBC with the same time limit, greedy warm start and bound
(``bound ≤ optimum ≤ greedy`` for these minimisations, ``greedy ≤ optimum ≤ bound`` for the
MCLP). Every model reports the covered share within R and the mean distance.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import shapely

from app.core.analysis.suggest.candidates import (
    candidate_grid,
    default_districts,
    district_name,
    drop_on_fixed,
    permitted_candidates,
    resolve_district,
    usable_geometries,
)
from app.core.analysis.suggest.coverage import DemandCoverage, PairsWithin, build_coverage
from app.core.analysis.suggest.explain import explain
from app.core.analysis.suggest.lscp import solve_lscp
from app.core.analysis.suggest.model import (
    DEFAULT_SPACING_M,
    DEFAULT_TIME_LIMIT_S,
    MODELS,
    SATURATION_SHARE,
    WEIGHTS,
    InvalidParameterError,
    NoCandidatesError,
    NotCoveredError,
    Suggestion,
    TooFewCandidatesError,
)
from app.core.analysis.suggest.pmedian import MedianDemand, solve_pmedian, total_distance
from app.core.analysis.suggest.solvers import Solution, greedy_cover, solve_cover
from app.core.indicators.catchment import coverage_share
from app.core.indicators.engine import clip_zoning, features_inside, to_working_crs
from app.core.indicators.site_zoning import IndexedZoning
from app.core.progress import Progress
from app.core.zoning.rules import DEFAULT_USE_CLASSES, ZoningRules
from layers.themes.sites import DEFAULT_RADIUS_M


def _check(model, k, share, radius, spacing, weight, time_limit) -> None:
    if model not in MODELS:
        raise InvalidParameterError(f"model must be one of {', '.join(MODELS)}, not {model!r}")
    if model == "lscp":
        if isinstance(share, bool) or not (isinstance(share, (int, float)) and 0 < share <= 1):
            raise InvalidParameterError(f"the share must be > 0 and <= 1, not {share!r}")
    else:
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


def saturation_note(k: int, share: float) -> str:
    """The sentence of a saturated MCLP answer (English; the dialog translates its own)."""
    return (
        f"{k} site(s) already cover {share:.1%} of the demand within R: nearly any placement "
        "covers as much, so this answer does not tell places apart. Ask instead for the "
        "fewest sites that cover it all (--model lscp) or the k sites with the shortest mean "
        "distance (--model pmedian)."
    )


def suggest_sites(
    district,
    startups: gpd.GeoDataFrame,
    zoning: gpd.GeoDataFrame | None,
    *,
    k: int | None = 1,
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
    model: str = "mclp",
    share: float = 1.0,
    coverage: Mapping[str, shapely.Geometry | None] | None = None,
    titles: Mapping[str, str] | None = None,
    pairs_within: PairsWithin | None = None,
) -> Suggestion:
    """Suggest centre sites by one of three location models (module docstring).

    Parameters
    ----------
    district : str or shapely Polygon/MultiPolygon
        District id of the ``districts`` layer ("gvalley", "magok", "yangjae") or a
        polygon in EPSG:5186.
    startups, zoning : GeoDataFrame
        Demand points and the zoning layer (``zone_type``, ``kind``); any CRS.
    k : int or None
        Number of new centres (>= 1, at most the number of candidates); ignored by
        ``"lscp"``, which finds it.
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
    model : {"mclp", "lscp", "pmedian"}
        Maximal covering (k sites, most demand within R), location set covering (fewest
        sites covering ``share`` of the demand within R) or p-median (k sites, shortest
        demand-weighted mean distance).
    share : float
        ``"lscp"`` only: the share of the demand to cover, in (0, 1].
    coverage : mapping, optional
        ``{"startups": area or None, "zoning": area or None}``: the coverage areas of
        the two layers (EPSG:5186; app.core.project.coverage.role_coverages); missing
        or None: the whole map.
    titles : mapping, optional
        ``{"startups": title, "zoning": title}``: the layers' names for messages.
    pairs_within : callable, optional
        Coverage by another distance than the straight line (walking:
        :func:`app.core.network.coverage.walking_pairs`) for MCLP and LSCP; for the
        p-median its ``distances`` (walking distances from the candidates) when it has one.

    Returns
    -------
    Suggestion

    Raises
    ------
    InvalidParameterError, UnknownDistrictError, NotCoveredError, NoCandidatesError,
    TooFewCandidatesError
    """
    _check(model, k, share, radius, spacing, weight, time_limit)
    radius, spacing = float(radius), float(spacing)
    rules = rules or ZoningRules.default()

    def report(fraction: float, message: str) -> None:
        if progress is not None:
            progress(fraction, message)

    t0 = time.perf_counter()
    report(0.0, "finding candidate points")
    if districts is None and isinstance(district, str):
        districts = default_districts()
    label, polygon = resolve_district(district, districts)
    name = district_name(label, districts)
    areas = dict(coverage or {})
    coverage_notes = _covered_notes(polygon, areas, dict(titles or {}), name)
    if areas.get("startups") is not None:
        startups = features_inside(startups, areas["startups"])
    if zoning is not None and areas.get("zoning") is not None:
        zoning = clip_zoning(zoning, areas["zoning"])
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
        if len(gx) and all(z is None for z in zone):
            raise NoCandidatesError(
                f"the zoning layer has no zone in {name}: add zoning that covers {name} "
                "to suggest sites there"
            )
        raise NoCandidatesError(
            f"no grid point of {name} at {spacing:g} m spacing is on land that permits "
            "the centre (outside greenbelt): try a smaller spacing"
        )
    if model != "lscp" and k is not None and k > n_cand:
        raise TooFewCandidatesError(
            f"k = {k} is more than the {n_cand} permitted candidate points of {name} "
            f"at {spacing:g} m spacing"
        )

    report(0.15, "building coverage sets")
    demand = build_coverage(
        polygon, startups, weight, fixed_geoms, cx, cy, radius, pairs_within=pairs_within
    )
    walk = getattr(pairs_within, "distances", None) if model == "pmedian" else None
    median = MedianDemand.build(demand.points, demand.weights, fixed_geoms, walk, cx, cy)
    build_s = time.perf_counter() - t0
    note = ""
    target_share = None
    if model == "mclp":
        assert k is not None
        solution = _solve_mclp(demand, int(k), exact, time_limit, report, progress)
    elif model == "lscp":
        target_share = float(share)
        target, note = _lscp_target(demand, float(share))
        report(0.35, "greedy set cover")
        solution = solve_lscp(
            demand.coverage, target, exact=exact, time_limit=time_limit, progress=progress
        )
    else:
        assert k is not None
        report(0.35, "greedy p-median")
        solution = solve_pmedian(
            cx, cy, median, int(k), exact=exact, time_limit=time_limit, progress=progress
        )
    report(0.9, "explaining the chosen points")
    sites = explain(
        solution.chosen,
        demand.coverage,
        demand.weights,
        demand.fixed_covered,
        cx,
        cy,
        czone,
        median,
    )
    chosen = list(solution.chosen)
    covered = demand.fixed_demand + demand.coverage.value(chosen)
    total = demand.total
    share_covered = covered / total if total > 0 else 0.0
    mean = _mean(total_distance(cx, cy, median, chosen), median.total)
    bound, greedy_objective = _figures(model, solution, demand.fixed_demand, median.total)
    greedy_covered = demand.fixed_demand + demand.coverage.value(list(solution.greedy))
    saturated = model == "mclp" and total > 0 and share_covered >= SATURATION_SHARE
    if saturated:
        note = saturation_note(len(sites), share_covered)
    note = " ".join(part for part in (*coverage_notes, note) if part)
    report(1.0, solution.message or "done")
    return Suggestion(
        district=label,
        k=len(sites) if model == "lscp" else int(k or 0),
        radius_m=radius,
        spacing_m=spacing,
        weight=weight,
        sites=sites,
        n_candidates=n_cand,
        n_demand=len(demand.weights),
        total_demand=total,
        covered_demand=covered,
        fixed_covered_demand=demand.fixed_demand,
        new_covered_demand=covered - demand.fixed_demand,
        share=share_covered,
        optimal=solution.optimal,
        bound=bound,
        solver=solution.solver,
        greedy_covered_demand=greedy_covered,
        build_seconds=build_s + solution.build_seconds,
        solve_seconds=solution.solve_seconds,
        message=solution.message,
        extra={"n_pairs": int(demand.coverage.pairs.shape[1]), **(solution.extra or {})},
        model=model,
        mean_distance_m=mean,
        target_share=target_share,
        greedy_objective=greedy_objective,
        saturated=saturated,
        note=note,
        district_name=name,
    )


#: The words of each layer in the coverage messages.
_LAYER_WORDS = {"startups": "start-up", "zoning": "zoning"}


def _covered_notes(polygon, areas: dict, titles: dict, name: str) -> list[str]:
    """Refuse a district a layer does not cover at all; notes for one partly covered.

    Raises
    ------
    NotCoveredError
        The demand (start-up) or the zoning layer's coverage area misses the district.
    """
    notes = []
    for role in ("startups", "zoning"):
        area = areas.get(role)
        if area is None:
            continue
        share = float(coverage_share(np.array([polygon], dtype=object), area)[0])
        layer = f"the {_LAYER_WORDS[role]} layer" + (
            f" '{titles[role]}'" if titles.get(role) else ""
        )
        if not share > 1e-6:
            raise NotCoveredError(
                f"{layer} does not cover {name}: its data say nothing about "
                f"{'demand' if role == 'startups' else 'what may be built'} there; add "
                f"{_LAYER_WORDS[role]} data for {name} or widen the layer's coverage area"
            )
        if share < 1.0:
            what = "demand" if role == "startups" else "zoning"
            notes.append(
                f"{layer[0].upper()}{layer[1:]} covers {math.floor(share * 100)} % of {name}: "
                f"{what} outside it is unknown, so this answer covers only the covered part."
            )
    return notes


def _solve_mclp(demand: DemandCoverage, k: int, exact, time_limit, report, progress) -> Solution:
    report(0.35, "greedy solution")
    greedy = greedy_cover(demand.coverage, k)
    greedy_value = demand.coverage.value(greedy)
    return solve_cover(
        demand.coverage,
        k,
        greedy,
        greedy_value,
        exact=exact,
        time_limit=time_limit,
        progress=progress,
    )


def _lscp_target(demand: DemandCoverage, share: float) -> tuple[float, str]:
    """The residual demand LSCP must cover, capped at what can be covered, and its note."""
    total, coverable = demand.total, demand.coverable
    wanted = share * total
    if wanted <= coverable + 1e-9 or total <= 0:
        return max(0.0, wanted - demand.fixed_demand), ""
    return coverable - demand.fixed_demand, (
        f"{share:.0%} of the demand cannot be covered: {1 - coverable / total:.1%} of it lies "
        f"beyond R of every permitted point, so the answer covers all that can be covered "
        f"({coverable / total:.1%})."
    )


def _mean(total_distance: float, weight: float) -> float:
    return total_distance / weight if weight > 0 and math.isfinite(total_distance) else 0.0


def _figures(model: str, solution: Solution, fixed: float, weight: float) -> tuple[float, float]:
    """(bound, greedy objective) in the result's units: covered demand with the fixed
    sites' (mclp), number of new sites (lscp), mean distance in metres (pmedian)."""
    if model == "mclp":
        return fixed + solution.bound, fixed + solution.greedy_objective
    if model == "lscp":
        return solution.bound, solution.greedy_objective
    return _mean(solution.bound, weight), _mean(solution.greedy_objective, weight)
