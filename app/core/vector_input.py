"""Read one vector layer from any file pyogrio reads, checked, in EPSG:5186.

Every problem the user can fix becomes an :class:`InputError` with a one-line message:
missing or unreadable file, no geometry, no features, no CRS on coordinates that look
projected. A file without CRS whose coordinates all look like longitude/latitude is
read as EPSG:4326 (GeoJSON's default) and says so in :attr:`VectorLayer.notes`.

Shapefiles from Korean portals are often CP949 without a .cpg file: when GDAL cannot
decode a .shp's text as UTF-8 the file is read again as CP949 (ZONING.md).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import shapely

from app.core.errors import InnoAtlasError
from layers.model import WORKING_CRS


class InputError(InnoAtlasError):
    """An input file cannot be used; the message says why in one line."""


@dataclass
class VectorLayer:
    """A layer read by :func:`read_vector`."""

    frame: gpd.GeoDataFrame
    path: Path
    layer: str | None
    notes: list[str] = field(default_factory=list)


def _first_line(err: Exception) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__


def _choose_layer(path: Path, preferred: str | None) -> str | None:
    try:
        layers = pyogrio.list_layers(path)
    except Exception as err:  # GDAL raises many types; the user needs the message only
        raise InputError(f"cannot read {path}: {_first_line(err)}") from None
    if len(layers) == 0:
        raise InputError(f"{path} holds no layer")
    names = [str(name) for name, _ in layers]
    if preferred in names:
        return preferred
    with_geometry = [str(name) for name, kind in layers if kind is not None]
    return (with_geometry or names)[0] if len(names) > 1 else None


def _read(path: Path, layer: str | None, notes: list[str]) -> gpd.GeoDataFrame:
    kwargs = {} if layer is None else {"layer": layer}
    needs_encoding = path.suffix.lower() == ".shp" and not path.with_suffix(".cpg").exists()
    if needs_encoding:
        try:
            return pyogrio.read_dataframe(path, encoding="UTF-8", **kwargs)
        except Exception:
            notes.append(f"{path.name}: text is not UTF-8, read as CP949")
            kwargs["encoding"] = "CP949"
    return pyogrio.read_dataframe(path, **kwargs)


def _looks_geographic(frame: gpd.GeoDataFrame) -> bool:
    xmin, ymin, xmax, ymax = frame.total_bounds
    return bool(np.all(np.isfinite([xmin, ymin, xmax, ymax]))
                and -180 <= xmin <= xmax <= 180 and -90 <= ymin <= ymax <= 90)


def read_vector(path: Path | str, what: str = "layer", preferred_layer: str | None = None
                ) -> VectorLayer:
    """Read, check and reproject one vector layer.

    Parameters
    ----------
    path : path-like
        A GeoPackage, GeoJSON, Shapefile or any other format pyogrio reads.
    what : str
        What the layer is, for messages (``"sites"``, ``"start-ups"`` ...).
    preferred_layer : str, optional
        In a multi-layer file, the layer to read when present (else the first
        layer with geometry).

    Returns
    -------
    VectorLayer
        The features in EPSG:5186 (rows without geometry dropped) and notes.

    Raises
    ------
    InputError
        Missing or unreadable file, no geometry column, no features, or no CRS on
        coordinates that look projected.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"{what} file not found: {path}")
    if path.is_dir() and path.suffix.lower() not in {".gdb"}:
        raise InputError(f"{what} path is a folder, not a file: {path}")
    notes: list[str] = []
    layer = _choose_layer(path, preferred_layer)
    try:
        frame = _read(path, layer, notes)
    except Exception as err:
        raise InputError(f"cannot read {what} from {path}: {_first_line(err)}") from None
    where = f"{path}" + (f" (layer {layer})" if layer else "")
    if not isinstance(frame, gpd.GeoDataFrame) or "geometry" not in frame.columns:
        raise InputError(f"{what} file {where} has no geometry")
    geoms = np.asarray(frame.geometry.values, dtype=object)
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    if len(frame) == 0 or not present.any():
        raise InputError(f"{what} file {where} is empty (no features with geometry)")
    frame = frame[present].reset_index(drop=True)
    if frame.crs is None:
        if not _looks_geographic(frame):
            raise InputError(f"{what} file {where} has no CRS and its coordinates look "
                             "projected: save it with its CRS (e.g. a .prj file)")
        frame = frame.set_crs("EPSG:4326")
        notes.append(f"{path.name} has no CRS: read as EPSG:4326 longitude/latitude")
    try:
        if not frame.crs.equals(WORKING_CRS):
            frame = frame.to_crs(WORKING_CRS)
    except Exception as err:
        raise InputError(f"cannot reproject {what} from {path} to {WORKING_CRS}: "
                         f"{_first_line(err)}") from None
    return VectorLayer(frame, path, layer, notes)
