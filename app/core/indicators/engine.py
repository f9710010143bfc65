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

Memory stays bounded: sites are computed in blocks of :data:`SITE_BLOCK`, and within a
block the (site, feature) pairs in chunks (app.core.indicators.within); only the
score, which compares every site, sees them all. The modules: columns (the contract),
layers (layer preparation and indexes), within (catchment totals in chunks), assemble
(per-site inputs, the output frame); this one ties them together.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any, Protocol

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from app.core.indicators import catchment
from app.core.indicators.assemble import (
    assemble,
    check_radius,
    float_column,
    scatter,
    site_radii,
    zoning_columns,
)
from app.core.indicators.catchment import coverage_share, is_polygonal
from app.core.indicators.columns import COLUMNS, COVERAGE_COLUMNS, DEFINITIONS
from app.core.indicators.heap import keep_freed_memory
from app.core.indicators.layers import (
    StartupIndex,
    clip_zoning,
    features_inside,
    index_points,
    to_working_crs,
    usable,
)
from app.core.indicators.score import FAMILIES, References, Weights, score_sites
from app.core.indicators.sector_mix import sector_mix
from app.core.indicators.site_zoning import IndexedZoning, SiteZoning, site_zoning
from app.core.indicators.within import catchment_totals
from app.core.progress import Progress
from app.core.zoning.rules import DEFAULT_USE_CLASSES, ZoningRules
from layers.themes.sites import DEFAULT_RADIUS_M

__all__ = [
    "COLUMNS",
    "COVERAGE_COLUMNS",
    "DEFINITIONS",
    "IndicatorEngine",
    "StartupIndex",
    "clip_zoning",
    "compute_indicators",
    "features_inside",
    "to_working_crs",
]


class DistanceProvider(Protocol):
    """A hook that answers "within R" and "nearest" by another distance than the
    straight line: ``wrap`` returns, for an indexed layer, an object with the same feature
    order, ``len()``, ``pairs_within(sites, radii)`` and ``nearest_distances(sites)``."""

    def wrap(self, family: str, layer: Any) -> Any: ...

    def off_sites(self, sites: np.ndarray) -> np.ndarray:
        """True for each site the distance cannot start from (e.g. off the network)."""
        ...


#: Sites computed at once (their catchments, zoning overlay and columns).
SITE_BLOCK = 20_000


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
    startup_xy : ndarray (n x 2), optional
        The start-ups' EPSG:5186 coordinates when ``startups`` carries no points (read
        with ``ReadOptions(make_points=False)``); its geometry is then not looked at.
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
        startup_xy: np.ndarray | None = None,
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
        if startups is None:
            self.startups = None
        elif startup_xy is not None:
            self.startups = StartupIndex.build(
                startups, xy=startup_xy, area=self.coverage["startups"]
            )
        else:
            self.startups = StartupIndex.build(features_inside(startups, self.coverage["startups"]))
        self.education = index_points(features_inside(education, self.coverage["education"]))
        self.stations = index_points(features_inside(stations, self.coverage["stations"]))
        self._zoning_frame = (
            None if zoning is None else clip_zoning(zoning, self.coverage["zoning"])
        )
        self.zoning = self._index_zoning()
        self.distances = distances
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
        radius = check_radius(radius)
        report = progress or (lambda fraction, message: None)
        sites = to_working_crs(sites)
        n_all = len(sites)
        ok = usable(sites) if n_all else np.zeros(0, bool)
        geoms = np.asarray(sites.geometry.values, dtype=object)[ok]
        radii = site_radii(sites, radius, site_radius)[ok]
        lot_area = float_column(sites, "lot_area_m2")[ok]
        n = len(geoms)
        if n >= 1_000:  # the chunks reuse freed memory, not fresh pages (heap.py)
            keep_freed_memory()
        blocks = [slice(start, min(start + SITE_BLOCK, n)) for start in range(0, n, SITE_BLOCK)]
        parts = []
        for number, block in enumerate(blocks or [slice(0, 0)]):
            done = number / max(len(blocks), 1)
            step = 1 / max(len(blocks), 1)
            parts.append(
                self._block(
                    geoms[block],
                    radii[block],
                    lot_area[block],
                    lambda f, m, done=done, step=step: report(done + f * step, m),
                )
            )
        out = {
            name: np.concatenate([part[name] for part in parts]) if len(parts) > 1 else values
            for name, values in parts[0].items()
        }
        frame = assemble(out, ok, sites.index)
        family_shares = {
            family: scatter(out[f"_share_{family}"], ok) for family in FAMILIES
        }  # zoning: the share of the site inside the zoning layer's coverage area
        # one basis for every site (docs/indicators.md)
        score_sites(frame, weights, references, shares=family_shares)
        report(1.0, "score")
        return frame[list(COLUMNS)]

    def _block(
        self,
        geoms: np.ndarray,
        radii: np.ndarray,
        lot_area: np.ndarray,
        report,
    ) -> dict[str, np.ndarray]:
        """The indicator columns (and ``_share_<family>``) of one block of usable sites,
        before scoring."""
        invalid = ~shapely.is_valid(geoms)
        if invalid.any():
            geoms = geoms.copy()
            geoms[invalid] = shapely.make_valid(geoms[invalid])
        n = len(geoms)
        polygonal = is_polygonal(geoms)
        out: dict[str, np.ndarray] = {}

        area_km2 = catchment.catchment_area_km2(geoms, radii)
        shares = self._shares(geoms, radii)
        if self.distances is not None and n:  # a site off the network: unknown, never 0
            off = self.distances.off_sites(geoms)
            for family in ("startups", "education", "stations"):
                shares[family] = np.where(off, 0.0, shares[family])
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
                count = catchment_totals(geoms, radii, layer).count
                outside = shares[name] == 0  # unknown, never 0
                out[count_col] = np.where(outside, np.nan, count.astype(float))
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
        out.update(zoning_columns(zoning, shares["zoning"]))
        for family in FAMILIES:
            out[f"_share_{family}"] = shares[family]
        report(0.9, "zoning")
        return out

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
                    catchments = catchment.catchment_discs(geoms, radii)
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
        with_sectors = not (
            index.sectors is None or index.sector_codes is None or index.sector_totals is None
        )
        totals = catchment_totals(
            geoms,
            radii,
            index.layer,
            values=index.employees,
            codes=index.sector_codes if with_sectors else None,
            n_categories=len(index.sectors or ()),
            prefix=index.prefix,
        )
        count = totals.count
        covered_km2 = area_km2 * np.where(np.isfinite(share), share, 1.0)  # the covered part
        with np.errstate(invalid="ignore", divide="ignore"):
            density = np.where(covered_km2 > 0, count / covered_km2, np.nan)
        columns = dict(
            startups_n=count,
            startups_per_km2=density,
            employees_sum=nan if totals.sums is None else totals.sums,
        )
        if not with_sectors or totals.categories is None:
            columns.update(
                sector_shannon=nan,
                sector_evenness=nan,
                sector_hhi=nan,
                top_sector=none,
                top_sector_lq=nan,
            )
            return columns
        assert index.sectors is not None and index.sector_totals is not None
        counts = totals.categories
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
    startup_xy: np.ndarray | None = None,
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
    startup_xy : ndarray (n x 2), optional
        The start-ups' EPSG:5186 coordinates when ``startups`` carries no points (see
        :class:`IndicatorEngine`).

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
        startup_xy=startup_xy,
    )
    return engine.compute(
        sites,
        radius,
        site_radius=site_radius,
        weights=weights,
        references=references,
        progress=progress,
    )
