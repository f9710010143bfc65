"""Export a project as a GeoPackage that other GIS tools open styled (issue 5, export).

:func:`export_geopackage` writes, atomically (temporary file in the target's folder,
then ``os.replace``):

- every layer of the stack as GeoPackage 1.2 (what QGIS 3.22 / GDAL 3.6 read without
  warnings), geometry column ``geom``, EPSG:5186; the mixed ``sites`` layer as
  ``GEOMETRY``, with every indicator column joined on ``site_id`` when an indicators
  table is given (``zone_shares`` JSON and ``restrictions`` as text);
- a ``synthetic`` or ``illustrative`` boolean column (all true) on a layer whose
  provenance is synthetic/illustrative and which has neither column yet;
- ``layer_styles`` exactly as QGIS creates it (see docs/geopackage.md), one
  default row per layer whose QML/SLD come from :mod:`app.core.formats.qgis.qml_write`;
- provenance twice: the ``innoatlas_provenance`` attributes table (columns
  :data:`layers.provenance.PROVENANCE_COLUMNS`, one row per layer, the same table a
  saved project has) and the GeoPackage metadata extension: one ``gpkg_metadata`` row
  per layer (``md_scope='dataset'``, ``mime_type='text/plain'``, ``md_standard_uri``
  :data:`PROVENANCE_URI`; the text is ``key: value`` lines: layer, title, status,
  source, licence, vintage, attribution, notes) referenced from
  ``gpkg_metadata_reference`` with ``reference_scope='table'``;
- the coverage area of each layer that plays a role (start-ups, universities, stations,
  zoning; app.core.project.coverage), in both: a text such as
  ``start-ups: 'magok_firms' (covers Magok)`` in the ``coverage`` column the export adds
  to ``innoatlas_provenance`` (empty for the other layers) and a ``coverage:`` line in
  the layer's metadata text;
- the ``innoatlas_project`` settings table (order, visibility, opacity), so the export
  opens in InnoAtlas as a project;
- **every scenario's sites**, as a project save writes them: the ``scenario`` column of
  the sites tables and the ``innoatlas_scenarios`` table (docs/geopackage.md,
  "Scenarios"); the indicator columns are filled for the current scenario's sites
  (those the indicators table describes) and NULL for the others.

The indicators table itself can be written as CSV (UTF-8 with BOM, for Excel) and as
GeoJSON (:func:`export_indicators_csv`, :func:`export_indicators_geojson`).
"""

from __future__ import annotations

import copy
import json
import math
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely
import shapely.geometry

from app.core.errors import InnoAtlasError
from app.core.formats.atomic_write import write_atomically, write_text_atomically
from app.core.formats.csv_text import csv_text
from app.core.formats.qgis.layer_styles import STYLES_TABLE, create_layer_styles, put_default_style
from app.core.formats.qgis.qmd import QMD_URI, layer_qmd
from app.core.indicators.records import indicator_records
from app.core.progress import Progress, no_progress
from app.core.project.coverage import role_coverage_lines
from app.core.project.scenario_store import scenarios_of, stored_sites, write_scenarios_table
from app.core.project.site_tables import table_layers, write_site_tables
from layers.model import WORKING_CRS, Layer, LayerStack

#: ``md_standard_uri`` of the plain-text provenance metadata (not an ISO 19139 document).
PROVENANCE_URI = "urn:innoatlas:provenance:1"
CAVEAT_COLUMNS = ("synthetic", "illustrative")
#: Indicator columns that count things: written as INTEGER (NULL where unknown).
COUNT_COLUMNS = ("startups_n", "employees_sum", "education_n", "stations_n")

# GeoPackage 1.2, clause F.8 (Metadata extension), table definitions as in the spec.
_METADATA_SQL = (
    "CREATE TABLE IF NOT EXISTS gpkg_metadata (id INTEGER CONSTRAINT m_pk PRIMARY KEY ASC "
    "NOT NULL, md_scope TEXT NOT NULL DEFAULT 'dataset', md_standard_uri TEXT NOT NULL, "
    "mime_type TEXT NOT NULL DEFAULT 'text/xml', metadata TEXT NOT NULL DEFAULT '')"
)
_METADATA_REFERENCE_SQL = (
    "CREATE TABLE IF NOT EXISTS gpkg_metadata_reference (reference_scope TEXT NOT NULL, "
    "table_name TEXT, column_name TEXT, row_id_value INTEGER, timestamp DATETIME NOT NULL "
    "DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), md_file_id INTEGER NOT NULL, "
    "md_parent_id INTEGER, CONSTRAINT crmr_mfi_fk FOREIGN KEY (md_file_id) REFERENCES "
    "gpkg_metadata(id), CONSTRAINT crmr_mpi_fk FOREIGN KEY (md_parent_id) REFERENCES "
    "gpkg_metadata(id))"
)
_EXTENSIONS_SQL = (
    "CREATE TABLE IF NOT EXISTS gpkg_extensions (table_name TEXT, column_name TEXT, "
    "extension_name TEXT NOT NULL, definition TEXT NOT NULL, scope TEXT NOT NULL, "
    "CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name))"
)
_METADATA_DEFINITION = "http://www.geopackage.org/spec120/#extension_metadata"


class ExportError(InnoAtlasError):
    """The export could not be written; an existing file at the target is unchanged."""


def _iso_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _text_cell(value) -> object:
    """Lists, dicts and other objects become text; None/NaN stay empty."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, ensure_ascii=False)
    return value if isinstance(value, str) else str(value)


def indicator_columns(indicators: pd.DataFrame) -> pd.DataFrame:
    """The indicators table with types a GeoPackage stores: text columns as str,
    nullable integers/booleans kept (pyogrio writes them with NULLs)."""
    table = indicators.copy()
    for column in table.columns:
        if table[column].dtype == object:
            table[column] = table[column].map(_text_cell).astype(object)
        elif column in COUNT_COLUMNS and pd.api.types.is_float_dtype(table[column]):
            table[column] = table[column].round().astype("Int64")  # INTEGER, NULL if unknown
    return table


def _sites_frame(layer: Layer, indicators: pd.DataFrame | None) -> gpd.GeoDataFrame:
    from app.core.sites.edits import normalise_sites

    frame = normalise_sites(layer.data)
    if indicators is None:
        return frame
    table = indicator_columns(indicators)
    from layers.themes.sites import COLUMNS

    clash = [c for c in table.columns if c in COLUMNS]
    if clash:
        raise ExportError(f"indicator column(s) {', '.join(clash)} clash with the sites columns")
    # indicator columns the sites carry from an earlier export: the fresh ones replace them
    frame = frame.drop(columns=[c for c in table.columns if c in frame.columns])
    table.index = table.index.astype(str)
    joined = table.reindex(frame["site_id"].astype(str).to_numpy())
    joined.index = frame.index
    geometry = frame.geometry.name
    out = pd.concat([frame.drop(columns=geometry), joined, frame[[geometry]]], axis=1)
    return gpd.GeoDataFrame(out, geometry=geometry, crs=frame.crs)


def layer_frame(layer: Layer, indicators: pd.DataFrame | None = None) -> gpd.GeoDataFrame:
    """The table written for ``layer``: EPSG:5186, caveat column added where needed."""
    frame = _sites_frame(layer, indicators) if layer.name == "sites" else layer.data
    if frame.crs is None:
        frame = frame.set_crs(WORKING_CRS)
    elif not frame.crs.equals(WORKING_CRS):
        frame = frame.to_crs(WORKING_CRS)
    status = layer.provenance.status
    if status.is_caveated and not any(c in frame.columns for c in CAVEAT_COLUMNS):
        frame = frame.copy()
        frame.insert(len(frame.columns) - 1, str(status), True)
    return frame


def _write_layers(
    target: Path, stack: LayerStack, indicators: pd.DataFrame | None, report: Progress
) -> None:
    layers = stack.draw_order()
    for number, layer in enumerate(layers):
        frame = layer_frame(layer, indicators)
        kwargs = {
            "layer": layer.name,
            "driver": "GPKG",
            "append": number > 0,
            "layer_options": {"GEOMETRY_NAME": "geom"},
        }
        if layer.name == "sites":  # one table per geometry type (site_tables.py)
            frame = stored_sites(layer, frame)  # every scenario's, named in `scenario`
            for column in CAVEAT_COLUMNS:  # the caveat the export added holds for them all
                if column in frame.columns and column not in layer.data.columns:
                    frame[column] = True
            write_site_tables(
                target, frame, append=number > 0, layer_options={"GEOMETRY_NAME": "geom"}
            )
            report(0.8 * (number + 1) / len(layers), layer.name)
            continue
        if number == 0:
            kwargs["dataset_options"] = {"VERSION": "1.2"}
        if layer.geometry_kind == "mixed" or len(frame) == 0:
            kwargs["geometry_type"] = "Unknown"  # GEOMETRY in gpkg_geometry_columns
        pyogrio.write_dataframe(frame, target, **kwargs)
        report(0.8 * (number + 1) / len(layers), layer.name)


def _metadata_text(layer: Layer) -> str:
    record = layer.provenance.as_record()
    lines = [f"layer: {layer.name}", f"title: {layer.title('en')} / {layer.title('ko')}"]
    lines += [f"{key}: {value}" for key, value in record.items()]
    return "\n".join(lines) + "\n"


#: The column of ``innoatlas_provenance`` an export adds: each role layer's coverage.
COVERAGE_COLUMN = "coverage"


def _write_coverage(con: sqlite3.Connection, coverage: dict[str, list[str]]) -> None:
    """Add :data:`COVERAGE_COLUMN` to the provenance table, filled for the role layers
    (a project opened from the export reads the table as before: unknown columns are
    ignored, so the export stays lossless), and a ``coverage:`` line per role to their
    metadata text."""
    from layers.provenance import PROVENANCE_TABLE

    con.execute(f'ALTER TABLE "{PROVENANCE_TABLE}" ADD COLUMN "{COVERAGE_COLUMN}" TEXT')
    con.executemany(
        f'UPDATE "{PROVENANCE_TABLE}" SET "{COVERAGE_COLUMN}" = ? WHERE layer = ?',
        [("; ".join(lines), name) for name, lines in coverage.items()],
    )
    con.executemany(
        "UPDATE gpkg_metadata SET metadata = metadata || ? WHERE id IN (SELECT md_file_id "
        "FROM gpkg_metadata_reference WHERE table_name = ? AND reference_scope = 'table')",
        [
            ("".join(f"coverage: {line}\n" for line in lines), name)
            for name, lines in coverage.items()
        ],
    )


def _write_styles_and_metadata(con: sqlite3.Connection, stack: LayerStack) -> None:
    geometry_columns = dict(
        con.execute("SELECT table_name, column_name FROM gpkg_geometry_columns").fetchall()
    )
    stamp = _iso_now()
    create_layer_styles(con, stamp)
    tables = [pair for layer in stack for pair in table_layers(layer)]
    for table, stored in tables:
        put_default_style(con, stored, geometry_columns.get(table, "geom"), stamp)

    con.execute(_METADATA_SQL)
    con.execute(_METADATA_REFERENCE_SQL)
    con.execute(_EXTENSIONS_SQL)
    con.executemany(
        "INSERT OR IGNORE INTO gpkg_extensions VALUES (?, NULL, 'gpkg_metadata', ?, 'read-write')",
        [
            ("gpkg_metadata", _METADATA_DEFINITION),
            ("gpkg_metadata_reference", _METADATA_DEFINITION),
        ],
    )
    for table, layer in tables:
        documents = (
            (QMD_URI, "text/xml", _qmd(layer)),  # what QGIS shows in Layer Properties
            (PROVENANCE_URI, "text/plain", _metadata_text(layer)),
        )
        for uri, mime, text in documents:
            cursor = con.execute(
                "INSERT INTO gpkg_metadata (md_scope, md_standard_uri, "
                "mime_type, metadata) VALUES ('dataset', ?, ?, ?)",
                (uri, mime, text),
            )
            con.execute(
                "INSERT INTO gpkg_metadata_reference (reference_scope, table_name, "
                "column_name, row_id_value, timestamp, md_file_id, md_parent_id) "
                "VALUES ('table', ?, NULL, NULL, ?, ?, NULL)",
                (table, stamp, cursor.lastrowid),
            )


def _qmd(layer: Layer) -> str:
    return layer_qmd(
        layer.name, layer.title("en"), layer.title("ko"), layer.provenance, layer.description
    )


def export_geopackage(
    path: Path | str,
    stack: LayerStack,
    *,
    indicators: pd.DataFrame | None = None,
    progress: Progress | None = None,
    settings=None,
) -> Path:
    """Write ``stack`` (and the sites' indicators) to the GeoPackage ``path``.

    Parameters
    ----------
    path : Path
        Target file; replaced atomically when it exists.
    stack : LayerStack
        The project's layers (the sites layer included when present).
    indicators : DataFrame, optional
        Indicator columns (:data:`app.core.indicators.engine.COLUMNS`) indexed by ``site_id``;
        joined onto the sites layer.
    progress : callable, optional
        ``progress(fraction, message)`` after each layer.
    settings : ProjectSettings, optional
        Project settings stored alongside (radius, weights ...); order, visibility and
        opacity are always taken from ``stack``.

    Raises
    ------
    ExportError
        With a one-line message; an existing file at ``path`` is left unchanged.
    """
    from app.core.project.store import ProjectSettings, write_project_tables

    path = Path(path)
    report = progress or no_progress
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"cannot export to {path}: the folder does not exist")
    if path.is_dir():
        raise ExportError(f"cannot export to {path}: it is a folder")
    if len(stack) == 0:
        raise ExportError("nothing to export: the project has no layers")
    if indicators is not None and "sites" not in stack:
        raise ExportError("indicators were given but the project has no sites layer")
    given = settings is not None
    settings = copy.deepcopy(settings) if settings is not None else ProjectSettings()
    settings.capture_layers(stack)
    coverage = role_coverage_lines(stack, settings.roles(), settings.extra)

    def write(temp: Path) -> None:
        _write_layers(temp, stack, indicators, report)
        write_project_tables(temp, stack, settings)  # innoatlas_provenance + settings
        sites = stack.get("sites")
        if sites is not None:  # the scenarios, as a project save writes them
            scenarios = _scenarios_copy(sites)  # the project's own records stay as they are
            live = scenarios.current_scenario
            write_scenarios_table(
                temp,
                scenarios,
                settings.radius_m if given else live.radius_m,
                settings.weights if given else live.weights,
                settings.extra if given else None,
            )
        with sqlite3.connect(temp) as con:
            _write_styles_and_metadata(con, stack)
            _write_coverage(con, coverage)
        con.close()

    write_atomically(
        path,
        write,
        ExportError,
        verb="export",
        suffix=".export.gpkg",
        folder_hint=" (read-only folder?)",
    )
    report(1.0, "done")
    return path


def _scenarios_copy(sites: Layer):
    """A copy of the scenarios of ``sites`` (records only) for the export to write."""
    from dataclasses import replace

    from app.core.project.scenario_model import ScenarioSet

    scenarios = scenarios_of(sites)
    made = ScenarioSet([replace(s) for s in scenarios.scenarios], scenarios.current)
    made.implicit = scenarios.implicit
    return made


# --- the indicators table ------------------------------------------------------------
def _write_text(path: Path, text: str, encoding: str) -> None:
    write_text_atomically(Path(path), text, ExportError, encoding=encoding)


def export_indicators_csv(path: Path | str, table: pd.DataFrame) -> None:
    """The indicators table as CSV, UTF-8 with BOM (Excel shows Korean text)."""
    _write_text(Path(path), csv_text(indicator_columns(table)), "utf-8-sig")


def export_indicators_geojson(
    path: Path | str, table: pd.DataFrame, sites: gpd.GeoDataFrame
) -> None:
    """The indicators with the sites' geometries as a GeoJSON FeatureCollection in
    EPSG:4326 (RFC 7946); ``table`` and ``sites`` are aligned on their index.
    ``zone_shares`` is a nested object, NaN becomes null."""
    if not table.index.equals(sites.index):
        raise ExportError("the indicators table and the sites do not line up")
    geometries = sites.geometry
    if sites.crs is None:
        geometries = geometries.set_crs(WORKING_CRS)
    geometries = geometries.to_crs("EPSG:4326")
    records = indicator_records(table)
    features = [
        {
            "type": "Feature",
            "properties": record,
            "geometry": None if geom is None or geom.is_empty else shapely.geometry.mapping(geom),
        }
        for record, geom in zip(records, geometries)
    ]
    text = (
        json.dumps(
            {"type": "FeatureCollection", "features": features}, ensure_ascii=False, indent=1
        )
        + "\n"
    )
    _write_text(Path(path), text, "utf-8")


__all__ = [
    "ExportError",
    "export_geopackage",
    "export_indicators_csv",
    "export_indicators_geojson",
    "layer_frame",
    "STYLES_TABLE",
    "PROVENANCE_URI",
]
