"""Edits of the ``sites`` layer: the only code that changes its features.

Undo commands (app/ui/sites/commands.py) call these functions with the before
and after states; each call replaces the layer's data, so the layer emits
``changed(layer, "data")`` and every view (canvas, panel, indicators) reacts.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from app.core.sites.identity import new_site_id
from layers.model import Layer
from layers.themes.sites import COLUMNS, DEFAULT_RADIUS_M, SPEC, empty_sites

EDITABLE = ("name", "notes", "radius_m", "lot_area_m2")


def now_iso() -> str:
    """The current UTC time as ISO 8601 with seconds."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def new_sites_layer(data: gpd.GeoDataFrame | None = None) -> Layer:
    """A ``sites`` layer (empty unless ``data`` is given)."""
    return Layer.from_spec(SPEC, empty_sites() if data is None else normalise_sites(data))


def normalise_sites(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Give a sites table every column of the schema, in schema order and types.

    Other columns (added in QGIS, indicator columns of an export) are kept, unchanged,
    after the schema's: a save writes them back (docs/geopackage.md).
    """
    frame = frame.copy()
    for name, kind in COLUMNS.items():
        if name not in frame:
            frame[name] = pd.Series(
                [None] * len(frame),
                dtype="float64" if kind == "float" else "object",
                index=frame.index,
            )
    for name, kind in COLUMNS.items():
        if kind == "float":
            frame[name] = pd.to_numeric(frame[name], errors="coerce").astype("float64")
        else:
            frame[name] = frame[name].astype("object").where(frame[name].notna(), "")
    geometry = frame.geometry.name
    extra = [c for c in frame.columns if c not in COLUMNS and c != geometry]
    frame = frame[list(COLUMNS) + extra + [geometry]]
    return frame.reset_index(drop=True)


def make_site(
    geometry: BaseGeometry,
    name: str,
    radius_m: float | None = None,
    notes: str = "",
    lot_area_m2: float | None = None,
) -> dict[str, Any]:
    """A new site record (with a fresh ``site_id`` and timestamps).

    ``radius_m`` None (NaN in the table) means the site follows the project radius.
    """
    stamp = now_iso()
    kind = "point" if geometry.geom_type == "Point" else "polygon"
    return {
        "site_id": new_site_id(),
        "name": name,
        "notes": notes,
        "kind": kind,
        "radius_m": float("nan") if radius_m is None else float(radius_m),
        "lot_area_m2": float("nan") if lot_area_m2 is None else float(lot_area_m2),
        "created": stamp,
        "modified": stamp,
        "geometry": geometry,
    }


def effective_radii(layer: Layer, project_radius: float = DEFAULT_RADIUS_M):
    """Each site's catchment radius: its own ``radius_m``, else the project radius."""
    radii = layer.data["radius_m"].to_numpy(dtype=float)
    return np.where(np.isfinite(radii), radii, float(project_radius))


def next_site_name(layer: Layer, prefix: str = "Site") -> str:
    """``"Site N"`` with N one more than the highest number used so far."""
    names = layer.data["name"].astype(str) if len(layer.data) else pd.Series([], dtype=str)
    # Names made in either UI language count: "Site 2" and "후보지 2" are the same name.
    prefixes = "|".join(re.escape(p) for p in dict.fromkeys((prefix, "Site", "후보지")))
    numbers = pd.to_numeric(names.str.extract(rf"^(?:{prefixes}) (\d+)$")[0], errors="coerce")
    return f"{prefix} {int(numbers.max()) + 1 if numbers.notna().any() else 1}"


def row_of(layer: Layer, site_id: str) -> int:
    """Position of ``site_id`` in the layer; KeyError if absent."""
    matches = (layer.data["site_id"] == site_id).to_numpy().nonzero()[0]
    if len(matches) == 0:
        raise KeyError(site_id)
    return int(matches[0])


def record_of(layer: Layer, site_id: str) -> dict[str, Any]:
    """The full record (attributes, those added in other tools too, and geometry)."""
    row = layer.data.iloc[row_of(layer, site_id)]
    geometry = layer.data.geometry.name
    columns = [key for key in layer.data.columns if key != geometry]
    return {key: row[key] for key in columns} | {"geometry": row[geometry]}


def insert_site(layer: Layer, record: dict[str, Any], position: int | None = None) -> None:
    """Add a site (at ``position``, default last)."""
    data = layer.data
    new = gpd.GeoDataFrame(
        [{k: v for k, v in record.items() if k != "geometry"}],
        geometry=[record["geometry"]],
        crs=data.crs,
    )
    new = new.rename_geometry(data.geometry.name) if data.geometry.name != "geometry" else new
    position = len(data) if position is None else position
    frame = pd.concat([data.iloc[:position], new, data.iloc[position:]], ignore_index=True)
    layer.set_data(
        normalise_sites(gpd.GeoDataFrame(frame, geometry=data.geometry.name, crs=data.crs))
    )


def remove_site(layer: Layer, site_id: str) -> tuple[int, dict[str, Any]]:
    """Delete a site; returns its former position and record (for undo)."""
    position = row_of(layer, site_id)
    record = record_of(layer, site_id)
    layer.set_data(layer.data.drop(index=layer.data.index[position]).reset_index(drop=True))
    return position, record


def set_geometry(layer: Layer, site_id: str, geometry: BaseGeometry) -> None:
    """Replace a site's geometry and update ``modified``."""
    data = layer.data.copy()
    row = row_of(layer, site_id)
    data.loc[data.index[row], data.geometry.name] = geometry
    data.loc[data.index[row], "modified"] = now_iso()
    layer.set_data(data)


def set_attributes(layer: Layer, site_id: str, values: dict[str, Any]) -> None:
    """Set editable attributes (name, notes, radius_m, lot_area_m2) of one site."""
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise KeyError(f"not editable: {', '.join(sorted(unknown))}")
    data = layer.data.copy()
    row = data.index[row_of(layer, site_id)]
    for key, value in values.items():
        data.loc[row, key] = value
    data.loc[row, "modified"] = now_iso()
    layer.set_data(data)


def geometry_of(layer: Layer, site_id: str) -> BaseGeometry:
    """The geometry of one site."""
    return layer.data.geometry.iloc[row_of(layer, site_id)]


def site_at(layer: Layer, x: float, y: float, tolerance: float) -> str | None:
    """The id of the topmost (last drawn) site within ``tolerance`` of ``(x, y)``."""
    if len(layer.data) == 0:
        return None
    rows = layer.data.sindex.query(shapely.Point(x, y), predicate="dwithin", distance=tolerance)
    if len(rows) == 0:
        return None
    return str(layer.data["site_id"].iloc[int(max(rows))])
