"""Export selected features of one layer: CSV (UTF-8 with BOM, for Excel) or GeoPackage.

The synthetic/illustrative column travels with the rows (:func:`layer_frame`), text
cells are neutralised for spreadsheets (:func:`csv_text`), and files are written
atomically: a failure leaves any previous file as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pyogrio
import shapely

from app.core.export.geopackage import ExportError, layer_frame
from app.core.formats.atomic_write import write_atomically, write_text_atomically
from app.core.formats.csv_text import csv_text
from layers.model import Layer


def selected_frame(layer: Layer, rows: Sequence[int] | np.ndarray):
    """The rows (positions in ``layer.data``) as written: caveat column, EPSG:5186."""
    frame = layer_frame(layer)
    return frame.iloc[np.asarray(rows, dtype=int)]


def export_selection(layer: Layer, rows: Sequence[int] | np.ndarray, path: Path | str) -> int:
    """Write the ``rows`` of ``layer`` to ``path`` (``.csv`` or ``.gpkg``); returns the count.

    CSV: the attributes and the geometry as WKT (``x``/``y`` too for points), UTF-8 with
    a BOM so that Excel reads Korean text. GeoPackage: one table named after the layer.

    Raises
    ------
    ExportError
        Unknown extension, nothing selected, or the file cannot be written.
    """
    path = Path(path)
    frame = selected_frame(layer, rows)
    if len(frame) == 0:
        raise ExportError("no features selected")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        geometry = np.asarray(frame.geometry.values)
        table = frame.drop(columns=frame.geometry.name)
        if layer.geometry_kind == "point":
            table = table.assign(x=shapely.get_x(geometry), y=shapely.get_y(geometry))
        table = table.assign(wkt=shapely.to_wkt(geometry, rounding_precision=3))
        write_text_atomically(path, csv_text(table), ExportError, encoding="utf-8-sig")
    elif suffix == ".gpkg":
        write_atomically(
            path,
            lambda temp: pyogrio.write_dataframe(frame, temp, layer=layer.name, driver="GPKG"),
            ExportError,
            verb="export",
            suffix=".exporting.gpkg",
        )
    else:
        raise ExportError(f"cannot export to {path.name}: use .csv or .gpkg")
    return len(frame)


__all__ = ["export_selection", "selected_frame"]
