"""The cheap look-ups an import dialog makes before reading: the layers of a file and
which one to read, :func:`inspect_vector` (layers, columns, encoding, CRS or its guess,
CSV coordinate columns) and :func:`preview_attributes` (the first rows of text).
"""

from __future__ import annotations

import functools
import re
import sqlite3
from contextlib import closing
from pathlib import Path

import pandas as pd
import pyogrio

from app.core.errors import first_line
from app.core.formats.gpkg import readonly_uri
from app.core.formats.vector.crs import _geojson_crs, _looks_geographic, crs_label
from app.core.formats.vector.csv_points import _count_lines, _read_csv_table, guess_xy_columns
from app.core.formats.vector.encoding import (
    _csv_encoding,
    _display,
    _shapefile_encoding,
    gdal_encoding,
)
from app.core.formats.vector.model import (
    _PRESET_HINT,
    CSV_SUFFIXES,
    FileInfo,
    InputError,
    LayerInfo,
    ReadOptions,
)
from app.core.formats.vector.paths import _bad_prj, _check_path, _readable, _unreadable
from app.core.progress import Cancelled, Progress, no_progress

#: Tables of a file that are not layers to import: GeoPackage and extension metadata,
#: spatial indexes, QGIS styles and projects, InnoAtlas's own settings and provenance.
_SYSTEM_TABLE = re.compile(
    r"^(gpkg_|gpkgext_|rtree_|innoatlas_|sqlite_)|^(layer_styles|qgis_projects|ogr_empty_table)$",
    re.IGNORECASE,
)
#: gpkg_geometry_columns.geometry_type_name -> the name GDAL gives the type.
_OGR_TYPES = {
    "POINT": "Point",
    "LINESTRING": "LineString",
    "POLYGON": "Polygon",
    "MULTIPOINT": "MultiPoint",
    "MULTILINESTRING": "MultiLineString",
    "MULTIPOLYGON": "MultiPolygon",
    "GEOMETRYCOLLECTION": "GeometryCollection",
    "GEOMETRY": "Unknown",
}
_GPKG_LAYERS = (
    "SELECT c.table_name, c.data_type, g.geometry_type_name, g.z, g.m{count} "
    "FROM gpkg_contents c LEFT JOIN gpkg_geometry_columns g ON g.table_name = c.table_name"
    "{join} WHERE c.data_type IN ('features', 'attributes', 'aspatial') ORDER BY c.rowid"
)


def _is_system_table(name: str) -> bool:
    return _SYSTEM_TABLE.search(name) is not None


def _gpkg_layers(path: Path) -> tuple[list[LayerInfo], bool] | None:
    """The layers of a GeoPackage from its ``gpkg_contents``, in one query (names,
    geometry types and, where GDAL keeps them, feature counts); None when the file has
    no readable ``gpkg_contents`` (GDAL then lists it). The flag: system tables were
    left out."""
    try:
        con = sqlite3.connect(readonly_uri(path), uri=True)
    except (sqlite3.Error, OSError, ValueError):
        return None
    with closing(con):
        try:
            counted = con.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='gpkg_ogr_contents'"
            ).fetchone()
            count, join = (
                (
                    ", o.feature_count",
                    " LEFT JOIN gpkg_ogr_contents o ON o.table_name = c.table_name",
                )
                if counted
                else ("", "")
            )
            rows = con.execute(_GPKG_LAYERS.format(count=count, join=join)).fetchall()
        except sqlite3.Error:
            return None
    layers, hidden = [], False
    for row in rows:
        name, data_type, type_name, z, m = (str(row[0]), row[1], row[2], row[3], row[4])
        if _is_system_table(name):
            hidden = True
            continue
        kind = None
        if data_type == "features":
            kind = _OGR_TYPES.get(str(type_name or "").upper(), "Unknown")
            kind += " Z" if z == 1 else ""
            kind += " M" if m == 1 else ""
        features = row[5] if len(row) > 5 and isinstance(row[5], int) else None
        layers.append(LayerInfo(name, kind, features))
    return layers, hidden


def list_layers(path: Path | str, what: str = "input") -> list[LayerInfo]:
    """The layers of a file a user may import, without inspecting any of them.

    A GeoPackage is listed from its ``gpkg_contents`` in one query; other files as
    GDAL lists them. System tables (``layer_styles``, ``gpkg_*``, ``rtree_*``,
    ``innoatlas_*`` ...) are never listed.

    Parameters
    ----------
    path : path-like
        A file or the ``/vsizip/`` folder :func:`~app.core.formats.vector.paths._readable`
        gives.
    what : str
        What the file is for, for messages.

    Returns
    -------
    list of LayerInfo
        ``features`` is None where the count is not known without reading the layer.

    Raises
    ------
    InputError
        GDAL cannot read the file.
    """
    return _listing(path, what)[0]


def _listing(path: Path | str, what: str) -> tuple[list[LayerInfo], bool]:
    """:func:`list_layers` and whether system tables were left out."""
    if isinstance(path, Path) and path.suffix.lower() == ".gpkg":
        listed = _gpkg_layers(path)
        if listed is not None:
            return listed
    try:
        layers = pyogrio.list_layers(path)
    except Exception as err:  # GDAL raises many types; the user needs the message only
        raise InputError(_unreadable(Path(path), what, err)) from None
    infos = [
        LayerInfo(str(name), None if kind is None else str(kind), None)
        for name, kind in layers
        if not _is_system_table(str(name))
    ]
    return infos, len(infos) < len(layers)


def _choose_layer(
    path: Path | str, preferred: str | None, what: str = "input", required: str | None = None
) -> str | None:
    return _named_layer(*_listing(path, what), path, preferred, what, required)


def _named_layer(
    layers: list[LayerInfo],
    hidden: bool,
    path: Path | str,
    preferred: str | None,
    what: str = "input",
    required: str | None = None,
) -> str | None:
    """The layer to read (see :func:`_pick_layer`), named whenever the file holds system
    tables too (``hidden``), so that GDAL's first layer is never one of them."""
    listed = [(info.name, info.geometry_type) for info in layers]
    chosen = _pick_layer(listed, path, preferred, what, required)
    return layers[0].name if chosen is None and hidden else chosen


def _pick_layer(
    layers: list[tuple[str, str | None]],
    path: Path | str,
    preferred: str | None,
    what: str = "input",
    required: str | None = None,
) -> str | None:
    """The layer to read among ``layers`` (see :func:`list_layers`): ``preferred`` when
    present, else the first with geometry; None when the file has only one."""
    if len(layers) == 0:
        raise InputError(f"{what} file {path} holds no layer")
    names = [name for name, _ in layers]
    if preferred is not None and preferred in names:
        return preferred
    if required is not None and required not in names:
        raise InputError(
            f"{what} file {path} has no layer {required!r} (layers: {', '.join(names[:10])})"
        )
    with_geometry = [name for name, kind in layers if kind is not None]
    return (with_geometry or names)[0] if len(names) > 1 else None


def check_input(path: Path | str) -> None:
    """The cheap checks every look-up makes first, without GDAL: the file exists, is not
    empty, is not over a size limit (docs/inputs.md), is a whole GeoPackage, has the
    parts a shapefile needs.

    Raises
    ------
    InputError
        One line saying what is wrong.
    """
    _check_path(Path(path), "input")


def _one_line(function):
    """Turn any failure of ``function(path, ...)`` that is not an InputError into one."""

    @functools.wraps(function)
    def guarded(path, *args, **kwargs):
        try:
            return function(path, *args, **kwargs)
        except (InputError, Cancelled):
            raise
        except Exception as err:  # GDAL/PROJ/pandas failures not foreseen
            raise InputError(f"cannot read {path}: {first_line(err)}") from None

    return guarded


@_one_line
def inspect_vector(
    path: Path | str, options: ReadOptions | None = None, progress: Progress | None = None
) -> FileInfo:
    """What an import dialog shows before reading: layers, columns, encoding, CRS.

    Cheap: lists the layers (:func:`list_layers`) and reads the metadata and at most a
    sample of rows of one of them, the chosen one.

    Parameters
    ----------
    path : path-like
        Any file :func:`read_vector` reads.
    options : ReadOptions, optional
        ``layer`` picks the layer whose columns are listed, ``encoding`` overrides the
        detection, ``x_column``/``y_column`` the CSV guesses.
    progress : callable, optional
        ``progress(fraction, message)`` between the steps; it may raise
        :class:`~app.core.progress.Cancelled`.

    Returns
    -------
    FileInfo
        Every layer listed, the features counted where that is cheap (always for the
        chosen layer).

    Raises
    ------
    InputError
        The file is missing, empty, not readable or has no layer.
    """
    path = Path(path)
    options = options or ReadOptions()
    report = progress or no_progress
    _check_path(path, "input")
    notes: list[str] = []
    if path.suffix.lower() in CSV_SUFFIXES:
        return _inspect_csv(path, options)
    crs_name, unknown_crs = _geojson_crs(path)
    if unknown_crs:
        notes.append(f"{path.name} names a CRS PROJ does not know ({crs_name}): {_PRESET_HINT}")
    default_crs = path.suffix.lower() in {".geojson", ".json"} and (
        crs_name is None or unknown_crs
    )  # GDAL then says EPSG:4326 whatever the data
    encoding, encoding_note = _shapefile_encoding(path, options.encoding)
    encoding = gdal_encoding(encoding)  # the name GDAL knows (it is also the one shown)
    bad_prj = _bad_prj(path)
    with _readable(path, notes, drop_prj=bad_prj is not None) as source:
        report(0.1, f"listing the layers of {path.name}")
        infos, hidden = _listing(source, "input")  # one query for a GeoPackage
        names = [info.name for info in infos]
        preferred = options.layer if options.layer in names else None
        chosen = _named_layer(infos, hidden, source, preferred)
        report(0.3, f"reading {chosen or path.name}")
        try:  # the chosen layer only: a file may hold thousands
            chosen_info = pyogrio.read_info(source, layer=chosen or names[0], encoding=encoding)
        except Exception as err:
            raise InputError(_unreadable(path, "input", err)) from None
        infos[names.index(chosen or names[0])].features = int(chosen_info["features"])
        try:
            crs = crs_label(chosen_info["crs"]) if chosen_info["crs"] else None
        except Exception:
            crs = None
        crs = None if default_crs else crs
        crs_guess = None
        if crs is None and (chosen_info["geometry_type"] is not None):
            report(0.6, f"guessing the CRS of {chosen or path.name}")
            crs_guess = _guess_crs(source, chosen, encoding)
        if default_crs and not unknown_crs and crs_guess == "EPSG:4326":
            crs, crs_guess = "EPSG:4326", None  # RFC 7946 longitude/latitude
        if bad_prj is not None:
            notes.append(f"{path.stem}.prj is not a CRS PROJ knows: {_PRESET_HINT}")
    if encoding_note:
        notes.append(encoding_note)
    return FileInfo(
        path,
        str(chosen_info["driver"]),
        infos,
        [str(c) for c in chosen_info["fields"]],
        None if encoding is None else _display(encoding),
        encoding_note,
        crs,
        crs_guess,
        None,
        None,
        notes,
        chosen,
    )


def _guess_crs(source: Path | str, layer: str | None, encoding: str | None) -> str | None:
    try:
        sample = pyogrio.read_dataframe(
            source, layer=layer, encoding=encoding, max_features=1000, columns=[]
        )
    except Exception:
        return None
    if len(sample) == 0:
        return None
    return "EPSG:4326" if _looks_geographic(sample) else None


def _inspect_csv(path: Path, options: ReadOptions) -> FileInfo:
    codec, note = _csv_encoding(path, options.encoding)
    sample = _read_csv_table(path, codec, rows=1000)
    columns = [str(c) for c in sample.columns]
    gx, gy = guess_xy_columns(columns)
    x_col, y_col = options.x_column or gx, options.y_column or gy
    crs_guess, notes = None, [note] if note else []
    if x_col in sample.columns and y_col in sample.columns:
        x = pd.to_numeric(sample[x_col], errors="coerce").dropna()
        y = pd.to_numeric(sample[y_col], errors="coerce").dropna()
        if len(x) and len(y):
            fits = (x.abs().max() <= 180 and y.abs().max() <= 90) or (
                x.abs().max() <= 90 and y.between(124, 132).all()
            )
            crs_guess = "EPSG:4326" if fits else None
    else:
        notes.append(f"{path.name}: no coordinate columns found: choose them")
    layers = [
        LayerInfo(path.stem, "Point" if x_col and y_col else None, max(_count_lines(path) - 1, 0))
    ]
    return FileInfo(
        path, "CSV", layers, columns, _display(codec), note, None, crs_guess, x_col, y_col, notes
    )


@_one_line
def preview_attributes(
    path: Path | str, options: ReadOptions | None = None, rows: int = 20
) -> pd.DataFrame:
    """The first ``rows`` rows of a file's attributes, in the chosen (or detected)
    encoding, without geometry: what an import dialog shows to check the text.

    Parameters
    ----------
    path : path-like
        Any file :func:`~app.core.formats.vector.read.read_vector` reads.
    options : ReadOptions, optional
        ``layer`` and ``encoding`` as for :func:`inspect_vector`.
    rows : int
        How many rows to read.

    Returns
    -------
    pandas.DataFrame
        The attribute columns of the first ``rows`` rows.

    Raises
    ------
    InputError
        The file cannot be read.
    """
    path = Path(path)
    options = options or ReadOptions()
    _check_path(path, "input")
    if path.suffix.lower() in CSV_SUFFIXES:
        codec, _ = _csv_encoding(path, options.encoding)
        return _read_csv_table(path, codec, rows=rows)
    encoding = gdal_encoding(_shapefile_encoding(path, options.encoding)[0])
    notes: list[str] = []
    with _readable(path, notes, drop_prj=_bad_prj(path) is not None) as source:
        layer = _choose_layer(source, options.layer)
        try:
            table = pyogrio.read_dataframe(
                source, layer=layer, encoding=encoding, read_geometry=False, max_features=rows
            )
        except Exception as err:
            raise InputError(_unreadable(path, "input", err)) from None
    return pd.DataFrame(table)
