"""Key figures of scenarios, side by side, with deltas against the first one (Qt-free,
vectorised).

Per scenario (docs/guide.md, "Compare scenarios"):

- ``sites_n``: its sites;
- ``best_site``, ``best_startups``, ``best_employees``: the site ranked 1st (the map's
  "#1" badge, :func:`~app.core.indicators.score.rank_sites`) and the start-ups and
  employees within its catchment;
- ``union_startups``, ``union_employees``: start-ups (and their employees) within the
  catchment of **any** site, each counted once;
- ``catchment``: the catchment its figures use ("circle (straight line)" or "walking
  network: NAME", the scenario's own mode);
- ``nearest_mean_m``: mean distance from a start-up **in an innovation district that holds
  at least one of its sites** to its nearest site (start-ups of districts without a site
  are left out: they measure the gap between districts, not the scenario; without a
  districts layer every covered start-up counts);
- ``floor_area_m2``: buildable floor area (``max_gfa_m2``) summed over the sites;
- ``not_permitted_n``: sites where the centre's use is not permitted;
- ``mean_score``: mean score of the sites;
- ``share:<district_id>``: per innovation district, the share of its start-ups within
  the catchment of any site;
- ``nearest:<district_id>``: per innovation district, the mean distance from its
  start-ups to their nearest site (of any district), NaN without start-ups or outside
  the coverage area (CSV and JSON; the Compare table shows ``nearest_mean_m``).

A catchment is everything within the site's radius (its own ``radius_m``, else the
scenario's R) of the site's point or polygon, as for the indicators: in a straight line,
or along the scenario's walking network (:attr:`ScenarioInput.network`; distances are
walks, a start-up off the network is not reached and has no nearest site). Start-ups outside
the start-up layer's coverage area are not counted; a figure that depends only on
uncovered places is unknown (NaN: "not covered"), never 0. One STRtree query per
scenario gives the (site, start-up) pairs; counts come from ``np.unique``/``bincount``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from app.core.formats.vector import InputError
from app.core.indicators.catchment import IndexedLayer
from app.core.indicators.engine import IndicatorEngine, features_inside, to_working_crs
from app.core.indicators.score import Weights, rank_sites
from app.core.network.catchment import WalkingDistances, catchment_label
from app.core.network.read import separated_flags
from app.core.network.settings import CatchmentSetting
from app.core.network.source import build_cached
from app.core.network.topology import Network
from app.core.project.coverage import role_coverages
from app.core.project.scenario_model import ScenarioSet
from app.core.project.user_layers import role_layer
from layers.model import Layer, LayerStack

#: The KPI columns before the per-district shares, in table order.
KPI_COLUMNS = (
    "sites_n",
    "catchment",
    "best_site",
    "best_startups",
    "best_employees",
    "union_startups",
    "union_employees",
    "nearest_mean_m",
    "floor_area_m2",
    "not_permitted_n",
    "mean_score",
)
#: Prefix of the per-district share columns.
SHARE_PREFIX = "share:"
#: Prefix of the per-district mean distance to the nearest site (CSV/JSON only).
NEAREST_PREFIX = "nearest:"
#: English labels of the KPIs (translated by the UI and the PDF).
KPI_LABELS = {
    "sites_n": "Sites",
    "catchment": "Catchment",
    "best_site": "Best site",
    "best_startups": "Start-ups reached by the best site",
    "best_employees": "Employees reached by the best site",
    "union_startups": "Start-ups reached by all sites",
    "union_employees": "Employees reached by all sites",
    "nearest_mean_m": "Mean distance to the nearest site, start-ups of districts with a site (m)",
    "floor_area_m2": "Buildable floor area (m²)",
    "not_permitted_n": "Sites where the use is not permitted",
    "mean_score": "Mean score",
}
#: Larger is better for these KPIs (deltas are shown green when positive).
HIGHER_IS_BETTER = {
    "sites_n": None,
    "best_startups": True,
    "best_employees": True,
    "union_startups": True,
    "union_employees": True,
    "nearest_mean_m": False,
    "floor_area_m2": True,
    "not_permitted_n": False,
    "mean_score": True,
}


#: Text columns (no delta).
TEXT_COLUMNS = ("catchment", "best_site")


@dataclass(frozen=True)
class ScenarioInput:
    """One scenario to compare: its name, sites, radius R, weights and walking network
    (the table name; None: straight-line circles)."""

    name: str
    sites: gpd.GeoDataFrame
    radius_m: float
    weights: Weights
    network: str | None = None


@dataclass(frozen=True)
class KpiContext:
    """The project's layers, prepared once for any number of scenarios.

    Attributes
    ----------
    engine : IndicatorEngine
        Computes the sites' indicators (role layers, zoning rules, coverage areas).
    startups : ndarray of shapely geometries
        The start-ups inside the start-up layer's coverage area (EPSG:5186).
    employees : ndarray of float or None
        Their employees (NaN unknown); None without an ``employees`` column.
    startups_area : shapely geometry or None
        The start-up layer's coverage area (None: the whole map).
    districts : GeoDataFrame or None
        The innovation districts (``district_id``, ``name``) for the shares.
    stack, frames, rules, coverage
        What a walking engine is built from (:meth:`engine_for`).
    """

    engine: IndicatorEngine
    startups: np.ndarray
    employees: np.ndarray | None
    startups_area: shapely.Geometry | None
    districts: gpd.GeoDataFrame | None
    stack: LayerStack | None = None
    frames: tuple = ()
    rules: object = None
    coverage: Mapping = field(default_factory=dict)
    tolerance_m: float = 1.0
    walking: dict = field(default_factory=dict)

    def engine_for(self, network: str | None) -> tuple[IndicatorEngine, WalkingDistances | None]:
        """The engine of a catchment: :attr:`engine` for circles, else one walking along
        the project table ``network`` (built once per context; the graph comes from the
        network cache).

        Raises
        ------
        InputError
            ``network`` is no line layer of the project, or its network is refused.
        """
        if not network:
            return self.engine, None
        found = self.walking.get(network)
        if found is None:
            distances = WalkingDistances(_network(self.stack, network, self.tolerance_m), network)
            startups, education, stations, zoning = self.frames
            engine = IndicatorEngine(
                startups,
                education,
                stations,
                zoning,
                rules=self.rules,  # type: ignore[arg-type]
                coverage=self.coverage,
                distances=distances,
            )
            if self.stack is not None and (layer := self.stack.get(network)) is not None:
                distances.name = layer.title_en
            found = self.walking[network] = (engine, distances)
        return found

    @classmethod
    def build(
        cls,
        stack: LayerStack,
        roles: Mapping[str, str],
        extra: Mapping,
        rules=None,
        engine: IndicatorEngine | None = None,
    ) -> KpiContext:
        """The context of a project's layers.

        Parameters
        ----------
        stack : LayerStack
            The project's layers.
        roles : mapping
            ``{role: layer name}`` (``ProjectSettings.roles()``).
        extra : mapping
            ``ProjectSettings.extra`` (the saved coverage areas).
        rules : ZoningRules, optional
            The project's zoning rules (default: the shipped tables).
        engine : IndicatorEngine, optional
            An engine already built for the same layers (the app's), reused.
        """
        coverage = role_coverages(stack, roles, extra)
        frames = [_data(role_layer(stack, r, dict(roles))) for r in _ROLES]
        if engine is None:
            startups_f, education, stations, zoning = frames
            engine = IndicatorEngine(
                startups_f, education, stations, zoning, rules=rules, coverage=coverage
            )
        startups = features_inside(frames[0], coverage.get("startups"))
        geoms = np.zeros(0, dtype=object)
        employees = None
        if startups is not None:
            geoms = np.asarray(startups.geometry.values, dtype=object)
            usable = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
            geoms = geoms[usable]
            if "employees" in startups.columns:
                employees = pd.to_numeric(startups["employees"], errors="coerce").to_numpy(
                    dtype=float, na_value=np.nan
                )[usable]
        districts = _data(stack.get("districts"))
        if districts is not None:
            districts = to_working_crs(districts)
        setting = CatchmentSetting.from_extra(dict(extra))
        return cls(
            engine,
            geoms,
            employees,
            coverage.get("startups"),
            districts,
            stack,
            tuple(frames),
            rules,
            coverage,
            setting.tolerance_m,
        )


def _network(stack: LayerStack | None, name: str, tolerance: float) -> Network:
    """The walking network of the project table ``name`` (as the app builds it)."""
    layer = stack.get(name) if stack is not None else None
    if layer is None:
        raise InputError(f"the walking network '{name}' is not a layer of this project")
    geoms = np.asarray(to_working_crs(layer.data).geometry.values, dtype=object)
    lines = np.isin(shapely.get_type_id(geoms), (1, 2, 5))
    if not lines.any():
        raise InputError(f"{layer.title_en} has no lines: a walking network is a line layer")
    network, _ = build_cached(geoms[lines], separated_flags(layer.data)[lines], tolerance)
    return network


_ROLES = ("startups", "education", "stations", "zoning")


def _data(layer: Layer | None) -> gpd.GeoDataFrame | None:
    return None if layer is None else layer.data


def scenario_inputs(
    scenarios: ScenarioSet, layer: Layer, names: Sequence[str] | None = None
) -> list[ScenarioInput]:
    """The scenarios called ``names`` (default: all), in that order, as inputs.

    Raises
    ------
    KeyError
        A name that is no scenario of the project.
    """
    chosen = list(names) if names is not None else scenarios.names()
    out = []
    for name in chosen:
        index = scenarios.index_of(name)
        scenario = scenarios.scenarios[index]
        out.append(
            ScenarioInput(
                name,
                scenarios.sites_of(index, layer),
                scenario.radius_m,
                Weights.from_dict(scenario.weights),
                scenario.walking_network,
            )
        )
    return out


def scenario_kpis(context: KpiContext, scenario: ScenarioInput) -> dict[str, object]:
    """The KPIs of one scenario (see the module docstring); NaN where unknown."""
    sites = to_working_crs(scenario.sites)
    engine, walking = context.engine_for(scenario.network)
    table = engine.compute(sites, scenario.radius_m, weights=scenario.weights)
    out: dict[str, object] = {key: np.nan for key in KPI_COLUMNS}
    out["sites_n"] = len(sites)
    out["catchment"] = catchment_label(walking.name if walking is not None else None)
    out["best_site"] = ""
    geoms = np.asarray(sites.geometry.values, dtype=object)
    usable = (
        ~(shapely.is_missing(geoms) | shapely.is_empty(geoms)) if len(geoms) else np.zeros(0, bool)
    )
    if len(table):
        best = int(np.argmin(rank_sites(table).to_numpy()))
        out["best_site"] = str(sites["name"].iloc[best]) if "name" in sites else str(best + 1)
        out["best_startups"] = _number(table["startups_n"].iloc[best])
        out["best_employees"] = _number(table["employees_sum"].iloc[best])
        out["floor_area_m2"] = _sum(table["max_gfa_m2"])
        permitted = table["use_permitted"]
        out["not_permitted_n"] = int((permitted.astype("boolean") == False).fillna(False).sum())  # noqa: E712
        score = pd.to_numeric(table["score"], errors="coerce").to_numpy(
            dtype=float, na_value=np.nan
        )
        out["mean_score"] = float(np.nanmean(score)) if np.isfinite(score).any() else np.nan
    radii = _radii(sites, scenario.radius_m)[usable]
    site_geoms = geoms[usable]
    reached = _reached(context.startups, site_geoms, radii, walking)
    covered = _any_catchment_covered(table, context)
    if covered:
        out["union_startups"] = int(reached.sum())
        if context.employees is not None:
            out["union_employees"] = float(np.nansum(context.employees[reached]))
    nearest = nearest_distances(context.startups, site_geoms, walking)
    chosen = startups_in_site_districts(context, site_geoms)
    picked = nearest[chosen] if len(nearest) else nearest
    out["nearest_mean_m"] = (
        float(np.nanmean(picked)) if len(picked) and np.isfinite(picked).any() else np.nan
    )
    out.update(_district_shares(context, reached))
    out.update(_district_nearest(context, nearest))
    return out


def nearest_distances(
    startups: np.ndarray, sites: np.ndarray, walking: WalkingDistances | None = None
) -> np.ndarray:
    """Per start-up, the distance (straight or walked) to its nearest site (NaN: none,
    or none reachable); empty when there are no sites."""
    if len(sites) == 0 or len(startups) == 0:
        return np.full(len(startups) if len(sites) else 0, np.nan)
    if walking is None:
        _, distances = shapely.STRtree(sites).query_nearest(
            startups, return_distance=True, all_matches=False
        )
        return np.asarray(distances, dtype=float)
    # the walk from each start-up to its nearest site: one multi-source search
    to_sites = WalkingDistances(walking.network, walking.name).wrap(
        "sites", IndexedLayer.build(sites)
    )
    return np.asarray(to_sites.nearest_distances(startups), dtype=float)


def _district_nearest(context: KpiContext, nearest: np.ndarray) -> dict[str, float]:
    """``nearest:<district_id>``: mean of ``nearest`` over each district's start-ups."""
    districts = context.districts
    if districts is None or "district_id" not in districts.columns or len(districts) == 0:
        return {}
    ids = districts["district_id"].astype(str).to_numpy()
    means = np.full(len(ids), np.nan)
    if len(nearest) and len(context.startups):
        geoms = np.asarray(districts.geometry.values, dtype=object)
        pairs = shapely.STRtree(context.startups).query(geoms, predicate="intersects")
        values = nearest[pairs[1]]
        ok = np.isfinite(values)
        total = np.bincount(pairs[0][ok], weights=values[ok], minlength=len(ids))
        count = np.bincount(pairs[0][ok], minlength=len(ids))
        with np.errstate(invalid="ignore", divide="ignore"):
            means = np.where(count > 0, total / np.where(count > 0, count, 1), np.nan)
    return {NEAREST_PREFIX + i: float(m) for i, m in zip(ids, means)}


def startups_in_site_districts(context: KpiContext, sites: np.ndarray) -> np.ndarray:
    """Indices of the start-ups lying in an innovation district that holds at least one
    of ``sites`` (every start-up without a districts layer)."""
    districts = context.districts
    n = len(context.startups)
    if districts is None or len(districts) == 0:
        return np.arange(n)
    geoms = np.asarray(districts.geometry.values, dtype=object)
    geoms = geoms[~(shapely.is_missing(geoms) | shapely.is_empty(geoms))]
    if len(sites) == 0 or len(geoms) == 0 or n == 0:
        return np.zeros(0, dtype=int)
    held = np.unique(shapely.STRtree(sites).query(geoms, predicate="intersects")[0])
    if len(held) == 0:
        return np.zeros(0, dtype=int)
    pairs = shapely.STRtree(context.startups).query(geoms[held], predicate="intersects")
    return np.unique(pairs[1])


def nearest_mean(
    context: KpiContext, sites: np.ndarray, walking: WalkingDistances | None = None
) -> float:
    """``nearest_mean_m``: mean distance (straight or walked) from each start-up of a
    district holding a site to its nearest site; NaN when there is none (or, walking,
    none reaches a site)."""
    chosen = startups_in_site_districts(context, sites)
    if len(sites) == 0 or len(chosen) == 0:
        return np.nan
    distances = nearest_distances(context.startups[chosen], sites, walking)
    return float(np.nanmean(distances)) if np.isfinite(distances).any() else np.nan


def _number(value) -> float:
    return float(value) if value is not None and not pd.isna(value) else np.nan


def _sum(values: pd.Series) -> float:
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return float(np.nansum(numbers)) if np.isfinite(numbers).any() else np.nan


def _radii(sites: gpd.GeoDataFrame, radius: float) -> np.ndarray:
    own = (
        pd.to_numeric(sites["radius_m"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        if "radius_m" in sites
        else np.full(len(sites), np.nan)
    )
    return np.where(np.isfinite(own) & (own >= 0), own, float(radius))


def _reached(
    startups: np.ndarray,
    sites: np.ndarray,
    radii: np.ndarray,
    walking: WalkingDistances | None = None,
) -> np.ndarray:
    """Per start-up: within the radius (straight, or walked along ``walking``'s
    network) of at least one site (one STRtree query or one multi-source search)."""
    reached = np.zeros(len(startups), dtype=bool)
    if len(startups) == 0 or len(sites) == 0:
        return reached
    if walking is not None:
        layer = walking.layers.get("kpi_startups")
        if layer is None:
            layer = walking.wrap("kpi_startups", IndexedLayer.build(startups))
        pairs = layer.pairs_within(sites, radii)
    else:
        tree = shapely.STRtree(startups)
        pairs = tree.query(sites, predicate="dwithin", distance=radii)
    reached[np.unique(pairs[1])] = True
    return reached


def _any_catchment_covered(table: pd.DataFrame, context: KpiContext) -> bool:
    """True when some site's catchment reaches into the start-ups' coverage area."""
    if len(table) == 0:
        return False
    if context.startups_area is None:
        return True
    share = pd.to_numeric(table["startups_coverage"], errors="coerce").to_numpy(
        dtype=float, na_value=np.nan
    )
    return bool((np.nan_to_num(share) > 0).any())


def _district_shares(context: KpiContext, reached: np.ndarray) -> dict[str, float]:
    """``share:<district_id>``: reached start-ups / start-ups of the district; NaN for a
    district outside the start-ups' coverage area or without start-ups."""
    districts = context.districts
    if districts is None or "district_id" not in districts.columns or len(districts) == 0:
        return {}
    geoms = np.asarray(districts.geometry.values, dtype=object)
    ids = districts["district_id"].astype(str).to_numpy()
    totals: np.ndarray = np.zeros(len(ids))
    hits: np.ndarray = np.zeros(len(ids))
    if len(context.startups):
        tree = shapely.STRtree(context.startups)
        pairs = tree.query(geoms, predicate="intersects")
        totals = np.bincount(pairs[0], minlength=len(ids)).astype(float)
        hits = np.bincount(pairs[0], weights=reached[pairs[1]].astype(float), minlength=len(ids))
    covered = (
        np.ones(len(ids), dtype=bool)
        if context.startups_area is None
        else shapely.intersects(context.startups_area, geoms)
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.where(covered & (totals > 0), hits / np.where(totals > 0, totals, 1), np.nan)
    return {SHARE_PREFIX + i: float(s) for i, s in zip(ids, shares)}


def compare(context: KpiContext, scenarios: Sequence[ScenarioInput]) -> pd.DataFrame:
    """The KPIs of ``scenarios``, one row each (index: the names), in the given order.

    Returns
    -------
    DataFrame
        :data:`KPI_COLUMNS`, one ``share:<district_id>`` column per district, then one
        ``nearest:<district_id>`` per district.
    """
    rows = [scenario_kpis(context, scenario) for scenario in scenarios]
    table = pd.DataFrame(rows, index=pd.Index([s.name for s in scenarios], name="scenario"))
    shares = [c for c in table.columns if c.startswith(SHARE_PREFIX)]
    nearest = [c for c in table.columns if c.startswith(NEAREST_PREFIX)]
    return table[list(KPI_COLUMNS) + shares + nearest]


def deltas(table: pd.DataFrame) -> pd.DataFrame:
    """Each numeric KPI minus the first scenario's (the first row is all 0; NaN where
    either is unknown); ``best_site`` is left out."""
    text = [c for c in TEXT_COLUMNS if c in table.columns]
    numeric = table.drop(columns=text).apply(pd.to_numeric, errors="coerce")
    return numeric - numeric.iloc[0]


def district_names(context: KpiContext) -> dict[str, dict[str, str]]:
    """``{district_id: {"en": name, "ko": name}}`` of the districts (for the share rows)."""
    districts = context.districts
    if districts is None or "district_id" not in districts.columns:
        return {}
    ids = districts["district_id"].astype(str)
    out = {}
    for language in ("en", "ko"):
        column = next(
            (c for c in (f"name_{language}", "name") if c in districts.columns), "district_id"
        )
        out[language] = dict(zip(ids, districts[column].astype(str)))
    return {i: {"en": out["en"][i], "ko": out["ko"][i]} for i in ids}


__all__ = [
    "HIGHER_IS_BETTER",
    "KPI_COLUMNS",
    "KPI_LABELS",
    "KpiContext",
    "NEAREST_PREFIX",
    "SHARE_PREFIX",
    "ScenarioInput",
    "TEXT_COLUMNS",
    "compare",
    "deltas",
    "district_names",
    "nearest_mean",
    "scenario_inputs",
    "scenario_kpis",
    "startups_in_site_districts",
]
