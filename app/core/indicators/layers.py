"""The project's layers made ready for the indicators, once per version of a layer:
reprojected to EPSG:5186, cut to their coverage areas, indexed (an STRtree, or for the
start-ups the exact grid index of app.core.indicators.point_grid) with the start-ups'
sector codes and employees in the index's order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from app.core.indicators.catchment import IndexedLayer
from app.core.indicators.disc_totals import DiscPrefix, exact_sums
from app.core.indicators.point_grid import PointGrid
from layers.model import WORKING_CRS


def to_working_crs(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``frame`` in EPSG:5186 (a frame without CRS is assumed to be in it)."""
    if frame.crs is None or frame.crs.equals(WORKING_CRS):
        return frame
    return frame.to_crs(WORKING_CRS)


def usable(frame: gpd.GeoDataFrame) -> np.ndarray:
    """True where a feature has a geometry that is not empty."""
    geoms = np.asarray(frame.geometry.values, dtype=object)
    return ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))


def index_points(frame: gpd.GeoDataFrame | None) -> IndexedLayer | None:
    """An STRtree over a layer's usable features (None for no layer)."""
    if frame is None:
        return None
    frame = to_working_crs(frame)
    geoms = np.asarray(frame.geometry.values, dtype=object)
    return IndexedLayer.build(geoms[usable(frame)])


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


def sector_codes(values: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Codes into the alphabetical list of sectors (-1 where missing or blank).

    The text is looked at once per distinct value, not once per start-up.
    """
    text = isinstance(values.dtype, pd.StringDtype)  # factorized as it is stored (Arrow)
    codes, uniques = pd.factorize(values if text else values.astype(object), sort=False)
    uniques = np.asarray(uniques, dtype=object)
    keep = np.flatnonzero(np.array([str(u).strip() != "" for u in uniques], dtype=bool))
    ranks, ordered = pd.factorize(pd.Index(uniques[keep], dtype=object), sort=True)
    remap = np.full(len(uniques) + 1, -1, dtype=np.intp)  # the last slot: missing (-1)
    remap[keep] = ranks
    return remap[codes], [str(u) for u in ordered]


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
    def build(
        cls, frame: gpd.GeoDataFrame, *, xy: np.ndarray | None = None, area=None
    ) -> StartupIndex:
        """Index a start-up layer.

        Parameters
        ----------
        frame : GeoDataFrame
            The start-ups (any CRS), with ``sector`` and ``employees`` when known.
        xy : ndarray (n x 2), optional
            Their EPSG:5186 coordinates, when ``frame`` carries no points (see
            ``ReadOptions.make_points``); its geometry is then not looked at.
        area : shapely geometry, optional
            With ``xy``: the coverage area; start-ups outside it are left out.

        Returns
        -------
        StartupIndex
        """
        if xy is not None:
            xy = np.asarray(xy, dtype=float)
            ok = np.isfinite(xy).all(axis=1)
            if area is not None:
                ok &= shapely.intersects_xy(area, xy[:, 0], xy[:, 1])
            everything = bool(ok.all())
            x, y = (xy[:, 0], xy[:, 1]) if everything else (xy[ok, 0], xy[ok, 1])
            return cls._of(frame, ok, everything, PointGrid.build(x, y))
        frame = to_working_crs(frame)
        ok = usable(frame)
        everything = bool(ok.all())
        geoms = np.asarray(frame.geometry.values, dtype=object)
        geoms = geoms if everything else geoms[ok]
        if np.all(shapely.get_type_id(geoms) == 0):
            return cls._of(
                frame, ok, everything, PointGrid.build(shapely.get_x(geoms), shapely.get_y(geoms))
            )
        return cls._of(frame, ok, everything, IndexedLayer.build(geoms))

    @classmethod
    def _of(
        cls, frame: pd.DataFrame, ok: np.ndarray, everything: bool, layer: IndexedLayer | PointGrid
    ) -> StartupIndex:
        """The index of the features ``ok`` of ``frame`` in ``layer``, with their values."""
        arrange: Callable[[np.ndarray], np.ndarray] = (
            layer.sorted_values if isinstance(layer, PointGrid) else np.asarray
        )
        sectors = codes = totals = employees = None
        if "sector" in frame.columns:
            raw = frame["sector"] if everything else frame["sector"][ok]
            codes_, sectors = sector_codes(raw)
            codes = arrange(codes_)
            totals = np.bincount(codes[codes >= 0], minlength=len(sectors))
        if "employees" in frame.columns:
            raw = frame["employees"] if everything else frame["employees"][ok]
            employees = arrange(
                pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
            )
        return cls(layer, sectors, codes, totals, employees)

    @cached_property
    def prefix(self) -> DiscPrefix | None:
        """Prefix sums for :func:`~app.core.indicators.disc_totals.disc_totals` (point
        sites over the grid); None when the layer is no grid or the employees are not
        whole numbers (their sums are then summed from the pairs, in one order)."""
        if not isinstance(self.layer, PointGrid) or not exact_sums(self.employees):
            return None
        return DiscPrefix.of(self.employees, self.sector_codes, len(self.sectors or ()))
