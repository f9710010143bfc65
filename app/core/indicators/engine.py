"""Cluster indicators for candidate sites: every per-site column of docs/indicators.md.

One vectorised pass per layer: an index query with a distance predicate gives (site,
feature) pairs (an STRtree ``dwithin`` query; for the start-ups, a layer of many
points, the exact grid index of app.core.indicators.point_grid, which returns the same pairs
several times faster), numpy ``bincount`` turns them into counts, sums and sector
matrices; nearest
distances come from ``query_nearest``; zoning from one ``intersection`` over the
(site, zone) pairs (app.core.indicators.site_zoning). Nothing loops over features or pairs.

Radius: ``radius`` is the project's R (default 800 m). With ``site_radius=True`` a
site's own ``radius_m`` overrides it where that value is a finite number >= 0; an empty
(NaN) ``radius_m`` means "use the project's R".

Coverage (docs/indicators.md, Coverage areas): each layer family (start-ups,
education, stations, zoning) may speak for only part of the map, its coverage area
(app.core.project.coverage). Features outside it are ignored (zone polygons are cut
to it); ``<family>_coverage`` is the share of a site's catchment inside it (zoning: of
the site itself). At share 0 the family's values are unknown (NaN/None), never 0;
between 0 and 1 they are computed from the covered part and the site is ``partial``
when the score uses that family.

Inputs in any CRS are reprojected to EPSG:5186 (a frame without CRS is taken to be in
EPSG:5186 already, as every layer of the app is). A missing layer (None) or column
gives NaN/None for the indicators that need it, never an error.

For repeated queries (a dragged site, a changed radius) build an
:class:`IndicatorEngine` once and call :meth:`IndicatorEngine.compute`: the layers'
trees are then built only once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Protocol

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from app.core.indicators import catchment
from app.core.indicators.catchment import IndexedLayer, coverage_share, is_polygonal
from app.core.indicators.point_grid import PointGrid
from app.core.indicators.score import FAMILIES, References, Weights, score_sites
from app.core.indicators.sector_mix import sector_mix
from app.core.indicators.site_zoning import IndexedZoning, SiteZoning, site_zoning
from app.core.progress import Progress
from app.core.zoning.rules import DEFAULT_USE_CLASSES, ZoningRules
from layers.model import WORKING_CRS
from layers.themes.sites import DEFAULT_RADIUS_M

#: The per-site columns of docs/indicators.md, in order (the contract).
COLUMNS: tuple[str, ...] = (
    "startups_n",
    "startups_per_km2",
    "employees_sum",
    "sector_shannon",
    "sector_evenness",
    "sector_hhi",
    "top_sector",
    "top_sector_lq",
    "education_n",
    "education_nearest_m",
    "stations_n",
    "station_nearest_m",
    "startups_coverage",
    "education_coverage",
    "stations_coverage",
    "site_area_m2",
    "zone_shares",
    "zoning_coverage",
    "dominant_zone",
    "use_permitted",
    "restrictions",
    "max_footprint_m2",
    "max_gfa_m2",
    "partial",
    "score",
)
#: Layer family -> its coverage share column (zoning keeps its polygon-based column).
COVERAGE_COLUMNS: dict[str, str] = {
    "startups": "startups_coverage",
    "education": "education_coverage",
    "stations": "stations_coverage",
    "zoning": "zoning_coverage",
}
#: One-line definitions (for tooltips and the CLI's --help).
DEFINITIONS = {
    "startups_n": "start-ups within R of the site (boundary counts)",
    "startups_per_km2": "startups_n / catchment area (buffer of the site by R), per km²",
    "employees_sum": "sum of employees of those start-ups (missing values count 0)",
    "sector_shannon": "Shannon entropy H = -Σ p_k ln p_k of the sectors in the catchment",
    "sector_evenness": "H / ln S, S = sectors in the whole start-up layer",
    "sector_hhi": "Herfindahl index Σ p_k² (0..1)",
    "top_sector": "sector with the most start-ups in the catchment (ties alphabetical)",
    "top_sector_lq": "location quotient (n_k/n) / (N_k/N) of the top sector",
    "education_n": "universities and colleges within R",
    "education_nearest_m": "distance to the nearest university or college (m)",
    "stations_n": "stations within R",
    "station_nearest_m": "distance to the nearest station (m)",
    "startups_coverage": (
        "share (0–1) of the catchment inside the start-up layer's coverage area; "
        "0: start-up values unknown"
    ),
    "education_coverage": (
        "share (0–1) of the catchment inside the university layer's coverage area; "
        "0: education values unknown"
    ),
    "stations_coverage": (
        "share (0–1) of the catchment inside the station layer's coverage area; "
        "0: station values unknown"
    ),
    "site_area_m2": "site polygon area; lot_area_m2 for a point site",
    "zone_shares": "share of the site area in each zone type (JSON)",
    "zoning_coverage": (
        "share of the site area covered by zoning data, within the zoning layer's "
        "coverage area (point site: 1 or 0)"
    ),
    "dominant_zone": "zone type with the largest share",
    "use_permitted": (
        "every zone under the site permits 교육연구시설 or 업무시설 (○); "
        "unknown below 99 % zoning coverage unless a zone forbids it"
    ),
    "restrictions": "restriction overlays the site touches",
    "max_footprint_m2": "Σ area in zone × Seoul BCR; 0 in greenbelt",
    "max_gfa_m2": "Σ area in zone × Seoul FAR; 0 in greenbelt, capped by height limits",
    "partial": (
        "a layer the score uses covers only part of the catchment (share < 1): "
        "ranked after the complete sites"
    ),
    "score": "composite score 0–100 (weighted criteria, see the breakdown)",
}


class DistanceProvider(Protocol):
    """A hook that answers "within R" and "nearest" by another distance than the
    straight line: ``wrap`` returns, for an indexed layer, an object with the same feature
    order, ``len()``, ``pairs_within(sites, radii)`` and ``nearest_distances(sites)``."""

    def wrap(self, family: str, layer: Any) -> Any: ...


def to_working_crs(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``frame`` in EPSG:5186 (a frame without CRS is assumed to be in it)."""
    if frame.crs is None or frame.crs.equals(WORKING_CRS):
        return frame
    return frame.to_crs(WORKING_CRS)


def _usable(frame: gpd.GeoDataFrame) -> np.ndarray:
    geoms = np.asarray(frame.geometry.values, dtype=object)
    return ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))


def _index_points(frame: gpd.GeoDataFrame | None) -> IndexedLayer | None:
    if frame is None:
        return None
    frame = to_working_crs(frame)
    geoms = np.asarray(frame.geometry.values, dtype=object)
    return IndexedLayer.build(geoms[_usable(frame)])


@dataclass(frozen=True)
class StartupIndex:
    """The start-up layer indexed once: spatial index, sector codes and employees.

    A layer of points (the normal case) gets the exact grid index
    (:class:`~app.core.indicators.point_grid.PointGrid`) and its per-point arrays are stored in
    the grid's order; any other layer an STRtree.
    """

    layer: IndexedLayer | PointGrid
    sectors: list[str] | None  # alphabetical; None without a ``sector`` column
    sector_codes: np.ndarray | None  # -1 where the sector is missing
    sector_totals: np.ndarray | None
    employees: np.ndarray | None  # float, NaN where missing; None without the column

    @classmethod
    def build(cls, frame: gpd.GeoDataFrame) -> StartupIndex:
        """Index a start-up layer (any CRS)."""
        frame = to_working_crs(frame)
        usable = _usable(frame)
        geoms = np.asarray(frame.geometry.values, dtype=object)[usable]
        if np.all(shapely.get_type_id(geoms) == 0):
            x, y = shapely.get_x(geoms), shapely.get_y(geoms)
            grid = PointGrid.build(x, y)
            layer: PointGrid | IndexedLayer = grid
            arrange: Callable[[np.ndarray], np.ndarray] = grid.sorted_values
        else:
            layer = IndexedLayer.build(geoms)
            arrange = np.asarray
        sectors = codes = totals = employees = None
        if "sector" in frame.columns:
            raw = frame["sector"][usable]
            raw = raw.where(raw.notna() & (raw.astype(str).str.strip() != ""))
            codes_, uniques = pd.factorize(raw.astype(object), sort=True)
            sectors = [str(u) for u in uniques]
            codes = arrange(codes_.astype(np.intp))
            totals = np.bincount(codes[codes >= 0], minlength=len(sectors))
        if "employees" in frame.columns:
            employees = arrange(
                pd.to_numeric(frame["employees"][usable], errors="coerce").to_numpy(
                    dtype=float, na_value=np.nan
                )
            )
        return cls(layer, sectors, codes, totals, employees)


class IndicatorEngine:
    """The project's layers, indexed once, and the rules; computes indicators for sites.

    Parameters
    ----------
    startups, education, stations, zoning : GeoDataFrame or None
        The project's layers in any CRS; None for a layer that is absent.
    rules : ZoningRules, optional
        Zoning rules with the project's overrides (default: the shipped tables).
    use_classes : iterable of str
        The centre's use classes for ``use_permitted``.
    coverage : mapping, optional
        ``{family: covered area (EPSG:5186) or None}`` for the families ``startups``,
        ``education``, ``stations`` and ``zoning``
        (:func:`app.core.project.coverage.role_coverages`); a missing key or None
        means the whole map. Features outside a family's area are ignored.
    distances : DistanceProvider, optional
        Replaces straight-line distance for "within R" and "nearest" (e.g. walking
        distance, :class:`app.core.network.catchment.WalkingDistances`); None: circles.
    """

    def __init__(
        self,
        startups: gpd.GeoDataFrame | None,
        education: gpd.GeoDataFrame | None,
        stations: gpd.GeoDataFrame | None,
        zoning: gpd.GeoDataFrame | None,
        rules: ZoningRules | None = None,
        use_classes: Iterable[str] = DEFAULT_USE_CLASSES,
        coverage: Mapping[str, shapely.Geometry | None] | None = None,
        *,
        distances: DistanceProvider | None = None,
    ) -> None:
        self.rules = rules or ZoningRules.default()
        self.use_classes = tuple(use_classes)
        self.coverage: dict[str, shapely.Geometry | None] = {
            family: (coverage or {}).get(family) for family in FAMILIES
        }
        self._present = {
            "startups": startups is not None,
            "education": education is not None,
            "stations": stations is not None,
            "zoning": zoning is not None,
        }
        self.startups = (
            None
            if startups is None
            else StartupIndex.build(features_inside(startups, self.coverage["startups"]))
        )
        self.education = _index_points(features_inside(education, self.coverage["education"]))
        self.stations = _index_points(features_inside(stations, self.coverage["stations"]))
        self._zoning_frame = (
            None if zoning is None else clip_zoning(zoning, self.coverage["zoning"])
        )
        self.zoning = self._index_zoning()
        if distances is not None:  # e.g. walking distance (app.core.network.catchment)
            if self.startups is not None:
                self.startups = replace(
                    self.startups, layer=distances.wrap("startups", self.startups.layer)
                )
            if self.education is not None:
                self.education = distances.wrap("education", self.education)
            if self.stations is not None:
                self.stations = distances.wrap("stations", self.stations)

    def _index_zoning(self) -> IndexedZoning | None:
        if self._zoning_frame is None:
            return None
        return IndexedZoning.from_frame(self._zoning_frame, self.rules)

    def set_rules(self, rules: ZoningRules) -> None:
        """Use other rules (e.g. after the user overrides a permission cell)."""
        self.rules = rules
        self.zoning = self._index_zoning()

    def compute(
        self,
        sites: gpd.GeoDataFrame,
        radius: float = DEFAULT_RADIUS_M,
        *,
        site_radius: bool = True,
        weights: Weights | None = None,
        references: References | None = None,
        progress: Progress | None = None,
    ) -> pd.DataFrame:
        """Indicators of every site (see :func:`compute_indicators`)."""
        radius = _check_radius(radius)
        report = progress or (lambda fraction, message: None)
        sites = to_working_crs(sites)
        n_all = len(sites)
        usable = _usable(sites) if n_all else np.zeros(0, bool)
        geoms = np.asarray(sites.geometry.values, dtype=object)[usable]
        invalid = ~shapely.is_valid(geoms)
        if invalid.any():
            geoms = geoms.copy()
            geoms[invalid] = shapely.make_valid(geoms[invalid])
        radii = _site_radii(sites, radius, site_radius)[usable]
        lot_area = _float_column(sites, "lot_area_m2")[usable]
        n = len(geoms)
        polygonal = is_polygonal(geoms)
        out: dict[str, np.ndarray] = {}

        area_km2 = catchment.catchment_area_km2(geoms, radii)
        shares = self._shares(geoms, radii)
        for family in ("startups", "education", "stations"):
            out[COVERAGE_COLUMNS[family]] = shares[family]
        out.update(self._startup_columns(geoms, radii, area_km2, shares["startups"]))
        report(0.4, "startups")
        for name, layer, count_col, nearest_col in (
            ("education", self.education, "education_n", "education_nearest_m"),
            ("stations", self.stations, "stations_n", "station_nearest_m"),
        ):
            if layer is None:
                out[count_col] = np.full(n, np.nan)
                out[nearest_col] = np.full(n, np.nan)
            else:
                pairs = catchment.catchment_pairs(geoms, radii, layer)
                outside = shares[name] == 0  # unknown, never 0
                out[count_col] = np.where(
                    outside, np.nan, catchment.catchment_counts(pairs, n).astype(float)
                )
                out[nearest_col] = np.where(
                    outside, np.nan, catchment.nearest_distances(geoms, layer)
                )
            report(0.6 if name == "education" else 0.7, name)

        out["site_area_m2"] = np.where(polygonal, shapely.area(geoms), lot_area)
        zoning = (
            site_zoning(geoms, lot_area, self.zoning, self.rules, self.use_classes)
            if n
            else SiteZoning.empty(0)
        )
        out.update(_zoning_columns(zoning, shares["zoning"]))
        report(0.9, "zoning")

        frame = _assemble(out, usable, sites.index)
        family_shares = {
            family: _scatter(shares[family], usable) for family in FAMILIES
        }  # zoning: the share of the site inside the zoning layer's coverage area
        # one basis for every site (docs/indicators.md)
        score_sites(frame, weights, references, shares=family_shares)
        report(1.0, "score")
        return frame[list(COLUMNS)]

    def _shares(self, geoms: np.ndarray, radii: np.ndarray) -> dict[str, np.ndarray]:
        """Per family, the share of each site's catchment (zoning: of the site) inside
        the family's coverage area; NaN where the family's layer is absent."""
        n = len(geoms)
        catchments = None
        out: dict[str, np.ndarray] = {}
        for family in FAMILIES:
            area = self.coverage[family]
            if not self._present[family]:
                out[family] = np.full(n, np.nan)
            elif area is None or n == 0:
                out[family] = np.ones(n)
            elif family == "zoning":
                out[family] = coverage_share(geoms, area)
            else:
                if catchments is None:
                    catchments = _catchments(geoms, radii)
                out[family] = coverage_share(catchments, area)
        return out

    def _startup_columns(
        self, geoms: np.ndarray, radii: np.ndarray, area_km2: np.ndarray, share: np.ndarray
    ) -> dict[str, np.ndarray]:
        columns = self._startup_values(geoms, radii, area_km2, share)
        outside = share == 0  # outside the coverage: unknown, never 0
        if outside.any():
            for name, values in columns.items():
                values = values.astype(object if values.dtype == object else float)
                values[outside] = None if values.dtype == object else np.nan
                columns[name] = values
        return columns

    def _startup_values(
        self, geoms: np.ndarray, radii: np.ndarray, area_km2: np.ndarray, share: np.ndarray
    ) -> dict[str, np.ndarray]:
        n = len(geoms)
        nan = np.full(n, np.nan)
        none = np.full(n, None, dtype=object)
        if self.startups is None:
            return dict(
                startups_n=nan,
                startups_per_km2=nan,
                employees_sum=nan,
                sector_shannon=nan,
                sector_evenness=nan,
                sector_hhi=nan,
                top_sector=none,
                top_sector_lq=nan,
            )
        index = self.startups
        pairs = catchment.catchment_pairs(geoms, radii, index.layer)
        count = catchment.catchment_counts(pairs, n)
        covered_km2 = area_km2 * np.where(np.isfinite(share), share, 1.0)  # the covered part
        with np.errstate(invalid="ignore", divide="ignore"):
            density = np.where(covered_km2 > 0, count / covered_km2, np.nan)
        columns = dict(
            startups_n=count,
            startups_per_km2=density,
            employees_sum=nan
            if index.employees is None
            else catchment.catchment_sums(pairs, n, index.employees),
        )
        if index.sectors is None or index.sector_codes is None or index.sector_totals is None:
            columns.update(
                sector_shannon=nan,
                sector_evenness=nan,
                sector_hhi=nan,
                top_sector=none,
                top_sector_lq=nan,
            )
            return columns
        counts = catchment.catchment_category_counts(
            pairs, n, index.sector_codes, len(index.sectors)
        )
        mix = sector_mix(counts, index.sectors, index.sector_totals)
        columns.update(
            sector_shannon=mix.shannon,
            sector_evenness=mix.evenness,
            sector_hhi=mix.hhi,
            top_sector=mix.top_sector,
            top_sector_lq=mix.top_sector_lq,
        )
        return columns


def compute_indicators(
    sites: gpd.GeoDataFrame,
    startups: gpd.GeoDataFrame | None,
    education: gpd.GeoDataFrame | None,
    stations: gpd.GeoDataFrame | None,
    zoning: gpd.GeoDataFrame | None,
    radius: float = DEFAULT_RADIUS_M,
    rules: ZoningRules | None = None,
    weights: Weights | None = None,
    progress: Progress | None = None,
    *,
    site_radius: bool = True,
    references: References | None = None,
    use_classes: Iterable[str] = DEFAULT_USE_CLASSES,
    coverage: Mapping[str, shapely.Geometry | None] | None = None,
    distances: DistanceProvider | None = None,
) -> pd.DataFrame:
    """Every per-site indicator of docs/indicators.md.

    Parameters
    ----------
    sites : GeoDataFrame
        Candidate sites, points and/or polygons, any CRS. Optional columns:
        ``radius_m`` (per-site R) and ``lot_area_m2`` (area of a point site).
    startups, education, stations, zoning : GeoDataFrame or None
        The project's layers (any CRS). Start-ups may lack ``sector`` or
        ``employees``; zoning needs ``zone_type`` and uses ``kind`` and
        ``max_height_m`` when present. None or a missing column gives NaN/None for
        the affected indicators.
    radius : float
        The project's catchment radius R in metres (>= 0).
    rules : ZoningRules, optional
        Zoning rules with the project's overrides (default: the shipped tables).
    weights : Weights, optional
        Score weights (default: :class:`~app.core.indicators.score.Weights`).
    progress : callable, optional
        ``progress(fraction, message)`` after each layer.
    site_radius : bool
        Use each site's finite ``radius_m`` instead of ``radius`` (default True).
    references : References, optional
        Reference values of the score transforms.
    use_classes : iterable of str
        The centre's use classes (default 교육연구시설 and 업무시설).
    coverage : mapping, optional
        ``{family: covered area or None}`` (see :class:`IndicatorEngine`); default:
        every layer covers the whole map.
    distances : DistanceProvider, optional
        Another distance than the straight line (see :class:`IndicatorEngine`).

    Returns
    -------
    DataFrame
        Exactly the columns :data:`COLUMNS`, one row per site, the index of ``sites``.
        Counts are nullable integers, ``use_permitted`` nullable boolean,
        ``top_sector``/``zone_shares``/``dominant_zone``/``restrictions`` objects
        (None when unknown), ``partial`` boolean. Sites without geometry get an
        all-empty row.

    Raises
    ------
    ValueError
        If ``radius`` is negative or not finite.
    """
    engine = IndicatorEngine(
        startups,
        education,
        stations,
        zoning,
        rules,
        use_classes,
        coverage=coverage,
        distances=distances,
    )
    return engine.compute(
        sites,
        radius,
        site_radius=site_radius,
        weights=weights,
        references=references,
        progress=progress,
    )


def _check_radius(radius: float) -> float:
    radius = float(radius)
    if not np.isfinite(radius) or radius < 0:
        raise ValueError(f"the catchment radius must be a number >= 0, not {radius}")
    return radius


def _float_column(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name not in frame.columns:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _site_radii(sites: gpd.GeoDataFrame, radius: float, site_radius: bool) -> np.ndarray:
    radii = np.full(len(sites), radius)
    if site_radius:
        own = _float_column(sites, "radius_m")
        ok = np.isfinite(own) & (own >= 0)
        radii[ok] = own[ok]
    return radii


def features_inside(frame: gpd.GeoDataFrame | None, area) -> gpd.GeoDataFrame | None:
    """``frame`` in EPSG:5186 with only the features that touch ``area`` (None: all).

    A layer speaks only for its coverage area: features outside it do not count.
    """
    if frame is None:
        return None
    frame = to_working_crs(frame)
    if area is None:
        return frame
    geoms = np.asarray(frame.geometry.values, dtype=object)
    keep = ~shapely.is_missing(geoms) & shapely.intersects(area, geoms)
    return frame[keep]


def clip_zoning(frame: gpd.GeoDataFrame, area) -> gpd.GeoDataFrame:
    """Zoning in EPSG:5186 cut to ``area`` (None: unchanged).

    Where a zone is drawn outside the layer's coverage area it does not count.
    """
    frame = features_inside(frame, area)
    assert frame is not None
    if area is None or len(frame) == 0:
        return frame
    geoms = np.asarray(frame.geometry.values, dtype=object)
    cut = ~shapely.contains(area, geoms)
    if cut.any():
        geoms = geoms.copy()
        geoms[cut] = shapely.intersection(geoms[cut], area)
        frame = frame.copy()
        frame[frame.geometry.name] = geoms
        frame = frame[~shapely.is_empty(geoms) & (shapely.get_dimensions(geoms) == 2)]
    return frame


def _catchments(geoms: np.ndarray, radii: np.ndarray) -> np.ndarray:
    """The sites buffered by their R (as the catchment area); a site itself at R = 0."""
    out = np.asarray(geoms, dtype=object).copy()
    wide = radii > 0
    if wide.any():
        out[wide] = shapely.buffer(geoms[wide], radii[wide], quad_segs=16)
        vanished = shapely.is_empty(out) | (shapely.area(out) <= 0)  # an R too small for GEOS
        out[vanished] = geoms[vanished]
    return out


def _zoning_columns(zoning: SiteZoning, share: np.ndarray) -> dict[str, np.ndarray]:
    """The zoning columns, unknown outside the zoning layer's coverage area (share 0);
    ``zoning_coverage`` is at most the site's share inside that area."""
    columns: dict[str, np.ndarray] = dict(
        zone_shares=zoning.zone_shares,
        zoning_coverage=zoning.zoning_coverage,
        dominant_zone=zoning.dominant_zone,
        use_permitted=zoning.use_permitted,
        restrictions=zoning.restrictions,
        max_footprint_m2=zoning.max_footprint_m2,
        max_gfa_m2=zoning.max_gfa_m2,
    )
    known = np.isfinite(share)
    if not known.any():
        return columns
    coverage = np.asarray(zoning.zoning_coverage, dtype=float)
    columns["zoning_coverage"] = np.where(
        np.isfinite(coverage) & known, np.minimum(coverage, np.where(known, share, 1.0)), coverage
    )
    outside = known & (share == 0)
    if outside.any():
        for name in ("zone_shares", "dominant_zone", "use_permitted", "restrictions"):
            values = np.asarray(columns[name], dtype=object).copy()
            values[outside] = None
            columns[name] = values
        for name in ("max_footprint_m2", "max_gfa_m2"):
            columns[name] = np.where(outside, np.nan, np.asarray(columns[name], dtype=float))
    return columns


def _scatter(values: np.ndarray, usable: np.ndarray) -> np.ndarray:
    full = np.full(len(usable), np.nan)
    full[usable] = values
    return full


_INT_COLUMNS = ("startups_n", "education_n", "stations_n")
_OBJECT_COLUMNS = ("top_sector", "zone_shares", "dominant_zone", "restrictions")


def _assemble(columns: dict[str, np.ndarray], usable: np.ndarray, index: pd.Index) -> pd.DataFrame:
    """Scatter the per-usable-site arrays back to all sites, with the column dtypes."""
    data = {}
    for name in COLUMNS:
        if name in ("score", "partial"):  # set by score_sites
            continue
        values = columns[name]
        if name in _OBJECT_COLUMNS or name == "use_permitted":
            full = np.full(len(usable), None, dtype=object)
            full[usable] = values
            series = pd.Series(full, index=index, dtype=object)
            if name == "use_permitted":
                series = series.astype("boolean")
        else:
            full = np.full(len(usable), np.nan)
            full[usable] = np.asarray(values, dtype=float)
            series = pd.Series(full, index=index)
            if name in _INT_COLUMNS:
                series = series.round().astype("Int64")
        data[name] = series
    return pd.DataFrame(data, index=index)
