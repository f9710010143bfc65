"""개발제한구역 (Seoul OA-21123, national LSMD_CONT_UD801, code UDV100) → the greenbelt
restriction overlay of the zoning role. The files share the 용도지역 schemas, so the
reading is :func:`app.core.datasets.zoning.read_zoning`; this module merges a greenbelt
layer with a zoning layer (the zoning role is one layer: its zones plus its overlays).
Qt-free.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from app.core.datasets.zoning import read_zoning

read_greenbelt = read_zoning


def merge_overlay(zoning: gpd.GeoDataFrame, greenbelt: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The zoning layer's zones with the greenbelt's overlay polygons on top.

    Parameters
    ----------
    zoning : GeoDataFrame
        A zoning-role layer (``zone_type``, ``kind``); its own 개발제한구역 rows are
        replaced.
    greenbelt : GeoDataFrame
        A greenbelt layer from :func:`read_greenbelt` (same CRS).

    Returns
    -------
    GeoDataFrame
        Both, the greenbelt rows last (``kind`` = ``overlay``).
    """
    zones = zoning[zoning["zone_type"].astype(str) != "개발제한구역"]
    merged = pd.concat([zones, greenbelt.to_crs(zoning.crs)], ignore_index=True)
    return gpd.GeoDataFrame(merged, geometry=zoning.geometry.name, crs=zoning.crs)


__all__ = ["merge_overlay", "read_greenbelt"]
