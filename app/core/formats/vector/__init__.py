"""The Qt-free vector import engine: read one layer from any file pyogrio reads (or a CSV
of coordinates), checked, repaired and reprojected to EPSG:5186.

Shapefiles from Korean portals are often CP949 without a .cpg file, and GDAL then reads
them as ISO-8859-1: garbled Korean with no error. The text bytes of the .dbf are checked
instead: UTF-8 when they are valid UTF-8, else CP949 (which includes EUC-KR), and a .cpg
that names the wrong encoding is overruled with a note (docs/zoning.md). CSV files get the
same detection.

:func:`list_layers`, :func:`inspect_vector` and :func:`preview_attributes` are the cheap
look-ups an import dialog makes before :func:`read_vector` (layers, columns, encoding,
CRS, coordinate columns); :class:`ReadOptions` carries the user's answers. The modules:
``model`` (the records, :class:`InputError`, shared constants), ``limits`` (the size
limits checked before reading, docs/inputs.md), ``paths`` (file checks, sidecars, .zip),
``encoding``, ``crs``, ``csv_points``, ``inspection`` and ``read``. This package
re-exports their public API.
"""

from app.core.formats.vector.crs import crs_label, datum_shift_note
from app.core.formats.vector.csv_points import guess_xy_columns
from app.core.formats.vector.inspection import (
    check_input,
    inspect_vector,
    list_layers,
    preview_attributes,
)
from app.core.formats.vector.model import (
    CSV_SUFFIXES,
    KOREAN_CRS_PRESETS,
    FileInfo,
    InputError,
    LayerInfo,
    ReadOptions,
    VectorLayer,
)
from app.core.formats.vector.paths import SHAPEFILE_PARTS
from app.core.formats.vector.read import read_vector

__all__ = [
    "CSV_SUFFIXES",
    "KOREAN_CRS_PRESETS",
    "SHAPEFILE_PARTS",
    "FileInfo",
    "InputError",
    "LayerInfo",
    "ReadOptions",
    "VectorLayer",
    "check_input",
    "crs_label",
    "datum_shift_note",
    "guess_xy_columns",
    "inspect_vector",
    "list_layers",
    "preview_attributes",
    "read_vector",
]
