"""Where each layer of an open project came from, for a save that loses nothing.

:func:`app.core.project.loader.read_layer` records, per layer, the file and table it was
read from, the table's geometry column and declared column types; opening a project
adds the style and opacity the layer had once the file's ``layer_styles`` were applied.
A save then knows the file whose tables, rows and styles it must carry over
(:mod:`app.core.project.foreign`, :mod:`app.core.project.saved_styles`), which column
types to write back (an INTEGER column with NULLs stays INTEGER), and whether the user
changed a layer's style in InnoAtlas (only then is the file's default style replaced).
Kept beside the layer, like :mod:`app.core.project.kept_rows`, so that layers moved
between stacks keep it.
"""

from __future__ import annotations

import weakref
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

import geopandas as gpd
import pandas as pd

from layers.model import Layer, LayerStack
from layers.style import LayerStyle


@dataclass(frozen=True)
class Origin:
    """Where a layer was read from and how it looked when opened.

    Attributes
    ----------
    path : Path
        The GeoPackage.
    table : str
        Its table.
    geometry_column : str or None
        The table's geometry column (written back under the same name).
    column_types : dict
        Declared SQL type of each column, upper case (``{"floors": "INTEGER"}``).
    style, opacity : LayerStyle or None, float
        The style and opacity once the file's styles were applied (None: not recorded).
    """

    path: Path
    table: str
    geometry_column: str | None = None
    column_types: dict[str, str] = field(default_factory=dict)
    style: LayerStyle | None = None
    opacity: float = 1.0


_ORIGINS: weakref.WeakKeyDictionary[Layer, Origin] = weakref.WeakKeyDictionary()


def set_origin(layer: Layer, origin: Origin | None) -> None:
    """Record (or forget, with None) where ``layer`` came from."""
    if origin is None:
        _ORIGINS.pop(layer, None)
    else:
        _ORIGINS[layer] = origin


def origin_of(layer: Layer) -> Origin | None:
    """Where ``layer`` came from, if it was read from a file."""
    return _ORIGINS.get(layer)


def remember_look(layer: Layer) -> None:
    """Record the layer's current style and opacity as the ones it was opened (or
    last saved) with."""
    origin = _ORIGINS.get(layer)
    if origin is not None:
        _ORIGINS[layer] = replace(origin, style=layer.style, opacity=layer.opacity)


def style_changed(layer: Layer) -> bool:
    """True when the layer's style or opacity differ from those recorded (or none was)."""
    origin = _ORIGINS.get(layer)
    return (
        origin is None
        or origin.style is None
        or origin.style != layer.style
        or origin.opacity != layer.opacity
    )


def source_file(stack: LayerStack) -> Path | None:
    """The file most of the stack's layers were read from, if it still exists."""
    paths = Counter(origin.path for layer in stack if (origin := _ORIGINS.get(layer)) is not None)
    for path, _count in paths.most_common():
        if Path(path).is_file():
            return Path(path)
    return None


def rebase(stack: LayerStack, path: Path) -> None:
    """After a save to ``path``: it is now where every recorded layer comes from, with
    the look it was saved with."""
    for layer in stack:
        origin = _ORIGINS.get(layer)
        if origin is not None:
            _ORIGINS[layer] = replace(
                origin, path=Path(path), style=layer.style, opacity=layer.opacity
            )


#: GeoPackage integer types → the pandas dtype GDAL writes back as the same type.
_INTEGERS = {"MEDIUMINT": "Int32", "SMALLINT": "Int16", "TINYINT": "Int16"}


def _integral(values: pd.Series) -> bool:
    present = values.dropna()
    return bool(((present % 1) == 0).all())


def typed_for_writing(frame: gpd.GeoDataFrame, types: dict[str, str]) -> gpd.GeoDataFrame:
    """``frame`` with the columns GDAL read as REAL because of NULLs given back their
    declared type: INTEGER, MEDIUMINT (QGIS's Int), SMALLINT → nullable integers of that
    width, BOOLEAN → nullable boolean."""
    changes: dict[str, pd.Series] = {}
    for column, declared in types.items():
        if column not in frame.columns or column == frame.geometry.name:
            continue
        values = frame[column]
        if not pd.api.types.is_float_dtype(values.dtype):
            continue
        if declared == "BOOLEAN" and values.dropna().isin([0.0, 1.0]).all():
            changes[column] = values.astype("boolean")
        elif "INT" in declared and _integral(values):
            changes[column] = values.astype(_INTEGERS.get(declared, "Int64"))
    if not changes:
        return frame
    frame = frame.copy()
    for column, values in changes.items():
        frame[column] = values
    return frame


__all__ = [
    "Origin",
    "origin_of",
    "rebase",
    "remember_look",
    "set_origin",
    "source_file",
    "style_changed",
    "typed_for_writing",
]
