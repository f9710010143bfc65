"""How the one in-app ``sites`` layer is stored: one table per geometry type.

In the app, ``sites`` is a single layer of points and polygons. Every GeoPackage the app
writes (project save and export) holds it as two tables with one geometry type each
(docs/geopackage.md, "Sites: tables and identity"):

- ``sites_points``: ``POINT`` (``MULTIPOINT`` when some site is a multipoint);
- ``sites_areas``: ``MULTIPOLYGON`` (single polygons are written as one-part
  multipolygons, the type ArcGIS and Shapefile use).

Both tables are always written (empty ones too, so a QGIS user can draw into either). A
site's ``fid`` is its position in the layer (from 1) across both tables, so loading merges
them back in the layer's order. Loading reads the two tables (or, from a project written
before, the mixed ``sites`` table, which the next save replaces), turns one-part
multi-geometries back into single ones, gives ``created``/``modified`` back as ISO text
(stored as ``DATETIME``) and repairs identities (:mod:`app.core.sites.identity`).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from app.core.project.kept_rows import KeptRows, kept_note, kept_rows, write_kept_rows
from app.core.project.loader import read_layer, table_origin
from app.core.project.origins import Origin
from app.core.project.scenario_store import attach, read_scenarios_table, split_scenarios
from app.core.sites.edits import new_sites_layer
from app.core.sites.identity import repair_identity
from layers.model import Layer
from layers.themes.sites import AREAS_TABLE, LEGACY_TABLE, POINTS_TABLE, SITE_TABLES
from layers.themes.sites import SPEC as SITES_SPEC

#: Columns written as GeoPackage DATETIME (ISO 8601 text in the app).
DATETIME_COLUMNS = ("created", "modified")
#: Titles of the two tables (metadata, SLD, README): (English, Korean).
TABLE_TITLES = {
    POINTS_TABLE: ("Candidate sites (points)", "후보지 (점)"),
    AREAS_TABLE: ("Candidate sites (areas)", "후보지 (면)"),
}

#: Unreadable rows of each site table, kept with the sites layer and written back.
_KEPT: weakref.WeakKeyDictionary[Layer, dict[str, KeptRows]] = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class SiteTable:
    """One stored table of the sites: name, features and GeoPackage geometry type."""

    name: str
    frame: gpd.GeoDataFrame
    geometry_type: str


def table_names(layer_name: str) -> tuple[str, ...]:
    """The tables a layer is stored in: :data:`SITE_TABLES` for ``sites``, else its name."""
    return SITE_TABLES if layer_name == LEGACY_TABLE else (layer_name,)


def table_layers(layer: Layer) -> list[tuple[str, Layer]]:
    """``(table, layer)`` per stored table: the sites layer as a point and a polygon layer
    (for their styles, metadata and provenance rows), any other layer as itself."""
    if layer.name != LEGACY_TABLE:
        return [(layer.name, layer)]
    return [
        (
            table,
            replace(
                layer,
                name=table,
                geometry_kind="point" if table == POINTS_TABLE else "polygon",
                title_en=TABLE_TITLES[table][0],
                title_ko=TABLE_TITLES[table][1],
            ),
        )
        for table in SITE_TABLES
    ]


def stored_types(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``created``/``modified`` as UTC datetimes (GeoPackage DATETIME); unreadable → NULL."""
    frame = frame.copy()
    for column in DATETIME_COLUMNS:
        if column in frame:
            text = frame[column].astype(object).where(frame[column].notna(), None)
            text = text.where(text.astype(str).str.strip() != "", None)
            frame[column] = pd.to_datetime(text, utc=True, errors="coerce", format="ISO8601")
            frame[column] = frame[column].astype("datetime64[ms, UTC]")
    return frame


def _iso_text(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Inverse of :func:`stored_types`: DATETIME columns as ``YYYY-MM-DDTHH:MM:SS+00:00``."""
    for column in DATETIME_COLUMNS:
        if column in frame and pd.api.types.is_datetime64_any_dtype(frame[column]):
            values = frame[column]
            if values.dt.tz is None:
                values = values.dt.tz_localize("UTC")
            text = values.dt.tz_convert("UTC").dt.strftime("%Y-%m-%dT%H:%M:%S+00:00")
            frame[column] = text.astype(object).where(values.notna(), "")
    return frame


def split_sites(frame: gpd.GeoDataFrame) -> list[SiteTable]:
    """The sites as :data:`SITE_TABLES`, each of one geometry type.

    Parameters
    ----------
    frame : GeoDataFrame
        The sites (points and polygons, any extra columns).

    Returns
    -------
    list of SiteTable
        ``sites_points`` (POINT, or MULTIPOINT when a site is a multipoint) and
        ``sites_areas`` (MULTIPOLYGON), both always present; a ``fid`` column holds each
        site's position in ``frame`` (from 1) so that loading restores the order.
    """
    frame = stored_types(frame.reset_index(drop=True).drop(columns="fid", errors="ignore"))
    frame.insert(0, "fid", np.arange(1, len(frame) + 1, dtype="int64"))
    geometry = frame.geometry.name
    types = frame.geom_type
    is_point = types.isin(["Point", "MultiPoint"]).to_numpy()
    points = frame[is_point].copy()
    areas = frame[~is_point].copy()
    point_type = "Point"
    if (points.geom_type == "MultiPoint").any():
        point_type = "MultiPoint"
        points[geometry] = _as_multi(points.geometry, shapely.multipoints, "Point")
    areas[geometry] = _as_multi(areas.geometry, shapely.multipolygons, "Polygon")
    return [
        SiteTable(POINTS_TABLE, points, point_type),
        SiteTable(AREAS_TABLE, areas, "MultiPolygon"),
    ]


def _as_multi(geometries: gpd.GeoSeries, make, single: str) -> gpd.GeoSeries:
    values = geometries.to_numpy().copy()
    singles = (geometries.geom_type == single).to_numpy()
    if singles.any():
        values[singles] = [make([g]) for g in values[singles]]
    return gpd.GeoSeries(values, index=geometries.index, crs=geometries.crs)


def _as_single(geometries: gpd.GeoSeries) -> gpd.GeoSeries:
    """One-part multipoints/multipolygons back to points/polygons (vectorised)."""
    values = geometries.to_numpy()
    multi = geometries.geom_type.isin(["MultiPoint", "MultiPolygon"]).to_numpy()
    one = multi & (shapely.get_num_geometries(values) == 1)
    if not one.any():
        return geometries
    values = values.copy()
    values[one] = shapely.get_geometry(values[one], 0)
    return gpd.GeoSeries(values, index=geometries.index, crs=geometries.crs)


def write_site_tables(
    target: Path,
    frame: gpd.GeoDataFrame,
    *,
    append: bool,
    layer: Layer | None = None,
    layer_options: dict[str, Any] | None = None,
) -> None:
    """Write the sites to ``target`` as :data:`SITE_TABLES` (see :func:`split_sites`).

    Parameters
    ----------
    target : Path
        The GeoPackage being written.
    frame : GeoDataFrame
        The sites table as it is to be stored (indicator columns and all).
    append : bool
        False when this creates the file (GeoPackage 1.2).
    layer : Layer, optional
        The sites layer: its kept unreadable rows are written back to their tables.
    layer_options : dict, optional
        GDAL layer creation options (``GEOMETRY_NAME`` ...).
    """
    for number, table in enumerate(split_sites(frame)):
        kwargs: dict[str, Any] = {
            "layer": table.name,
            "driver": "GPKG",
            "append": append or number > 0,
            "geometry_type": table.geometry_type,
        }
        if layer_options:
            kwargs["layer_options"] = layer_options
        if not kwargs["append"]:
            kwargs["dataset_options"] = {"VERSION": "1.2"}
        pyogrio.write_dataframe(table.frame, target, **kwargs)
        kept = _KEPT.get(layer, {}).get(table.name) if layer is not None else None
        if kept is not None:
            write_kept_rows(target, table.name, kept)


def _read_table(
    path: Path, table: str, notes: list[str]
) -> tuple[gpd.GeoDataFrame, np.ndarray, KeptRows | None]:
    """The readable features of one sites table and their fids; unreadable rows kept."""
    spec = replace(SITES_SPEC, name=table, columns={})
    read = read_layer(path, spec)
    note = kept_note(read, Path(path).name)
    if note:
        notes.append(note)
    fids = pyogrio.read_dataframe(path, layer=table, columns=[], use_arrow=False, fid_as_index=True)
    readable = ~(fids.geometry.isna() | fids.geometry.is_empty).to_numpy()
    return read.data, fids.index.to_numpy()[readable], kept_rows(read)


def read_sites(path: Path, tables: set[str], language: str = "en") -> tuple[Layer, list[str]]:
    """The sites layer of the GeoPackage ``path`` and the notes of its repairs.

    Parameters
    ----------
    path : Path
        A project GeoPackage.
    tables : set of str
        Its tables (``pyogrio.list_layers``).
    language : str
        Names the one scenario of a project saved without scenarios.

    Returns
    -------
    Layer, list of str
        The merged sites (from :data:`SITE_TABLES`, else from the mixed ``sites`` table
        of older projects, else empty), in stored order, with DATETIME columns as ISO
        text, one-part multi-geometries as single ones, every ``site_id`` present and
        unique and ``kind`` from the geometry. Notes name repaired ids and features that
        cannot be read (kept and written back by :func:`write_site_tables`). The layer
        holds the current scenario's sites; the others travel with it
        (:func:`app.core.project.scenario_store.scenarios_of`).

    Raises
    ------
    ProjectLoadError
        A sites table is unreadable or holds another geometry type.
    """
    notes: list[str] = []
    present = [table for table in SITE_TABLES if table in tables]
    if not present and LEGACY_TABLE not in tables:
        return _with_scenarios(path, new_sites_layer().data, language, notes), notes
    kept: dict[str, KeptRows] = {}
    parts, orders = [], []
    for table in present or [LEGACY_TABLE]:
        data, fids, rows = _read_table(path, table, notes)
        if rows is not None:
            kept[AREAS_TABLE if table == LEGACY_TABLE else table] = rows
        parts.append(data)
        orders.append(fids)
    crs = parts[0].crs
    frame = pd.concat(
        [part.to_crs(crs) if part.crs != crs else part for part in parts], ignore_index=True
    )
    frame = gpd.GeoDataFrame(frame, geometry=parts[0].geometry.name, crs=crs)
    order = np.argsort(np.concatenate(orders), kind="stable")
    frame = frame.iloc[order].reset_index(drop=True)
    frame[frame.geometry.name] = _as_single(frame.geometry)
    frame, repaired = repair_identity(_iso_text(frame))
    notes += [f"{Path(path).name}: {note}" for note in repaired]
    layer = _with_scenarios(path, frame, language, notes)
    if kept:
        _KEPT[layer] = kept
    return layer, notes


def _with_scenarios(path: Path, frame: gpd.GeoDataFrame, language: str, notes: list[str]) -> Layer:
    """The sites layer of the current scenario, the other scenarios attached to it."""
    found: list[str] = []
    stored = read_scenarios_table(Path(path), found)
    current, scenarios, split_notes = split_scenarios(frame, stored, language)
    notes += [f"{Path(path).name}: {note}" for note in found + split_notes]
    layer = new_sites_layer(current)
    attach(layer, scenarios)
    return layer


__all__ = [
    "DATETIME_COLUMNS",
    "site_origin",
    "SiteTable",
    "read_sites",
    "split_sites",
    "stored_types",
    "table_layers",
    "table_names",
    "write_site_tables",
]


def site_origin(path: Path, tables: set[str]) -> Origin:
    """The origin of the sites layer: its tables' declared column types, merged
    (``sites_points`` + ``sites_areas``, or the mixed ``sites`` table of older projects),
    so that a save writes columns added in QGIS back with their type."""
    present = [t for t in SITE_TABLES if t in tables] or [LEGACY_TABLE]
    types: dict[str, str] = {}
    for table in reversed(present):  # the points table's declaration wins
        types.update(table_origin(Path(path), table).column_types)
    return Origin(path=Path(path), table=present[0], column_types=types)
