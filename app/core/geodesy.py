"""Coordinate conversions between the working CRS and longitude/latitude."""

from __future__ import annotations

from functools import lru_cache

from pyproj import Transformer

from layers.model import WORKING_CRS


@lru_cache(maxsize=4)
def _transformer(source: str, target: str) -> Transformer:
    return Transformer.from_crs(source, target, always_xy=True)


def to_lonlat(x, y):
    """EPSG:5186 metres → (longitude, latitude) in degrees (scalars or arrays)."""
    return _transformer(WORKING_CRS, "EPSG:4326").transform(x, y)


def from_lonlat(lon, lat):
    """(longitude, latitude) in degrees → EPSG:5186 metres (scalars or arrays)."""
    return _transformer("EPSG:4326", WORKING_CRS).transform(lon, lat)
