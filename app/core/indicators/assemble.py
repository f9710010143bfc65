"""Per-site inputs and outputs of the indicator engine: the radius and per-site columns
read from the sites, the zoning columns made unknown outside the zoning layer's
coverage, and the per-usable-site arrays scattered back to every site with the
documented dtypes (docs/indicators.md).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from app.core.indicators.columns import COLUMNS
from app.core.indicators.site_zoning import SiteZoning


def check_radius(radius: float) -> float:
    """The catchment radius as a float.

    Raises
    ------
    ValueError
        If ``radius`` is negative or not finite.
    """
    radius = float(radius)
    if not np.isfinite(radius) or radius < 0:
        raise ValueError(f"the catchment radius must be a number >= 0, not {radius}")
    return radius


def float_column(frame: pd.DataFrame, name: str) -> np.ndarray:
    """Column ``name`` as floats (NaN where missing or not a number; all NaN without it)."""
    if name not in frame.columns:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def site_radii(sites: gpd.GeoDataFrame, radius: float, site_radius: bool) -> np.ndarray:
    """Each site's R: its own finite ``radius_m`` >= 0 when ``site_radius``, else
    ``radius``."""
    radii = np.full(len(sites), radius)
    if site_radius:
        own = float_column(sites, "radius_m")
        ok = np.isfinite(own) & (own >= 0)
        radii[ok] = own[ok]
    return radii


def zoning_columns(zoning: SiteZoning, share: np.ndarray) -> dict[str, np.ndarray]:
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


def scatter(values: np.ndarray, usable: np.ndarray) -> np.ndarray:
    """Per-usable-site ``values`` at their places among all sites (NaN elsewhere)."""
    full = np.full(len(usable), np.nan)
    full[usable] = values
    return full


_INT_COLUMNS = ("startups_n", "education_n", "stations_n")
_OBJECT_COLUMNS = ("top_sector", "zone_shares", "dominant_zone", "restrictions")


def assemble(columns: dict[str, np.ndarray], usable: np.ndarray, index: pd.Index) -> pd.DataFrame:
    """The output frame: the per-usable-site arrays scattered back to all sites.

    Parameters
    ----------
    columns : dict
        Column name -> per-usable-site values (every name of ``COLUMNS`` but ``score``
        and ``partial``, which ``score_sites`` adds).
    usable : ndarray of bool
        Which sites have a geometry.
    index : Index
        The sites' index.

    Returns
    -------
    DataFrame
        The documented dtypes: counts ``Int64``, ``use_permitted`` ``boolean``, text
        and JSON columns objects (None when unknown), the rest floats.
    """
    data = {}
    for name in COLUMNS:
        if name in ("score", "partial"):  # set by score_sites
            continue
        values = columns[name]
        # arrays, not a Series each: a live drag assembles a one-row table per frame
        if name in _OBJECT_COLUMNS or name == "use_permitted":
            full = np.full(len(usable), None, dtype=object)
            full[usable] = values
            data[name] = (
                pd.array(full, dtype="boolean")
                if name == "use_permitted"
                else pd.Series(full, index=index, dtype=object)  # no text inference
            )
        else:
            full = np.full(len(usable), np.nan)
            full[usable] = np.asarray(values, dtype=float)
            data[name] = pd.array(np.round(full), dtype="Int64") if name in _INT_COLUMNS else full
    return pd.DataFrame(data, index=index)
