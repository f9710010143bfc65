"""Export a project as one file per layer and geometry type: Shapefile, GeoJSON, FlatGeobuf.

:func:`export_vector_files` writes into a folder, through one writer for the three formats
(docs/geopackage.md, "Shapefile, GeoJSON and FlatGeobuf"):

- one file per layer and geometry type (the sites as ``sites_points`` and ``sites_areas``,
  an imported layer that mixes types as ``NAME_points``/``NAME_lines``/``NAME_areas``),
  with the indicator columns on the sites and the synthetic/illustrative column where the
  GeoPackage export has it;
- a ``.qml`` (QGIS loads it as the default style of the file) and an ``.sld`` beside each
  file, from :mod:`app.core.formats.qgis.qml_write`;
- ``README.txt``: every file's layer, provenance and caveat, and what the format loses.

Shapefile: a ``.cpg`` (UTF-8, or CP949 for older Korean tools), field names shortened by
:mod:`app.core.export.field_names` with ``fields.csv`` mapping full ↔ short names,
booleans as ``Y``/``N``, date-times as ISO text. GeoJSON: RFC 7946 in WGS 84.
FlatGeobuf: EPSG:5186, with its spatial index. Files are written into a temporary folder
inside the target folder, then moved over existing files of the same name.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from app.core.errors import first_line
from app.core.export.field_names import short_names
from app.core.export.geopackage import ExportError, layer_frame
from app.core.formats.csv_text import csv_text
from app.core.formats.qgis.qmd import caveat_line
from app.core.formats.qgis.qml_write import style_qml
from app.core.formats.qgis.sld_write import style_sld
from app.core.progress import Cancelled, Progress, no_progress
from app.core.project.site_tables import split_sites, table_layers
from layers.model import GeometryKind, Layer, LayerStack
from layers.style import LayerStyle

#: format → (GDAL driver, file suffix, short description)
FORMATS = {
    "shp": ("ESRI Shapefile", ".shp", "ESRI Shapefile"),
    "geojson": ("GeoJSON", ".geojson", "GeoJSON (RFC 7946, WGS 84)"),
    "fgb": ("FlatGeobuf", ".fgb", "FlatGeobuf"),
}
#: Shapefile encodings: ``--encoding`` value → GDAL's ENCODING (written to the .cpg).
ENCODINGS = {"utf-8": "UTF-8", "cp949": "CP949"}
#: Booleans in a Shapefile (a DBF has no reliable boolean): true, false.
SHP_BOOLEANS = ("Y", "N")
_FAMILIES = {
    "Point": "points",
    "MultiPoint": "points",
    "LineString": "lines",
    "MultiLineString": "lines",
    "Polygon": "areas",
    "MultiPolygon": "areas",
}
_KINDS: dict[str, GeometryKind] = {"points": "point", "lines": "line", "areas": "polygon"}
#: What each format cannot carry (README.txt and docs/geopackage.md).
LIMITS = {
    "shp": (
        "field names longer than 10 bytes are shortened (fields.csv maps them back)",
        "text longer than 254 bytes is cut; in CP949, characters CP949 lacks are lost "
        "(the export names the files in a note); spaces at either end of a text are lost",
        "booleans are the text Y/N; date-times are ISO 8601 text; no NULL for numbers in "
        "some tools (GDAL and QGIS read empty numbers as NULL)",
        "one geometry type per file; no curves; polygons are written as multipolygons",
        "no layer metadata: the provenance is in this README only",
        "QML/SLD styles and labels only where the reading tool loads them",
    ),
    "geojson": (
        "coordinates in WGS 84 (RFC 7946), not EPSG:5186; 7 decimals (about 1 cm)",
        "no styles inside the file (the .qml/.sld beside it are used by QGIS)",
        "no layer metadata: the provenance is in this README only",
        "date-times are ISO 8601 text",
    ),
    "fgb": (
        "one geometry type per file; no styles inside the file (the .qml/.sld beside it)",
        "no layer metadata: the provenance is in this README only",
    ),
}


@dataclass(frozen=True)
class _Table:
    """One file to write: name, features, geometry type and the layer it shows."""

    name: str
    frame: gpd.GeoDataFrame
    geometry_type: str
    layer: Layer


def _promoted(frame: gpd.GeoDataFrame, family: str) -> tuple[gpd.GeoDataFrame, str]:
    """Lines/areas as multi-geometries, points as points unless one is a multipoint."""
    types = frame.geom_type
    if family == "points" and not (types == "MultiPoint").any():
        return frame, "Point"
    single, make, multi = {
        "points": ("Point", shapely.multipoints, "MultiPoint"),
        "lines": ("LineString", shapely.multilinestrings, "MultiLineString"),
        "areas": ("Polygon", shapely.multipolygons, "MultiPolygon"),
    }[family]
    values = frame.geometry.to_numpy().copy()
    singles = (types == single).to_numpy()
    if singles.any():
        values[singles] = [make([g]) for g in values[singles]]
    frame = frame.copy()
    frame[frame.geometry.name] = gpd.GeoSeries(values, index=frame.index, crs=frame.crs)
    return frame, multi


def _tables(layer: Layer, indicators: pd.DataFrame | None) -> list[_Table]:
    """The files of one layer: one per geometry type."""
    frame = layer_frame(layer, indicators if layer.name == "sites" else None)
    if layer.name == "sites":
        layers = dict(table_layers(layer))
        return [
            _Table(t.name, t.frame.drop(columns="fid"), t.geometry_type, layers[t.name])
            for t in split_sites(frame)
        ]
    families = frame.geom_type.map(_FAMILIES)
    present = [f for f in ("points", "lines", "areas") if (families == f).any()]
    if not present:  # an empty layer: one file of the layer's kind
        present = [{"point": "points", "line": "lines"}.get(layer.geometry_kind, "areas")]
    tables = []
    for family in present:
        part, geometry_type = _promoted(frame[(families == family).to_numpy()], family)
        name = layer.name if len(present) == 1 else f"{layer.name}_{family}"
        shown = replace(layer, name=name, geometry_kind=_KINDS[family])
        tables.append(_Table(name, part, geometry_type, shown))
    return tables


def _text(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, ensure_ascii=False)
    return value


def _plain_columns(frame: gpd.GeoDataFrame, fmt: str) -> gpd.GeoDataFrame:
    """Columns every format writes: objects as text, date-times as ISO text (GeoJSON,
    Shapefile), booleans as Y/N (Shapefile)."""
    frame = frame.copy()
    for column in frame.columns:
        if column == frame.geometry.name:
            continue
        series = frame[column]
        if pd.api.types.is_bool_dtype(series) or str(series.dtype) == "boolean":
            if fmt == "shp":
                true, false = SHP_BOOLEANS
                mapped = series.astype(object).map({True: true, False: false})
                frame[column] = mapped.where(series.notna(), None).astype(object)
        elif pd.api.types.is_datetime64_any_dtype(series):
            if fmt != "fgb":
                text = series.dt.strftime("%Y-%m-%dT%H:%M:%SZ")
                frame[column] = text.astype(object).where(series.notna(), None)
        elif series.dtype == object:
            frame[column] = series.map(_text).astype(object)
    return frame


def _styled(style: LayerStyle, names: dict[str, str]) -> LayerStyle:
    """``style`` with its classified and label fields under their short names."""
    label = style.label
    if label is not None and label.field in names:
        label = replace(label, field=names[label.field])
    field = names.get(style.field, style.field) if style.field else style.field
    return replace(style, field=field, label=label)


def _write_table(
    folder: Path, table: _Table, fmt: str, encoding: str, notes: list[str]
) -> list[dict]:
    """Write one table and its .qml/.sld; return its fields.csv rows (Shapefile). What
    the format could not hold is added to ``notes``."""
    driver, suffix, _ = FORMATS[fmt]
    frame = _plain_columns(table.frame, fmt)
    options: dict[str, Any] = {}
    style = table.layer.style
    rows: list[dict] = []
    if fmt == "shp":
        columns = [c for c in frame.columns if c != frame.geometry.name]
        names = short_names(columns, encoding)
        frame = frame.rename(columns=names)
        style = _styled(style, names)
        rows = [
            {
                "file": table.name + suffix,
                "field": c,
                "short_name": names[c],
                "type": _kind(c, table.frame),
            }
            for c in columns
        ]
    elif fmt == "geojson":
        frame = frame.to_crs("EPSG:4326")
        options.update(RFC7946="YES", WRITE_NAME="NO", COORDINATE_PRECISION=7)
    else:
        options["SPATIAL_INDEX"] = "YES"
    pyogrio.write_dataframe(
        frame,
        folder / (table.name + suffix),
        driver=driver,
        layer=table.name,
        geometry_type=table.geometry_type,
        layer_options=options,
        **({"encoding": ENCODINGS[encoding]} if fmt == "shp" else {}),  # also the .cpg
    )
    if fmt == "shp" and (lost := _lost_text(frame, folder / (table.name + suffix))):
        notes.append(
            f"{table.name}{suffix}: {lost} text value(s) changed (over 254 bytes, or "
            f"characters {ENCODINGS[encoding]} lacks were dropped or became '?')"
        )
    shown = replace(table.layer, style=style)
    (folder / f"{table.name}.qml").write_text(style_qml(style, shown), encoding="utf-8")
    (folder / f"{table.name}.sld").write_text(style_sld(style, shown), encoding="utf-8")
    return rows


def _lost_text(frame: gpd.GeoDataFrame, path: Path) -> int:
    """How many text cells read back from the written DBF differ from ``frame``'s."""
    columns = [
        c
        for c in frame.columns
        if c != frame.geometry.name
        and (frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c]))
    ]
    if not columns or len(frame) == 0:
        return 0
    back = pyogrio.read_dataframe(path, columns=columns, read_geometry=False, use_arrow=False)
    lost = 0
    for column in columns:
        # a DBF pads text with spaces: spaces at either end are lost (LIMITS)
        wrote = (
            frame[column].astype(object).where(frame[column].notna(), "").astype(str).str.strip()
        )
        read = back[column].astype(object).where(back[column].notna(), "").astype(str).str.strip()
        lost += int((wrote.to_numpy() != read.to_numpy()).sum())
    return lost


def _kind(column: str, frame: gpd.GeoDataFrame) -> str:
    series = frame[column]
    if pd.api.types.is_bool_dtype(series) or str(series.dtype) == "boolean":
        return "boolean (Y/N)"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "date-time (ISO 8601 text)"
    if pd.api.types.is_integer_dtype(series):
        return "integer"
    if pd.api.types.is_float_dtype(series):
        return "real"
    return "text"


def _readme(tables: list[_Table], fmt: str, encoding: str) -> str:
    _, suffix, title = FORMATS[fmt]
    lines = [
        "InnoAtlas export",
        "================",
        "",
        f"Format: {title}"
        + (f", encoding {ENCODINGS[encoding]} (see the .cpg files)" if fmt == "shp" else ""),
        "Each file has a .qml (QGIS loads it as the default style) and an .sld beside it.",
    ]
    if fmt == "shp":
        lines.append(
            "Field names are cut to 10 bytes; fields.csv maps each full name to its short "
            "name. Booleans are Y (true) / N (false)."
        )
    caveated = [t for t in tables if t.layer.provenance.status.is_caveated]
    if caveated:
        lines += [
            "",
            "WARNING: "
            + ", ".join(f"{t.name}{suffix}" for t in caveated)
            + " hold SYNTHETIC or ILLUSTRATIVE data, not real records. Do not use them as fact.",
        ]
    lines += ["", "Files and provenance", "--------------------"]
    for table in tables:
        provenance = table.layer.provenance
        lines += [
            "",
            f"{table.name}{suffix}: {table.layer.title('en')} / {table.layer.title('ko')} "
            f"({len(table.frame)} features, {table.geometry_type})",
        ]
        if caveat := caveat_line(provenance):
            lines.append(f"  {caveat}")
        for key, value in provenance.as_record().items():
            if value:
                lines.append(f"  {key}: {value}")
    lines += ["", f"What {title} cannot carry", "-" * (len(title) + 18)]
    lines += [f"- {limit}" for limit in LIMITS[fmt]]
    return "\n".join(lines) + "\n"


def export_vector_files(
    folder: Path | str,
    stack: LayerStack,
    *,
    fmt: str = "shp",
    encoding: str = "utf-8",
    indicators: pd.DataFrame | None = None,
    progress: Progress | None = None,
) -> VectorExport:
    """Write every layer of ``stack`` to ``folder`` as Shapefile, GeoJSON or FlatGeobuf.

    Parameters
    ----------
    folder : Path
        The target folder; created when its parent exists. Files of the same names are
        replaced; other files are left alone.
    stack : LayerStack
        The project's layers (the sites included).
    fmt : {"shp", "geojson", "fgb"}
        The format (:data:`FORMATS`).
    encoding : {"utf-8", "cp949"}
        The Shapefiles' text encoding (written to each ``.cpg``); ignored otherwise.
    indicators : DataFrame, optional
        Indicator columns indexed by ``site_id``, joined onto the sites.
    progress : callable, optional
        ``progress(fraction, message)`` after each layer.

    Returns
    -------
    VectorExport
        The files written (data, styles, fields.csv, README.txt) and one note per file
        whose text the format could not hold in full (Shapefile: over 254 bytes, or
        characters the encoding lacks).

    Raises
    ------
    ExportError
        A bad format or encoding, a folder that cannot be written, a layer that cannot be
        written (one line); files already in ``folder`` are then unchanged.
    """
    report = progress or no_progress
    folder = Path(folder)
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r} (use {', '.join(FORMATS)})")
    if encoding not in ENCODINGS:
        raise ExportError(f"unknown encoding {encoding!r} (use {', '.join(ENCODINGS)})")
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"cannot export to {folder}: it is a file, not a folder")
    if not folder.exists():
        if not folder.parent.is_dir():
            raise ExportError(f"cannot export to {folder}: no such folder {folder.parent}")
        try:
            folder.mkdir()
        except OSError as err:
            raise ExportError(f"cannot create {folder}: {err.strerror or err}") from None
    if len(stack) == 0:
        raise ExportError("nothing to export: the project has no layers")
    try:
        temp = Path(tempfile.mkdtemp(prefix=".innoatlas-export.", dir=folder))
    except OSError as err:
        raise ExportError(f"cannot export to {folder}: {err.strerror or err}") from None
    try:
        tables: list[_Table] = []
        fields: list[dict] = []
        notes: list[str] = []
        layers = stack.draw_order()[::-1]  # top layer first, as in the layer panel
        for number, layer in enumerate(layers):
            for table in _tables(layer, indicators):
                fields += _write_table(temp, table, fmt, encoding, notes)
                tables.append(table)
            report(0.9 * (number + 1) / len(layers), layer.name)
        if fmt == "shp":
            (temp / "fields.csv").write_text(
                csv_text(pd.DataFrame(fields, columns=["file", "field", "short_name", "type"])),
                encoding="utf-8-sig",
            )
        (temp / "README.txt").write_text(_readme(tables, fmt, encoding), encoding="utf-8")
        written = []
        for path in sorted(temp.iterdir()):
            os.replace(path, folder / path.name)
            written.append(folder / path.name)
    except (ExportError, Cancelled):
        raise
    except Exception as err:  # GDAL and the OS raise many types
        raise ExportError(f"cannot export to {folder}: {first_line(err)}") from None
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    report(1.0, "done")
    return VectorExport(written, notes)


@dataclass(frozen=True)
class VectorExport:
    """What :func:`export_vector_files` wrote, and notes on text the format lost."""

    paths: list[Path]
    notes: list[str]


__all__ = ["ENCODINGS", "FORMATS", "LIMITS", "SHP_BOOLEANS", "VectorExport", "export_vector_files"]
