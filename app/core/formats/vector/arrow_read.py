"""GeoPackage and Shapefile layers read through pyogrio's Arrow stream (``open_arrow``):
record batches of :data:`~app.core.formats.vector.read.BATCH_ROWS` features (progress and
cancel between batches), the attributes converted to pandas as
``pyogrio.read_dataframe(use_arrow=True)`` does, and the geometry decoded at once.

A layer of plain 2D points (the usual start-up file) is not turned into shapely objects
here: :class:`XYPoints` holds its coordinates (as for a CSV's points), so that the
importer reprojects the arrays and makes each point once, in EPSG:5186. Well-known
binary of 21 bytes per point (little endian, type 1) is decoded with numpy; any other
geometry with ``shapely.from_wkb``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from app.core.formats.vector.model import _check_cancel

#: Suffixes read through the Arrow stream (other formats keep the row-by-row reader).
ARROW_SUFFIXES = {".gpkg", ".shp"}
_POINT_WKB = 21  # byte order (1) + type (4) + x, y (8 + 8)


@dataclass
class XYPoints:
    """A layer of 2D points with finite coordinates, not yet made into geometries (read
    through Arrow, or from a CSV's coordinate columns).

    Attributes
    ----------
    attributes : DataFrame
        The attribute columns (RangeIndex).
    coords : ndarray of shape (n, 2)
        x/y in the layer's CRS.
    crs : object
        The layer's CRS (anything pyproj accepts) or None.
    """

    attributes: pd.DataFrame
    coords: np.ndarray
    crs: object

    def __len__(self) -> int:
        return len(self.coords)

    def to_frame(self) -> gpd.GeoDataFrame:
        """The layer as a GeoDataFrame in its own CRS (points made here)."""
        return gpd.GeoDataFrame(self.attributes, geometry=shapely.points(self.coords), crs=self.crs)


def read_arrow(
    source: Path | str,
    path: Path,
    layer: str | None,
    encoding: str | None,
    columns: list[str] | None,
    total: int,
    batch_rows: int,
    progress: Callable[[float, str], None] | None,
    cancelled: Callable[[], bool] | None,
) -> gpd.GeoDataFrame | XYPoints | pd.DataFrame:
    """One layer through the Arrow stream, in record batches.

    Parameters
    ----------
    source, path : path-like
        What GDAL opens, and the user's file (for messages).
    layer, encoding, columns
        As for ``pyogrio.read_dataframe``.
    total : int
        The feature count (for progress).
    batch_rows : int
        Features per record batch.
    progress, cancelled : callable or None
        Called between batches (see :func:`~app.core.formats.vector.read.read_vector`).

    Returns
    -------
    GeoDataFrame, XYPoints or DataFrame
        :class:`XYPoints` for plain 2D points, a DataFrame for a table without
        geometry, else a GeoDataFrame.
    """
    import pyarrow as pa
    from pyogrio.raw import open_arrow

    kwargs: dict = {"layer": layer, "encoding": encoding, "datetime_as_string": True}
    if columns is not None:
        kwargs["columns"] = columns
    batches = []
    done = 0
    with open_arrow(source, batch_size=batch_rows, use_pyarrow=True, **kwargs) as (meta, reader):
        schema = reader.schema
        for batch in reader:
            _check_cancel(cancelled, path)
            batches.append(batch)
            done += batch.num_rows
            if progress is not None and total:
                progress(
                    0.8 * min(done / total, 1.0), f"reading {path.name}: {done} of {total} features"
                )
    _check_cancel(cancelled, path)
    table = pa.Table.from_batches(batches, schema=schema)
    del batches
    name = meta["geometry_name"] or "wkb_geometry"
    wkb = table.column(name) if name in table.column_names else None
    if wkb is not None:
        table = table.drop_columns([name])
    attributes = _to_pandas(table, meta)
    if wkb is None:
        return attributes
    coords = _point_coords(wkb)
    if coords is not None:
        return XYPoints(attributes, coords, meta["crs"])
    geoms = shapely.from_wkb(np.asarray(wkb.to_numpy(zero_copy_only=False), dtype=object))
    return gpd.GeoDataFrame(attributes, geometry=geoms, crs=meta["crs"])


def _to_pandas(table, meta: dict) -> pd.DataFrame:
    """The attribute table as ``pyogrio.read_dataframe`` converts it (dates and
    date-times read as text and parsed as the row reader does; booleans with nulls as
    floats)."""
    from pyogrio.geopandas import _try_parse_datetime

    frame = table.to_pandas()
    fields = [str(f) for f in meta["fields"]]
    for dtype, column in zip(meta["dtypes"], fields, strict=True):
        if column in frame.columns and dtype is not None and dtype.startswith("datetime"):
            frame[column] = _try_parse_datetime(frame[column], False, False)
        elif column in frame.columns and dtype == "bool" and frame[column].dtype == object:
            # booleans with nulls: 1.0/0.0/NaN, as the row reader gives them
            frame[column] = frame[column].astype("boolean").to_numpy(dtype=float, na_value=np.nan)
    if not isinstance(frame.index, pd.RangeIndex):
        frame = frame.reset_index(drop=True)
    return frame


def _point_coords(wkb) -> np.ndarray | None:
    """x/y of a column of 2D little-endian WKB points without NaN, else None."""
    n = len(wkb)
    if n == 0 or wkb.null_count:
        return None
    out = np.empty((n, 2))
    row = 0
    for chunk in wkb.chunks:
        if hasattr(chunk, "storage"):  # the geoarrow.wkb extension type
            chunk = chunk.storage
        m = len(chunk)
        if m == 0:
            continue
        _, offset_buf, data_buf = chunk.buffers()[:3]
        width = 8 if str(chunk.type) in ("large_binary",) else 4
        offsets = np.frombuffer(offset_buf, dtype=np.int64 if width == 8 else np.int32)
        offsets = offsets[chunk.offset : chunk.offset + m + 1]
        if not np.all(np.diff(offsets) == _POINT_WKB):
            return None
        data = np.frombuffer(data_buf, dtype=np.uint8)[offsets[0] : offsets[-1]]
        records = data.reshape(m, _POINT_WKB)
        if not (np.all(records[:, 0] == 1) and np.all(records[:, 1:5].view("<u4") == 1)):
            return None
        out[row : row + m] = records[:, 5:].copy().view("<f8")
        row += m
    if not np.isfinite(out).all():
        return None  # empty points (NaN) and the like: the general path says what it drops
    return out
