"""Read one vector layer from any file pyogrio reads (or a CSV of coordinates), checked,
in EPSG:5186: :func:`read_vector`, in batches of :data:`BATCH_ROWS` features (progress
and cancel between batches), then the geometry is cleaned and reprojected.

Every problem the user can fix becomes an :class:`~app.core.formats.vector.model.InputError`
with a one-line message naming the file: missing, empty or truncated files, invalid JSON,
a shapefile without its .dbf, no geometry, no features, coordinates that are not numbers,
mixed geometry types, a CRS PROJ does not know or cannot transform, no CRS on
coordinates that look projected. Problems the importer can repair are repaired and said
in :attr:`~app.core.formats.vector.model.VectorLayer.notes`: a missing .shx is rebuilt
(in a temporary copy), invalid polygons are made valid, Z is dropped, features without
(finite) coordinates are dropped, swapped CSV coordinates are swapped back, a file
without CRS whose coordinates all look like longitude/latitude is read as EPSG:4326,
features far from Korea are flagged (wrong CRS?).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyproj
import shapely
from geopandas.array import GeometryArray

from app.core.errors import first_line
from app.core.formats.vector.arrow_read import ARROW_SUFFIXES, XYPoints, read_arrow
from app.core.formats.vector.crs import (
    _geojson_crs,
    _geojson_crs_name,
    _looks_geographic,
    _parse_crs,
    crs_label,
    datum_shift_note,
)
from app.core.formats.vector.csv_points import _csv_points, _read_csv_table
from app.core.formats.vector.encoding import (
    _csv_encoding,
    _display,
    _shapefile_encoding,
    gdal_encoding,
)
from app.core.formats.vector.inspection import _choose_layer
from app.core.formats.vector.limits import read_capped
from app.core.formats.vector.model import (
    _PRESET_HINT,
    CSV_SUFFIXES,
    InputError,
    ReadOptions,
    VectorLayer,
    _check_cancel,
)
from app.core.formats.vector.paths import _bad_prj, _check_path, _readable, _sibling, _unreadable
from app.core.formats.vector.shp_points import read_shp_points
from app.core.progress import Cancelled
from layers.model import WORKING_CRS

#: Features (CSV: rows) per read batch; progress and cancel between batches.
BATCH_ROWS = 50_000
#: Suffixes tried first with the numpy reader of Point shapefiles (``shp_points``).
SHP_POINT_SUFFIXES = {".shp"}
KOREA_LON = (120.0, 135.0)
KOREA_LAT = (30.0, 45.0)


def _read_ogr(
    source: Path | str,
    path: Path,
    layer: str | None,
    encoding: str | None,
    what: str,
    progress,
    cancelled,
    columns: tuple[str, ...] | None = None,
) -> gpd.GeoDataFrame:
    """All features of one layer (only ``columns`` of its attributes when given), in
    batches of BATCH_ROWS when there are more."""
    try:
        info = pyogrio.read_info(source, layer=layer, encoding=encoding)
        total = int(info["features"])
    except Exception as err:
        raise InputError(_unreadable(path, what, err)) from None
    kwargs: dict = {"layer": layer, "encoding": encoding}
    if columns is not None:
        kwargs["columns"] = [str(c) for c in info["fields"] if str(c) in set(columns)]
    if path.suffix.lower() in ARROW_SUFFIXES:
        if path.suffix.lower() in SHP_POINT_SUFFIXES and isinstance(source, Path):
            points = read_shp_points(
                source, path, encoding, [str(f) for f in info["fields"]], kwargs.get("columns"),
                total, progress, cancelled,
            )  # fmt: skip
            if points is not None:  # else not plain points, or GDAL must read it: as before
                return points
        try:
            return read_arrow(
                source, path, layer, encoding, kwargs.get("columns"), total, BATCH_ROWS,
                progress, cancelled,
            )  # fmt: skip
        except (InputError, Cancelled):
            raise
        except Exception:  # what Arrow cannot read, the row reader reads or explains
            pass
    try:
        if total <= BATCH_ROWS:
            _check_cancel(cancelled, path)
            return pyogrio.read_dataframe(source, **kwargs)
        parts = []
        for start in range(0, total, BATCH_ROWS):
            _check_cancel(cancelled, path)
            if progress is not None:
                progress(0.8 * start / total, f"reading {path.name}: {start} of {total} features")
            parts.append(
                pyogrio.read_dataframe(
                    source, skip_features=start, max_features=BATCH_ROWS, **kwargs
                )
            )
    except (InputError, Cancelled):
        raise
    except Exception as err:
        raise InputError(_unreadable(path, what, err)) from None
    frame = pd.concat(parts, ignore_index=True)
    return (
        gpd.GeoDataFrame(frame, geometry="geometry", crs=parts[0].crs)
        if isinstance(parts[0], gpd.GeoDataFrame)
        else frame
    )


_FAMILY = {
    0: "Point",
    4: "Point",
    1: "LineString",
    2: "LineString",
    5: "LineString",
    3: "Polygon",
    6: "Polygon",
    7: "GeometryCollection",
}


def _clean_geometry(
    frame: gpd.GeoDataFrame, where: str, what: str, name: str, notes: list[str], allow_mixed: bool
) -> gpd.GeoDataFrame:
    """Drop features without (finite) geometry, drop Z, refuse mixed types, repair
    invalid polygons."""
    geoms = np.asarray(frame.geometry.values, dtype=object)
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    if not present.any():
        raise InputError(f"{what} file {where} is empty (no features with geometry)")
    coords, index = shapely.get_coordinates(geoms, include_z=True, return_index=True)
    bad_rows = np.unique(index[~np.isfinite(coords[:, :2]).all(axis=1)])
    finite = present.copy()
    finite[bad_rows] = False
    if not finite.any():
        raise InputError(
            f"{what} file {where}: no feature has finite coordinates (all NaN/infinite)"
        )
    if (~present).sum():
        notes.append(f"{name}: {int((~present).sum())} features without geometry dropped")
    if len(bad_rows):
        notes.append(f"{name}: {len(bad_rows)} features with NaN/infinite coordinates dropped")
    changed = not finite.all()  # the frame is copied only when something changes
    if changed:
        frame = frame[finite].reset_index(drop=True)
        geoms = geoms[finite]
    if shapely.has_z(geoms).any():
        geoms = shapely.force_2d(geoms)
        changed = True
        notes.append(f"{name}: 3D geometries: heights (Z) dropped")
    types = shapely.get_type_id(geoms)
    families = sorted({_FAMILY[t] for t in np.unique(types)})
    if families == ["Point"]:  # nothing below applies to points
        if changed:
            frame = frame.copy()
            frame[frame.geometry.name] = gpd.GeoSeries(geoms, crs=frame.crs, index=frame.index)
        elif not frame.index.equals(pd.RangeIndex(len(frame))):
            frame = frame.reset_index(drop=True)
        return frame
    changed = True
    if families == ["GeometryCollection", "Polygon"]:  # e.g. output of a clip: keep areas
        collections = types == 7
        geoms[collections] = _polygonal_parts(geoms[collections])
        notes.append(
            f"{name}: {int(collections.sum())} geometry collections reduced to their polygons"
        )
        families = ["Polygon"]
        keep = ~shapely.is_empty(geoms)
        if not keep.any():
            raise InputError(f"{what} file {where}: no polygon has an area")
        frame, geoms = frame[keep].reset_index(drop=True), geoms[keep]
    if len(families) > 1 and not allow_mixed:
        raise InputError(
            f"{what} file {where} has mixed geometry types ({', '.join(families)}): split the layer"
        )
    polygonal = np.isin(shapely.get_type_id(geoms), [3, 6])
    invalid = polygonal & ~shapely.is_valid(geoms)
    if invalid.any():
        repaired = _polygonal_parts(shapely.make_valid(geoms[invalid]))
        geoms[invalid] = repaired
        lost = shapely.is_empty(repaired)
        notes.append(
            f"{name}: {int(invalid.sum())} invalid polygons repaired"
            + (f" ({int(lost.sum())} without area dropped)" if lost.any() else "")
        )
        keep = ~shapely.is_empty(geoms)
        if not keep.any():
            raise InputError(f"{what} file {where}: no polygon has an area")
        frame, geoms = frame[keep].reset_index(drop=True), geoms[keep]
    frame = frame.copy()
    frame[frame.geometry.name] = gpd.GeoSeries(geoms, crs=frame.crs, index=frame.index)
    return frame


def _polygonal_parts(geoms: np.ndarray) -> np.ndarray:
    """The polygonal parts of each geometry (make_valid may return collections), as one
    Polygon or MultiPolygon each; an empty Polygon where nothing has area."""
    parts, index = shapely.get_parts(geoms, return_index=True)
    parts, sub = shapely.get_parts(parts, return_index=True)  # collections of multis
    index = index[sub]
    keep = shapely.get_type_id(parts) == 3
    result = np.array([shapely.Polygon() for _ in range(len(geoms))], dtype=object)
    rows = np.unique(index[keep])
    if len(rows):
        merged = shapely.multipolygons(parts[keep], indices=index[keep])
        result[rows] = np.asarray(merged, dtype=object)[rows]
    single = shapely.get_num_geometries(result) == 1
    result[single] = shapely.get_geometry(result[single], 0)
    return result


def read_vector(
    path: Path | str,
    what: str = "layer",
    preferred_layer: str | None = None,
    *,
    options: ReadOptions | None = None,
    progress: Callable[[float, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    allow_mixed: bool | None = None,
) -> VectorLayer:
    """Read, check, repair and reproject one vector layer.

    Parameters
    ----------
    path : path-like
        A GeoPackage, GeoJSON, Shapefile, CSV with coordinate columns or any other
        format pyogrio reads.
    what : str
        What the layer is, for messages (``"sites"``, ``"start-ups"`` ...).
    preferred_layer : str, optional
        In a multi-layer file, the layer to read when present (else the first
        layer with geometry); ``options.layer`` wins.
    options : ReadOptions, optional
        Layer, text encoding, assumed CRS, CSV coordinate columns.
    progress : callable, optional
        ``progress(fraction, message)``, called between batches.
    cancelled : callable, optional
        Checked between batches, after the checks and after the reprojection (last
        thing before returning); when it returns True
        :class:`~app.core.progress.Cancelled` is raised.
    allow_mixed : bool, optional
        Accept points and polygons in one layer (default: only when ``what`` is
        ``"sites"``).

    Returns
    -------
    VectorLayer
        The features in EPSG:5186 and the notes of what was repaired or assumed.

    Raises
    ------
    InputError
        The file cannot be used (see the module docstring); one line naming the file.
    """
    path = Path(path)
    options = options or ReadOptions()
    allow_mixed = what == "sites" if allow_mixed is None else allow_mixed
    try:
        return _read_vector(path, what, preferred_layer, options, progress, cancelled, allow_mixed)
    except (InputError, Cancelled):
        raise
    except Exception as err:  # a GDAL/PROJ/pandas failure not foreseen: still one line
        raise InputError(f"cannot read {what} from {path}: {first_line(err)}") from None


def _read_vector(
    path: Path,
    what: str,
    preferred_layer: str | None,
    options: ReadOptions,
    progress,
    cancelled,
    allow_mixed: bool,
) -> VectorLayer:
    _check_path(path, what)
    notes: list[str] = []
    if options.assumed_crs is not None:
        _parse_crs(options.assumed_crs, path.name)
    if path.suffix.lower() in CSV_SUFFIXES:
        codec, note = _csv_encoding(path, options.encoding)
        notes += [note] if note else []
        table = _read_csv_table(
            path, codec, progress=progress, cancelled=cancelled, batch_rows=BATCH_ROWS
        )
        frame = _csv_points(table, path, what, options, notes)
        layer, encoding, declared_crs = None, _display(codec), True
    else:
        frame, layer, encoding, default_crs = _read_file(
            path, what, preferred_layer, options, notes, progress, cancelled
        )
        declared_crs = False
    _check_cancel(cancelled, path)
    where = f"{path}" + (f" (layer {layer})" if layer else "")
    if isinstance(frame, XYPoints):  # plain points (Arrow or CSV): made once, in EPSG:5186
        if frame.crs is not None:
            return _arrow_points(
                frame, path, layer, encoding, what, notes, progress, cancelled, options.make_points
            )
        frame = frame.to_frame()
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.name not in frame.columns:
        raise InputError(f"{what} file {where} has no geometry")
    if len(frame) == 0:
        raise InputError(f"{what} file {where} has no features")
    frame = _clean_geometry(frame, where, what, path.name, notes, allow_mixed)
    _check_cancel(cancelled, path)  # checks and reprojection can take as long as the read
    if not declared_crs and default_crs and not _looks_geographic(frame):
        frame = frame.set_crs(None, allow_override=True)  # not RFC 7946 lon/lat after all
    if not declared_crs:
        frame = _set_crs(frame, path, where, what, options, notes)
    source_crs = crs_label(frame.crs)
    frame = _to_working(frame, path, what, notes)
    _check_cancel(cancelled, path)  # a cancel during the reprojection is not lost
    if progress is not None:
        progress(1.0, f"{path.name}: {len(frame)} features read")
    return VectorLayer(frame, path, layer, notes, source_crs, encoding)


def _read_file(
    path: Path,
    what: str,
    preferred_layer: str | None,
    options: ReadOptions,
    notes: list[str],
    progress,
    cancelled,
):
    encoding, encoding_note = _shapefile_encoding(path, options.encoding)
    encoding = gdal_encoding(encoding)  # the name GDAL knows (it is also the one shown)
    if encoding_note:
        notes.append(encoding_note)
    crs_name, unknown_crs = _geojson_crs(path)
    if unknown_crs and options.assumed_crs is None:
        raise InputError(
            f"{what} file {path} names a CRS PROJ does not know ({crs_name}): {_PRESET_HINT}"
        )
    bad_prj = _bad_prj(path)
    if bad_prj is not None and options.assumed_crs is None:
        raise InputError(
            f"{what} file {path}: its {path.stem}.prj is not a CRS PROJ knows "
            f"({bad_prj[:40]!r}): {_PRESET_HINT}"
        )
    with _readable(path, notes, drop_prj=bad_prj is not None) as source:
        layer = _choose_layer(
            source, options.layer or preferred_layer, what, required=options.layer
        )
        frame = _read_ogr(source, path, layer, encoding, what, progress, cancelled, options.columns)
    # GDAL reads GeoJSON without (or with an unknown) "crs" member as EPSG:4326
    default_crs = path.suffix.lower() in {".geojson", ".json"} and (crs_name is None or unknown_crs)
    if unknown_crs and isinstance(frame, XYPoints):
        frame = frame.to_frame()
    if unknown_crs and isinstance(frame, gpd.GeoDataFrame):
        frame = frame.set_crs(None, allow_override=True)
    return frame, layer, None if encoding is None else _display(encoding), default_crs


def _set_crs(
    frame: gpd.GeoDataFrame,
    path: Path,
    where: str,
    what: str,
    options: ReadOptions,
    notes: list[str],
) -> gpd.GeoDataFrame:
    if frame.crs is not None:
        return frame
    prj = _sibling(path, ".prj") if path.suffix.lower() == ".shp" else None
    if options.assumed_crs is not None:
        crs = _parse_crs(options.assumed_crs, path.name)
        named = _geojson_crs_name(path)
        reason = (
            f"its {prj.name} is not a CRS PROJ knows"
            if prj
            else f"its CRS {named} is not known to PROJ"
            if named
            else "it has no CRS"
        )
        notes.append(f"{path.name}: {reason}: read as {crs_label(crs)} (assumed)")
        return frame.set_crs(crs, allow_override=True)
    if prj is not None:  # GDAL read it but found no CRS in it
        text = read_capped(prj, prj.name).decode("latin-1").strip().replace("\n", " ")
        raise InputError(
            f"{what} file {where}: its {prj.name} is not a CRS PROJ knows "
            f"({text[:40]!r}): {_PRESET_HINT}"
        )
    if not _looks_geographic(frame):
        raise InputError(
            f"{what} file {where} has no CRS and its coordinates look projected: {_PRESET_HINT}"
        )
    notes.append(f"{path.name} has no CRS: read as EPSG:4326 longitude/latitude")
    return frame.set_crs("EPSG:4326")


def _cannot_transform(what: str, path: Path, source, why: str) -> InputError:
    return InputError(
        f"cannot transform {what} from {path} ({crs_label(source)}) to {WORKING_CRS}: {why}"
    )


def _check_transformed(coords: np.ndarray, source, what: str, path: Path, notes: list[str]):
    """Refuse coordinates a transform made infinite; note a datum shift."""
    if len(coords) and not np.isfinite(coords).all():
        raise _cannot_transform(what, path, source, "coordinates outside the CRS's area")
    note = datum_shift_note(source)
    if note is not None and not source.equals(WORKING_CRS):
        notes.append(note)


def _to_working(
    frame: gpd.GeoDataFrame, path: Path, what: str, notes: list[str]
) -> gpd.GeoDataFrame:
    source = frame.crs
    geoms = np.asarray(frame.geometry.values, dtype=object)
    points = len(geoms) > 0 and bool((shapely.get_type_id(geoms) == 0).all())
    try:
        if points:  # one transform of the coordinate arrays, new points made once
            frame, coords = _points_to_working(frame, geoms, source)
        else:
            if not source.equals(WORKING_CRS):
                frame = frame.to_crs(WORKING_CRS)
            coords = shapely.get_coordinates(np.asarray(frame.geometry.values, dtype=object))
    except Exception as err:
        raise _cannot_transform(what, path, source, first_line(err)) from None
    _check_transformed(coords, source, what, path, notes)
    if points:
        _outside_korea_xy(coords[:, 0], coords[:, 1], len(coords), path.name, notes)
    else:
        _outside_korea(frame, path.name, notes)
    return frame


def _arrow_points(
    points: XYPoints,
    path: Path,
    layer: str | None,
    encoding: str | None,
    what: str,
    notes: list[str],
    progress,
    cancelled,
    make_points: bool = True,
) -> VectorLayer:
    """:func:`_read_vector`'s end for plain 2D points (read through Arrow or from a CSV:
    nothing to clean): the coordinates reprojected at once, the checks of
    :func:`_to_working` on them, and each point made once, in EPSG:5186 (or none, with
    ``make_points=False``: the coordinates are in the layer's ``xy``)."""
    source = pyproj.CRS.from_user_input(points.crs)
    try:
        coords = _xy_to_working(points.coords, source)
    except Exception as err:
        raise _cannot_transform(what, path, source, first_line(err)) from None
    _check_transformed(coords, source, what, path, notes)
    _outside_korea_xy(coords[:, 0], coords[:, 1], len(coords), path.name, notes)
    _check_cancel(cancelled, path)
    geoms = (
        GeometryArray(shapely.points(coords), crs=WORKING_CRS)
        if make_points
        else GeometryArray(np.full(len(coords), None, dtype=object), crs=WORKING_CRS)
    )
    frame = gpd.GeoDataFrame(points.attributes, geometry=gpd.GeoSeries(geoms), crs=WORKING_CRS)
    _check_cancel(cancelled, path)
    if progress is not None:
        progress(1.0, f"{path.name}: {len(frame)} features read")
    return VectorLayer(frame, path, layer, notes, crs_label(source), encoding, xy=coords)


def _xy_to_working(coords: np.ndarray, source) -> np.ndarray:
    """Coordinates (n x 2) from ``source`` to EPSG:5186 (always x/y, as ``to_crs``)."""
    if source.equals(WORKING_CRS):
        return coords
    transformer = _to_working_transformer(threading.get_ident(), source.to_wkt())
    x, y = transformer.transform(coords[:, 0], coords[:, 1], errcheck=False)
    return np.column_stack([np.asarray(x, dtype=float), np.asarray(y, dtype=float)])


@functools.lru_cache(maxsize=16)
def _to_working_transformer(thread: int, source_wkt: str) -> pyproj.Transformer:
    """A transformer to EPSG:5186 (always x/y), made once per thread and source CRS
    (the sites and the start-ups of one run usually share theirs)."""
    return pyproj.Transformer.from_crs(pyproj.CRS.from_wkt(source_wkt), WORKING_CRS, always_xy=True)


def _points_to_working(
    frame: gpd.GeoDataFrame, geoms: np.ndarray, source
) -> tuple[gpd.GeoDataFrame, np.ndarray]:
    """A frame of 2D points (no empties) in EPSG:5186 and its coordinates (n x 2): the
    arrays transformed at once (as ``to_crs`` does, always x/y) and the points made from
    them, without copying each geometry first."""
    coords = shapely.get_coordinates(geoms)
    if source.equals(WORKING_CRS):
        return frame, coords
    coords = _xy_to_working(coords, source)
    moved = gpd.GeoSeries(shapely.points(coords), index=frame.index, crs=WORKING_CRS)
    frame = frame.set_geometry(moved.rename(frame.geometry.name), crs=WORKING_CRS)
    return frame, coords


#: The Korea box (lon/lat) in EPSG:5186, densified, and 2 km inside and outside of it:
#: points inside the inner one need no transform back to say they are in Korea.
@functools.cache
def _korea_rings() -> tuple:
    lon = np.linspace(KOREA_LON[0], KOREA_LON[1], 301)
    lat = np.linspace(KOREA_LAT[0], KOREA_LAT[1], 301)
    ring_lon = np.r_[lon, np.full(301, KOREA_LON[1]), lon[::-1], np.full(301, KOREA_LON[0])]
    ring_lat = np.r_[np.full(301, KOREA_LAT[0]), lat, np.full(301, KOREA_LAT[1]), lat[::-1]]
    to_working = pyproj.Transformer.from_crs("EPSG:4326", WORKING_CRS, always_xy=True)
    box = shapely.Polygon(np.column_stack(to_working.transform(ring_lon, ring_lat)))
    inner, outer = box.buffer(-2000.0), box.buffer(2000.0)
    shapely.prepare(inner)
    shapely.prepare(outer)
    return inner, outer


def _outside_korea_xy(x: np.ndarray, y: np.ndarray, n: int, name: str, notes: list[str]) -> None:
    """:func:`_outside_korea` for points: only those near the box's edge are transformed."""
    inner, outer = _korea_rings()
    inside = shapely.contains_xy(inner, x, y)
    unsure = inside.copy()
    unsure[~inside] = shapely.contains_xy(outer, x[~inside], y[~inside])
    unsure &= ~inside
    outside = ~inside & ~unsure
    if unsure.any():
        to_lonlat = pyproj.Transformer.from_crs(WORKING_CRS, "EPSG:4326", always_xy=True)
        lon, lat = to_lonlat.transform(x[unsure], y[unsure])
        outside[unsure] = ~(
            (lon >= KOREA_LON[0])
            & (lon <= KOREA_LON[1])
            & (lat >= KOREA_LAT[0])
            & (lat <= KOREA_LAT[1])
        )
    _outside_note(int(outside.sum()), n, name, notes)


def _outside_korea(frame: gpd.GeoDataFrame, name: str, notes: list[str]) -> None:
    bounds = shapely.bounds(np.asarray(frame.geometry.values, dtype=object))
    x, y = (bounds[:, 0] + bounds[:, 2]) / 2, (bounds[:, 1] + bounds[:, 3]) / 2
    to_lonlat = pyproj.Transformer.from_crs(WORKING_CRS, "EPSG:4326", always_xy=True)
    lon, lat = to_lonlat.transform(x, y)
    outside = ~(
        (lon >= KOREA_LON[0])
        & (lon <= KOREA_LON[1])
        & (lat >= KOREA_LAT[0])
        & (lat <= KOREA_LAT[1])
    )
    _outside_note(int(outside.sum()), len(outside), name, notes)


def _outside_note(n: int, total: int, name: str, notes: list[str]) -> None:
    if n:
        notes.append(
            f"{name}: {n} of {total} features {'lies' if n == 1 else 'lie'} "
            "outside Korea: wrong CRS?"
        )
