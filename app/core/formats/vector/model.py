"""What the vector import engine hands around: :class:`InputError`, the user's
:class:`ReadOptions`, the :class:`FileInfo`/:class:`LayerInfo` an inspection returns, the
:class:`VectorLayer` a read returns, and the constants the readers share (CRS presets,
CSV suffixes, the encoding sample size, the "pick its CRS" hint).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np

from app.core.errors import InnoAtlasError
from app.core.progress import Cancelled

#: The CRSs Korean data comes in (docs/zoning.md), for the "this file has no CRS" choice.
KOREAN_CRS_PRESETS: tuple[tuple[str, str], ...] = (
    ("EPSG:5186", "Korea 2000 / Central Belt 2010"),
    ("EPSG:5179", "Korea 2000 / Unified CS (UTM-K)"),
    ("EPSG:5181", "Korea 2000 / Central Belt"),
    ("EPSG:5174", "Korean 1985 / Modified Central Belt (Bessel)"),
    ("EPSG:4326", "WGS 84 (longitude/latitude)"),
)
CSV_SUFFIXES = {".csv", ".tsv", ".txt"}
_SAMPLE_BYTES = 4 << 20  # text sampled for encoding detection
_PRESET_HINT = "pick its CRS (EPSG:5186, 5179, 5181, 5174 or 4326)"


class InputError(InnoAtlasError):
    """An input file cannot be used; the message says why in one line."""


@dataclass(frozen=True)
class ReadOptions:
    """The user's answers for one file (all optional)."""

    layer: str | None = None  # layer of a multi-layer file (GeoPackage)
    encoding: str | None = None  # None: detect (UTF-8 when valid, else CP949)
    assumed_crs: str | None = None  # CRS of a file that has none, e.g. "EPSG:5179"
    x_column: str | None = None  # CSV coordinate columns; None: guess
    y_column: str | None = None
    #: Attribute columns to read (GDAL formats; a CSV is read whole); None: all. Names
    #: the layer does not have are left out.
    columns: tuple[str, ...] | None = None
    #: False: a layer of plain 2D points (GeoPackage, Shapefile, CSV) comes with its
    #: EPSG:5186 coordinates in :attr:`VectorLayer.xy` and a geometry column of missing
    #: values (no shapely point made: for a headless computation on the coordinates).
    make_points: bool = True


@dataclass
class LayerInfo:
    """One layer of a file: name, geometry type (None for a table) and feature count
    (None when it is not known without reading the layer)."""

    name: str
    geometry_type: str | None
    features: int | None


@dataclass
class FileInfo:
    """What :func:`inspect_vector` found out about a file without reading it all."""

    path: Path
    driver: str
    layers: list[LayerInfo]
    columns: list[str]
    encoding: str | None
    encoding_note: str
    crs: str | None
    crs_guess: str | None
    x_column: str | None
    y_column: str | None
    notes: list[str] = field(default_factory=list)
    layer: str | None = None  # the layer whose columns are listed (None: the only one)


@dataclass
class VectorLayer:
    """A layer read by :func:`read_vector`."""

    frame: gpd.GeoDataFrame
    path: Path
    layer: str | None
    notes: list[str] = field(default_factory=list)
    source_crs: str | None = None  # the file's CRS (or the assumed/guessed one)
    encoding: str | None = None  # text encoding used (shapefile/CSV), else None
    #: The points' coordinates (n x 2, EPSG:5186) when the layer is plain 2D points read
    #: on the fast path (GeoPackage, Shapefile, CSV), else None.
    xy: np.ndarray | None = None


def _check_cancel(cancelled: Callable[[], bool] | None, path: Path) -> None:
    if cancelled is not None and cancelled():
        raise Cancelled(f"import of {path.name} cancelled")
