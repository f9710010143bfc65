"""Read a project GeoPackage into a :class:`~layers.model.LayerStack`.

The default project (data/innoatlas_default.gpkg) holds one table per thematic
layer plus the ``innoatlas_provenance`` table. Every failure becomes a
:class:`~app.core.errors.ProjectLoadError` with a one-line message.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio

from app.core.errors import ProjectLoadError, first_line
from app.core.formats.gpkg import readonly_uri
from app.core.progress import Progress
from app.core.project.kept_rows import keep_rows, read_kept_rows
from app.core.project.origins import Origin, set_origin
from layers.model import WORKING_CRS, Layer, LayerSpec, LayerStack
from layers.provenance import PROVENANCE_TABLE, Provenance
from layers.themes.registry import DEFAULT_SPECS

_SQLITE_MAGIC = b"SQLite format 3\x00"


def read_provenance(path: Path) -> dict[str, Provenance]:
    """Provenance rows of a project GeoPackage, by layer name (empty if none)."""
    try:
        with sqlite3.connect(readonly_uri(path), uri=True) as con:
            rows = con.execute(f'SELECT * FROM "{PROVENANCE_TABLE}"').fetchall()
            names = [
                d[0] for d in con.execute(f'SELECT * FROM "{PROVENANCE_TABLE}" LIMIT 0').description
            ]
    except sqlite3.Error:
        return {}
    records = [dict(zip(names, row)) for row in rows]
    result = {}
    for record in records:
        try:
            result[str(record["layer"])] = Provenance.from_record(record)
        except (KeyError, ValueError):
            continue  # an unreadable row falls back to the spec's provenance
    return result


def check_geopackage(path: Path) -> None:
    """Raise :class:`ProjectLoadError` unless ``path`` looks like a readable GeoPackage."""
    path = Path(path)
    if not path.exists():
        raise ProjectLoadError(f"project file not found: {path}")
    if path.is_dir():
        raise ProjectLoadError(f"project path is a folder, not a GeoPackage: {path}")
    try:
        with open(path, "rb") as handle:
            head = handle.read(16)
    except OSError as err:
        raise ProjectLoadError(f"cannot read {path}: {err.strerror}") from None
    if head != _SQLITE_MAGIC:
        raise ProjectLoadError(
            f"{path.name} is not a GeoPackage (not an SQLite file; "
            "empty, truncated or another format)"
        )
    try:
        with sqlite3.connect(readonly_uri(path), uri=True) as con:
            con.execute("SELECT table_name FROM gpkg_contents LIMIT 1").fetchall()
    except sqlite3.DatabaseError as err:
        raise ProjectLoadError(f"{path.name} is not a valid GeoPackage ({err})") from None


def read_layer(
    path: Path,
    spec: LayerSpec,
    provenance: Provenance | None = None,
    *,
    empty: bool = False,
    arrow: bool = False,
) -> Layer:
    """Read and validate one thematic layer; reproject to EPSG:5186 when needed.

    Features without a readable geometry (a damaged blob, none, or an empty one) are
    left out of the layer's data and kept with it as they are stored
    (:mod:`app.core.project.kept_rows`), so that a save writes them back unchanged.
    With ``empty`` only the table's columns are read, no feature: the layer of a large
    table that the app reads later, after its window shows (``defer`` of
    :func:`load_project`). With ``arrow`` the table is read through GDAL's Arrow
    stream (pyarrow): about 2.5 times faster for a million points, and mostly without
    holding Python's lock (a read on a worker thread leaves the window responsive).
    """
    try:
        frame = pyogrio.read_dataframe(
            path,
            layer=spec.name,
            use_arrow=arrow,
            fid_as_index=True,
            where="0 = 1" if empty else None,
        )
    except Exception as err:  # GDAL raises many types; the user needs the message only
        message = first_line(err)
        raise ProjectLoadError(
            f"layer '{spec.name}' in {Path(path).name} is unreadable: {message}"
        ) from None
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.name is None:
        raise ProjectLoadError(f"layer '{spec.name}' in {Path(path).name} has no geometry")
    missing = [c for c in spec.columns if c not in frame.columns]
    if missing:
        raise ProjectLoadError(
            f"layer '{spec.name}' in {Path(path).name} lacks the column(s) {', '.join(missing)}"
        )
    if frame.crs is None:
        raise ProjectLoadError(f"layer '{spec.name}' in {Path(path).name} has no CRS")
    if not frame.crs.equals(WORKING_CRS):
        try:
            frame = frame.to_crs(WORKING_CRS)
        except Exception as err:  # pyproj raises several types
            raise ProjectLoadError(
                f"layer '{spec.name}' in {Path(path).name} cannot be "
                f"reprojected from {frame.crs.to_string()} to "
                f"{WORKING_CRS}: {first_line(err)}"
            ) from None
    missing_geometry = frame.geometry.isna().to_numpy()
    empty = ~missing_geometry & frame.geometry.is_empty.to_numpy()
    unreadable = missing_geometry | empty
    kept = None
    if unreadable.any():
        fids = [int(fid) for fid in frame.index[unreadable]]
        try:
            kept = read_kept_rows(Path(path), spec.name, fids, set(frame.index[empty].tolist()))
        except sqlite3.Error as err:
            raise ProjectLoadError(
                f"layer '{spec.name}' in {Path(path).name} is unreadable: {first_line(err)}"
            ) from None
    frame = frame[~unreadable].reset_index(drop=True)
    _check_geometry(frame, spec, Path(path).name)
    layer = Layer.from_spec(spec, frame, provenance)
    keep_rows(layer, kept)
    set_origin(layer, table_origin(Path(path), spec.name))
    return layer


def table_origin(path: Path, table: str) -> Origin:
    """The table's geometry column and declared column types (empty when unreadable)."""
    geometry, types = None, {}
    try:
        with sqlite3.connect(readonly_uri(path), uri=True) as con:
            row = con.execute(
                "SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?", (table,)
            ).fetchone()
            geometry = None if row is None else str(row[0])
            quoted = table.replace('"', '""')
            types = {
                str(info[1]): str(info[2] or "").upper()
                for info in con.execute(f'PRAGMA table_info("{quoted}")').fetchall()
            }
        con.close()
    except sqlite3.Error:
        pass
    return Origin(path=path, table=table, geometry_column=geometry, column_types=types)


_KIND_TYPES = {
    "point": {"Point", "MultiPoint"},
    "polygon": {"Polygon", "MultiPolygon"},
    "line": {"LineString", "MultiLineString"},
    "mixed": {"Point", "MultiPoint", "Polygon", "MultiPolygon"},
}


def _check_geometry(frame: gpd.GeoDataFrame, spec: LayerSpec, file_name: str) -> None:
    """Refuse wrong geometry types and coordinates that are not finite."""
    types = set(frame.geom_type.unique()) - _KIND_TYPES[spec.geometry_kind]
    if types:
        raise ProjectLoadError(
            f"layer '{spec.name}' in {file_name} must hold "
            f"{spec.geometry_kind} features, not {', '.join(sorted(types))}"
        )
    if len(frame) and not np.isfinite(frame.total_bounds).all():
        raise ProjectLoadError(
            f"layer '{spec.name}' in {file_name} has coordinates that do "
            "not fit its CRS (infinite after reprojection: a wrong CRS?)"
        )


def spec_is_empty(path: Path, layer: str) -> bool:
    """True when ``layer`` of the GeoPackage has no features."""
    try:
        return pyogrio.read_info(path, layer=layer)["features"] == 0
    except Exception:
        return False


def load_project(
    path: Path, progress: Progress | None = None, defer: Collection[str] = ()
) -> LayerStack:
    """Load every default thematic layer of the project GeoPackage at ``path``.

    Parameters
    ----------
    path : Path
        The project GeoPackage.
    progress : callable, optional
        ``progress(fraction, message)`` after each layer.
    defer : collection of str
        Layers read without their features (:func:`read_layer` ``empty``): the caller
        reads them later (the app, after its window shows).

    Returns
    -------
    LayerStack
        Layers in panel order (start-ups on top, gu at the bottom).

    Raises
    ------
    ProjectLoadError
        When the file is missing, not a GeoPackage, or a layer is absent or invalid.
    """
    path = Path(path)
    check_geopackage(path)
    try:
        available = {str(name) for name, _ in pyogrio.list_layers(path)}
    except Exception as err:
        raise ProjectLoadError(f"{path.name} cannot be opened: {err}") from None
    missing = [spec.name for spec in DEFAULT_SPECS if spec.name not in available]
    if missing:
        raise ProjectLoadError(f"{path.name} lacks the layer(s) {', '.join(missing)}")
    provenance = read_provenance(path)
    stack = LayerStack()
    if spec_is_empty(path, "districts"):
        raise ProjectLoadError(f"{path.name}: the districts layer has no features")
    for number, spec in enumerate(DEFAULT_SPECS, start=1):
        stack.append(read_layer(path, spec, provenance.get(spec.name), empty=spec.name in defer))
        if progress is not None:
            progress(number / len(DEFAULT_SPECS), spec.name)
    return stack
